package dev.ringplan.modules.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.ModuleRegistry;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TarModuleTest {
    @TempDir
    Path tmp;
    FakeNode node;
    Path work;
    Path dest;
    final TarModule tar = new TarModule();
    final CountingConnection conn = new CountingConnection("n1");

    @BeforeEach
    void setUp() throws IOException {
        node = new FakeNode(tmp.resolve("node"));
        work = Files.createDirectories(tmp.resolve("work"));
        dest = work.resolve("backups");
    }

    private ModuleContext ctx(Map<String, Object> extra, boolean check) throws ModuleException {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("snapshot", FakeNode.TAG);
        args.put("dest", "backups");
        args.putAll(extra);
        return Contexts.of(tar, args, node.hostVars(), conn, check, work);
    }

    private Result run(Map<String, Object> extra) throws ModuleException {
        ModuleContext c = ctx(extra, false);
        Preview p = c.args() == null ? null : tar.check(c);
        return tar.apply(c.withPreview(p));
    }

    @Test
    void apply_zstd_archiveMatchesFilesAndManifest() throws Exception {
        ModuleContext c = ctx(Map.of("tokens", List.of("-9000", "42")), false);
        Preview p = tar.check(c);
        assertEquals(Preview.Change.YES, p.change());
        Result r = tar.apply(c.withPreview(p));
        assertEquals(Result.Outcome.CHANGED, r.status());

        Path archive = dest.resolve("n1.tar.zst");
        Path manifestFile = dest.resolve("n1.manifest.json");
        assertTrue(Files.isRegularFile(archive));
        try (Stream<Path> s = Files.list(dest)) {
            assertEquals(List.of("n1.manifest.json", "n1.tar.zst"), s.map(x -> x.getFileName().toString()).sorted().toList());
        }
        SnapshotManifest m = SnapshotManifest.read(manifestFile);
        assertEquals(SnapshotManifest.FORMAT_VERSION, m.formatVersion());
        assertEquals("n1", m.host());
        assertEquals("127.0.0.2", m.listenAddress());
        assertEquals("5.0.7", m.cassandraVersion());
        assertEquals(FakeNode.TAG, m.snapshot());
        assertEquals("zstd", m.compression());
        assertEquals(1, m.compressionLevel());
        assertEquals(List.of("-9000", "42"), m.tokens());
        assertNull(m.keyspaces());
        assertEquals(List.of(node.data1.toString(), node.data2.toString()), m.dataDirs());
        assertEquals("n1.tar.zst", m.archive().file());
        assertEquals(Files.size(archive), m.archive().bytes());
        assertEquals(sha256(archive), m.archive().sha256());
        assertEquals(25, m.files().size());
        assertEquals(25, m.totals().files());
        assertEquals(m.files().stream().mapToLong(SnapshotManifest.FileEntry::size).sum(), m.totals().bytes());
        assertEquals(List.of("ks1/" + FakeNode.T1 + "/schema.cql", "ks2/" + FakeNode.T2 + "/schema.cql",
                "ks1/" + FakeNode.T3 + "/schema.cql"), m.schemaFiles());

        Map<String, byte[]> entries = readArchive(archive, Compression.ZSTD);
        assertEquals(m.files().stream().map(SnapshotManifest.FileEntry::path).toList(), new ArrayList<>(entries.keySet()));
        for (SnapshotManifest.FileEntry f : m.files()) {
            Path dataDir = f.dataDirIndex() == 0 ? node.data1 : node.data2;
            String[] parts = f.path().split("/", 3);
            Path src = dataDir.resolve(parts[0]).resolve(parts[1]).resolve("snapshots").resolve(FakeNode.TAG).resolve(parts[2]);
            byte[] content = entries.get(f.path());
            assertArrayEquals(Files.readAllBytes(src), content, f.path());
            assertEquals(f.size(), content.length);
            assertEquals(sha256(content), f.sha256(), f.path());
        }
        // JBOD: both data dirs' halves of ks1.t1 are kept apart by data_dir_index
        assertEquals(1, indexOf(m, "ks1/" + FakeNode.T1 + "/.t1_v_idx/nb-2-big-Data.db"));
        assertEquals(0, indexOf(m, "ks1/" + FakeNode.T1 + "/nb-1-big-Data.db"));
        assertFalse(entries.keySet().stream().anyMatch(e -> e.contains("nb-9-") || e.contains("other")));

        assertEquals(archive.toString(), r.data().get("archive"));
        assertEquals(manifestFile.toString(), r.data().get("manifest"));
        assertEquals(25L, r.data().get("files"));
        assertEquals(m.totals().bytes(), r.data().get("bytes"));
        assertEquals(m.archive().sha256(), r.data().get("sha256"));
    }

    @Test
    void apply_twice_secondIsOkAndRewritesNothing() throws Exception {
        assertEquals(Result.Outcome.CHANGED, run(Map.of()).status());
        Path archive = dest.resolve("n1.tar.zst");
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(archive, old);
        Files.setLastModifiedTime(dest.resolve("n1.manifest.json"), old);

        ModuleContext c = ctx(Map.of(), false);
        Preview p = tar.check(c);
        assertEquals(Preview.Change.NO, p.change());
        assertEquals(archive.toString(), p.data().get("archive"));
        Result r = tar.apply(c.withPreview(p));
        assertEquals(Result.Outcome.OK, r.status());
        assertEquals(sha256(archive), r.data().get("sha256"));
        assertEquals(old, Files.getLastModifiedTime(archive));
        assertEquals(old, Files.getLastModifiedTime(dest.resolve("n1.manifest.json")));
    }

    @Test
    void apply_fileChangedInSnapshot_changedAgain() throws Exception {
        run(Map.of());
        String before = SnapshotManifest.read(dest.resolve("n1.manifest.json")).archive().sha256();
        Path f = node.data2.resolve("ks1").resolve(FakeNode.T3).resolve("snapshots").resolve(FakeNode.TAG)
                .resolve("nb-1-big-Index.db");
        Files.write(f, new byte[]{1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

        assertEquals(Preview.Change.YES, tar.check(ctx(Map.of(), false)).change());
        Result r = run(Map.of());
        assertEquals(Result.Outcome.CHANGED, r.status());
        SnapshotManifest m = SnapshotManifest.read(dest.resolve("n1.manifest.json"));
        assertNotEquals(before, m.archive().sha256());
        assertEquals(Files.size(f), m.files().stream()
                .filter(e -> e.path().equals("ks1/" + FakeNode.T3 + "/nb-1-big-Index.db")).findFirst().orElseThrow().size());
        assertEquals(Result.Outcome.OK, run(Map.of()).status());
    }

    @Test
    void apply_archiveTruncatedOrManifestGone_changed() throws Exception {
        run(Map.of());
        Path archive = dest.resolve("n1.tar.zst");
        Files.write(archive, new byte[]{0});
        assertEquals(Result.Outcome.CHANGED, run(Map.of()).status());
        Files.delete(dest.resolve("n1.manifest.json"));
        assertEquals(Result.Outcome.CHANGED, run(Map.of()).status());
        assertEquals(sha256(archive), SnapshotManifest.read(dest.resolve("n1.manifest.json")).archive().sha256());
    }

    @Test
    void apply_missingTag_failsClearly() throws Exception {
        ModuleContext c = ctx(Map.of("snapshot", "never-taken"), false);
        Preview p = tar.check(c);
        assertEquals(Preview.Change.UNKNOWN, p.change());
        ModuleException e = assertThrows(ModuleException.class, () -> tar.apply(c.withPreview(p)));
        assertTrue(e.getMessage().contains("snapshot 'never-taken' not found on n1"), e.getMessage());
        assertTrue(e.getMessage().contains("was the snapshot taken"), e.getMessage());
        assertFalse(Files.exists(dest));
    }

    @Test
    void check_checkMode_writesNothing() throws Exception {
        Files.createDirectories(dest);
        ModuleContext c = ctx(Map.of(), true);
        Preview p = tar.check(c);
        assertEquals(Preview.Change.YES, p.change());
        assertTrue(p.summary().contains("25 files"), p.summary());
        assertTrue(p.summary().contains(dest.resolve("n1.tar.zst").toString()), p.summary());
        try (Stream<Path> s = Files.list(dest)) {
            assertEquals(0, s.count());
        }
        Path elsewhere = work.resolve("not-created");
        tar.check(ctx(Map.of("dest", elsewhere.toString()), true));
        assertFalse(Files.exists(elsewhere));
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "zstd"})
    void apply_eachCompression_readableArchive(String compression) throws Exception {
        Compression c = Compression.parse(compression);
        Result r = run(Map.of("compression", compression, "name", "b-" + compression));
        assertEquals(Result.Outcome.CHANGED, r.status());
        Path archive = dest.resolve("b-" + compression + c.suffix());
        SnapshotManifest m = SnapshotManifest.read(dest.resolve("b-" + compression + ".manifest.json"));
        Map<String, byte[]> entries = readArchive(archive, c);
        assertEquals(25, entries.size());
        for (SnapshotManifest.FileEntry f : m.files()) {
            assertEquals(f.sha256(), sha256(entries.get(f.path())));
        }
        assertEquals(compression, m.compression());
        assertEquals(c.defaultLevel(), m.compressionLevel());
        assertFalse(Files.exists(dest.resolve("b-" + compression + c.suffix() + ".partial")));
    }

    @Test
    void apply_keyspaceFilter_onlyThoseKeyspaces() throws Exception {
        run(Map.of("keyspaces", List.of("ks2")));
        SnapshotManifest m = SnapshotManifest.read(dest.resolve("n1.manifest.json"));
        assertEquals(List.of("ks2"), m.keyspaces());
        assertEquals(6, m.files().size());
        assertTrue(m.files().stream().allMatch(f -> f.path().startsWith("ks2/")));

        ModuleException e = assertThrows(ModuleException.class, () -> run(Map.of("keyspaces", List.of("ks2", "kz1"))));
        assertTrue(e.getMessage().contains("no files of keyspace(s) kz1"), e.getMessage());
    }

    @Test
    void apply_symlinkInSnapshot_refused() throws Exception {
        Path snap = node.data1.resolve("ks2").resolve(FakeNode.T2).resolve("snapshots").resolve(FakeNode.TAG);
        Files.createSymbolicLink(snap.resolve("evil.db"), node.data1.resolve("stray.txt"));
        ModuleException e = assertThrows(ModuleException.class, () -> run(Map.of()));
        assertTrue(e.getMessage().contains("refusing symlink") && e.getMessage().contains("evil.db"), e.getMessage());
        assertFalse(Files.exists(dest.resolve("n1.tar.zst")));
    }

    @Test
    void apply_sameFileInTwoDataDirs_failsClearly() throws Exception {
        Path dup = node.snap(node.data2, "ks2", FakeNode.T2);
        FakeNode.text(dup.resolve("schema.cql"), "CREATE TABLE ks2.t2 (id int PRIMARY KEY);\n");
        ModuleException e = assertThrows(ModuleException.class, () -> run(Map.of()));
        assertTrue(e.getMessage().contains("ks2/" + FakeNode.T2 + "/schema.cql exists in two data directories"),
                e.getMessage());
    }

    @Test
    void apply_fileShrinksWhileRead_noArchiveLeft() throws Exception {
        CountingConnection shrinking = new CountingConnection("n1") {
            @Override
            public InputStream openRead(String path) throws dev.ringplan.engine.connection.ConnectionException {
                InputStream in = super.openRead(path);
                if (!path.endsWith("nb-3-big-Data.db")) {
                    return in;
                }
                return new java.io.FilterInputStream(in) {
                    private long left = 1000;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (left <= 0) {
                            return -1;
                        }
                        int n = super.read(b, off, (int) Math.min(len, left));
                        left -= Math.max(n, 0);
                        return n;
                    }
                };
            }
        };
        ModuleContext c = Contexts.of(tar, Map.of("snapshot", FakeNode.TAG, "dest", "backups"), node.hostVars(),
                shrinking, false, work);
        ModuleException e = assertThrows(ModuleException.class, () -> tar.apply(c));
        assertTrue(e.getMessage().contains("shrank while being archived"), e.getMessage());
        try (Stream<Path> s = Files.list(dest)) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void apply_missingDataDir_failsClearly() throws Exception {
        Map<String, Object> vars = new HashMap<>(node.hostVars());
        vars.put("cassandra_data_dirs", List.of(node.data1.toString(), tmp.resolve("gone").toString()));
        ModuleContext c = Contexts.of(tar, Map.of("snapshot", FakeNode.TAG, "dest", "backups"), vars, conn, false, work);
        ModuleException e = assertThrows(ModuleException.class, () -> tar.apply(c));
        assertTrue(e.getMessage().contains("cassandra_data_dirs[1]") && e.getMessage().contains("does not exist"),
                e.getMessage());
    }

    @Test
    void apply_tokensFromHostVar_recorded() throws Exception {
        Map<String, Object> vars = new HashMap<>(node.hostVars());
        vars.put("tokens", List.of("1", "2", "3"));
        ModuleContext c = Contexts.of(tar, Map.of("snapshot", FakeNode.TAG, "dest", "backups", "compression", "none"),
                vars, conn, false, work);
        tar.apply(c);
        assertEquals(List.of("1", "2", "3"), SnapshotManifest.read(dest.resolve("n1.manifest.json")).tokens());
        String json = Files.readString(dest.resolve("n1.manifest.json"));
        assertTrue(json.contains("\"data_dir_index\" : 1"), json.substring(0, 200));
        assertTrue(json.contains("\"format_version\" : 1"));
    }

    @Test
    void validate_badArgs_clearErrors() throws Exception {
        assertThrows(ModuleException.class, () -> ctx(Map.of("compression", "xz"), false));
        ModuleException e = assertThrows(ModuleException.class, () -> tar.check(ctx(Map.of("name", "a/b"), false)));
        assertTrue(e.getMessage().contains("plain file name"));
        e = assertThrows(ModuleException.class, () -> tar.check(ctx(Map.of("snapshot", "../x"), false)));
        assertTrue(e.getMessage().contains("single directory name"));
        e = assertThrows(ModuleException.class, () -> tar.check(ctx(Map.of("level", 30), false)));
        assertTrue(e.getMessage().contains("zstd level must be 1..19"));
    }

    @Test
    void resolveDest_urlsAndPaths() throws Exception {
        Path wd = Path.of("/srv/run");
        assertEquals(Path.of("/backups/x"), Locations.resolveDest("file:///backups/x/", wd));
        assertEquals(Path.of("/srv/run/b/c"), Locations.resolveDest("b/./c", wd));
        assertEquals(Path.of("/abs"), Locations.resolveDest("/abs", wd));
        ModuleException e = assertThrows(ModuleException.class, () -> Locations.resolveDest("s3://bucket/x", wd));
        assertTrue(e.getMessage().contains("unsupported scheme 's3'"));
        assertThrows(ModuleException.class, () -> Locations.resolveDest("file://otherhost/x", wd));
    }

    @Test
    void registry_findsTarModule() {
        assertTrue(ModuleRegistry.load().find("tar").isPresent());
        assertTrue(ModuleRegistry.load().find("command").isPresent());
    }

    private static int indexOf(SnapshotManifest m, String path) {
        return m.files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow().dataDirIndex();
    }

    static Map<String, byte[]> readArchive(Path archive, Compression c) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
        InputStream in = switch (c) {
            case GZIP -> new GzipCompressorInputStream(raw);
            case ZSTD -> new ZstdCompressorInputStream(raw);
            default -> raw;
        };
        try (TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = t.getNextEntry()) != null) {
                assertTrue(e.isFile(), e.getName());
                out.put(e.getName(), t.readAllBytes());
            }
        }
        return out;
    }

    static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
