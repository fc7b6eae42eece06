package dev.ringplan.modules.fsclear;

import static dev.ringplan.modules.fsclear.FsClearModuleTest.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fs_clear with restore_from: putting back what an earlier move_to set aside. */
class FsClearRestoreFromTest {
    @TempDir
    Path tmp;
    Path node;
    Path data;
    Path commitlog;
    Path table;
    Path aside;
    Path failed;
    List<String> paths;
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
        aside = tmp.resolve("aside/r1");
        failed = tmp.resolve("aside/failed-r1");
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
        // commitlog emptied, system tables removed whole, shop's table dirs emptied but kept
        paths = List.of(commitlog.toString(), data + "/system/*", data + "/shop/*/");
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

    /** A file of {@code size} bytes whose content depends on its name (so contents are compared too). */
    static void write(Path p, int size) throws IOException {
        Files.createDirectories(p.getParent());
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (p.getFileName().toString().hashCode() + i);
        }
        Files.write(p, b);
    }

    /** Every path below {@code root} with its content (base64; "dir" for directories). */
    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        if (!Files.exists(root)) {
            return m;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                m.put(root.relativize(p).toString(), Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir"
                        : Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
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

    Map<String, Object> setAsideArgs() {
        return args("path", paths, "keep", List.of("snapshots", "backups"), "move_to", aside.toString());
    }

    Map<String, Object> putBackArgs() {
        return args("path", paths, "keep", List.of("snapshots", "backups"), "restore_from", aside.toString(),
                "move_to", failed.toString());
    }

    /** The content a failed restore left in the live directories. */
    void failedRestore() throws IOException {
        write(commitlog.resolve("CommitLog-9-1.log"), 33);
        write(data.resolve("system/local-1/nb-9-big-Data.db"), 44);
        write(table.resolve("nb-9-big-Data.db"), 55);
    }

    Path mirror(Path dir, Path live) {
        return Path.of(dir + live.toString());
    }

    @Test
    void putBack_restoresExactTree_currentContentGoesToMoveTo_keptDirsMerged() throws Exception {
        Map<String, String> original = tree(node);
        assertTrue(apply(setAsideArgs()).changed());
        failedRestore();

        Result r = apply(putBackArgs());
        assertTrue(r.changed(), r.msg());
        assertEquals(original, tree(node), "live tree as before the set-aside: names, sizes, contents");
        // 2 commitlog files, 2 system table dirs with a file each, 2 table files
        assertEquals(8L, r.data().get("put_back"));
        assertEquals(1210L, r.data().get("put_back_bytes"));
        assertEquals(aside.toString(), r.data().get("restore_from"));
        assertEquals(false, r.data().get("resumed"));
        assertTrue(((List<?>) r.data().get("put_back_paths")).contains(table + "/nb-1-big-Data.db"));
        // what the failed restore left: 1 commitlog file, system/local-1 (dir + file), 1 table file
        assertEquals(4L, r.data().get("removed"));
        assertEquals(failed.toString(), r.data().get("moved_to"));
        Map<String, String> f = tree(failed);
        assertTrue(f.containsKey(commitlog.toString().substring(1) + "/CommitLog-9-1.log"), f.toString());
        assertTrue(f.containsKey(data.toString().substring(1) + "/system/local-1/nb-9-big-Data.db"), f.toString());
        assertTrue(f.containsKey(table.toString().substring(1) + "/nb-9-big-Data.db"), f.toString());
        assertEquals(3, f.values().stream().filter(v -> !v.equals("dir")).count(), f.toString());
        assertFalse(Files.exists(aside), "restore_from emptied and removed");
        assertTrue(Files.isDirectory(failed));
        assertTrue(r.msg().contains("put back 8 entries"), r.msg());
    }

    @Test
    void putBack_withoutMoveTo_deletesCurrentContent() throws Exception {
        Map<String, String> original = tree(node);
        apply(setAsideArgs());
        failedRestore();
        Result r = apply(args("path", paths, "keep", List.of("snapshots", "backups"), "restore_from", aside.toString()));
        assertTrue(r.changed());
        assertEquals(original, tree(node));
        assertEquals(4L, r.data().get("removed"));
        assertFalse(Files.exists(failed));
    }

    @Test
    void putBack_secondRun_isOkAndClearsNothing() throws Exception {
        Map<String, String> original = tree(node);
        apply(setAsideArgs());
        apply(putBackArgs());
        Map<String, String> failedBefore = tree(failed);

        Preview p = check(putBackArgs(), false);
        assertEquals(Preview.Change.NO, p.change());
        assertTrue(p.summary().startsWith("nothing set aside in " + aside + " for "), p.summary());
        Result r = mod.apply(Contexts.of(mod, putBackArgs(), vars, conn, false, tmp).withPreview(p));
        assertFalse(r.changed());
        assertEquals(0L, r.data().get("removed"));
        assertEquals(0L, r.data().get("put_back"));
        assertEquals(original, tree(node), "the data put back is not cleared again");
        assertEquals(failedBefore, tree(failed));
    }

    @Test
    void putBack_keptOnlyContent_nothingSetAsideForPath_clearsNothing() throws Exception {
        Files.createDirectories(aside.resolve("unrelated"));
        Map<String, String> before = tree(tmp);
        Result r = apply(putBackArgs());
        assertFalse(r.changed());
        assertEquals(before, tree(tmp));
    }

    @Test
    void putBack_interrupted_markerPresentHalfBack_converges() throws Exception {
        Map<String, String> original = tree(node);
        apply(setAsideArgs());
        // Simulate an interrupted put-back: the clearing step ran (live content is the kept dirs only),
        // the marker was written, some entries went back by rename, one was copied back but its set-aside
        // copy not removed yet (an interrupted cross-device mv).
        Path asideLog = mirror(aside, commitlog);
        Files.move(asideLog.resolve("CommitLog-7-1.log"), commitlog.resolve("CommitLog-7-1.log"));
        Path asideSystem = mirror(aside, data.resolve("system"));
        Files.move(asideSystem.resolve("local-1"), data.resolve("system/local-1"));
        Files.copy(mirror(aside, table).resolve("nb-1-big-Data.db"), table.resolve("nb-1-big-Data.db"));
        Files.writeString(aside.resolve(PutBackStep.MARKER), String.join("\n", paths) + "\n", StandardCharsets.UTF_8);

        Preview p = check(putBackArgs(), true);
        assertEquals(Preview.Change.YES, p.change());
        assertTrue(p.summary().startsWith("resuming an interrupted put-back"), p.summary());
        assertEquals(0L, p.data().get("removed"));

        Result r = apply(putBackArgs());
        assertTrue(r.changed());
        assertEquals(true, r.data().get("resumed"));
        assertEquals(0L, r.data().get("removed"), "the clearing step is skipped");
        // left: CommitLog-7-2.log, peers_v2-2 (dir + file), nb-1-big-Index.db
        assertEquals(4L, r.data().get("put_back"));
        assertEquals(1L, r.data().get("already_back"));
        assertEquals(original, tree(node));
        assertFalse(Files.exists(aside));
        assertFalse(Files.exists(failed), "nothing was moved to move_to");
        assertFalse(apply(putBackArgs()).changed());
    }

    @Test
    void putBack_interrupted_nothingLeft_finishesTidyUp() throws Exception {
        Map<String, String> original = tree(node);
        apply(setAsideArgs());
        Files.createDirectories(aside.resolve("x"));
        Path leftover = Files.createDirectories(mirror(aside, commitlog));
        Files.writeString(aside.resolve(PutBackStep.MARKER), String.join("\n", paths), StandardCharsets.UTF_8);
        // everything was put back already except the empty directories
        try (Stream<Path> s = Files.list(leftover)) {
            for (Path f : s.toList()) {
                Files.move(f, commitlog.resolve(f.getFileName()));
            }
        }
        for (Path t : List.of(data.resolve("system"), table)) {
            try (Stream<Path> s = Files.list(mirror(aside, t))) {
                for (Path f : s.toList()) {
                    Files.move(f, t.resolve(f.getFileName()));
                }
            }
        }
        Map<String, String> live = tree(node);
        Result r = apply(putBackArgs());
        assertTrue(r.changed());
        assertTrue(r.msg().startsWith("finished an interrupted put-back"), r.msg());
        assertEquals(live, tree(node));
        assertEquals(Map.of("", "dir", "x", "dir"), tree(aside), "only unrelated content stays");
        assertEquals(original, live);
    }

    @Test
    void putBack_interrupted_differentSize_isConflict() throws Exception {
        apply(setAsideArgs());
        write(commitlog.resolve("CommitLog-7-1.log"), 99);  // not the set-aside file (100 B)
        Files.writeString(aside.resolve(PutBackStep.MARKER), String.join("\n", paths), StandardCharsets.UTF_8);
        Map<String, String> before = tree(tmp);
        ModuleException e = assertThrows(ModuleException.class, () -> apply(putBackArgs()));
        assertTrue(e.getMessage().contains(commitlog + "/CommitLog-7-1.log (set aside: file of 100 B, live: file of 99 B)"),
                e.getMessage());
        assertEquals(before, tree(tmp));
    }

    @Test
    void putBack_markerOfOtherPaths_refused() throws Exception {
        apply(setAsideArgs());
        Files.writeString(aside.resolve(PutBackStep.MARKER), commitlog + "\n", StandardCharsets.UTF_8);
        Map<String, String> before = tree(tmp);
        ModuleException e = assertThrows(ModuleException.class, () -> check(putBackArgs(), true));
        assertTrue(e.getMessage().contains("interrupted put-back of other paths"), e.getMessage());
        assertThrows(ModuleException.class, () -> apply(putBackArgs()));
        assertEquals(before, tree(tmp));
    }

    @Test
    void putBack_conflictWithKeptEntry_detectedBeforeAnyChange() throws Exception {
        apply(setAsideArgs());
        failedRestore();
        // set aside: a snapshot file that the live tree keeps (keep: [snapshots]) -> cannot go back
        write(mirror(aside, table).resolve("snapshots/t1/nb-1-big-Data.db"), 12);
        write(mirror(aside, table).resolve("backups"), 3);  // a file where a kept directory is
        Map<String, String> before = tree(tmp);
        for (boolean checkMode : new boolean[] {true, false}) {
            ModuleException e = assertThrows(ModuleException.class, () -> {
                var ctx = Contexts.of(mod, putBackArgs(), vars, conn, checkMode, tmp);
                mod.apply(ctx.withPreview(mod.check(ctx)));
            });
            assertTrue(e.getMessage().contains("cannot put back without overwriting 2 live entries"), e.getMessage());
            assertTrue(e.getMessage().contains(table + "/snapshots/t1/nb-1-big-Data.db (set aside: file of 12 B, live: "
                    + "file of 1000 B)"), e.getMessage());
            assertTrue(e.getMessage().contains(table + "/backups (set aside: file of 3 B, live: directory)"),
                    e.getMessage());
            assertEquals(before, tree(tmp), "nothing cleared, nothing put back");
        }
    }

    @Test
    void putBack_runningNode_refusedOnApply_previewedInCheck() throws Exception {
        apply(setAsideArgs());
        failedRestore();
        sleeper = new ProcessBuilder("sleep", "300").start();
        Files.writeString(node.resolve("cassandra.pid"), sleeper.pid() + "\n", StandardCharsets.UTF_8);
        Map<String, String> before = tree(tmp);
        ModuleException e = assertThrows(ModuleException.class, () -> apply(putBackArgs()));
        assertTrue(e.getMessage().contains("is running (pid " + sleeper.pid()), e.getMessage());
        assertEquals(before, tree(tmp));
        Preview p = check(putBackArgs(), true);
        assertTrue(p.summary().contains("apply refuses unless it is stopped"), p.summary());
        assertEquals(before, tree(tmp));
    }

    @Test
    void putBack_checkMode_changesNothingAndListsBothSides() throws Exception {
        apply(setAsideArgs());
        failedRestore();
        Map<String, String> before = tree(tmp);
        Preview p = check(putBackArgs(), true);
        assertEquals(before, tree(tmp), "check mode changes nothing");
        assertEquals(Preview.Change.YES, p.change());
        assertEquals(4L, p.data().get("removed"));
        assertEquals(132L, p.data().get("bytes"));
        assertEquals(List.of(commitlog + "/CommitLog-9-1.log", data + "/system/local-1",
                data + "/system/local-1/nb-9-big-Data.db", table + "/nb-9-big-Data.db"), p.data().get("paths"));
        assertEquals(8L, p.data().get("put_back"));
        assertEquals(1210L, p.data().get("put_back_bytes"));
        assertEquals(List.of(commitlog + "/CommitLog-7-1.log", commitlog + "/CommitLog-7-2.log",
                data + "/system/local-1", data + "/system/local-1/nb-1-big-Data.db",
                data + "/system/peers_v2-2", data + "/system/peers_v2-2/nb-1-big-Data.db",
                table + "/nb-1-big-Data.db", table + "/nb-1-big-Index.db"), p.data().get("put_back_paths"));
        assertEquals(aside.toString(), p.data().get("restore_from"));
        assertTrue(p.summary().startsWith("would move to " + failed + " 4 entries (132 B): "), p.summary());
        assertTrue(p.summary().contains("; then would put back from " + aside + " 8 entries (1.2 KiB): "
                + commitlog + "/CommitLog-7-1.log"), p.summary());
    }

    @Test
    void putBack_checkMode_nothingSetAside_isNoChange() throws Exception {
        Map<String, String> before = tree(tmp);
        Preview p = check(putBackArgs(), true);
        assertEquals(Preview.Change.NO, p.change());
        assertEquals("nothing set aside in " + aside + " for " + String.join(", ", paths) + "; nothing cleared",
                p.summary());
        assertEquals(0L, p.data().get("removed"), "the live content is not going to be cleared");
        assertEquals(before, tree(tmp));
    }

    @Test
    void putBack_literalFileAndMissingLiveTableDir_renamedWhole() throws Exception {
        Map<String, String> original = tree(node);
        Result set = apply(args("path", List.of(data + "/shop", commitlog + "/CommitLog-7-2.log"),
                "move_to", aside.toString()));
        assertTrue(set.changed());
        assertFalse(Files.exists(table));
        Result r = apply(args("path", List.of(data + "/shop", commitlog + "/CommitLog-7-2.log"),
                "restore_from", aside.toString()));
        assertEquals(original, tree(node));
        // orders-1234 goes back with one rename: it, its 3 sub-directories and 4 files count as entries
        assertEquals(8L + 1L, r.data().get("put_back"));
        assertFalse(Files.exists(aside));
    }

    @Test
    void putBack_restoreFromInsideClearedDirectory_isKept() throws Exception {
        Path inside = commitlog.resolve("aside");
        apply(args("path", commitlog.toString(), "move_to", inside.toString()));
        write(commitlog.resolve("CommitLog-9-1.log"), 33);
        Result r = apply(args("path", commitlog.toString(), "restore_from", inside.toString()));
        assertEquals(1L, r.data().get("removed"));
        assertEquals(2L, r.data().get("put_back"));
        try (Stream<Path> s = Files.list(commitlog)) {
            assertEquals(List.of("CommitLog-7-1.log", "CommitLog-7-2.log"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    // ---- refusals ----

    @Test
    void refuses_pathOutsideDeclaredDirectories() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("other"));
        write(other.resolve("f"), 1);
        write(mirror(aside, other).resolve("f"), 2);
        Map<String, String> before = tree(tmp);
        for (boolean checkMode : new boolean[] {true, false}) {
            ModuleException e = assertThrows(ModuleException.class, () -> {
                var ctx = Contexts.of(mod, args("path", other.toString(), "restore_from", aside.toString()), vars, conn,
                        checkMode, tmp);
                mod.apply(ctx.withPreview(mod.check(ctx)));
            });
            assertTrue(e.getMessage().contains("not under a declared Cassandra directory"), e.getMessage());
        }
        assertEquals(before, tree(tmp));
    }

    @Test
    void refuses_moveToEqualOrNestedWithRestoreFrom() throws Exception {
        apply(setAsideArgs());
        Map<String, String> before = tree(tmp);
        ModuleException e = assertThrows(ModuleException.class, () -> check(args("path", paths,
                "restore_from", aside.toString(), "move_to", aside + "/"), true));
        assertTrue(e.getMessage().startsWith("move_to and restore_from are the same directory " + aside), e.getMessage());
        e = assertThrows(ModuleException.class, () -> apply(args("path", paths,
                "restore_from", aside.toString(), "move_to", aside + "/failed")));
        assertTrue(e.getMessage().contains("lie one inside the other"), e.getMessage());
        assertEquals(before, tree(tmp));
    }

    @Test
    void refuses_restoreFromRelative() {
        ModuleException e = assertThrows(ModuleException.class,
                () -> check(args("path", commitlog.toString(), "restore_from", "aside"), true));
        assertTrue(e.getMessage().contains("restore_from 'aside' is relative"), e.getMessage());
    }

    @Test
    void doc_andSpec_nameRestoreFrom() {
        assertTrue(mod.argSpec().args().containsKey("restore_from"));
        assertTrue(mod.doc().description().contains(".ringplan-put-back"));
        assertTrue(mod.doc().examples().contains("restore_from:"));
        for (String k : List.of("put_back", "put_back_bytes", "put_back_paths", "restore_from")) {
            assertTrue(mod.returns().keys().stream().anyMatch(r -> r.name().equals(k)), k);
        }
    }
}
