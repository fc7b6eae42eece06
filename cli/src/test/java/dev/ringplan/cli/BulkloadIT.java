package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringplan.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * plans/bulkload-migrate.yaml end to end on two real sandbox clusters
 * (inventories/sandbox-bulkload.yaml: source "bulk-src" with the sample data, target "bulk-dst",
 * fresh). The target schema is created here with the Java driver (copied from the source's
 * metadata), first without one table: the load fails naming it, since sstableloader would skip it
 * silently. With the whole schema, every row of the source reads back on the target with the same
 * digest; a second run loads nothing (ok, no loader started). In each mode the load task
 * registers the same keys (check-versus-run parity of bulkload, which RegisteredShapeTest cannot
 * run without clusters).
 */
class BulkloadIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLAN = "plans/bulkload-migrate.yaml";
    private static final String INV = "inventories/sandbox-bulkload.yaml";
    private static final List<String> TABLES = List.of("ringplan_demo.users", "ringplan_demo.events",
            "ringplan_shop.products", "ringplan_shop.orders");
    private static final String TAG = "it-bulkload-" + Long.toHexString(System.nanoTime());
    private static boolean srcWasRunning;

    @BeforeAll
    static void freshTarget() throws Exception {
        srcWasRunning = SandboxCluster.running("bulk-src");
        Cli.Run destroy = Cli.run("sandbox", "down", "--name", "bulk-dst", "--destroy");
        assertTrue(destroy.code() == 0 || !new Sandbox(Cli.ROOT, "bulk-dst").exists(), destroy.all());
    }

    @AfterAll
    static void stopWhatWeStarted() throws Exception {
        if (SandboxCluster.running("bulk-src")) {
            for (int n = 1; n <= 2; n++) {
                SandboxNodetool.run("bulk-src", n, "clearsnapshot", "-t", TAG);
                Files.deleteIfExists(Cli.ROOT.resolve(".ringplan/sandbox/bulk-src/node" + n + "/.ringplan/bulkload/" + TAG + ".json"));
            }
        }
        if (!srcWasRunning) {
            Cli.run("sandbox", "down", "--name", "bulk-src");
        }
        Cli.run("sandbox", "down", "--name", "bulk-dst");
    }

    @Test
    void bulkloadMigrate_endToEnd(@TempDir Path tmp) throws Exception {
        String tag = "migrate_tag=" + TAG;
        Path plan1 = tmp.resolve("plan1.json");
        Cli.Run preview = Cli.run("plan", PLAN, "-i", INV, "-e", tag, "-v", "--report-json", plan1.toString());
        assertEquals(0, preview.code(), preview.all());
        assertTrue(preview.out().contains("changed  load[source1]"), preview.out());
        assertTrue(preview.out().contains("after src_snapshot[source1] takes snapshot '" + TAG + "'"), preview.out());

        copySchema(List.of("ringplan_shop.products"));
        Cli.Run missing = Cli.run("run", PLAN, "-i", INV, "-e", tag);
        assertEquals(1, missing.code(), missing.all());
        assertTrue(missing.out().contains("table(s) ringplan_shop.products missing on the target cluster 'ringplan-bulk-dst'"),
                missing.out());
        assertFalse(missing.out().contains("loading "), "nothing streamed before the schema check:\n" + missing.out());

        copySchema(List.of());
        Path plan2 = tmp.resolve("plan2.json");
        Cli.Run preview2 = Cli.run("plan", PLAN, "-i", INV, "-e", tag, "-v", "--report-json", plan2.toString());
        assertEquals(0, preview2.code(), preview2.all());
        for (String host : List.of("source1", "source2")) {
            assertTrue(preview2.out().contains("changed  load[" + host + "]"), preview2.out());
        }
        assertTrue(preview2.out().contains("org.apache.cassandra.tools.BulkLoader -d 127.0.52.1,127.0.52.2 -p 9042 "),
                "exact loader command lines in check mode:\n" + preview2.out());
        Path run1 = tmp.resolve("run1.json");
        long t0 = System.nanoTime();
        Cli.Run run = Cli.run("run", PLAN, "-i", INV, "-e", tag, "-v", "--report-json", run1.toString());
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertEquals(0, run.code(), run.all());
        PreviewVersusRun.assertHolds("bulkload-migrate", plan2, run1);
        long bytes = 0;
        for (String host : List.of("source1", "source2")) {
            JsonNode planned = registered(preview2.out(), "changed  load[" + host + "]");
            JsonNode loaded = registered(run.out(), "changed  load[" + host + "]");
            assertSameShape(host, planned, loaded);
            assertEquals(4, loaded.get("tables").size(), loaded.toString());
            for (JsonNode t : loaded.get("tables")) {
                assertEquals("loaded", t.get("state").asText(), t.toString());
                assertTrue(t.get("bytes").asLong() > 0, t.toString());
                List<String> previewed = new ArrayList<>();
                planned.get("tables").forEach(p -> previewed.add(p.get("command").asText()));
                assertTrue(previewed.contains(t.get("command").asText()), "the run's command was previewed: "
                        + t.get("command") + " in " + previewed);
            }
            assertTrue(planned.get("bytes").isNull(), "known after apply: " + planned);
            bytes += loaded.get("bytes").asLong();
            assertTrue(Files.exists(Cli.ROOT.resolve(".ringplan/sandbox/bulk-src/node" + host.charAt(6)
                    + "/.ringplan/bulkload/" + TAG + ".json")), "record of " + host);
        }
        System.out.printf("bulkload-migrate run: %.1f s, %d bytes streamed from 2 source nodes%n",
                took.toMillis() / 1000.0, bytes);

        for (String table : TABLES) {
            assertEquals(CqlDigest.digest("bulk-src", table), CqlDigest.digest("bulk-dst", table), "rows of " + table);
        }
        for (Path stage : stages()) {
            throw new AssertionError("staging directory left behind: " + stage);
        }

        Path plan3 = tmp.resolve("plan3.json");
        Cli.Run preview3 = Cli.run("plan", PLAN, "-i", INV, "-e", tag, "-v", "--report-json", plan3.toString());
        assertEquals(0, preview3.code(), preview3.all());
        Path run2 = tmp.resolve("run2.json");
        Cli.Run again = Cli.run("run", PLAN, "-i", INV, "-e", tag, "-v", "--report-json", run2.toString());
        assertEquals(0, again.code(), again.all());
        PreviewVersusRun.assertHolds("bulkload-migrate (second run)", plan3, run2);
        for (String host : List.of("source1", "source2")) {
            assertEquals("ok", PreviewVersusRun.statuses(plan3).get("load[" + host + "]"));
            assertEquals("ok", PreviewVersusRun.statuses(run2).get("load[" + host + "]"));
            JsonNode planned = registered(preview3.out(), "ok       load[" + host + "]");
            JsonNode done = registered(again.out(), "ok       load[" + host + "]");
            assertSameShape(host + " (recorded)", planned, done);
            assertEquals(0, done.get("bytes").asLong());
            for (JsonNode t : done.get("tables")) {
                assertEquals("recorded", t.get("state").asText(), t.toString());
            }
        }
        assertFalse(again.out().contains("loading "), "nothing streamed again:\n" + again.out());
    }

    /** Creates the source's keyspaces and tables on the target, leaving out {@code except}. */
    private static void copySchema(List<String> except) throws Exception {
        try (CqlSession src = CqlDigest.session("bulk-src"); CqlSession dst = CqlDigest.session("bulk-dst")) {
            for (String ks : List.of("ringplan_demo", "ringplan_shop")) {
                String cql = src.getMetadata().getKeyspace(ks).orElseThrow().describeWithChildren(true);
                for (String st : cql.split(";\\s*\\n")) {
                    String s = st.strip();
                    if (s.isEmpty() || except.stream().anyMatch(t -> s.startsWith("CREATE TABLE " + t + " "))) {
                        continue;
                    }
                    dst.execute(SimpleStatement.newInstance(s.replaceFirst("^CREATE (KEYSPACE|TABLE|INDEX|TYPE) ",
                            "CREATE $1 IF NOT EXISTS ")).setTimeout(Duration.ofSeconds(60)));
                }
            }
        }
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
