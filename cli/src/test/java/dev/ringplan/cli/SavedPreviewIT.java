package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved previews ({@code plan -o FILE}, then {@code apply FILE}) against the real sandbox, through
 * the CLI: applied on an unchanged cluster, the run does exactly what the preview listed; after a
 * change by hand between the two (a snapshot taken with nodetool, cassandra.yaml edited),
 * {@code apply} refuses with exit 2 before any task runs and names what drifted.
 */
@ExtendWith(SandboxCluster.class)
class SavedPreviewIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLAN = "plans/backup.yaml";
    private static final String INV = "inventories/sandbox.yaml";

    @Test
    void backupPreview_appliedOnUnchangedCluster_doesExactlyWhatItListed(@TempDir Path tmp) throws Exception {
        String tag = "preview-" + Long.toHexString(System.currentTimeMillis());
        Path saved = tmp.resolve("backup.plan.json");
        Cli.Run plan = Cli.run("plan", PLAN, "-i", INV, "-e", "tag=" + tag, "-o", saved.toString(), "--detailed-exitcode");
        assertEquals(2, plan.code(), "changes pending: " + plan.all());
        JsonNode preview = JSON.readTree(saved.toFile());
        Map<String, String> previewed = new TreeMap<>();
        preview.get("changes").forEach(c -> previewed.put(c.get("node").asText(), c.get("status").asText()));
        assertEquals("changed", previewed.get("snapshot[node1]"), preview.toString());
        assertEquals("changed", previewed.get("archive[node2]"), preview.toString());
        assertFalse(Files.exists(Cli.ROOT.resolve(".ringplan/backups").resolve(tag)), "plan wrote no archive");

        Cli.Run apply = Cli.run("apply", saved.toString());
        assertEquals(0, apply.code(), apply.all());
        assertTrue(apply.out().contains("the preview holds"), apply.all());
        String runId = preview.get("run").get("id").asText();
        JsonNode report = JSON.readTree(Cli.ROOT.resolve(".ringplan/runs/" + runId + "-apply/report.json").toFile());
        Map<String, String> ran = new TreeMap<>();
        report.get("results").forEach(r -> ran.put(r.get("task").asText() + "[" + r.get("host").asText() + "]",
                r.get("status").asText()));
        assertEquals(previewed.keySet(), ran.keySet(), "the same (task, host) pairs");
        previewed.forEach((node, status) -> {
            if (status.equals("unknown")) {
                assertTrue(Set.of("ok", "changed").contains(ran.get(node)), node + ": " + ran.get(node));
            } else {
                assertEquals(status, ran.get(node), node + " ran as previewed");
            }
        });
        for (String host : new String[] {"node1", "node2"}) {
            assertTrue(Files.isRegularFile(Cli.ROOT.resolve(".ringplan/backups").resolve(tag).resolve(host + ".manifest.json")),
                    apply.all());
        }
    }

    @Test
    void snapshotTakenByHandAfterPreview_applyRefusesNamingIt(@TempDir Path tmp) throws Exception {
        String tag = "drift-" + Long.toHexString(System.currentTimeMillis());
        Path saved = tmp.resolve("backup.plan.json");
        Cli.Run plan = Cli.run("plan", PLAN, "-i", INV, "-e", "tag=" + tag, "-o", saved.toString());
        assertEquals(0, plan.code(), plan.all());
        SandboxNodetool.run("default", 1, "snapshot", "-t", tag);
        try {
            Cli.Run apply = Cli.run("apply", saved.toString());
            assertEquals(2, apply.code(), apply.all());
            assertTrue(apply.err().contains("snapshot[node1]"), "names the task and host that drifted: " + apply.all());
            assertFalse(apply.err().contains("snapshot[node2]"), "node2 did not drift: " + apply.all());
            assertFalse(apply.out().contains("changed  "), "no task ran: " + apply.all());
            assertFalse(Files.exists(Cli.ROOT.resolve(".ringplan/backups").resolve(tag)), apply.all());
        } finally {
            SandboxNodetool.run("default", 1, "clearsnapshot", "-t", tag);
        }
    }

    @Test
    void cassandraYamlEditedByHandAfterPreview_applyRefusesNamingIt(@TempDir Path tmp) throws Exception {
        Path plan = tmp.resolve("tune.yaml");
        Files.writeString(plan, """
                name: tune-commitlog
                hosts: node2
                tasks:
                  - id: commitlog_period
                    yaml_edit:
                      path: "{{ cassandra_yaml }}"
                      set: {commitlog_sync_period: 12000ms}
                """);
        Path yaml = Cli.ROOT.resolve(".ringplan/sandbox/default/node2/conf/cassandra.yaml");
        Path saved = tmp.resolve("tune.plan.json");
        Cli.Run p = Cli.run("plan", plan.toString(), "-i", INV, "-o", saved.toString());
        assertEquals(0, p.code(), p.all());
        byte[] original = Files.readAllBytes(yaml);
        try {
            assertTrue(p.out().contains("changed  commitlog_period[node2]"), p.all());
            assertTrue(p.out().contains("+commitlog_sync_period: 12000ms"), "the diff: " + p.all());

            String text = new String(original, java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(text.contains("commitlog_sync_period: 10000ms\n"), text);
            Files.writeString(yaml, text.replace("commitlog_sync_period: 10000ms\n", "commitlog_sync_period: 11000ms\n"));

            Cli.Run apply = Cli.run("apply", saved.toString());
            assertEquals(2, apply.code(), apply.all());
            assertTrue(apply.err().contains("commitlog_period[node2]"), "names the task and host: " + apply.all());
            assertTrue(Files.readString(yaml).contains("commitlog_sync_period: 11000ms\n"), "nothing written");
        } finally {
            Files.write(yaml, original);
        }
    }
}
