package dev.ringplan.modules.fsclear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.ModuleRegistry;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsClearModuleTest {
    @TempDir
    Path tmp;
    Path node;
    Path data;
    Path commitlog;
    Path table;
    final FsClearModule mod = new FsClearModule();
    final CountingConnection conn = new CountingConnection("n1");
    final Map<String, Object> vars = new LinkedHashMap<>();
    Process sleeper;

    @BeforeEach
    void setUp() throws IOException {
        node = tmp.resolve("node");
        data = Files.createDirectories(node.resolve("data"));
        commitlog = Files.createDirectories(node.resolve("commitlog"));
        Files.createDirectories(node.resolve("hints"));
        Files.createDirectories(node.resolve("saved_caches"));
        table = Files.createDirectories(data.resolve("shop/orders-1234"));
        write(commitlog.resolve("CommitLog-7-1.log"), 100);
        write(commitlog.resolve("CommitLog-7-2.log"), 50);
        write(table.resolve("nb-1-big-Data.db"), 1000);
        write(table.resolve("nb-1-big-Index.db"), 10);
        write(table.resolve("snapshots/t1/nb-1-big-Data.db"), 1000);
        write(table.resolve("backups/nb-0-big-Data.db"), 7);
        write(data.resolve("system/local-1/nb-1-big-Data.db"), 20);
        write(data.resolve("system/peers_v2-2/nb-1-big-Data.db"), 30);
        vars.put("ansible_connection", "local");
        vars.put("cassandra_data_dirs", List.of(data.toString()));
        vars.put("cassandra_commitlog_dir", commitlog.toString());
        vars.put("cassandra_hints_dir", node.resolve("hints").toString());
        vars.put("cassandra_saved_caches_dir", node.resolve("saved_caches").toString());
        vars.put("cassandra_pid_file", node.resolve("cassandra.pid").toString());
        vars.put("jmx_host", "127.0.0.1");
        vars.put("jmx_port", freePort());
        vars.put("cql_host", "127.0.0.1");
        vars.put("cql_port", freePort());
    }

    @AfterEach
    void tearDown() {
        if (sleeper != null) {
            sleeper.destroyForcibly();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void write(Path p, int size) throws IOException {
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[size]);
    }

    /** Every path under the node with its size (-1 for directories): the whole observable state. */
    Map<String, Long> tree() throws IOException {
        Map<String, Long> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(tmp)) {
            for (Path p : s.toList()) {
                m.put(tmp.relativize(p).toString(), Files.isDirectory(p) ? -1L : Files.size(p));
            }
        }
        return m;
    }

    Preview check(Map<String, Object> args, boolean checkMode) throws ModuleException {
        return mod.check(Contexts.of(mod, args, vars, conn, checkMode, tmp));
    }

    Result apply(Map<String, Object> args) throws ModuleException {
        var ctx = Contexts.of(mod, args, vars, conn, false, tmp);
        Preview p = mod.check(ctx);
        return mod.apply(ctx.withPreview(p));
    }

    static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void registry_findsFsClear() {
        assertTrue(ModuleRegistry.load().find("fs_clear").isPresent());
    }

    @Test
    void apply_commitlogRoot_emptiesContentKeepsDirectory() throws Exception {
        Result r = apply(args("path", commitlog.toString()));
        assertTrue(r.changed());
        assertEquals(2L, r.data().get("removed"));
        assertEquals(150L, r.data().get("bytes"));
        assertNull(r.data().get("moved_to"));
        assertEquals(List.of(commitlog + "/CommitLog-7-1.log", commitlog + "/CommitLog-7-2.log"), r.data().get("paths"));
        assertTrue(Files.isDirectory(commitlog));
        try (Stream<Path> s = Files.list(commitlog)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void apply_twice_secondIsOk() throws Exception {
        assertTrue(apply(args("path", commitlog.toString())).changed());
        Preview p = check(args("path", commitlog.toString()), false);
        assertEquals(Preview.Change.NO, p.change());
        Result r = mod.apply(Contexts.of(mod, args("path", commitlog.toString()), vars, conn, false, tmp));
        assertFalse(r.changed());
        assertEquals(0L, r.data().get("removed"));
    }

    @Test
    void check_checkMode_listsExactlyWhatWouldGoAndChangesNothing() throws Exception {
        Map<String, Long> before = tree();
        Preview p = check(args("path", List.of(commitlog.toString(), data + "/system/*")), true);
        assertEquals(Preview.Change.YES, p.change());
        // 2 commitlog files + 2 system table dirs with one file each
        assertEquals(6L, p.data().get("removed"));
        assertEquals(200L, p.data().get("bytes"));
        @SuppressWarnings("unchecked")
        List<String> paths = (List<String>) p.data().get("paths");
        assertEquals(List.of(commitlog + "/CommitLog-7-1.log", commitlog + "/CommitLog-7-2.log",
                data + "/system/local-1", data + "/system/local-1/nb-1-big-Data.db",
                data + "/system/peers_v2-2", data + "/system/peers_v2-2/nb-1-big-Data.db"), paths);
        assertTrue(p.summary().startsWith("would remove 6 entries (200 B): "), p.summary());
        assertTrue(p.summary().contains(data + "/system/peers_v2-2"), p.summary());
        assertEquals(before, tree());
    }

    @Test
    void check_manyFiles_namesFirstTwentyOnly() throws Exception {
        for (int i = 0; i < 30; i++) {
            write(commitlog.resolve(String.format("seg-%02d.log", i)), 1);
        }
        Preview p = check(args("path", commitlog.toString()), true);
        assertEquals(32L, p.data().get("removed"));
        assertEquals(20, ((List<?>) p.data().get("paths")).size());
        assertTrue(p.summary().endsWith("and 12 more"), p.summary());
    }

    @Test
    void apply_globInSystem_removesMatchesWhole() throws Exception {
        Result r = apply(args("path", data + "/system/*"));
        assertEquals(4L, r.data().get("removed"));
        assertTrue(Files.isDirectory(data.resolve("system")));
        try (Stream<Path> s = Files.list(data.resolve("system"))) {
            assertEquals(0, s.count());
        }
        assertTrue(Files.exists(table.resolve("nb-1-big-Data.db")), "other keyspaces untouched");
    }

    @Test
    void apply_globWithPattern_removesOnlyMatches() throws Exception {
        Result r = apply(args("path", data + "/system/peers*"));
        assertEquals(2L, r.data().get("removed"));
        assertTrue(Files.exists(data.resolve("system/local-1/nb-1-big-Data.db")));
        assertFalse(Files.exists(data.resolve("system/peers_v2-2")));
    }

    @Test
    void apply_keep_keepsSnapshotsAndBackups() throws Exception {
        Result r = apply(args("path", table.toString(), "keep", List.of("snapshots", "backups")));
        assertEquals(2L, r.data().get("removed"));
        assertEquals(1010L, r.data().get("bytes"));
        assertTrue(Files.exists(table.resolve("snapshots/t1/nb-1-big-Data.db")));
        assertTrue(Files.exists(table.resolve("backups/nb-0-big-Data.db")));
        assertFalse(Files.exists(table.resolve("nb-1-big-Data.db")));
        assertEquals(List.of(table + "/backups", table + "/snapshots"), r.data().get("kept"));
    }

    @Test
    void apply_keepAtDepth_keepsInsideRemovedSiblings() throws Exception {
        Result r = apply(args("path", data + "/shop", "keep", "snapshots"));
        assertTrue(Files.exists(table.resolve("snapshots/t1/nb-1-big-Data.db")));
        assertFalse(Files.exists(table.resolve("backups")));
        assertFalse(Files.exists(table.resolve("nb-1-big-Index.db")));
        assertEquals(4L, r.data().get("removed"));  // 2 files + backups dir + its file
    }

    @Test
    void apply_moveTo_renamesWithFullPathMirroredAndSecondRunIsOk() throws Exception {
        Path aside = tmp.resolve("aside/r1");
        Result r = apply(args("path", List.of(commitlog.toString(), data + "/system/*"), "move_to", aside.toString()));
        assertTrue(r.changed());
        assertEquals(aside.toString(), r.data().get("moved_to"));
        assertEquals(6L, r.data().get("removed"));
        assertEquals(200L, r.data().get("bytes"));
        Path mirror = Path.of(aside + commitlog.toString());
        assertEquals(100, Files.size(mirror.resolve("CommitLog-7-1.log")));
        assertEquals(30, Files.size(Path.of(aside + data.toString(), "system/peers_v2-2/nb-1-big-Data.db")));
        assertFalse(Files.exists(commitlog.resolve("CommitLog-7-1.log")));
        assertTrue(Files.isDirectory(commitlog));
        Preview again = check(args("path", List.of(commitlog.toString(), data + "/system/*"), "move_to", aside.toString()), false);
        assertEquals(Preview.Change.NO, again.change());
    }

    /**
     * A rename that cannot cross to move_to's file system (EXDEV, as a data directory on another
     * disk gives) is found by the probe before any file moves: the node keeps all its files.
     */
    @Test
    void apply_moveToOnAnotherFileSystem_failsWithNothingMoved() throws Exception {
        List<String> renamed = new ArrayList<>();
        CountingConnection otherDisk = new CountingConnection("n1") {
            @Override
            public void rename(String from, String to) throws dev.ringplan.engine.connection.ConnectionException {
                if (from.startsWith(data.toString())) {
                    throw new dev.ringplan.engine.connection.ConnectionException("n1: cannot rename " + from + " to "
                            + to + ": Invalid cross-device link");
                }
                renamed.add(from);
                super.rename(from, to);
            }
        };
        Path aside = tmp.resolve("aside/r1");
        Map<String, Object> a = args("path", List.of(commitlog.toString(), data + "/system/*"), "move_to", aside.toString());
        Map<String, Long> before = tree();
        var ctx = Contexts.of(mod, a, vars, otherDisk, false, tmp);
        ModuleException e = assertThrows(ModuleException.class, () -> mod.apply(ctx.withPreview(mod.check(ctx))));
        assertTrue(e.getMessage().contains("move_to " + aside + " is not on the same file system as " + data), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was moved"), e.getMessage());
        assertEquals(List.of(commitlog + "/" + ClearStep.PROBE), renamed.stream()
                .map(f -> f.replaceAll("-[0-9a-f]+$", "")).toList(), "only the commitlog's probe moved");
        before.put("aside", -1L);
        before.put("aside/r1", -1L);
        assertEquals(before, tree(), "every file in place, no probe left");
    }

    /** The same with a real second file system, when the machine has one (/dev/shm is tmpfs on Linux). */
    @Test
    void apply_moveToOnTmpfs_refusedByTheKernelToo() throws Exception {
        Path shm = Path.of("/dev/shm");
        if (!Files.isDirectory(shm) || Files.getFileStore(shm).equals(Files.getFileStore(tmp))) {
            // one file system only: a move_to beside the data must then pass the probe
            Result r = apply(args("path", commitlog.toString(), "move_to", tmp.resolve("aside").toString()));
            assertTrue(r.changed(), r.msg());
            return;
        }
        Path aside = Files.createTempDirectory(shm, "ringplan-fsclear-");
        try {
            Map<String, Long> before = tree();
            ModuleException e = assertThrows(ModuleException.class,
                    () -> apply(args("path", commitlog.toString(), "move_to", aside.toString())));
            assertTrue(e.getMessage().contains("is not on the same file system as " + commitlog), e.getMessage());
            assertEquals(before, tree(), "nothing moved");
            try (Stream<Path> left = Files.list(aside)) {
                assertEquals(0, left.count(), "no probe left in move_to");
            }
        } finally {
            try (Stream<Path> w = Files.walk(aside)) {
                for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void check_moveToAlreadyHoldsName_failsBeforeMovingAnything() throws Exception {
        Path aside = tmp.resolve("aside");
        write(Path.of(aside + commitlog.toString(), "CommitLog-7-2.log"), 3);
        Map<String, Long> before = tree();
        ModuleException e = assertThrows(ModuleException.class,
                () -> apply(args("path", commitlog.toString(), "move_to", aside.toString())));
        assertTrue(e.getMessage().contains("already holds"), e.getMessage());
        assertEquals(before, tree());
    }

    @Test
    void apply_moveToInsideClearedDirectory_isKeptNotMovedIntoItself() throws Exception {
        Path aside = commitlog.resolve("aside/r1");
        Result r = apply(args("path", commitlog.toString(), "move_to", aside.toString()));
        assertEquals(2L, r.data().get("removed"));
        assertTrue(Files.exists(Path.of(aside + commitlog.toString(), "CommitLog-7-1.log")));
        try (Stream<Path> s = Files.list(commitlog)) {
            assertEquals(List.of("aside"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void check_moveToRelative_refused() {
        ModuleException e = assertThrows(ModuleException.class,
                () -> check(args("path", commitlog.toString(), "move_to", "aside"), true));
        assertTrue(e.getMessage().contains("relative"), e.getMessage());
    }

    @Test
    void apply_symlinkInside_removedAsLinkTargetUntouched() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("precious"));
        write(outside.resolve("keep.me"), 5);
        Files.createSymbolicLink(commitlog.resolve("link"), outside);
        Result r = apply(args("path", commitlog.toString()));
        assertEquals(3L, r.data().get("removed"));
        assertFalse(Files.exists(commitlog.resolve("link"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(outside.resolve("keep.me")));
    }

    @Test
    void apply_missingPath_isOk() throws Exception {
        Result r = mod.apply(Contexts.of(mod, args("path", data + "/nope/tbl"), vars, conn, false, tmp));
        assertFalse(r.changed());
    }

    // ---- refusals ----

    void assertRefused(Map<String, Object> a, String fragment) throws IOException {
        assertRefused(a, fragment, new boolean[] {true, false});
    }

    /** A running node is refused by apply only: check mode previews with a note. */
    void assertRefusedOnApply(Map<String, Object> a, String fragment) throws IOException {
        assertRefused(a, fragment, new boolean[] {false});
    }

    void assertRefused(Map<String, Object> a, String fragment, boolean[] modes) throws IOException {
        Map<String, Long> before = tree();
        for (boolean checkMode : modes) {
            ModuleException e = assertThrows(ModuleException.class, () -> {
                var ctx = Contexts.of(mod, a, vars, conn, checkMode, tmp);
                mod.check(ctx);
                mod.apply(ctx);
            });
            assertTrue(e.getMessage().contains(fragment), e.getMessage());
        }
        assertEquals(before, tree());
    }

    @Test
    void refuses_pathOutsideDeclaredDirectories() throws IOException {
        Path other = Files.createDirectories(tmp.resolve("other"));
        write(other.resolve("f"), 1);
        assertRefused(args("path", other.toString()), "not under a declared Cassandra directory");
        assertRefused(args("path", node.toString()), "not under a declared Cassandra directory");
        assertRefused(args("path", node + "/*"), "not under a declared Cassandra directory");
    }

    /**
     * The set-aside directory (cassandra_set_aside_dir, by default beside the commitlog directory)
     * is declared: a plan may empty a run's set-aside files there, while the node runs.
     */
    @Test
    void setAsideDir_isDeclared_andEmptiedWhileTheNodeRuns() throws Exception {
        Path tagDir = node.resolve("ringplan-set-aside/restore-nightly");
        write(tagDir.resolve("run1" + data + "/shop/orders-1234/nb-1-big-Data.db"), 1000);
        write(tagDir.resolve("run1-failed" + commitlog + "/CommitLog-7-1.log"), 100);
        write(node.resolve("ringplan-set-aside/restore-weekly/run2/f"), 5);
        sleeper = new ProcessBuilder("sleep", "300").start();
        Files.writeString(node.resolve("cassandra.pid"), sleeper.pid() + "\n", StandardCharsets.UTF_8);
        Result r = apply(args("path", tagDir.toString(), "allow_running", true));
        assertTrue(r.changed(), r.msg());
        assertEquals(1100L, r.data().get("bytes"));
        try (Stream<Path> left = Files.list(tagDir)) {
            assertEquals(0, left.count(), "emptied");
        }
        assertTrue(Files.exists(node.resolve("ringplan-set-aside/restore-weekly/run2/f")), "another tag's set-aside stays");

        vars.put("cassandra_set_aside_dir", tmp.resolve("aside").toString());
        assertRefused(args("path", node.resolve("ringplan-set-aside/restore-weekly").toString()),
                "not under a declared Cassandra directory");
    }

    @Test
    void refuses_slash() throws IOException {
        assertRefused(args("path", "/"), "root directory");
        assertRefused(args("path", "//./"), "root directory");
    }

    @Test
    void refuses_emptyAndBlankAndTemplatedToNothing() throws IOException {
        assertRefused(args("path", ""), "empty");
        assertRefused(args("path", "   "), "empty");
        assertRefused(args("path", List.of(commitlog.toString(), "")), "empty");
    }

    @Test
    void refuses_relativePath() throws IOException {
        assertRefused(args("path", "node/commitlog"), "relative");
    }

    @Test
    void refuses_dotDot() throws IOException {
        assertRefused(args("path", commitlog + "/../data"), "'..'");
        assertRefused(args("path", commitlog + "/../../other"), "'..'");
    }

    @Test
    void refuses_globBeforeLastElement() throws IOException {
        assertRefused(args("path", data + "/*/orders-1234"), "last element only");
    }

    @Test
    void refuses_symlinkEscapeBelowRoot() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
        write(outside.resolve("victim/f"), 9);
        Files.createSymbolicLink(data.resolve("ks"), outside);
        assertRefused(args("path", data + "/ks/victim"), "symbolic link");
        assertRefused(args("path", data + "/ks/*"), "symbolic link");
        assertRefused(args("path", data + "/ks"), "symbolic link");
        assertTrue(Files.exists(outside.resolve("victim/f")));
    }

    @Test
    void refuses_wholeDataDirectoryWithoutAllowRoot() throws Exception {
        assertRefused(args("path", data.toString()), "allow_root");
        assertRefused(args("path", data + "/*"), "allow_root");
        Result r = apply(args("path", data.toString(), "allow_root", true));
        assertTrue(r.changed());
        try (Stream<Path> s = Files.list(data)) {
            assertEquals(0, s.count());
        }
        assertTrue(Files.isDirectory(data));
    }

    @Test
    void apply_declaredDirectoryNestedInCleared_isKept() throws Exception {
        Path hints = Files.createDirectories(data.resolve("shop/hints"));
        write(hints.resolve("h1.hints"), 4);
        vars.put("cassandra_hints_dir", hints.toString());
        Result r = apply(args("path", data + "/shop"));
        assertTrue(Files.exists(hints.resolve("h1.hints")));
        assertFalse(Files.exists(table));
        assertTrue(((List<?>) r.data().get("kept")).contains(hints.toString()));
    }

    @Test
    void refuses_runningNodeByPid_unlessAllowRunning() throws Exception {
        sleeper = new ProcessBuilder("sleep", "300").start();
        Files.writeString(node.resolve("cassandra.pid"), sleeper.pid() + "\n", StandardCharsets.UTF_8);
        assertRefusedOnApply(args("path", commitlog.toString()), "is running (pid " + sleeper.pid());
        Result r = apply(args("path", commitlog.toString(), "allow_running", true));
        assertTrue(r.changed());
        assertEquals(true, r.data().get("node_running"));
    }

    @Test
    void check_checkModeRunningNode_previewsWithNoteInsteadOfFailing() throws Exception {
        sleeper = new ProcessBuilder("sleep", "300").start();
        Files.writeString(node.resolve("cassandra.pid"), Long.toString(sleeper.pid()), StandardCharsets.UTF_8);
        Map<String, Long> before = tree();
        Preview p = check(args("path", commitlog.toString()), true);
        assertEquals(Preview.Change.YES, p.change());
        assertTrue(p.summary().contains("apply refuses unless it is stopped"), p.summary());
        assertEquals(true, p.data().get("node_running"));
        assertEquals(before, tree());
    }

    @Test
    void apply_stalePidFile_isNotRunning() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Files.writeString(node.resolve("cassandra.pid"), Long.toString(p.pid()), StandardCharsets.UTF_8);
        assertTrue(apply(args("path", commitlog.toString())).changed());
    }

    @Test
    void refuses_runningNodeByOpenJmxPort_withoutPidFile() throws Exception {
        vars.remove("cassandra_pid_file");
        try (ServerSocket jmx = new ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            vars.put("jmx_port", jmx.getLocalPort());
            assertRefusedOnApply(args("path", commitlog.toString()), "JMX port 127.0.0.1:" + jmx.getLocalPort() + " is open");
        }
    }

    @Test
    void refuses_runningNodeByOpenCqlPort_overSshProbe() throws Exception {
        vars.put("ansible_connection", "ssh");  // the port is probed by bash on the "host" (here: this machine)
        try (ServerSocket cql = new ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            vars.put("cql_port", cql.getLocalPort());
            assertRefusedOnApply(args("path", commitlog.toString()), "CQL port 127.0.0.1:" + cql.getLocalPort() + " is open");
        }
        assertTrue(apply(args("path", commitlog.toString())).changed());
    }

    @Test
    void refuses_badKeepGlob() throws IOException {
        assertRefused(args("path", commitlog.toString(), "keep", "a/b"), "without '/'");
    }

    @Test
    void human_formatsBinaryUnits() {
        assertEquals("999 B", FsClearReport.human(999));
        assertEquals("1.5 KiB", FsClearReport.human(1536));
        assertEquals("3.0 GiB", FsClearReport.human(3L << 30));
    }

    @Test
    void doc_namesGuards() {
        String d = mod.doc().description();
        for (String s : new String[] {"allow_root", "allow_running", "symbolic link", "kill -0", "move_to", "'..'"}) {
            assertTrue(d.contains(s), s);
        }
        assertTrue(new ArrayList<>(mod.argSpec().args().keySet()).containsAll(
                List.of("path", "keep", "move_to", "allow_root", "allow_running")));
    }
}
