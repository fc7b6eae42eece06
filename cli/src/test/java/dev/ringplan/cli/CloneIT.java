package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringplan.modules.nodetool.NodetoolRing;
import dev.ringplan.modules.nodetool.RingParser;
import dev.ringplan.sandbox.NodeSpec;
import dev.ringplan.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * plans/clone-cluster.yaml end to end on two real sandbox clusters side by side
 * (inventories/sandbox-clone.yaml: source "src" with the sample data, target "dst"): the
 * preview shows minimal cassandra.yaml diffs; after the run every source row reads back on the
 * target with the same digest, each target node owns exactly its source node's tokens, the
 * target keeps its own cluster name; a second run leaves the yaml and the archives alone.
 */
class CloneIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INV = "inventories/sandbox-clone.yaml";
    private static final List<String> TABLES = List.of("ringplan_demo.users", "ringplan_demo.events",
            "ringplan_shop.products", "ringplan_shop.orders");
    private static boolean srcWasRunning;
    private static boolean dstWasRunning;

    @BeforeAll
    static void recordState() throws Exception {
        srcWasRunning = SandboxCluster.running("src");
        // The target is scratch: start from a fresh "dst" sandbox so the preview has a diff to show.
        Cli.Run destroy = Cli.run("sandbox", "down", "--name", "dst", "--destroy");
        assertTrue(destroy.code() == 0 || !new Sandbox(Cli.ROOT, "dst").exists(), destroy.all());
        dstWasRunning = false;
    }

    @AfterAll
    static void stopWhatWeStarted() {
        if (!srcWasRunning) {
            Cli.run("sandbox", "down", "--name", "src");
        }
        if (!dstWasRunning) {
            Cli.run("sandbox", "down", "--name", "dst");
        }
    }

    @Test
    void cloneCluster_endToEnd(@TempDir Path tmp) throws Exception {
        // Preview first: brings both sandboxes up, changes nothing, shows the yaml diff per target node.
        Path planReport = tmp.resolve("plan1.json");
        Cli.Run preview = Cli.run("plan", "plans/clone-cluster.yaml", "-i", INV, "--diff", "--report-json",
                planReport.toString());
        assertEquals(0, preview.code(), preview.all());
        for (String host : List.of("dst1", "dst2")) {
            String diff = diffOf(preview.out(), "dst_yaml[" + host + "]");
            assertTrue(diff.contains("+initial_token: "), preview.all());
            assertTrue(diff.contains("+auto_bootstrap: false"), preview.all());
            long changedLines = diff.lines().filter(l -> (l.startsWith("+") || l.startsWith("-"))
                    && !l.startsWith("+++") && !l.startsWith("---")).count();
            assertTrue(changedLines <= 6, "minimal diff for " + host + ":\n" + diff);
            System.out.println("cassandra.yaml diff of " + host + ":\n" + diff);
        }
        String dstName = clusterName("dst");

        Path report = tmp.resolve("run1.json");
        long t0 = System.nanoTime();
        Cli.Run run = Cli.run("run", "plans/clone-cluster.yaml", "-i", INV, "--report-json", report.toString());
        System.out.printf("clone-cluster run: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, run.code(), run.all());
        Map<String, String> plan = PreviewVersusRun.assertHolds("clone-cluster.yaml", planReport, report);
        for (String host : List.of("src1", "src2")) {
            assertEquals("changed", plan.get("src_clear[" + host + "]"), "after src_snapshot takes it: " + plan);
        }

        for (String table : TABLES) {
            assertEquals(CqlDigest.digest("src", table), CqlDigest.digest("dst", table), "rows of " + table + " on the target");
        }
        Map<String, List<String>> srcTokens = tokensByNode("src");
        Map<String, List<String>> dstTokens = tokensByNode("dst");
        assertEquals(srcTokens.get("node1"), dstTokens.get("node1"), "dst1 owns src1's tokens");
        assertEquals(srcTokens.get("node2"), dstTokens.get("node2"), "dst2 owns src2's tokens");
        assertEquals(16, dstTokens.get("node1").size());
        assertEquals(dstName, clusterName("dst"), "the target keeps its own cluster name");
        assertFalse(dstName.equals(clusterName("src")));
        for (String host : List.of("dst1", "dst2")) {
            assertTrue(run.out().contains("changed  dst_discard_set_aside[" + host + "]"), run.out());
        }
        assertEquals(List.of(), cloneSetAsides(), "the target's old files are removed once the clone is UN");

        Path plan2 = tmp.resolve("plan2.json");
        Cli.Run preview2 = Cli.run("plan", "plans/clone-cluster.yaml", "-i", INV, "--report-json", plan2.toString());
        assertEquals(0, preview2.code(), preview2.all());
        Path report2 = tmp.resolve("run2.json");
        Cli.Run again = Cli.run("run", "plans/clone-cluster.yaml", "-i", INV, "--report-json", report2.toString());
        assertEquals(0, again.code(), again.all());
        PreviewVersusRun.assertHolds("clone-cluster.yaml (second run)", plan2, report2);
        Map<String, String> second = statuses(report2);
        assertEquals("ok", second.get("dst_yaml[dst1]"), second.toString());
        assertEquals("ok", second.get("dst_yaml[dst2]"), second.toString());
        assertEquals("skipped", second.get("dst_cluster_name[dst1]"), second.toString());
        for (String table : TABLES) {
            assertEquals(CqlDigest.digest("src", table), CqlDigest.digest("dst", table), "rows of " + table + " after the second run");
        }
    }

    /** The clone-* set-aside directories left on the target sandbox's nodes. */
    private static List<Path> cloneSetAsides() throws java.io.IOException {
        List<Path> out = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> nodes = Files.list(Cli.ROOT.resolve(".ringplan/sandbox/dst"))) {
            for (Path node : nodes.filter(Files::isDirectory).toList()) {
                Path aside = node.resolve("ringplan-set-aside");
                if (Files.isDirectory(aside)) {
                    try (java.util.stream.Stream<Path> s = Files.list(aside)) {
                        s.filter(p -> p.getFileName().toString().startsWith("clone-")).forEach(out::add);
                    }
                }
            }
        }
        return out;
    }

    private static String diffOf(String out, String node) {
        int i = out.indexOf("changed  " + node);
        assertTrue(i >= 0, "no changed line for " + node + " in\n" + out);
        StringBuilder sb = new StringBuilder();
        for (String line : out.substring(i).lines().skip(1).toList()) {
            if (!line.startsWith("      ")) {
                break;
            }
            sb.append(line.substring(6)).append('\n');
        }
        return sb.toString();
    }

    private static Map<String, String> statuses(Path report) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode r : JSON.readTree(report.toFile()).get("results")) {
            out.put(r.get("task").asText() + "[" + r.get("host").asText() + "]", r.get("status").asText());
        }
        return out;
    }

    private static String clusterName(String sandbox) throws Exception {
        try (CqlSession session = new Sandbox(Cli.ROOT, sandbox).openSession()) {
            return session.execute("SELECT cluster_name FROM system.local").one().getString(0);
        }
    }

    /** Sandbox node name → its tokens, from the real nodetool ring of that cluster. */
    private static Map<String, List<String>> tokensByNode(String sandbox) throws Exception {
        Sandbox s = new Sandbox(Cli.ROOT, sandbox);
        String out = SandboxNodetool.run(sandbox, 1, "ring");
        NodetoolRing ring = RingParser.parse(out);
        Map<String, List<String>> byNode = new LinkedHashMap<>();
        for (NodeSpec n : s.nodes()) {
            byNode.put(n.host(), ring.tokensOf(n.address()));
        }
        return byNode;
    }
}
