package dev.ringplan.modules.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * tar action extract and verify: archives made by create from {@link FakeNode} are restored into
 * a fresh target tree whose table directories carry other ids.
 */
class TarExtractTest {
    static final String NT1 = "t1-" + "a1".repeat(16);
    static final String NT2 = "t2-" + "b2".repeat(16);
    static final String NT3 = "t3-" + "c3".repeat(16);

    @TempDir
    Path tmp;
    FakeNode node;
    Path work;
    Path backups;
    Path target;
    Path td1;
    Path td2;
    final TarModule tar = new TarModule();
    final CountingConnection conn = new CountingConnection("n1");
    final List<String> log = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        node = new FakeNode(tmp.resolve("node"));
        work = Files.createDirectories(tmp.resolve("work"));
        backups = work.resolve("backups");
        target = Files.createDirectories(tmp.resolve("target"));
        td1 = Files.createDirectories(target.resolve("data1"));
        td2 = Files.createDirectories(target.resolve("data2"));
    }

    // ------------------------------------------------------------------ helpers

    /** Archives the fake node's snapshot as backups/n1.tar[.gz|.zst]; returns the archive. */
    private Path create(String compression) throws Exception {
        Map<String, Object> args = Map.of("snapshot", FakeNode.TAG, "dest", "backups", "compression", compression);
        Result r = tar.apply(Contexts.of(tar, args, node.hostVars(), conn, false, work));
        assertEquals(Result.Outcome.CHANGED, r.status());
        return Path.of((String) r.data().get("archive"));
    }

    private SnapshotManifest manifest() throws IOException {
        return SnapshotManifest.read(backups.resolve("n1.manifest.json"));
    }

    /** Table dirs with new ids: t1 in both target data dirs, t2 and t3 in data1 only. */
    private void schema() throws IOException {
        Files.createDirectories(td1.resolve("ks1").resolve(NT1));
        Files.createDirectories(td2.resolve("ks1").resolve(NT1));
        Files.createDirectories(td1.resolve("ks1").resolve(NT3));
        Files.createDirectories(td1.resolve("ks2").resolve(NT2));
    }

    private Map<String, Object> vars(Path... dataDirs) {
        return Map.of("cassandra_data_dirs", Stream.of(dataDirs).map(Path::toString).toList());
    }

    private ModuleContext ctx(Map<String, Object> extra, Map<String, Object> vars, boolean check) throws ModuleException {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("action", "extract");
        args.put("dest", "backups");
        args.put("name", "n1");
        args.putAll(extra);
        return Contexts.of(tar, args, vars, conn, check, work, log);
    }

    /** As the executor does: check, then apply unless nothing to do. */
    private Result extract(Map<String, Object> extra, Map<String, Object> vars) throws ModuleException {
        ModuleContext c = ctx(extra, vars, false);
        Preview p = tar.check(c);
        if (p.change() == Preview.Change.NO) {
            return Result.ok(p.summary()).withData(p.data());
        }
        return tar.apply(c.withPreview(p));
    }

    /** Every path under {@code root} with its content (directories as "dir"). */
    static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                String rel = root.relativize(p).toString();
                out.put(rel, Files.isDirectory(p) ? "dir" : Files.size(p) + ":" + TarModuleTest.sha256(p));
            }
        }
        return out;
    }

    /** The source file of an archive path in the fake node's snapshot. */
    private Path source(SnapshotManifest.FileEntry f) {
        Path dataDir = f.dataDirIndex() == 0 ? node.data1 : node.data2;
        String[] parts = f.path().split("/", 3);
        return dataDir.resolve(parts[0]).resolve(parts[1]).resolve("snapshots").resolve(FakeNode.TAG).resolve(parts[2]);
    }

    /** Where {@code path} lands with the new ids, below data dir {@code dd}. */
    private static Path landed(Path dd, String path) {
        String[] parts = path.split("/", 3);
        String dir = parts[1].startsWith("t1-") ? NT1 : parts[1].startsWith("t2-") ? NT2 : NT3;
        return dd.resolve(parts[0]).resolve(dir).resolve(parts[2]);
    }

    private static boolean isMetadata(SnapshotManifest.FileEntry f) {
        return f.path().endsWith("/manifest.json") || f.path().endsWith("/schema.cql");
    }

    private void rewriteManifest(SnapshotManifest m) throws IOException {
        Files.write(backups.resolve("n1.manifest.json"), m.toJson());
    }

    private static SnapshotManifest withArchive(SnapshotManifest m, SnapshotManifest.Archive a,
                                                List<SnapshotManifest.FileEntry> files) {
        return new SnapshotManifest(m.format(), m.formatVersion(), m.host(), m.listenAddress(), m.cassandraVersion(),
                m.snapshot(), m.created(), m.compression(), m.compressionLevel(), a, m.dataDirs(), m.keyspaces(),
                m.tokens(), m.schemaFiles(), files, m.totals());
    }

    // ------------------------------------------------------------------ round trips

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "zstd"})
    void extract_roundTrip_newIdsSingleDataDir_bytesEqual(String compression) throws Exception {
        create(compression);
        schema();
        Result r = extract(Map.of(), vars(td1));
        assertEquals(Result.Outcome.CHANGED, r.status(), r.msg());
        SnapshotManifest m = manifest();
        int restored = 0;
        for (SnapshotManifest.FileEntry f : m.files()) {
            Path dst = landed(td1, f.path());
            if (isMetadata(f)) {
                assertFalse(Files.exists(dst), "metadata not restored into live dirs: " + dst);
                continue;
            }
            assertArrayEquals(Files.readAllBytes(source(f)), Files.readAllBytes(dst), f.path());
            restored++;
        }
        assertEquals(21, restored);
        assertEquals(21L, r.data().get("files"));
        assertEquals(21L, r.data().get("written"));
        assertEquals(4L, r.data().get("metadata_skipped"));
        assertEquals(List.of("ks1.t1", "ks2.t2", "ks1.t3"), r.data().get("tables"));
        assertEquals(List.of(td1.resolve("ks1").resolve(NT1).toString(), td1.resolve("ks2").resolve(NT2).toString(),
                td1.resolve("ks1").resolve(NT3).toString()), r.data().get("target_dirs"));
        assertEquals("data", r.data().get("target"));
        try (Stream<Path> s = Files.walk(target)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".ringplan-restore-")), "staging removed");
        }
        assertTrue(Files.isRegularFile(td1.resolve("ks1").resolve(NT1).resolve(".t1_v_idx").resolve("nb-2-big-Data.db")));
    }

    @Test
    void extract_jbod_filesFollowDataDirIndexAndLiveDirs() throws Exception {
        create("zstd");
        schema();
        Result r = extract(Map.of(), vars(td1, td2));
        assertEquals(Result.Outcome.CHANGED, r.status());
        for (SnapshotManifest.FileEntry f : manifest().files()) {
            if (isMetadata(f)) {
                continue;
            }
            // t1 lives in both target data dirs: data_dir_index decides; t2 and t3 only in data1
            Path dd = f.path().contains("/t1-") && f.dataDirIndex() == 1 ? td2 : td1;
            assertArrayEquals(Files.readAllBytes(source(f)), Files.readAllBytes(landed(dd, f.path())), f.path());
            Path other = dd == td1 ? td2 : td1;
            assertFalse(Files.exists(landed(other, f.path())), f.path());
        }
        assertTrue(Files.isRegularFile(td2.resolve("ks1").resolve(NT1).resolve(".t1_v_idx").resolve("nb-2-big-Data.db")));
        assertTrue(Files.isRegularFile(td1.resolve("ks1").resolve(NT3).resolve("nb-1-big-Data.db")));
    }

    @Test
    void extract_filters_keyspacesAndTables() throws Exception {
        create("none");
        schema();
        Result r = extract(Map.of("keyspaces", List.of("ks2")), vars(td1));
        assertEquals(List.of("ks2.t2"), r.data().get("tables"));
        assertEquals(5L, r.data().get("files"));
        try (Stream<Path> s = Files.list(td1.resolve("ks1").resolve(NT1))) {
            assertEquals(0, s.count());
        }

        r = extract(Map.of("tables", List.of("ks1.t3")), vars(td1));
        assertEquals(List.of("ks1.t3"), r.data().get("tables"));
        assertEquals(4L, r.data().get("written"));
        assertTrue(Files.isRegularFile(td1.resolve("ks1").resolve(NT3).resolve("nb-1-big-TOC.txt")));
        try (Stream<Path> s = Files.list(td1.resolve("ks1").resolve(NT1))) {
            assertEquals(0, s.count());
        }

        // both filters: a file must pass both
        r = extract(Map.of("keyspaces", List.of("ks1"), "tables", List.of("ks1.t3", "ks2.t2")), vars(td1));
        assertEquals(List.of("ks1.t3"), r.data().get("tables"));
        assertEquals(Result.Outcome.OK, r.status());

        ModuleException e = assertThrows(ModuleException.class,
                () -> extract(Map.of("tables", List.of("ks1.nope")), vars(td1)));
        assertTrue(e.getMessage().contains("holds no table ks1.nope"), e.getMessage());
        e = assertThrows(ModuleException.class, () -> extract(Map.of("keyspaces", List.of("ks9")), vars(td1)));
        assertTrue(e.getMessage().contains("holds no keyspace ks9"), e.getMessage());
        e = assertThrows(ModuleException.class, () -> extract(Map.of("tables", List.of("t3")), vars(td1)));
        assertTrue(e.getMessage().contains("must be <keyspace>.<table>"), e.getMessage());
    }

    @Test
    void extract_targetDir_loaderLayoutWithMetadata() throws Exception {
        create("zstd");
        Path load = tmp.resolve("load");
        Result r = extract(Map.of("target_dir", load.toString()), vars(td1));
        assertEquals(Result.Outcome.CHANGED, r.status());
        assertEquals(load.toString(), r.data().get("target"));
        assertEquals(25L, r.data().get("files"));
        for (SnapshotManifest.FileEntry f : manifest().files()) {
            String[] parts = f.path().split("/", 3);
            String table = parts[1].substring(0, parts[1].indexOf('-'));
            assertArrayEquals(Files.readAllBytes(source(f)),
                    Files.readAllBytes(load.resolve(parts[0]).resolve(table).resolve(parts[2])), f.path());
        }
        assertEquals(Result.Outcome.OK, extract(Map.of("target_dir", load.toString()), vars(td1)).status());

        ModuleException e = assertThrows(ModuleException.class,
                () -> extract(Map.of("target_dir", td1.resolve("x").toString()), vars(td1)));
        assertTrue(e.getMessage().contains("lies in data directory"), e.getMessage());
        e = assertThrows(ModuleException.class,
                () -> extract(Map.of("target_dir", load.toString(), "target", "data"), vars(td1)));
        assertTrue(e.getMessage().contains("arguments 'target' and 'target_dir' are mutually exclusive"),
                e.getMessage());
    }

    @Test
    void extract_srcAsArchiveOrManifestOrUrl() throws Exception {
        Path archive = create("gzip");
        schema();
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("action", "extract");
        args.put("src", archive.toString());
        args.put("tables", List.of("ks1.t3"));
        Result r = tar.apply(Contexts.of(tar, args, vars(td1), conn, false, work));
        assertEquals(Result.Outcome.CHANGED, r.status());
        args.put("src", "file://" + backups.resolve("n1.manifest.json"));
        assertEquals(Result.Outcome.OK, tar.apply(Contexts.of(tar, args, vars(td1), conn, false, work)).status());

        args.put("src", backups.resolve("n1.tar.zst").toString());
        ModuleException e = assertThrows(ModuleException.class,
                () -> tar.check(Contexts.of(tar, args, vars(td1), conn, false, work)));
        assertTrue(e.getMessage().contains("describes archive n1.tar.gz"), e.getMessage());
        args.put("src", backups.resolve("n1.zip").toString());
        e = assertThrows(ModuleException.class, () -> tar.check(Contexts.of(tar, args, vars(td1), conn, false, work)));
        assertTrue(e.getMessage().contains("must name an archive"), e.getMessage());
        args.put("src", archive.toString());
        args.put("snapshot", "other");
        e = assertThrows(ModuleException.class, () -> tar.check(Contexts.of(tar, args, vars(td1), conn, false, work)));
        assertTrue(e.getMessage().contains("holds snapshot 'nightly', not 'other'"), e.getMessage());
    }

    // ------------------------------------------------------------------ failures leave the target untouched

    @ParameterizedTest
    @ValueSource(strings = {"none", "zstd"})
    void extract_corruptEntry_failsNamingFileTargetUntouched(String compression) throws Exception {
        Path archive = create(compression);
        schema();
        Files.writeString(td1.resolve("ks1").resolve(NT3).resolve("live-marker.txt"), "keep me");
        Map<String, String> before = tree(target);
        byte[] a = Files.readAllBytes(archive);
        String victim = "ks2/" + FakeNode.T2 + "/nb-3-big-Data.db";
        if (compression.equals("none")) {
            // flip a byte inside the entry's content: find its first 64 bytes in the archive
            byte[] src = Files.readAllBytes(node.data1.resolve("ks2").resolve(FakeNode.T2).resolve("snapshots")
                    .resolve(FakeNode.TAG).resolve("nb-3-big-Data.db"));
            int at = indexOf(a, java.util.Arrays.copyOf(src, 64));
            assertTrue(at > 0);
            a[at + 1000] ^= 0x01;
        } else {
            a[a.length / 2] ^= 0x01;
        }
        Files.write(archive, a);
        ModuleException e = assertThrows(ModuleException.class, () -> extract(Map.of(), vars(td1, td2)));
        if (compression.equals("none")) {
            assertTrue(e.getMessage().contains("entry " + victim + " has SHA-256"), e.getMessage());
        } else {
            assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        }
        assertTrue(e.getMessage().contains("nothing was restored"), e.getMessage());
        assertEquals(before, tree(target));
    }

    @Test
    void extract_truncatedArchive_failsTargetUntouched() throws Exception {
        Path archive = create("none");
        schema();
        Map<String, String> before = tree(target);
        byte[] a = Files.readAllBytes(archive);
        byte[] cut = java.util.Arrays.copyOf(a, a.length / 2);
        Files.write(archive, cut);
        ModuleException e = assertThrows(ModuleException.class, () -> extract(Map.of(), vars(td1, td2)));
        assertTrue(e.getMessage().contains("truncated or replaced"), e.getMessage());
        assertEquals(before, tree(target));

        // the manifest made to agree on size and SHA-256: the tar stream itself ends early
        SnapshotManifest m = manifest();
        rewriteManifest(withArchive(m, new SnapshotManifest.Archive(m.archive().file(), cut.length,
                TarModuleTest.sha256(archive)), m.files()));
        e = assertThrows(ModuleException.class, () -> extract(Map.of(), vars(td1, td2)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(before, tree(target));
    }

    @Test
    void extract_manifestTampered_failsNamingFile() throws Exception {
        create("zstd");
        schema();
        Map<String, String> before = tree(target);
        SnapshotManifest m = manifest();
        // an entry's SHA-256 altered
        List<SnapshotManifest.FileEntry> files = new ArrayList<>(m.files());
        SnapshotManifest.FileEntry f = files.get(3);
        files.set(3, new SnapshotManifest.FileEntry(f.path(), f.size(), "0".repeat(64), f.dataDirIndex()));
        rewriteManifest(withArchive(m, m.archive(), files));
        ModuleException e = assertThrows(ModuleException.class, () -> extract(Map.of(), vars(td1, td2)));
        assertTrue(e.getMessage().contains("entry " + f.path() + " has SHA-256"), e.getMessage());
        assertEquals(before, tree(target));

        // the archive's own SHA-256 altered
        rewriteManifest(withArchive(m, new SnapshotManifest.Archive(m.archive().file(), m.archive().bytes(),
                "f".repeat(64)), m.files()));
        e = assertThrows(ModuleException.class, () -> extract(Map.of(), vars(td1, td2)));
        assertTrue(e.getMessage().contains("manifest records " + "f".repeat(64)), e.getMessage());
        assertEquals(before, tree(target));

        // a file dropped from the manifest: the archive holds an unexpected entry
        files = new ArrayList<>(m.files());
        SnapshotManifest.FileEntry gone = files.remove(7);
        rewriteManifest(withArchive(m, m.archive(), files));
        e = assertThrows(ModuleException.class, () -> extract(Map.of(), vars(td1, td2)));
        assertTrue(e.getMessage().contains("entry " + gone.path() + " is not listed in the manifest"), e.getMessage());
        assertEquals(before, tree(target));

        // a file added to the manifest: missing from the archive
        files = new ArrayList<>(m.files());
        files.add(new SnapshotManifest.FileEntry("ks1/" + FakeNode.T1 + "/nb-7-big-Data.db", 10, "a".repeat(64), 0));
        rewriteManifest(withArchive(m, m.archive(), files));
        e = assertThrows(ModuleException.class, () -> extract(Map.of(), vars(td1, td2)));
        assertTrue(e.getMessage().contains("lacks 1 file(s)") && e.getMessage().contains("nb-7-big-Data.db"),
                e.getMessage());
        assertEquals(before, tree(target));

        // an unsafe path in the manifest is refused before anything
        files = new ArrayList<>(m.files());
        files.add(new SnapshotManifest.FileEntry("ks1/" + FakeNode.T1 + "/../../evil", 10, "a".repeat(64), 0));
        rewriteManifest(withArchive(m, m.archive(), files));
        e = assertThrows(ModuleException.class, () -> extract(Map.of(), vars(td1, td2)));
        assertTrue(e.getMessage().contains("unsafe path"), e.getMessage());
        assertEquals(before, tree(target));
    }

    /**
     * Writes backups/n1.tar whose one entry (a file the manifest lists with 18 bytes) declares and
     * holds {@code size} bytes of zeros; the manifest's archive size and SHA-256 match the archive.
     */
    private void craftSizeBomb(int size) throws Exception {
        Files.createDirectories(backups);
        Path archive = backups.resolve("n1.tar");
        byte[] good = "good sstable bytes".getBytes(StandardCharsets.UTF_8);
        String goodPath = "ks1/" + FakeNode.T1 + "/nb-1-big-Data.db";
        try (OutputStream out = Files.newOutputStream(archive);
             TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry g = new TarArchiveEntry(goodPath);
            g.setSize(size);
            t.putArchiveEntry(g);
            t.write(new byte[size]);
            t.closeArchiveEntry();
            t.finish();
        }
        SnapshotManifest m = new SnapshotManifest(SnapshotManifest.FORMAT, 1, "n1", "127.0.0.1", null, FakeNode.TAG,
                "2025-01-01T00:00:00Z", "none", 0,
                new SnapshotManifest.Archive("n1.tar", Files.size(archive), TarModuleTest.sha256(archive)),
                List.of(node.data1.toString()), null, null, List.of(),
                List.of(new SnapshotManifest.FileEntry(goodPath, good.length, TarModuleTest.sha256(good), 0)),
                new SnapshotManifest.Totals(1, good.length));
        rewriteManifest(m);
    }

    /** Writes backups/n1.tar with one good entry then {@code evil}, and a manifest listing the good one only. */
    private void craft(TarArchiveEntry evil, byte[] evilContent) throws Exception {
        Files.createDirectories(backups);
        Path archive = backups.resolve("n1.tar");
        byte[] good = "good sstable bytes".getBytes(StandardCharsets.UTF_8);
        String goodPath = "ks1/" + FakeNode.T1 + "/nb-1-big-Data.db";
        try (OutputStream out = Files.newOutputStream(archive);
             TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry g = new TarArchiveEntry(goodPath);
            g.setSize(good.length);
            t.putArchiveEntry(g);
            t.write(good);
            t.closeArchiveEntry();
            t.putArchiveEntry(evil);
            if (evilContent != null) {
                t.write(evilContent);
            }
            t.closeArchiveEntry();
            t.finish();
        }
        SnapshotManifest m = new SnapshotManifest(SnapshotManifest.FORMAT, 1, "n1", "127.0.0.1", null, FakeNode.TAG,
                "2025-01-01T00:00:00Z", "none", 0,
                new SnapshotManifest.Archive("n1.tar", Files.size(archive), TarModuleTest.sha256(archive)),
                List.of(node.data1.toString()), null, null, List.of(),
                List.of(new SnapshotManifest.FileEntry(goodPath, good.length, TarModuleTest.sha256(good), 0)),
                new SnapshotManifest.Totals(1, good.length));
        rewriteManifest(m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dotdot", "absolute", "symlink", "hardlink", "chardev", "dir", "dotdot-verify", "fifo",
            "blockdev", "duplicate", "sizebomb", "relative-symlink", "unlisted"})
    void extract_hostileEntry_refusedNothingWritten(String kind) throws Exception {
        schema();
        TarArchiveEntry evil;
        byte[] content = null;
        switch (kind) {
            case "dotdot", "dotdot-verify" -> {
                evil = new TarArchiveEntry("ks1/" + FakeNode.T1 + "/../../../../evil");
                content = "x".getBytes(StandardCharsets.UTF_8);
                evil.setSize(1);
            }
            case "absolute" -> {
                evil = new TarArchiveEntry(tmp.resolve("evil-abs").toString(), true);
                content = "x".getBytes(StandardCharsets.UTF_8);
                evil.setSize(1);
            }
            case "symlink" -> {
                evil = new TarArchiveEntry("ks1/" + FakeNode.T1 + "/nb-2-big-Data.db", TarConstants.LF_SYMLINK);
                evil.setLinkName("/etc/passwd");
            }
            case "hardlink" -> {
                evil = new TarArchiveEntry("ks1/" + FakeNode.T1 + "/nb-2-big-Data.db", TarConstants.LF_LINK);
                evil.setLinkName("/etc/passwd");
            }
            case "chardev" -> {
                evil = new TarArchiveEntry("ks1/" + FakeNode.T1 + "/nb-2-big-Data.db", TarConstants.LF_CHR);
                evil.setDevMajor(1);
                evil.setDevMinor(3);
            }
            case "fifo" -> evil = new TarArchiveEntry("ks1/" + FakeNode.T1 + "/nb-2-big-Data.db", TarConstants.LF_FIFO);
            case "blockdev" -> {
                evil = new TarArchiveEntry("ks1/" + FakeNode.T1 + "/nb-2-big-Data.db", TarConstants.LF_BLK);
                evil.setDevMajor(8);
                evil.setDevMinor(0);
            }
            case "relative-symlink" -> {
                evil = new TarArchiveEntry("ks1/" + FakeNode.T1 + "/nb-2-big-Data.db", TarConstants.LF_SYMLINK);
                evil.setLinkName("../../../../../../etc/shadow");
            }
            case "duplicate" -> {
                evil = new TarArchiveEntry("ks1/" + FakeNode.T1 + "/nb-1-big-Data.db");
                content = "good sstable bytes".getBytes(StandardCharsets.UTF_8);
                evil.setSize(content.length);
            }
            case "unlisted" -> {
                evil = new TarArchiveEntry("ks1/" + FakeNode.T1 + "/nb-9-big-Data.db");
                content = "x".getBytes(StandardCharsets.UTF_8);
                evil.setSize(1);
            }
            case "sizebomb" -> {
                // the manifest's entry, declared 8 MiB (of zeros) where the manifest records 18 bytes
                evil = null;
                content = null;
            }
            default -> evil = new TarArchiveEntry("ks1/" + FakeNode.T1 + "/sub/");
        }
        if (evil == null) {
            craftSizeBomb(8 << 20);
        } else {
            craft(evil, content);
        }
        Map<String, String> before = tree(target);
        Map<String, Object> extra = kind.endsWith("verify") ? Map.of("action", "verify") : Map.of();
        ModuleContext c = ctx(extra, vars(td1), false);
        ModuleException e = assertThrows(ModuleException.class, () -> tar.apply(c.withPreview(tar.check(c))));
        assertTrue(e.getMessage().contains("refusing entry"), e.getMessage());
        String expected = switch (kind) {
            case "dotdot", "dotdot-verify" -> "'..' in path";
            case "absolute" -> "absolute path";
            case "symlink" -> "symbolic link to '/etc/passwd'";
            case "hardlink" -> "hard link to '/etc/passwd'";
            case "chardev", "blockdev" -> "device";
            case "fifo" -> "FIFO";
            case "relative-symlink" -> "symbolic link to '../../../../../../etc/shadow'";
            case "duplicate" -> "appears twice in the archive";
            case "unlisted" -> "is not listed in the manifest";
            case "sizebomb" -> "declares 8388608 bytes but the manifest records 18 (a size bomb";
            default -> "directory";
        };
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(before, tree(target));
        assertFalse(Files.exists(tmp.resolve("evil")));
        assertFalse(Files.exists(tmp.resolve("evil-abs")));
    }

    @Test
    void checkEntryPath_cases() {
        assertNull(ArchiveReader.checkEntryPath("ks/t-1/.idx/nb-1-big-Data.db"));
        assertEquals("absolute path", ArchiveReader.checkEntryPath("/etc/passwd"));
        assertTrue(ArchiveReader.checkEntryPath("a/../b").contains(".."));
        assertTrue(ArchiveReader.checkEntryPath("..").contains(".."));
        assertTrue(ArchiveReader.checkEntryPath("a//b").contains("empty"));
        assertTrue(ArchiveReader.checkEntryPath("./a").contains("'.'"));
        assertTrue(ArchiveReader.checkEntryPath("a\\..\\b").contains("backslash"));
        assertTrue(ArchiveReader.checkEntryPath("a\nb").contains("control"));
        assertEquals("empty path", ArchiveReader.checkEntryPath(""));
    }

    // ------------------------------------------------------------------ target tables

    @Test
    void extract_missingTable_failsNamingItOrCreates() throws Exception {
        create("zstd");
        Files.createDirectories(td1.resolve("ks1").resolve(NT1));
        Map<String, String> before = tree(target);
        ModuleException e = assertThrows(ModuleException.class, () -> extract(Map.of(), vars(td1, td2)));
        assertTrue(e.getMessage().contains("no live table directory on n1 for ks2.t2, ks1.t3"), e.getMessage());
        assertTrue(e.getMessage().contains("create_missing"), e.getMessage());
        assertEquals(before, tree(target));

        Result r = extract(Map.of("create_missing", true), vars(td1, td2));
        assertEquals(Result.Outcome.CHANGED, r.status());
        // created with the archive's ids, in data dir data_dir_index mod 2
        assertTrue(Files.isRegularFile(td1.resolve("ks2").resolve(FakeNode.T2).resolve("nb-3-big-Data.db")));
        assertTrue(Files.isRegularFile(td2.resolve("ks1").resolve(FakeNode.T3).resolve("nb-1-big-Data.db")));
        // t1 exists only in data1 on the target: every t1 file goes there
        assertTrue(Files.isRegularFile(td1.resolve("ks1").resolve(NT1).resolve(".t1_v_idx").resolve("nb-2-big-Data.db")));
        assertFalse(Files.exists(td2.resolve("ks1").resolve(NT1)));
    }

    @Test
    void extract_createMissingThenCorrupt_createdDirsRemoved() throws Exception {
        Path archive = create("none");
        byte[] a = Files.readAllBytes(archive);
        a[a.length - 3000] ^= 0x7f;
        Files.write(archive, a);
        Map<String, String> before = tree(target);
        ModuleException e = assertThrows(ModuleException.class,
                () -> extract(Map.of("create_missing", true), vars(td1, td2)));
        assertTrue(e.getMessage().contains("nothing was restored"), e.getMessage());
        assertEquals(before, tree(target));
        assertFalse(Files.exists(td1.resolve("ks1")));
    }

    @Test
    void extract_writeFailsWhileStaging_stagingAndCreatedDirsRemoved() throws Exception {
        create("zstd");
        Files.createDirectories(td1.resolve("ks1").resolve(NT1));
        Map<String, String> before = tree(target);
        CountingConnection failing = new CountingConnection("n1") {
            @Override
            public OutputStream openWrite(String path) throws dev.ringplan.engine.connection.ConnectionException {
                if (path.endsWith("nb-1-big-Statistics.db") && path.contains(FakeNode.T3)) {
                    throw new dev.ringplan.engine.connection.ConnectionException("n1: disk full");
                }
                return super.openWrite(path);
            }
        };
        Map<String, Object> args = Map.of("action", "extract", "dest", "backups", "name", "n1", "create_missing", true);
        ModuleContext c = Contexts.of(tar, args, vars(td1, td2), failing, false, work);
        ModuleException e = assertThrows(ModuleException.class, () -> tar.apply(c));
        assertTrue(e.getMessage().contains("cannot stage ks1/" + FakeNode.T3 + "/nb-1-big-Statistics.db")
                && e.getMessage().contains("disk full") && e.getMessage().contains("nothing was restored"), e.getMessage());
        assertEquals(before, tree(target));
    }

    @Test
    void extract_severalTableDirs_droppedIgnoredAmbiguousFailsTableIdsPicks() throws Exception {
        create("none");
        schema();
        // the old t3 directory of a dropped table, auto-snapshotted on DROP
        Path old = td1.resolve("ks1").resolve(FakeNode.T3);
        Files.createDirectories(old.resolve("snapshots").resolve("dropped-1700000000000-t3"));
        Result r = extract(Map.of("tables", List.of("ks1.t3")), vars(td1));
        assertEquals(List.of(td1.resolve("ks1").resolve(NT3).toString()), r.data().get("target_dirs"));
        try (Stream<Path> s = Files.list(old)) {
            assertEquals(1, s.count());
        }

        // a second candidate without a dropped snapshot: ambiguous
        String other = "t2-" + "d4".repeat(16);
        Files.createDirectories(td1.resolve("ks2").resolve(other));
        ModuleException e = assertThrows(ModuleException.class,
                () -> extract(Map.of("tables", List.of("ks2.t2")), vars(td1)));
        assertTrue(e.getMessage().contains("table ks2.t2 has several directories") && e.getMessage().contains("table_ids"),
                e.getMessage());
        String dashed = "d4d4d4d4-d4d4-d4d4-d4d4-d4d4d4d4d4d4".toUpperCase();
        r = extract(Map.of("tables", List.of("ks2.t2"), "table_ids", Map.of("ks2.t2", dashed)), vars(td1));
        assertEquals(List.of(td1.resolve("ks2").resolve(other).toString()), r.data().get("target_dirs"));
        assertTrue(Files.isRegularFile(td1.resolve("ks2").resolve(other).resolve("nb-4-big-Data.db")));
    }

    // ------------------------------------------------------------------ idempotence, overwrite, check mode

    @Test
    void extract_twice_secondOkThenConflictThenOverwrite() throws Exception {
        create("zstd");
        schema();
        assertEquals(Result.Outcome.CHANGED, extract(Map.of(), vars(td1, td2)).status());
        Map<String, String> after = tree(target);
        ModuleContext c = ctx(Map.of(), vars(td1, td2), false);
        Preview p = tar.check(c);
        assertEquals(Preview.Change.NO, p.change(), p.summary());
        Result r = tar.apply(c.withPreview(p));
        assertEquals(Result.Outcome.OK, r.status());
        assertEquals(0L, r.data().get("written"));
        assertEquals(21L, r.data().get("skipped"));
        assertEquals(after, tree(target));

        Path f = td1.resolve("ks2").resolve(NT2).resolve("nb-3-big-Index.db");
        byte[] orig = Files.readAllBytes(f);
        byte[] changed = orig.clone();
        changed[5] ^= 1;
        Files.write(f, changed);
        ModuleException e = assertThrows(ModuleException.class, () -> extract(Map.of(), vars(td1, td2)));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("overwrite: true"), e.getMessage());
        assertArrayEquals(changed, Files.readAllBytes(f));

        r = extract(Map.of("overwrite", true), vars(td1, td2));
        assertEquals(Result.Outcome.CHANGED, r.status());
        assertEquals(1L, r.data().get("written"));
        assertArrayEquals(orig, Files.readAllBytes(f));
        assertEquals(after, tree(target));
    }

    @Test
    void check_checkMode_listsTableDirsWritesNothing() throws Exception {
        create("zstd");
        Files.createDirectories(td1.resolve("ks1").resolve(NT1));
        Map<String, String> before = tree(target);
        ModuleContext c = ctx(Map.of("create_missing", true), vars(td1, td2), true);
        Preview p = tar.check(c);
        assertEquals(Preview.Change.YES, p.change());
        assertTrue(p.summary().contains("would restore 21 files"), p.summary());
        assertEquals(3, p.commands().size(), p.commands().toString());
        assertTrue(p.commands().get(0).startsWith("restore 12 files"), p.commands().toString());
        assertTrue(p.commands().get(0).endsWith(td1.resolve("ks1").resolve(NT1).toString()), p.commands().toString());
        assertTrue(p.commands().stream().anyMatch(x -> x.contains(td2.resolve("ks1").resolve(FakeNode.T3).toString())
                && x.endsWith("(directory created)")), p.commands().toString());
        assertEquals(21L, p.data().get("written"));
        assertEquals(before, tree(target));
        assertFalse(tar.isReadOnly(c.args()));
    }

    // ------------------------------------------------------------------ verify

    @Test
    void verify_intactAndCorrupt() throws Exception {
        Path archive = create("zstd");
        Map<String, Object> args = Map.of("action", "verify", "src", archive.toString());
        ModuleContext c = Contexts.of(tar, args, Map.of(), conn, true, work);
        assertTrue(tar.isReadOnly(c.args()));
        Preview p = tar.check(c);
        assertEquals(archive.toString(), p.data().get("archive"));
        Result r = tar.apply(c.withPreview(p));
        assertEquals(Result.Outcome.OK, r.status(), r.msg());
        assertEquals(25L, r.data().get("files"));
        assertEquals(manifest().archive().sha256(), r.data().get("sha256"));
        assertEquals(FakeNode.TAG, r.data().get("snapshot"));
        assertEquals(0, conn.execCalls.get());

        byte[] a = Files.readAllBytes(archive);
        a[a.length / 3] ^= 0x10;
        Files.write(archive, a);
        ModuleException e = assertThrows(ModuleException.class, () -> tar.apply(c));
        assertTrue(e.getMessage().contains(archive.toString()), e.getMessage());
    }

    @Test
    void verify_withRestoreFilters_failsNamingWhatTheBackupLacks() throws Exception {
        Path archive = create("zstd");
        Result ok = tar.apply(Contexts.of(tar, Map.of("action", "verify", "src", archive.toString(),
                "keyspaces", List.of("ks1"), "tables", List.of("ks2.t2")), Map.of(), conn, false, work));
        assertEquals(Result.Outcome.OK, ok.status(), ok.msg());
        ModuleContext typo = Contexts.of(tar, Map.of("action", "verify", "src", archive.toString(),
                "tables", List.of("ks1.t1", "ks1.nosuch")), Map.of(), conn, false, work);
        ModuleException e = assertThrows(ModuleException.class, () -> tar.apply(typo));
        assertTrue(e.getMessage().contains("the archive holds no table ks1.nosuch"), e.getMessage());
        ModuleContext ks = Contexts.of(tar, Map.of("action", "verify", "src", archive.toString(),
                "keyspaces", List.of("ks9")), Map.of(), conn, false, work);
        e = assertThrows(ModuleException.class, () -> tar.apply(ks));
        assertTrue(e.getMessage().contains("no keyspace ks9") && e.getMessage().contains("ks1, ks2"), e.getMessage());
    }

    @Test
    void verify_entryShaMismatch_namesEntry() throws Exception {
        create("none");
        SnapshotManifest m = manifest();
        List<SnapshotManifest.FileEntry> files = new ArrayList<>(m.files());
        SnapshotManifest.FileEntry f = files.get(10);
        files.set(10, new SnapshotManifest.FileEntry(f.path(), f.size(), "1".repeat(64), f.dataDirIndex()));
        rewriteManifest(withArchive(m, m.archive(), files));
        ModuleContext c = ctx(Map.of("action", "verify"), Map.of(), true);
        ModuleException e = assertThrows(ModuleException.class, () -> tar.apply(c));
        assertTrue(e.getMessage().contains("entry " + f.path() + " has SHA-256"), e.getMessage());

        ModuleContext noArchive = ctx(Map.of("action", "verify", "name", "n2"), Map.of(), false);
        e = assertThrows(ModuleException.class, () -> tar.check(noArchive));
        assertTrue(e.getMessage().contains("n2.manifest.json not found"), e.getMessage());
    }

    @Test
    void checkMode_backupNotThereYet_unknownNotFailure() throws Exception {
        ModuleContext c = ctx(Map.of(), vars(td1), true);
        Preview p = tar.check(c);
        assertEquals(Preview.Change.UNKNOWN, p.change());
        assertTrue(p.summary().contains("n1.manifest.json not found"), p.summary());
        ModuleContext v = ctx(Map.of("action", "verify"), Map.of(), true);
        Result r = tar.apply(v.withPreview(tar.check(v)));
        assertEquals(Result.Outcome.OK, r.status());
        assertEquals(false, r.data().get("verified"));
        ModuleContext real = ctx(Map.of(), vars(td1), false);
        assertThrows(ModuleException.class, () -> tar.check(real));
        assertThrows(ModuleException.class, () -> tar.apply(ctx(Map.of("action", "verify"), Map.of(), false)));
    }

    /** A backup taken before the run (restore.yaml's): a missing one fails the dry run too. */
    @Test
    void checkMode_mustExist_missingBackupFails() throws Exception {
        ModuleContext extract = ctx(Map.of("must_exist", true), vars(td1), true);
        ModuleException e = assertThrows(ModuleException.class, () -> tar.check(extract));
        assertTrue(e.getMessage().contains("n1.manifest.json not found"), e.getMessage());
        ModuleContext verify = ctx(Map.of("action", "verify", "must_exist", true), Map.of(), true);
        e = assertThrows(ModuleException.class, () -> tar.apply(verify));
        assertTrue(e.getMessage().contains("n1.manifest.json not found"), e.getMessage());
        assertThrows(ModuleException.class, () -> tar.check(verify));
        create("none");
        Result ok = tar.apply(verify.withPreview(tar.check(verify)));
        assertEquals(Result.Outcome.OK, ok.status(), ok.msg());
        assertEquals(true, ok.data().get("verified"));
    }

    @Test
    void create_argsOfExtract_refused() throws Exception {
        ModuleException e = assertThrows(ModuleException.class, () -> Contexts.of(tar,
                Map.of("snapshot", FakeNode.TAG, "dest", "b", "target_dir", "/x"), node.hostVars(), conn, false, work));
        assertEquals("tar: argument 'target_dir' is only for action extract, verify (action is create, the default)",
                e.getMessage());
        e = assertThrows(ModuleException.class, () -> Contexts.of(tar, Map.of("dest", "b"), node.hostVars(), conn,
                false, work));
        assertEquals("tar: missing argument 'snapshot', required when action is create (the default)", e.getMessage());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
