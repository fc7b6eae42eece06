package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.ringplan.sandbox.Sandbox;
import dev.ringplan.sandbox.SandboxNodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * plans/restore.yaml through the CLI on the shared sandbox: a backup, then writes that lose and
 * add data (truncate, deletes, inserts), then a restore brings every table back to the digest it
 * had when the backup was taken; a table-only restore leaves the other tables as they are; a
 * corrupted archive fails before any node is stopped; check mode changes nothing; a restore that
 * fails half-way (an archive damaged after it verified) puts the nodes back as they were, all of
 * them when restoring all at once, only the failed one (and the rollout stops) when rolling. The
 * sandbox nodes have two data directories each, so every round trip here is a JBOD one.
 */
@ExtendWith(SandboxCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreIT {
    private static final String TAG = "restore-it-" + Long.toHexString(System.currentTimeMillis());
    private static final List<String> TABLES = List.of("ringplan_demo.users", "ringplan_demo.events",
            "ringplan_shop.products", "ringplan_shop.orders");
    private static final Path BACKUPS = Cli.ROOT.resolve(".ringplan/backups");
    private static final Map<String, String> AT_BACKUP = new LinkedHashMap<>();

    @Test
    @Order(1)
    void backup_thenLoseData_thenRestore_givesTheBackupsDigests() throws Exception {
        Cli.Run up = Cli.run("run", "plans/backup.yaml", "-e", "tag=" + TAG);
        assertEquals(0, up.code(), up.all());
        // JBOD: the sandbox nodes have two data directories and the backup holds files of both.
        for (String host : List.of("node1", "node2")) {
            var files = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(BACKUPS.resolve(TAG).resolve(host + ".manifest.json").toFile()).get("files");
            java.util.Set<Integer> dirs = new java.util.TreeSet<>();
            files.forEach(f -> dirs.add(f.get("data_dir_index").asInt()));
            assertEquals(java.util.Set.of(0, 1), dirs, host + "'s backup holds files of both data directories");
        }
        try (CqlSession s = CqlDigest.session("default")) {
            for (String t : TABLES) {
                AT_BACKUP.put(t, CqlDigest.digest(s, t));
            }
            CqlDigest.write(s, "TRUNCATE ringplan_demo.events");
            CqlDigest.write(s, "DELETE FROM ringplan_shop.products WHERE sku IN ('SKU-00001', 'SKU-00002', 'SKU-00003')");
            for (int i = 0; i < 50; i++) {
                CqlDigest.write(s, "INSERT INTO ringplan_demo.users (user_id, name) VALUES (" + (900000 + i) + ", 'extra')");
            }
            assertNotEquals(AT_BACKUP.get("ringplan_demo.events"), CqlDigest.digest(s, "ringplan_demo.events"));
            assertNotEquals(AT_BACKUP.get("ringplan_demo.users"), CqlDigest.digest(s, "ringplan_demo.users"));
            assertNotEquals(AT_BACKUP.get("ringplan_shop.products"), CqlDigest.digest(s, "ringplan_shop.products"));
        }
        Path planReport = Files.createTempFile("restore-plan", ".json");
        Cli.Run preview = Cli.run("plan", "plans/restore.yaml", "-e", "tag=" + TAG, "-e", "repair=false",
                "--report-json", planReport.toString());
        assertEquals(0, preview.code(), preview.all());
        Path runReport = Files.createTempFile("restore-run", ".json");
        long t0 = System.nanoTime();
        Cli.Run r = Cli.run("run", "plans/restore.yaml", "-e", "tag=" + TAG, "-e", "repair=false",
                "--report-json", runReport.toString());
        System.out.printf("full restore of 2 nodes: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, r.code(), r.all());
        Map<String, String> plan = PreviewVersusRun.assertHolds("restore.yaml", planReport, runReport);
        for (String host : List.of("node1", "node2")) {
            // Never ok (it was when the live files matched the backup before set_aside would move them).
            assertTrue(List.of("changed", "unknown").contains(plan.get("extract[" + host + "]")), plan.toString());
            assertEquals("changed", plan.get("start[" + host + "]"), "stop[" + host + "] stops it first: " + plan);
        }
        try (CqlSession s = CqlDigest.session("default")) {
            for (String t : TABLES) {
                assertEquals(AT_BACKUP.get(t), CqlDigest.digest(s, t), "digest of " + t + " after the restore");
            }
        }
        List<String> live = dataFiles();
        assertTrue(live.stream().anyMatch(f -> f.contains("/data1/")) && live.stream().anyMatch(f -> f.contains("/data2/")),
                "restored SSTables are back in both data directories: " + live);
    }

    @Test
    @Order(2)
    void tableRestore_leavesOtherTablesAlone() throws Exception {
        String ordersNow;
        try (CqlSession s = CqlDigest.session("default")) {
            for (int i = 0; i < 20; i++) {
                CqlDigest.write(s, "INSERT INTO ringplan_demo.users (user_id, name) VALUES (" + (800000 + i) + ", 'later')");
                CqlDigest.write(s, "INSERT INTO ringplan_shop.orders (order_id, customer_id) VALUES (uuid(), " + i + ")");
            }
            ordersNow = CqlDigest.digest(s, "ringplan_shop.orders");
            assertNotEquals(AT_BACKUP.get("ringplan_shop.orders"), ordersNow);
        }
        Path planReport = Files.createTempFile("restore-plan", ".json");
        Cli.Run preview = Cli.run("plan", "plans/restore.yaml", "-e", "tag=" + TAG, "-e", "tables=ringplan_demo.users",
                "-e", "rolling=true", "--report-json", planReport.toString());
        assertEquals(0, preview.code(), preview.all());
        Path runReport = Files.createTempFile("restore-run", ".json");
        Cli.Run r = Cli.run("run", "plans/restore.yaml", "-e", "tag=" + TAG, "-e", "tables=ringplan_demo.users",
                "-e", "rolling=true", "--report-json", runReport.toString());
        assertEquals(0, r.code(), r.all());
        PreviewVersusRun.assertHolds("restore.yaml (rolling, one table)", planReport, runReport);
        assertTrue(r.out().contains("repair[node1]"), r.all());
        try (CqlSession s = CqlDigest.session("default")) {
            assertEquals(AT_BACKUP.get("ringplan_demo.users"), CqlDigest.digest(s, "ringplan_demo.users"));
            assertEquals(ordersNow, CqlDigest.digest(s, "ringplan_shop.orders"), "orders untouched by a users restore");
        }
    }

    @Test
    @Order(3)
    void checkMode_showsWhatWouldHappen_andChangesNothing() throws Exception {
        Map<String, Long> pids = pids();
        List<String> before = dataFiles();
        Cli.Run r = Cli.run("plan", "plans/restore.yaml", "-e", "tag=" + TAG);
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("would move to"), r.all());
        assertTrue(r.out().contains("verified: "), r.all());
        assertTrue(r.out().contains("would restore"), r.all());
        assertTrue(r.out().contains("would stop the node"), r.all());
        assertEquals(pids, pids(), "no node was stopped");
        assertEquals(before, dataFiles(), "no data file moved");

        // A mistyped tag fails the dry run at verify, as the run would: the backup must exist.
        Cli.Run typo = Cli.run("plan", "plans/restore.yaml", "-e", "tag=" + TAG + "-typo");
        assertEquals(ExitCodes.TASK_FAILED, typo.code(), typo.all());
        assertTrue(typo.out().contains("failed   verify[node1]"), typo.all());
        assertTrue(typo.out().contains(TAG + "-typo/node1.manifest.json not found"), typo.all());
        assertTrue(typo.out().contains("skipped  stop[node1]"), typo.all());
    }

    @Test
    @Order(4)
    void corruptedArchive_failsBeforeStoppingAnything() throws Exception {
        String bad = TAG + "-corrupt";
        Path src = BACKUPS.resolve(TAG);
        Path dst = Files.createDirectories(BACKUPS.resolve(bad));
        try (Stream<Path> files = Files.list(src)) {
            for (Path f : files.toList()) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        Path archive = dst.resolve("node2.tar.zst");
        byte[] bytes = Files.readAllBytes(archive);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(archive, bytes);
        Map<String, Long> pids = pids();
        Cli.Run r = Cli.run("run", "plans/restore.yaml", "-e", "tag=" + bad);
        assertEquals(ExitCodes.TASK_FAILED, r.code(), r.all());
        assertTrue(r.out().contains("failed   verify[node2]"), r.all());
        assertTrue(r.out().contains("node2.tar.zst"), "the message names the file: " + r.all());
        assertTrue(r.out().contains("skipped  stop[node2]"), r.all());
        assertTrue(r.out().contains("skipped  stop[node1]"), "node1 is not stopped either: " + r.all());
        assertEquals(pids, pids(), "no node was stopped");
        ValidateCliTest.assertNoStackTrace(r);

        Cli.Run typo = Cli.run("run", "plans/restore.yaml", "-e", "tag=" + TAG, "-e", "tables=ringplan_demo.userz");
        assertEquals(ExitCodes.TASK_FAILED, typo.code(), typo.all());
        assertTrue(typo.out().contains("the archive holds no table ringplan_demo.userz"), typo.all());
        assertTrue(typo.out().contains("skipped  stop[node1]"), typo.all());
        assertEquals(pids, pids(), "a table the backup lacks stops no node");
    }

    @Test
    @Order(5)
    void differentialBackup_storesOnlyNewSSTables_andRestoresFully() throws Exception {
        String d1 = TAG + "-d1";
        String d2 = TAG + "-d2";
        String ks = "keyspaces=ringplan_demo,ringplan_shop";
        // One SSTable per table first (as after a major compaction), so the 1% of new rows below
        // stays one small new SSTable per table instead of triggering a size-tiered compaction.
        for (int node = 1; node <= 2; node++) {
            SandboxNodetool.run("default", node, "compact", "ringplan_demo");
            SandboxNodetool.run("default", node, "compact", "ringplan_shop");
        }
        Cli.Run first = Cli.run("run", "plans/backup.yaml", "-e", "tag=" + d1, "-e", "mode=differential", "-e", ks);
        assertEquals(0, first.code(), first.all());
        try (CqlSession s = CqlDigest.session("default")) {
            // 1% more rows in every table.
            for (int i = 0; i < 20; i++) {
                CqlDigest.write(s, "INSERT INTO ringplan_demo.users (user_id, name) VALUES (" + (700000 + i) + ", 'one percent')");
            }
            for (int i = 0; i < 50; i++) {
                CqlDigest.write(s, "INSERT INTO ringplan_demo.events (user_id, seq, kind) VALUES (" + (700000 + i) + ", 1, 'x')");
            }
            for (int i = 0; i < 30; i++) {
                CqlDigest.write(s, "INSERT INTO ringplan_shop.orders (order_id, customer_id) VALUES (uuid(), " + i + ")");
            }
            CqlDigest.write(s, "INSERT INTO ringplan_shop.products (sku, title) VALUES ('SKU-99999', 'new')");
        }
        Map<String, String> atD2 = new LinkedHashMap<>();
        Cli.Run second = Cli.run("run", "plans/backup.yaml", "-e", "tag=" + d2, "-e", "mode=differential", "-e", ks);
        assertEquals(0, second.code(), second.all());
        try (CqlSession s = CqlDigest.session("default")) {
            for (String t : TABLES) {
                atD2.put(t, CqlDigest.digest(s, t));
            }
        }
        long firstUploaded = 0;
        long firstTotal = 0;
        long secondUploaded = 0;
        long secondTotal = 0;
        for (String host : List.of("node1", "node2")) {
            var m1 = new com.fasterxml.jackson.databind.ObjectMapper().readTree(BACKUPS.resolve(d1).resolve(host + ".manifest.json").toFile());
            var m2 = new com.fasterxml.jackson.databind.ObjectMapper().readTree(BACKUPS.resolve(d2).resolve(host + ".manifest.json").toFile());
            firstUploaded += m1.get("stored_bytes").get("uploaded_bytes").asLong();
            firstTotal += m1.get("totals").get("bytes").asLong();
            secondUploaded += m2.get("stored_bytes").get("uploaded_bytes").asLong();
            secondTotal += m2.get("totals").get("bytes").asLong();
        }
        System.out.printf("differential: first backup %d bytes (%d newly stored), second (1%% more rows) stored"
                + " %d bytes of %d referenced = %.1f%% of the first%n", firstTotal, firstUploaded, secondUploaded,
                secondTotal, 100.0 * secondUploaded / firstTotal);
        assertTrue(secondUploaded < firstTotal / 10, "second differential backup stores < 10% of the first: "
                + secondUploaded + " vs " + firstTotal);

        try (CqlSession s = CqlDigest.session("default")) {
            CqlDigest.write(s, "TRUNCATE ringplan_demo.users");
            CqlDigest.write(s, "TRUNCATE ringplan_shop.orders");
        }
        Cli.Run r = Cli.run("run", "plans/restore.yaml", "-e", "tag=" + d2, "-e", "keyspaces=ringplan_demo,ringplan_shop",
                "-e", "repair=false");
        assertEquals(0, r.code(), r.all());
        try (CqlSession s = CqlDigest.session("default")) {
            for (String t : TABLES) {
                assertEquals(atD2.get(t), CqlDigest.digest(s, t), t + " restored from the differential backup");
            }
        }
    }

    @Test
    @Order(6)
    void killedRestore_rerunConverges_andSetAsideFilesStayUntilSuccess() throws Exception {
        Map<String, String> now = new LinkedHashMap<>();
        try (CqlSession s = CqlDigest.session("default")) {
            for (String t : TABLES) {
                now.put(t, CqlDigest.digest(s, t));
            }
        }
        String tag = TAG + "-kill";
        Cli.Run backup = Cli.run("run", "plans/backup.yaml", "-e", "tag=" + tag);
        assertEquals(0, backup.code(), backup.all());
        Path out = Files.createTempFile("restore-kill", ".txt");
        Process p = Cli.start(out, "run", "plans/restore.yaml", "-e", "tag=" + tag, "-e", "repair=false");
        long deadline = System.currentTimeMillis() + 300_000;
        while (!Files.readString(out).contains("changed  set_aside[node1]") && p.isAlive()
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(p.isAlive(), "the restore was still running when the data was set aside: " + Files.readString(out));
        p.destroyForcibly();  // SIGKILL: no shutdown hook, no clean-up
        p.waitFor();
        Path setAside = Cli.ROOT.resolve(".ringplan/sandbox/default/node1/ringplan-set-aside");
        List<String> keptByKilledRun = setAsideDataFiles(setAside, tag);
        assertFalse(keptByKilledRun.isEmpty(), "the node's data was set aside, not deleted");

        Cli.Run again = Cli.run("run", "plans/restore.yaml", "-e", "tag=" + tag, "-e", "repair=false");
        assertEquals(0, again.code(), again.all());
        try (CqlSession s = CqlDigest.session("default")) {
            for (String t : TABLES) {
                assertEquals(now.get(t), CqlDigest.digest(s, t), t + " after the killed and re-run restore");
            }
        }
        assertTrue(again.out().contains("changed  discard_set_aside[node1]"), again.out());
        assertEquals(List.of(), setAsideDataFiles(setAside, tag),
                "once the restore succeeded, what the killed run and the re-run set aside is removed");
    }

    @Test
    @Order(7)
    void failedRestore_putsEveryNodeBackAsItWas() throws Exception {
        String tag = TAG + "-rollback";
        Map<String, String> before = backupThenWrite(tag, 30, 600000);
        Map<String, Long> pidsBefore = pids();
        // Every archive verifies, then node1's is damaged on the storage while the nodes stop
        // (bit rot, a concurrent upload): node1's extract finds it in staging and fails; node2
        // extracted fine but waits at the barrier. Both must end as they were before the run.
        Cli.Run r = restoreWithNode1ArchiveDamagedOnceStarted(tag, "stop[node1]");
        String log = r.out();
        assertEquals(ExitCodes.TASK_FAILED, r.code(), log);
        assertTrue(log.contains("failed   extract[node1]"), log);
        assertTrue(log.contains("changed  extract[node2]"), log);
        assertTrue(log.contains("changed  rollback_put_back[node1]"), log);
        assertTrue(log.contains("changed  rollback_put_back[node2]"), "node2 was restored, then put back: " + log);
        assertTrue(log.contains("changed  rollback_start[node1]") && log.contains("changed  rollback_start[node2]"), log);
        assertTrue(log.contains("skipped  cluster_up[node1]"), log);
        assertRecap(log, "node1", "failed=1", "rescued=1");
        assertRecap(log, "node2", "failed=0", "rescued=1");
        assertTrue(log.contains("skipped  discard_set_aside[node2]"), log);
        assertFalse(setAsideDataFiles(Cli.ROOT.resolve(".ringplan/sandbox/default/node2/ringplan-set-aside"), tag)
                .isEmpty(), "a failed run removes nothing: what the rollback took out of node2 stays");
        Map<String, Long> pidsAfter = pidsOnceRunning();
        for (String host : pidsBefore.keySet()) {
            assertNotEquals(pidsBefore.get(host), pidsAfter.get(host), host + " was stopped and started again");
        }
        assertDigests(before, "is as it was before the failed restore");
        ValidateCliTest.assertNoStackTrace(r);
    }

    @Test
    @Order(8)
    void failedRollingRestore_putsTheFailedNodeBack_andLeavesTheNextOneAlone() throws Exception {
        String tag = TAG + "-rolling-rollback";
        Map<String, String> before = backupThenWrite(tag, 10, 500000);
        Map<String, Long> pidsBefore = pids();
        Cli.Run r = restoreWithNode1ArchiveDamagedOnceStarted(tag, "rolling_stop[node1]", "-e", "rolling=true");
        String log = r.out();
        assertEquals(ExitCodes.TASK_FAILED, r.code(), log);
        assertTrue(log.contains("failed   rolling_extract[node1]"), log);
        assertTrue(log.contains("changed  rolling_rollback_put_back[node1]"), log);
        assertTrue(log.contains("changed  rolling_rollback_start[node1]"), log);
        assertTrue(log.contains("skipped  rolling_stop[node2]"), "the rollout stops at the failed node: " + log);
        assertRecap(log, "node1", "failed=1", "rescued=1");
        assertRecap(log, "node2", "failed=0", "rescued=0");
        Map<String, Long> pidsAfter = pidsOnceRunning();
        assertNotEquals(pidsBefore.get("node1"), pidsAfter.get("node1"), "node1 was stopped and started again");
        assertEquals(pidsBefore.get("node2"), pidsAfter.get("node2"), "node2 was never stopped");
        assertDigests(before, "is as it was before the failed restore");
    }

    /**
     * Set-aside on another file system than the data (here /dev/shm, a tmpfs, through
     * {@code -e cassandra_set_aside_dir=}): a rename cannot get there, so set_aside fails on its
     * probe before any file moves, and the rescue starts both nodes again on their own data. On
     * a machine where /dev/shm shares the data's file system the restore simply succeeds there.
     */
    @Test
    @Order(9)
    void setAsideOnAnotherFileSystem_failsBeforeAnyFileMoves_andTheNodesStartAgain() throws Exception {
        String tag = TAG + "-other-fs";
        Map<String, String> before = backupThenWrite(tag, 5, 700000);
        Path aside = Files.createTempDirectory(Path.of("/dev/shm"), "ringplan-restore-it-");
        try {
            boolean otherFs = !Files.getFileStore(aside).equals(Files.getFileStore(Cli.ROOT.resolve(".ringplan")));
            Map<String, Long> pidsBefore = pids();
            Cli.Run r = Cli.run("run", "plans/restore.yaml", "-e", "tag=" + tag, "-e", "repair=false",
                    "-e", "cassandra_set_aside_dir=" + aside);
            String log = r.out();
            System.out.println("set-aside on " + aside + (otherFs ? " (another file system): " : " (same file system): ")
                    + log.lines().filter(l -> l.contains(" set_aside[node1]") && !l.contains("start ")).findFirst()
                    .orElse("").strip());
            if (!otherFs) {
                assertEquals(0, r.code(), r.all());
                return;
            }
            assertEquals(ExitCodes.TASK_FAILED, r.code(), r.all());
            for (String host : pidsBefore.keySet()) {
                assertTrue(log.contains("failed   set_aside[" + host + "]"), log);
                assertTrue(log.contains("changed  rollback_start[" + host + "]"), log);
                assertRecap(log, host, "rescued=1");
            }
            assertTrue(log.contains("is not on the same file system as"), log);
            assertTrue(log.contains("nothing was moved"), log);
            try (Stream<Path> files = Files.walk(aside)) {
                assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "no file reached " + aside);
            }
            Map<String, Long> pidsAfter = pidsOnceRunning();
            for (String host : pidsBefore.keySet()) {
                assertNotEquals(pidsBefore.get(host), pidsAfter.get(host), host + " was stopped and started again");
            }
            assertDigests(before, "is as it was: nothing moved");
            ValidateCliTest.assertNoStackTrace(r);
        } finally {
            try (Stream<Path> w = Files.walk(aside)) {
                for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The RECAP line of {@code host} in {@code log} holds each of {@code counts} ({@code name=n}). */
    private static void assertRecap(String log, String host, String... counts) {
        String line = log.lines().dropWhile(l -> !l.startsWith("RECAP "))
                .filter(l -> l.strip().startsWith(host + " ")).findFirst().orElse("");
        for (String c : counts) {
            assertTrue((" " + line + " ").contains(" " + c + " "), host + " recap has " + c + ": " + line + "\n" + log);
        }
    }

    /** Backs up with {@code tag}, then inserts {@code rows} users from id {@code firstId}: the digests after. */
    private static Map<String, String> backupThenWrite(String tag, int rows, int firstId) throws Exception {
        Cli.Run backup = Cli.run("run", "plans/backup.yaml", "-e", "tag=" + tag);
        assertEquals(0, backup.code(), backup.all());
        Map<String, String> digests = new LinkedHashMap<>();
        try (CqlSession s = CqlDigest.session("default")) {
            for (int i = 0; i < rows; i++) {
                CqlDigest.write(s, "INSERT INTO ringplan_demo.users (user_id, name) VALUES (" + (firstId + i) + ", 'after the backup')");
            }
            for (String t : TABLES) {
                digests.put(t, CqlDigest.digest(s, t));
            }
        }
        return digests;
    }

    /**
     * Runs restore.yaml (repair off) as its own process and damages node1's archive as soon as
     * {@code node} starts (after every archive verified, before any extract); the run's exit
     * code and output once it ends.
     */
    private static Cli.Run restoreWithNode1ArchiveDamagedOnceStarted(String tag, String node, String... extra)
            throws Exception {
        Path out = Files.createTempFile("restore-damaged", ".txt");
        List<String> args = new java.util.ArrayList<>(List.of("run", "plans/restore.yaml", "-e", "tag=" + tag,
                "-e", "repair=false"));
        args.addAll(List.of(extra));
        Process p = Cli.start(out, args.toArray(String[]::new));
        long deadline = System.currentTimeMillis() + 300_000;
        while (!Files.readString(out).contains("start    " + node) && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), Files.readString(out));
        Path archive = BACKUPS.resolve(tag).resolve("node1.tar.zst");
        byte[] bytes = Files.readAllBytes(archive);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(archive, bytes);
        assertTrue(p.waitFor(600, java.util.concurrent.TimeUnit.SECONDS), Files.readString(out));
        return new Cli.Run(p.exitValue(), Files.readString(out), "");
    }

    /** The node PIDs once every node runs with CQL open again (up to 2 minutes). */
    private static Map<String, Long> pidsOnceRunning() throws Exception {
        long until = System.currentTimeMillis() + 120_000;
        while (!SandboxCluster.running() && System.currentTimeMillis() < until) {
            Thread.sleep(500);
        }
        return pids();
    }

    private static void assertDigests(Map<String, String> expected, String what) throws Exception {
        try (CqlSession s = CqlDigest.session("default")) {
            for (String t : TABLES) {
                assertEquals(expected.get(t), CqlDigest.digest(s, t), t + " " + what);
            }
        }
    }

    private static List<String> setAsideDataFiles(Path setAside, String tag) throws IOException {
        try (Stream<Path> s = Files.walk(setAside)) {
            return s.map(Path::toString).filter(f -> f.contains("/restore-" + tag + "/") && f.endsWith("-Data.db"))
                    .sorted().toList();
        }
    }

    private static Map<String, Long> pids() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        for (SandboxNodeProcess n : new Sandbox(Cli.ROOT, "default").status()) {
            assertTrue(n.running(), n.host() + " runs");
            out.put(n.host(), n.pid().getAsLong());
        }
        return out;
    }

    private static List<String> dataFiles() throws IOException {
        try (Stream<Path> s = Files.walk(Cli.ROOT.resolve(".ringplan/sandbox/default"))) {
            return s.filter(p -> p.toString().matches(".*/data[0-9]+/ringplan_.*") && p.toString().endsWith("-Data.db")
                    && !p.toString().contains("/snapshots/")).map(Path::toString).sorted().toList();
        }
    }
}
