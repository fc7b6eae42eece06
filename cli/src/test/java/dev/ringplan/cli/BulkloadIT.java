package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringplan.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * plans/bulkload-migrate.yaml end to end on two real sandbox clusters
 * (inventories/sandbox-bulkload.yaml: source "bulk-src" with the sample data, target "bulk-dst",
 * fresh, with no schema), run with no extra variables. {@code plan} lists the CREATE statements
 * and nodetool commands and changes nothing (no keyspace on the target, no snapshot on the
 * source). A run limited to the target creates the schema (the statements the plan listed); then
 * a row is written to both clusters, newer on the target (as dual writes would), and the whole
 * plan loads: every row of the source reads back on the target with the same digest, and the
 * target keeps its newer value. A second run creates and loads nothing (ok, no loader started);
 * a plan with force=true lists the exact loader command lines the first run used. In each mode
 * the load task registers the same keys (check-versus-run parity of bulkload, which
 * RegisteredShapeTest cannot run without clusters).
 */
class BulkloadIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLAN = "plans/bulkload-migrate.yaml";
    private static final String INV = "inventories/sandbox-bulkload.yaml";
    private static final List<String> TABLES = List.of("ringplan_demo.users", "ringplan_demo.events",
            "ringplan_shop.products", "ringplan_shop.orders");
    /** The plan's fixed snapshot tag (migrate_tag). */
    private static final String TAG = "ringplan-migrate";
    /** A user id the sample data does not use, written to both clusters. */
    private static final int DUAL_USER = 999_999;
    private static boolean srcWasRunning;

    @BeforeAll
    static void freshTarget() throws Exception {
        srcWasRunning = SandboxCluster.running("bulk-src");
        clearSource();
        Cli.Run destroy = Cli.run("sandbox", "down", "--name", "bulk-dst", "--destroy");
        assertTrue(destroy.code() == 0 || !new Sandbox(Cli.ROOT, "bulk-dst").exists(), destroy.all());
    }

    @AfterAll
    static void stopWhatWeStarted() throws Exception {
        if (SandboxCluster.running("bulk-src")) {
            clearSource();
            try (CqlSession src = CqlDigest.session("bulk-src")) {
                src.execute(all("DELETE FROM ringplan_demo.users WHERE user_id = " + DUAL_USER));
            }
        }
        if (!srcWasRunning) {
            Cli.run("sandbox", "down", "--name", "bulk-src");
        }
        Cli.run("sandbox", "down", "--name", "bulk-dst");
    }

    /** Removes the plan's snapshot and load records from the source nodes, when running. */
    private static void clearSource() throws Exception {
        if (!SandboxCluster.running("bulk-src")) {
            return;
        }
        for (int n = 1; n <= 2; n++) {
            SandboxNodetool.run("bulk-src", n, "clearsnapshot", "-t", TAG);
            Files.deleteIfExists(Cli.ROOT.resolve(".ringplan/sandbox/bulk-src/node" + n + "/.ringplan/bulkload/" + TAG + ".json"));
        }
    }

    @Test
    void bulkloadMigrate_endToEnd(@TempDir Path tmp) throws Exception {
        Path plan1 = tmp.resolve("plan1.json");
        long t0 = System.nanoTime();
        Cli.Run preview = Cli.run("plan", PLAN, "-i", INV, "-v", "--report-json", plan1.toString());
        double previewSecs = secondsSince(t0);
        assertEquals(0, preview.code(), preview.all());
        assertTrue(preview.out().contains("changed  load[source1]"), preview.out());
        assertTrue(preview.out().contains("after src_snapshot[source1] takes snapshot '" + TAG + "'"), preview.out());
        assertTrue(preview.out().contains("org.apache.cassandra.tools.NodeTool -h 127.0.0.1 -p "), preview.out());
        assertTrue(preview.out().contains(" snapshot -t " + TAG + "\n"), "exact nodetool commands:\n" + preview.out());
        JsonNode planned = registered(preview.out(), "changed  schema[target1]");
        List<String> created = new ArrayList<>();
        planned.get("created").forEach(c -> created.add(c.asText()));
        assertEquals(List.of("keyspace ringplan_demo", "table ringplan_demo.events", "table ringplan_demo.users",
                "keyspace ringplan_shop", "table ringplan_shop.orders", "table ringplan_shop.products"), created);
        assertTrue(preview.out().contains("$ CREATE TABLE \"ringplan_shop\".\"orders\" ("), "exact CQL:\n" + preview.out());
        assertEquals(List.of(), userKeyspaces("bulk-dst"), "plan created nothing on the target");
        assertTrue(stages().isEmpty() && !snapshotTaken(), "plan took no snapshot");

        t0 = System.nanoTime();
        Cli.Run schemaRun = Cli.run("run", PLAN, "-i", INV, "--tags", "schema", "-v");
        double schemaSecs = secondsSince(t0);
        assertEquals(0, schemaRun.code(), schemaRun.all());
        JsonNode schema = registered(schemaRun.out(), "changed  schema[target1]");
        assertEquals(planned.get("statements"), schema.get("statements"), "the run ran the statements the plan listed");
        assertEquals(6, schema.get("executed").asInt(), schema.toString());
        assertEquals(List.of("ringplan_demo", "ringplan_shop"), userKeyspaces("bulk-dst"));

        long ts = System.currentTimeMillis() * 1000;
        try (CqlSession src = CqlDigest.session("bulk-src"); CqlSession dst = CqlDigest.session("bulk-dst")) {
            src.execute(all(dualWrite("old", ts)));
            dst.execute(all(dualWrite("new", ts + 60_000_000L)));
        }

        Path plan2 = tmp.resolve("plan2.json");
        Cli.Run preview2 = Cli.run("plan", PLAN, "-i", INV, "-v", "--report-json", plan2.toString());
        assertEquals(0, preview2.code(), preview2.all());
        assertTrue(preview2.out().contains("ok       schema[target1]"), preview2.out());
        Path run1 = tmp.resolve("run1.json");
        t0 = System.nanoTime();
        Cli.Run run = Cli.run("run", PLAN, "-i", INV, "-v", "--report-json", run1.toString());
        double runSecs = secondsSince(t0);
        assertEquals(0, run.code(), run.all());
        PreviewVersusRun.assertHolds("bulkload-migrate", plan2, run1);
        assertEquals("ok", PreviewVersusRun.statuses(run1).get("schema[target1]"));
        long bytes = 0;
        List<String> commands = new ArrayList<>();
        for (String host : List.of("source1", "source2")) {
            JsonNode plannedLoad = registered(preview2.out(), "changed  load[" + host + "]");
            JsonNode loaded = registered(run.out(), "changed  load[" + host + "]");
            assertSameShape(host, plannedLoad, loaded);
            assertEquals(4, loaded.get("tables").size(), loaded.toString());
            for (JsonNode t : loaded.get("tables")) {
                assertEquals("loaded", t.get("state").asText(), t.toString());
                assertTrue(t.get("bytes").asLong() > 0, t.toString());
                commands.add(t.get("command").asText());
            }
            assertTrue(plannedLoad.get("bytes").isNull(), "known after apply: " + plannedLoad);
            bytes += loaded.get("bytes").asLong();
            assertTrue(Files.exists(Cli.ROOT.resolve(".ringplan/sandbox/bulk-src/node" + host.charAt(6)
                    + "/.ringplan/bulkload/" + TAG + ".json")), "record of " + host);
        }

        for (String host : List.of("target1", "target2")) {
            assertEquals("ok", PreviewVersusRun.statuses(run1).get("wait_compactions[" + host + "]"));
            assertEquals(0, registered(run.out(), "ok       wait_compactions[" + host + "]").get("pending_tasks").asInt());
            assertEquals("changed", PreviewVersusRun.statuses(run1).get("repair[" + host + "]"));
            assertEquals("changed", PreviewVersusRun.statuses(plan2).get("repair[" + host + "]"));
        }
        assertTrue(run.out().contains("\"repair\",\"-full\",\"-pr\"]"), "full primary-range repair:\n" + run.out());
        assertTrue(run.out().indexOf("changed  repair[target1]") < run.out().indexOf("start    repair[target2]"),
                "one target node at a time:\n" + run.out());

        for (String table : TABLES.subList(1, TABLES.size())) {
            assertEquals(CqlDigest.digest("bulk-src", table), CqlDigest.digest("bulk-dst", table), "rows of " + table);
        }
        try (CqlSession src = CqlDigest.session("bulk-src"); CqlSession dst = CqlDigest.session("bulk-dst")) {
            assertEquals("new", dualName(dst), "the target's newer write survives the load");
            assertEquals("old", dualName(src));
            src.execute(all(dualWrite("new", ts + 60_000_000L)));
        }
        assertEquals(CqlDigest.digest("bulk-src", TABLES.get(0)), CqlDigest.digest("bulk-dst", TABLES.get(0)),
                "rows of " + TABLES.get(0));
        for (Path stage : stages()) {
            throw new AssertionError("staging directory left behind: " + stage);
        }

        Path plan3 = tmp.resolve("plan3.json");
        Cli.Run preview3 = Cli.run("plan", PLAN, "-i", INV, "-v", "--report-json", plan3.toString());
        assertEquals(0, preview3.code(), preview3.all());
        Path run2 = tmp.resolve("run2.json");
        t0 = System.nanoTime();
        Cli.Run again = Cli.run("run", PLAN, "-i", INV, "-v", "--report-json", run2.toString());
        double againSecs = secondsSince(t0);
        assertEquals(0, again.code(), again.all());
        PreviewVersusRun.assertHolds("bulkload-migrate (second run)", plan3, run2);
        for (Path report : List.of(plan3, run2)) {
            assertEquals("ok", PreviewVersusRun.statuses(report).get("schema[target1]"), report.toString());
        }
        for (String host : List.of("source1", "source2")) {
            assertEquals("ok", PreviewVersusRun.statuses(plan3).get("load[" + host + "]"));
            assertEquals("ok", PreviewVersusRun.statuses(run2).get("load[" + host + "]"));
            JsonNode plannedLoad = registered(preview3.out(), "ok       load[" + host + "]");
            JsonNode done = registered(again.out(), "ok       load[" + host + "]");
            assertSameShape(host + " (recorded)", plannedLoad, done);
            assertEquals(0, done.get("bytes").asLong());
            for (JsonNode t : done.get("tables")) {
                assertEquals("recorded", t.get("state").asText(), t.toString());
            }
        }
        assertFalse(again.out().contains("loading "), "nothing streamed again:\n" + again.out());
        assertEquals(0, registered(again.out(), "ok       schema[target1]").get("executed").asInt());

        Cli.Run forced = Cli.run("plan", PLAN, "-i", INV, "-e", "force=true", "-v");
        assertEquals(0, forced.code(), forced.all());
        List<String> previewed = new ArrayList<>();
        for (String host : List.of("source1", "source2")) {
            registered(forced.out(), "changed  load[" + host + "]").get("tables")
                    .forEach(p -> previewed.add(p.get("command").asText()));
        }
        assertEquals(sorted(commands), sorted(previewed), "plan lists the exact loader command lines");
        assertTrue(previewed.get(0).contains("org.apache.cassandra.tools.BulkLoader -d 127.0.52.1,127.0.52.2 -p 9042 "),
                previewed.get(0));

        System.out.printf("bulkload-migrate: plan %.1f s; schema run %.1f s; full run %.1f s (%s), %d bytes streamed from"
                + " 2 source nodes; second run %.1f s (%s)%n", previewSecs, schemaSecs, runSecs, phases(run1), bytes,
                againSecs, phases(run2));
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static List<String> sorted(List<String> l) {
        List<String> out = new ArrayList<>(l);
        out.sort(String::compareTo);
        return out;
    }

    /** Per task of a report, the longest node duration in seconds. */
    private static String phases(Path report) throws Exception {
        Map<String, Long> ms = new LinkedHashMap<>();
        for (JsonNode r : JSON.readTree(report.toFile()).get("results")) {
            ms.merge(r.get("task").asText(), r.get("duration_ms").asLong(), Math::max);
        }
        StringBuilder sb = new StringBuilder();
        ms.forEach((t, d) -> sb.append(sb.length() == 0 ? "" : ", ").append(t).append(String.format(" %.1f s", d / 1000.0)));
        return sb.toString();
    }

    private static SimpleStatement all(String cql) {
        return SimpleStatement.newInstance(cql).setConsistencyLevel(DefaultConsistencyLevel.ALL)
                .setTimeout(Duration.ofSeconds(30));
    }

    private static String dualWrite(String name, long timestampMicros) {
        return "INSERT INTO ringplan_demo.users (user_id, name) VALUES (" + DUAL_USER + ", '" + name + "') USING TIMESTAMP "
                + timestampMicros;
    }

    private static String dualName(CqlSession s) {
        return s.execute(all("SELECT name FROM ringplan_demo.users WHERE user_id = " + DUAL_USER)).one().getString("name");
    }

    /** The keyspaces of sandbox {@code name} other than Cassandra's own and the lock's ({@code ringplan}), sorted. */
    private static List<String> userKeyspaces(String name) throws Exception {
        try (CqlSession s = CqlDigest.session(name)) {
            List<String> out = new ArrayList<>();
            s.execute("SELECT keyspace_name FROM system_schema.keyspaces").forEach(r -> {
                String ks = r.getString("keyspace_name");
                if (!ks.startsWith("system") && !ks.equals("ringplan")) { // ringplan: the run's cluster lock
                    out.add(ks);
                }
            });
            out.sort(String::compareTo);
            return out;
        }
    }

    /** Whether a source node has a snapshot directory of the tag (any table). */
    private static boolean snapshotTaken() throws Exception {
        for (int n = 1; n <= 2; n++) {
            Path ks = Cli.ROOT.resolve(".ringplan/sandbox/bulk-src/node" + n + "/data1/ringplan_demo");
            try (var tables = Files.list(ks)) {
                for (Path t : tables.toList()) {
                    if (Files.exists(t.resolve("snapshots").resolve(TAG))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The registered data printed with -v under the status line starting with {@code statusLine}. */
    private static JsonNode registered(String out, String statusLine) throws Exception {
        List<String> lines = out.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("  " + statusLine)) {
                for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("      "); j++) {
                    String l = lines.get(j).strip();
                    if (l.startsWith("=> ")) {
                        return JSON.readTree(l.substring(3));
                    }
                }
            }
        }
        throw new AssertionError("no registered data under '" + statusLine + "' in\n" + out);
    }

    /** Keys the engine adds itself (would_change only in check mode). */
    private static final List<String> ENGINE_KEYS = List.of("changed", "failed", "status", "msg", "would_change", "skipped");

    /** Same module keys, and the same JSON type wherever both values are known; the same for a table's map. */
    private static void assertSameShape(String what, JsonNode check, JsonNode run) {
        assertEquals(moduleKeys(run), moduleKeys(check), what + ": registered keys in check mode vs run");
        run.fields().forEachRemaining(e -> {
            JsonNode c = check.get(e.getKey());
            if (!ENGINE_KEYS.contains(e.getKey()) && !c.isNull() && !e.getValue().isNull()) {
                assertEquals(e.getValue().getNodeType(), c.getNodeType(), what + ": type of " + e.getKey());
            }
        });
        if (check.get("tables").size() > 0) {
            assertEquals(moduleKeys(run.get("tables").get(0)), moduleKeys(check.get("tables").get(0)),
                    what + ": a table's keys");
        }
    }

    private static List<String> moduleKeys(JsonNode obj) {
        List<String> out = new ArrayList<>();
        obj.fieldNames().forEachRemaining(k -> {
            if (!ENGINE_KEYS.contains(k)) {
                out.add(k);
            }
        });
        out.sort(String::compareTo);
        return out;
    }

    /** Staging directories left in the source nodes' data directories. */
    private static List<Path> stages() throws Exception {
        List<Path> out = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {
            Path data = Cli.ROOT.resolve(".ringplan/sandbox/bulk-src/node" + n + "/data1");
            Path stage = data.resolve(".ringplan-bulkload");
            if (Files.exists(stage)) {
                out.add(stage);
            }
        }
        return out;
    }
}
