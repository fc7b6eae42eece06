package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.ringplan.sandbox.Sandbox;
import dev.ringplan.sandbox.SandboxNodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The accidents an operator restores a table for, through the CLI on the shared sandbox: a table
 * dropped and recreated (a new table id, one new row), a table dropped and not recreated, each
 * restored online by plans/restore-table.yaml (digest equal to the backup, a sibling table of the
 * same keyspace keeping its newer rows, no node restarted: same PIDs); the dry run lists the CQL
 * and the files each node would import and changes nothing; a table whose columns changed since
 * the backup fails before anything changes, naming the difference; an import that fails on one
 * node after another node imported puts every node back (the table as before the run); a merging
 * restore keeps rows written since the backup and brings back the lost ones; and a
 * whole-cluster restore
 * (plans/restore.yaml) of a backup taken before a table was dropped and recreated brings every
 * table back to the backup.
 */
@ExtendWith(SandboxCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TableRestoreIT {
    private static final String TAG = "table-restore-it-" + Long.toHexString(System.currentTimeMillis());
    private static final String KS = "table_restore_it";
    private static final String ACCOUNTS = KS + ".accounts";
    private static final String NOTES = KS + ".notes";
    private static final String CREATE_ACCOUNTS = "CREATE TABLE " + ACCOUNTS
            + " (id int PRIMARY KEY, name text, balance int)";
    private static final Map<String, String> AT_BACKUP = new LinkedHashMap<>();
    private static String notesLater;
    private static String backupId;

    @Test
    @Order(1)
    void backup() throws Exception {
        // the dry run of the backup brings the sandbox up (the inventory does) before the test writes to it
        Cli.Run up = Cli.run("plan", "plans/backup.yaml", "-e", "tag=" + TAG);
        assertEquals(0, up.code(), up.all());
        waitRunning();
        try (CqlSession s = CqlDigest.session("default")) {
            s.execute("DROP KEYSPACE IF EXISTS " + KS);
            s.execute("CREATE KEYSPACE " + KS + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}");
            s.execute(CREATE_ACCOUNTS);
            s.execute("CREATE TABLE " + NOTES + " (id int PRIMARY KEY, body text)");
            for (int i = 0; i < 200; i++) {
                CqlDigest.write(s, "INSERT INTO " + ACCOUNTS + " (id, name, balance) VALUES (" + i + ", 'a" + i + "', " + i * 7 + ")");
                CqlDigest.write(s, "INSERT INTO " + NOTES + " (id, body) VALUES (" + i + ", 'n" + i + "')");
            }
        }
        Cli.Run b = Cli.run("run", "plans/backup.yaml", "-e", "tag=" + TAG);
        assertEquals(0, b.code(), b.all());
        try (CqlSession s = CqlDigest.session("default")) {
            for (String t : List.of(ACCOUNTS, NOTES, "ringplan_demo.users")) {
                AT_BACKUP.put(t, CqlDigest.digest(s, t));
            }
            backupId = tableId(s);
            // newer content in the sibling table, which a restore of accounts must keep
            for (int i = 0; i < 30; i++) {
                CqlDigest.write(s, "INSERT INTO " + NOTES + " (id, body) VALUES (" + (1000 + i) + ", 'later')");
            }
            notesLater = CqlDigest.digest(s, NOTES);
            assertNotEquals(AT_BACKUP.get(NOTES), notesLater);
        }
    }

    @Test
    @Order(2)
    void droppedAndRecreated_dryRunChangesNothing_thenOnlineRestore() throws Exception {
        try (CqlSession s = CqlDigest.session("default")) {
            s.execute("DROP TABLE " + ACCOUNTS);
            s.execute(CREATE_ACCOUNTS);
            CqlDigest.write(s, "INSERT INTO " + ACCOUNTS + " (id, name, balance) VALUES (424242, 'after the accident', 1)");
            assertNotEquals(backupId, tableId(s), "recreated with a new id");
        }
        Map<String, Long> pids = pids();
        String now = CqlDigest.digest("default", ACCOUNTS);

        Cli.Run plan = Cli.run("plan", "plans/restore-table.yaml", "-e", "tag=" + TAG, "-e", "tables=" + ACCOUNTS);
        assertEquals(0, plan.code(), plan.all());
        assertTrue(plan.out().contains("TRUNCATE \"" + KS + "\".\"accounts\""), plan.all());
        for (String host : List.of("node1", "node2")) {
            assertTrue(plan.out().matches("(?s).*changed  stage\\[" + host + "\\].*"), plan.all());
        }
        assertTrue(plan.out().matches("(?s).*stage for nodetool import \\d+ files \\(\\d+ bytes\\) into \\S+/data1/"
                + "\\.ringplan-import/" + TAG + "/" + KS + "/accounts \\(directory created\\): \\S+-big.*"), plan.all());
        assertTrue(plan.out().contains("unknown  import[node1]"), plan.all());
        assertEquals(now, CqlDigest.digest("default", ACCOUNTS), "the dry run changed nothing");
        assertEquals(List.of(), importDirs(), "the dry run staged nothing");
        assertEquals(pids, pids());

        long t0 = System.nanoTime();
        Cli.Run r = Cli.run("run", "plans/restore-table.yaml", "-e", "tag=" + TAG, "-e", "tables=" + ACCOUNTS);
        System.out.printf("online one-table restore: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("ok       schema[node1]"), "the recreated table is used as it is: " + r.all());
        assertEquals(AT_BACKUP.get(ACCOUNTS), CqlDigest.digest("default", ACCOUNTS), "accounts equals the backup");
        assertEquals(notesLater, CqlDigest.digest("default", NOTES), "notes keeps its newer rows");
        assertEquals(pids, pids(), "no node restarted");
        assertEquals(List.of(), stagedFiles(), "staging removed");
    }

    @Test
    @Order(3)
    void droppedNotRecreated_isRecreatedWithItsIdThenLoaded() throws Exception {
        try (CqlSession s = CqlDigest.session("default")) {
            s.execute("DROP TABLE " + ACCOUNTS);
        }
        Map<String, Long> pids = pids();
        Path planReport = Files.createTempFile("restore-table-plan", ".json");
        Cli.Run plan = Cli.run("plan", "plans/restore-table.yaml", "-e", "tag=" + TAG, "-e", "tables=" + ACCOUNTS, "-v",
                "--report-json", planReport.toString());
        assertEquals(0, plan.code(), plan.all());
        assertTrue(plan.out().contains("CREATE TABLE IF NOT EXISTS " + ACCOUNTS), plan.all());
        assertTrue(plan.out().contains("WITH ID = "), plan.all());

        Path runReport = Files.createTempFile("restore-table-run", ".json");
        Cli.Run r = Cli.run("run", "plans/restore-table.yaml", "-e", "tag=" + TAG, "-e", "tables=" + ACCOUNTS, "-v",
                "--report-json", runReport.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("changed  schema[node1]"), r.all());
        PreviewVersusRun.assertHolds("restore-table.yaml (dropped table)", planReport, runReport);
        // restore_schema registers the same keys in check mode and in the run
        assertEquals(registeredKeys(r, "schema[node1]"), registeredKeys(plan, "schema[node1]"));
        try (CqlSession s = CqlDigest.session("default")) {
            assertEquals(backupId, tableId(s), "recreated with the backed-up id");
            assertEquals(AT_BACKUP.get(ACCOUNTS), CqlDigest.digest(s, ACCOUNTS), "accounts equals the backup");
            assertEquals(notesLater, CqlDigest.digest(s, NOTES), "notes keeps its newer rows");
        }
        assertEquals(pids, pids(), "no node restarted");
    }

    @Test
    @Order(4)
    void importFailsOnTheSecondNode_everyNodeIsPutBack() throws Exception {
        try (CqlSession s = CqlDigest.session("default")) {
            for (int i = 0; i < 25; i++) {
                CqlDigest.write(s, "INSERT INTO " + ACCOUNTS + " (id, name, balance) VALUES (" + (5000 + i) + ", 'before run', 3)");
            }
        }
        String before = CqlDigest.digest("default", ACCOUNTS);
        assertNotEquals(AT_BACKUP.get(ACCOUNTS), before);
        Map<String, Long> pids = pids();
        // node2's staging holds an SSTable Cassandra refuses: node1 imports, node2 fails
        Path bogus = Cli.ROOT.resolve(".ringplan/sandbox/default/node2/data1/.ringplan-import/" + TAG + "/" + KS
                + "/accounts");
        Files.createDirectories(bogus);
        Files.writeString(bogus.resolve("nb-999-big-Data.db"), "not an SSTable");
        Cli.Run r = Cli.run("run", "plans/restore-table.yaml", "-e", "tag=" + TAG, "-e", "tables=" + ACCOUNTS);
        assertEquals(ExitCodes.TASK_FAILED, r.code(), r.all());
        assertTrue(r.out().contains("changed  import[node1]"), r.all());
        assertTrue(r.out().contains("failed   import[node2]"), r.all());
        assertTrue(r.out().contains("changed  rollback_truncate[node1]"), r.all());
        assertTrue(r.out().contains("changed  rollback_import[node1]") && r.out().contains("changed  rollback_import[node2]"),
                r.all());
        assertEquals(before, CqlDigest.digest("default", ACCOUNTS), "accounts is as it was before the run");
        assertEquals(notesLater, CqlDigest.digest("default", NOTES), "notes untouched");
        assertEquals(pids, pids(), "no node restarted");
        try (Stream<Path> files = Files.walk(bogus.getParent().getParent())) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    @Order(5)
    void merge_keepsNewerRowsAndBringsBackLostOnes() throws Exception {
        try (CqlSession s = CqlDigest.session("default")) {
            CqlDigest.write(s, "TRUNCATE " + ACCOUNTS);
            CqlDigest.write(s, "INSERT INTO " + ACCOUNTS + " (id, name, balance) VALUES (3, 'updated after the backup', 99)");
            CqlDigest.write(s, "INSERT INTO " + ACCOUNTS + " (id, name, balance) VALUES (424243, 'new', 1)");
        }
        Cli.Run r = Cli.run("run", "plans/restore-table.yaml", "-e", "tag=" + TAG, "-e", "tables=" + ACCOUNTS, "-e",
                "existing=merge", "-e", "repair=false");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("skipped  truncate[node1]"), r.all());
        try (CqlSession s = CqlDigest.session("default")) {
            assertEquals(201, s.execute("SELECT COUNT(*) FROM " + ACCOUNTS).one().getLong(0),
                    "the 200 backed-up rows and the new one");
            assertEquals("updated after the backup", s.execute("SELECT name FROM " + ACCOUNTS + " WHERE id = 3").one()
                    .getString(0), "the newer write wins");
            assertEquals("a4", s.execute("SELECT name FROM " + ACCOUNTS + " WHERE id = 4").one().getString(0));
        }
    }

    @Test
    @Order(6)
    void columnsChangedSinceTheBackup_failsBeforeAnythingChanges() throws Exception {
        try (CqlSession s = CqlDigest.session("default")) {
            s.execute("ALTER TABLE " + ACCOUNTS + " ADD nickname text");
            CqlDigest.write(s, "INSERT INTO " + ACCOUNTS + " (id, name, balance, nickname) VALUES (7, 'seven', 0, 'x')");
        }
        String before = CqlDigest.digest("default", ACCOUNTS);
        Cli.Run r = Cli.run("run", "plans/restore-table.yaml", "-e", "tag=" + TAG, "-e", "tables=" + ACCOUNTS);
        assertEquals(ExitCodes.TASK_FAILED, r.code(), r.all());
        assertTrue(r.out().contains("failed   schema[node1]"), r.all());
        assertTrue(r.out().contains(ACCOUNTS + ": column nickname (text) is in the live table, not in the backup"), r.all());
        assertFalse(r.out().contains("changed  stage["), r.all());
        assertEquals(before, CqlDigest.digest("default", ACCOUNTS), "nothing changed");
        assertEquals(List.of(), stagedFiles(), "nothing staged");
        try (CqlSession s = CqlDigest.session("default")) {
            s.execute("ALTER TABLE " + ACCOUNTS + " DROP nickname");
        }
    }

    @Test
    @Order(7)
    void wholeClusterRestore_afterADropAndRecreate_givesTheBackup() throws Exception {
        try (CqlSession s = CqlDigest.session("default")) {
            s.execute("DROP TABLE " + ACCOUNTS);
            s.execute(CREATE_ACCOUNTS);
            CqlDigest.write(s, "INSERT INTO " + ACCOUNTS + " (id, name, balance) VALUES (515151, 'again', 2)");
            CqlDigest.write(s, "INSERT INTO ringplan_demo.users (user_id, name) VALUES (777777, 'later')");
        }
        Cli.Run r = Cli.run("run", "plans/restore.yaml", "-e", "tag=" + TAG, "-e", "repair=false");
        assertEquals(0, r.code(), r.all());
        waitRunning();
        try (CqlSession s = CqlDigest.session("default")) {
            for (Map.Entry<String, String> e : AT_BACKUP.entrySet()) {
                assertEquals(e.getValue(), CqlDigest.digest(s, e.getKey()), e.getKey() + " after the whole-cluster restore");
            }
            assertEquals(backupId, tableId(s), "the backed-up schema is back");
        }
    }

    @AfterAll
    static void dropKeyspace() throws Exception {
        if (SandboxCluster.running()) {
            try (CqlSession s = CqlDigest.session("default")) {
                s.execute("DROP KEYSPACE IF EXISTS " + KS);
            }
        }
    }

    /** The keys {@code node} registered, from the {@code -v} line ({@code => {...}}) after its result line. */
    private static java.util.Set<String> registeredKeys(Cli.Run r, String node) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^  (?:ok|changed|unknown)\\s+"
                + java.util.regex.Pattern.quote(node) + " .*\\n(?:(?!  \\S).*\\n)*?      => (\\{.*})$").matcher(r.out());
        assertTrue(m.find(), node + " registered data in:\n" + r.out());
        java.util.Set<String> keys = new java.util.TreeSet<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.group(1)).fieldNames().forEachRemaining(keys::add);
        keys.remove("would_change");
        assertTrue(keys.contains("table_ids") && keys.contains("truncate_cql"), keys.toString());
        return keys;
    }

    private static String tableId(CqlSession s) {
        Row r = s.execute("SELECT id FROM system_schema.tables WHERE keyspace_name = '" + KS
                + "' AND table_name = 'accounts'").one();
        return r == null ? null : r.getUuid("id").toString().replace("-", "");
    }

    private static void waitRunning() throws Exception {
        long until = System.currentTimeMillis() + 120_000;
        while (!SandboxCluster.running() && System.currentTimeMillis() < until) {
            Thread.sleep(500);
        }
        assertTrue(SandboxCluster.running(), "sandbox running");
    }

    private static Map<String, Long> pids() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        for (SandboxNodeProcess n : new Sandbox(Cli.ROOT, "default").status()) {
            assertTrue(n.running(), n.host() + " runs");
            out.put(n.host(), n.pid().getAsLong());
        }
        return out;
    }

    /** The staging directories of this backup's tag on every node. */
    private static List<String> importDirs() throws IOException {
        try (Stream<Path> s = Files.walk(Cli.ROOT.resolve(".ringplan/sandbox/default"))) {
            return s.filter(p -> p.toString().contains("/.ringplan-import/" + TAG)).map(Path::toString).sorted().toList();
        }
    }

    /** Files left in the staging directories of this backup's tag. */
    private static List<String> stagedFiles() throws IOException {
        return importDirs().stream().filter(p -> Files.isRegularFile(Path.of(p))).toList();
    }
}
