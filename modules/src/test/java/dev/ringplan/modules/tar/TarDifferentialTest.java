package dev.ringplan.modules.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.connection.SshConnection;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.testing.EmbeddedSshServer;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tar create mode: differential (content store), extract/verify of such backups, ssh:// storage, purge. */
class TarDifferentialTest {
    @TempDir
    Path tmp;
    FakeNode node;
    Path work;
    Path root;
    final TarModule tar = new TarModule();
    final CountingConnection conn = new CountingConnection("n1");

    @BeforeEach
    void setUp() throws IOException {
        node = new FakeNode(tmp.resolve("node"));
        work = Files.createDirectories(tmp.resolve("work"));
        root = work.resolve("backups");
    }

    private ModuleContext ctx(Map<String, Object> args, boolean check) throws ModuleException {
        return Contexts.of(tar, args, node.hostVars(), conn, check, work);
    }

    private Result run(Map<String, Object> args) throws ModuleException {
        ModuleContext c = ctx(args, false);
        return tar.apply(c.withPreview(tar.check(c)));
    }

    @Test
    void check_differential_snapshotNotTakenYet_unknownNotACrash() throws Exception {
        // backup.yaml -e mode=differential in check mode: snapshot[n1] has not run, so no files.
        Preview p = tar.check(ctx(Map.of("snapshot", "not-yet", "dest", "backups/d0", "mode", "differential"), true));
        assertEquals(Preview.Change.UNKNOWN, p.change(), p.summary());
        assertTrue(p.summary().contains("has no files on n1 yet"), p.summary());
        assertFalse(p.data().containsKey("archive"), "a differential backup has no archive of its own");
        assertTrue(p.data().containsKey("files"));
        assertNull(p.data().get("files"), "known after an earlier task takes the snapshot");
    }

    private Result diff(String tag) throws ModuleException {
        return run(Map.of("snapshot", FakeNode.TAG, "dest", "backups/" + tag, "mode", "differential"));
    }

    private Path snapT1() {
        return node.data1.resolve("ks1").resolve(FakeNode.T1).resolve("snapshots").resolve(FakeNode.TAG);
    }

    private static Set<Path> storeFiles(Path store) throws IOException {
        try (Stream<Path> s = Files.walk(store)) {
            return new TreeSet<>(s.filter(Files::isRegularFile).filter(p -> !p.toString().contains("/.tmp/")).toList());
        }
    }

    @Test
    void differential_secondBackupUploadsOnlyNewFiles() throws Exception {
        Result first = diff("d1");
        assertEquals(Result.Outcome.CHANGED, first.status(), first.msg());
        SnapshotManifest m1 = SnapshotManifest.read(root.resolve("d1/n1.manifest.json"));
        assertTrue(m1.differential());
        assertNull(m1.archive());
        assertEquals("../store", m1.store());
        assertEquals(25, m1.files().size());
        // identical contents (the TOC.txt files) are stored once
        Map<String, Long> distinct = new LinkedHashMap<>();
        m1.files().forEach(f -> distinct.put(f.sha256(), f.size()));
        assertTrue(distinct.size() < 25);
        assertEquals((long) distinct.size(), first.data().get("uploaded_files"));
        assertEquals(distinct.values().stream().mapToLong(Long::longValue).sum(), first.data().get("uploaded_bytes"));
        assertEquals(25L - distinct.size(), first.data().get("reused_files"));
        assertEquals(distinct.size(), storeFiles(root.resolve("store")).size());
        for (SnapshotManifest.FileEntry f : m1.files()) {
            Path stored = root.resolve("store").resolve(f.sha256().substring(0, 2)).resolve(f.sha256());
            assertEquals(f.sha256(), TarModuleTest.sha256(stored), f.path());
            assertEquals(f.size(), m1.files().stream().filter(x -> x.sha256().equals(f.sha256())).findFirst().get().size());
        }
        assertEquals((long) distinct.size(), m1.storedBytes().uploadedFiles());
        try (Stream<Path> s = Files.list(root.resolve("d1"))) {
            assertEquals(List.of("n1.manifest.json"), s.map(p -> p.getFileName().toString()).toList());
        }

        // same snapshot again: ok, nothing written
        Result again = diff("d1");
        assertEquals(Result.Outcome.OK, again.status(), again.msg());
        assertEquals(0L, again.data().get("uploaded_files"));

        // a new SSTable in the snapshot: the next backup stores only its new contents
        node.sstable(snapT1(), 5, 12_345);
        Preview p = tar.check(ctx(Map.of("snapshot", FakeNode.TAG, "dest", "backups/d2", "mode", "differential"), true));
        assertEquals(Preview.Change.YES, p.change());
        assertEquals(25L - 4, p.data().get("unchanged_files")); // all but manifest.json and the 3 schema.cql
        assertFalse(Files.exists(root.resolve("d2")), "check mode writes nothing");
        Result second = diff("d2");
        assertEquals(Result.Outcome.CHANGED, second.status());
        assertEquals(29L, second.data().get("files"));
        // Data, Index and Statistics are new random contents; the TOC.txt content is already stored
        assertEquals(3L, second.data().get("uploaded_files"));
        assertEquals(12_345L + 1_234 + 4_000, second.data().get("uploaded_bytes"));
        assertEquals(26L, second.data().get("reused_files"));
        long metadata = m1.files().stream().filter(f -> !Differential.SSTABLE_COMPONENT.matcher(
                f.path().substring(f.path().lastIndexOf('/') + 1)).matches()).mapToLong(SnapshotManifest.FileEntry::size).sum();
        long newTocSize = Files.size(snapT1().resolve("nb-5-big-TOC.txt"));
        assertEquals(12_345L + 1_234 + 4_000 + newTocSize + metadata, second.data().get("read_bytes"),
                "unchanged SSTable components are not read again");
        assertEquals(distinct.size() + 3, storeFiles(root.resolve("store")).size());
        SnapshotManifest m2 = SnapshotManifest.read(root.resolve("d2/n1.manifest.json"));
        assertEquals(3, m2.storedBytes().uploadedFiles());
        assertEquals(12_345L + 1_234 + 4_000, m2.storedBytes().uploadedBytes());
    }

    @Test
    void differential_extractGivesIdenticalBytesAndVerifyNamesCorruptStoreFile() throws Exception {
        diff("d1");
        Path target = tmp.resolve("restore");
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("action", "extract");
        args.put("src", "backups/d1/n1.manifest.json");
        args.put("target_dir", target.toString());
        Result r = run(args);
        assertEquals(Result.Outcome.CHANGED, r.status(), r.msg());
        assertEquals(25L, r.data().get("written"));
        SnapshotManifest m = SnapshotManifest.read(root.resolve("d1/n1.manifest.json"));
        for (SnapshotManifest.FileEntry f : m.files()) {
            String[] parts = f.path().split("/", 3);
            Path src = (f.dataDirIndex() == 0 ? node.data1 : node.data2).resolve(parts[0]).resolve(parts[1])
                    .resolve("snapshots").resolve(FakeNode.TAG).resolve(parts[2]);
            String table = parts[1].substring(0, parts[1].indexOf('-'));
            assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(target.resolve(parts[0]).resolve(table)
                    .resolve(parts[2])), f.path());
        }
        assertEquals(Result.Outcome.OK, run(args).status());

        Result v = run(Map.of("action", "verify", "dest", "backups/d1"));
        assertEquals(Result.Outcome.OK, v.status(), v.msg());
        assertEquals(true, v.data().get("verified"));
        assertEquals(25L, v.data().get("files"));

        SnapshotManifest.FileEntry victim = m.files().stream().filter(f -> f.path().endsWith("nb-3-big-Data.db"))
                .findFirst().orElseThrow();
        Path stored = root.resolve("store").resolve(victim.sha256().substring(0, 2)).resolve(victim.sha256());
        byte[] b = Files.readAllBytes(stored);
        b[b.length / 2] ^= 0x01;
        Files.write(stored, b);
        ModuleException e = assertThrows(ModuleException.class,
                () -> run(Map.of("action", "verify", "src", root.resolve("d1/n1.manifest.json").toString())));
        assertTrue(e.getMessage().contains(stored.toString()) && e.getMessage().contains(victim.path()), e.getMessage());

        // extract of the corrupt backup into a fresh directory fails and leaves it as it was
        Path fresh = Files.createDirectories(tmp.resolve("fresh"));
        args.put("target_dir", fresh.toString());
        ModuleException e2 = assertThrows(ModuleException.class, () -> run(args));
        assertTrue(e2.getMessage().contains("nothing was restored"), e2.getMessage());
        try (Stream<Path> s = Files.list(fresh)) {
            assertFalse(s.findAny().isPresent());
        }
        // a differential manifest is not an archive
        args.put("src", "backups/d1/n1.tar.zst");
        assertThrows(ModuleException.class, () -> run(args));
    }

    @Test
    void sshStorage_createExtractVerifyRoundTrip() throws Exception {
        Path storage = Files.createDirectories(tmp.resolve("storage"));
        try (EmbeddedSshServer server = EmbeddedSshServer.start(Files.createDirectories(tmp.resolve("ssh")));
             SshConnection ssh = SshConnection.connect("storage1", new SshConnection.Settings(server.host(),
                     server.port(), server.user(), List.of(server.clientKeyFile()), server.knownHostsFile(), false,
                     Duration.ofSeconds(10)))) {
            ModuleContext.OtherHosts others = h -> {
                assertEquals("storage1", h);
                return ssh;
            };
            String url = "ssh://storage1" + storage + "/";
            for (String mode : List.of("full", "differential")) {
                Map<String, Object> a = Map.of("snapshot", FakeNode.TAG, "dest", url + mode, "mode", mode);
                ModuleContext c = ctx(a, false).withOtherHosts(others);
                Result r = tar.apply(c.withPreview(tar.check(c)));
                assertEquals(Result.Outcome.CHANGED, r.status(), r.msg());
                assertTrue(String.valueOf(r.data().get("manifest")).startsWith("ssh://storage1/"), r.data().toString());
                assertEquals(Result.Outcome.OK, tar.apply(ctx(a, false).withOtherHosts(others)).status());
                assertTrue(Files.isRegularFile(storage.resolve(mode).resolve("n1.manifest.json")));

                Result v = tar.apply(ctx(Map.of("action", "verify", "dest", url + mode), false).withOtherHosts(others));
                assertEquals(25L, v.data().get("files"));

                Path target = tmp.resolve("restore-" + mode);
                Map<String, Object> x = Map.of("action", "extract", "src", url + mode + "/n1.manifest.json",
                        "target_dir", target.toString());
                Result r2 = tar.apply(ctx(x, false).withOtherHosts(others));
                assertEquals(25L, r2.data().get("written"), r2.msg());
                assertArrayEquals(Files.readAllBytes(snapT1().resolve("nb-1-big-Data.db")),
                        Files.readAllBytes(target.resolve("ks1/t1/nb-1-big-Data.db")));
            }
            assertTrue(Files.isRegularFile(storage.resolve("full/n1.tar.zst")));
            assertTrue(Files.isDirectory(storage.resolve("store")));
            ModuleException e = assertThrows(ModuleException.class, () -> tar.check(ctx(Map.of("snapshot",
                    FakeNode.TAG, "dest", "ssh://user@storage1/x"), false)));
            assertTrue(e.getMessage().contains("ssh://<inventory host>"), e.getMessage());
        }
    }

    /** Sets a manifest's created time. */
    private void setCreated(String tag, Instant when) throws IOException {
        Path p = root.resolve(tag).resolve("n1.manifest.json");
        SnapshotManifest m = SnapshotManifest.read(p);
        Files.write(p, new SnapshotManifest(m.format(), m.formatVersion(), m.host(), m.listenAddress(),
                m.cassandraVersion(), m.snapshot(), when.toString(), m.compression(), m.compressionLevel(), m.archive(),
                m.dataDirs(), m.keyspaces(), m.tokens(), m.schemaFiles(), m.files(), m.totals(), m.mode(), m.store(),
                m.storedBytes()).toJson());
    }

    private Set<String> shas(String tag) throws IOException {
        Set<String> s = new HashSet<>();
        SnapshotManifest.read(root.resolve(tag).resolve("n1.manifest.json")).files().forEach(f -> s.add(f.sha256()));
        return s;
    }

    @Test
    void purge_keepLastAndOlderThan_keepReferencedStoreFiles() throws Exception {
        Instant now = Instant.now();
        diff("b1");
        // a file only b1 references: removed from the snapshot before the next backups
        Path t2 = node.data1.resolve("ks2").resolve(FakeNode.T2).resolve("snapshots").resolve(FakeNode.TAG);
        Files.delete(t2.resolve("nb-4-big-Data.db"));
        diff("b2");
        node.sstable(snapT1(), 6, 5_000);
        diff("b3");
        run(Map.of("snapshot", FakeNode.TAG, "dest", "backups/full4")); // a full archive backup too
        setCreated("b1", now.minus(10, ChronoUnit.DAYS));
        setCreated("b2", now.minus(5, ChronoUnit.DAYS));
        setCreated("b3", now.minus(1, ChronoUnit.DAYS));
        Set<String> only1 = shas("b1");
        only1.removeAll(shas("b2"));
        only1.removeAll(shas("b3"));
        assertEquals(1, only1.size());
        Set<Path> before = storeFiles(root.resolve("store"));

        // check mode: lists, deletes nothing
        Map<String, Object> keep3 = Map.of("action", "purge", "root", "backups", "keep_last", 3);
        Preview p = tar.check(ctx(keep3, true));
        assertEquals(Preview.Change.YES, p.change());
        assertEquals(List.of("b1"), p.data().get("deleted_backups"));
        assertEquals(List.of("full4", "b3", "b2"), p.data().get("kept"));
        assertEquals(1L, p.data().get("deleted_store_files"));
        assertEquals(before, storeFiles(root.resolve("store")));
        assertTrue(Files.exists(root.resolve("b1/n1.manifest.json")));

        Result r = tar.apply(ctx(keep3, false));
        assertEquals(Result.Outcome.CHANGED, r.status(), r.msg());
        assertEquals(List.of("b1"), r.data().get("deleted_backups"));
        assertEquals(2L, r.data().get("deleted_files")); // manifest + the one store file only b1 used
        String gone = only1.iterator().next();
        Path goneFile = root.resolve("store").resolve(gone.substring(0, 2)).resolve(gone);
        assertFalse(Files.exists(goneFile));
        assertFalse(Files.exists(root.resolve("b1")));
        assertEquals(before.size() - 1, storeFiles(root.resolve("store")).size());
        for (String tag : List.of("b2", "b3")) {
            for (String sha : shas(tag)) {
                assertTrue(Files.isRegularFile(root.resolve("store").resolve(sha.substring(0, 2)).resolve(sha)), sha);
            }
        }
        assertTrue((long) r.data().get("freed_bytes") > Files.size(root.resolve("b2/n1.manifest.json")));
        assertEquals(Result.Outcome.OK, tar.apply(ctx(keep3, false)).status());

        // older_than_days with keep_last as a floor: b2 (5 days) goes, b3 stays
        Map<String, Object> old = Map.of("action", "purge", "root", "backups", "older_than_days", 3, "keep_last", 1);
        Result r2 = tar.apply(ctx(old, false));
        assertEquals(List.of("b2"), r2.data().get("deleted_backups"));
        for (String sha : shas("b3")) {
            assertTrue(Files.isRegularFile(root.resolve("store").resolve(sha.substring(0, 2)).resolve(sha)), sha);
        }
        // keep_last 1 alone: b3 is older than the full backup written last, so it goes with its store files
        setCreated("b3", now.minus(1, ChronoUnit.DAYS));
        Result r3 = tar.apply(ctx(Map.of("action", "purge", "root", "backups", "keep_last", 1), false));
        assertEquals(List.of("b3"), r3.data().get("deleted_backups"));
        assertEquals(List.of("full4"), r3.data().get("kept"));
        assertTrue(storeFiles(root.resolve("store")).isEmpty(), storeFiles(root.resolve("store")).toString());
        assertTrue(Files.isRegularFile(root.resolve("full4/n1.tar.zst")));
        // purging the full backup deletes its archive too
        setCreated("full4", now.minus(30, ChronoUnit.DAYS));
        Result r4 = tar.apply(ctx(Map.of("action", "purge", "root", "backups", "older_than_days", 7), false));
        assertEquals(List.of("full4"), r4.data().get("deleted_backups"));
        assertFalse(Files.exists(root.resolve("full4")));

        ModuleException e = assertThrows(ModuleException.class,
                () -> tar.check(ctx(Map.of("action", "purge", "root", "backups"), false)));
        assertEquals("tar: one of the arguments 'keep_last', 'older_than_days' is required when action is purge",
                e.getMessage());
    }

    @Test
    void purge_unreadableManifest_deletesNothing() throws Exception {
        diff("b1");
        diff("b2");
        Files.writeString(root.resolve("b2/n1.manifest.json"), "{not json");
        ModuleException e = assertThrows(ModuleException.class,
                () -> tar.apply(ctx(Map.of("action", "purge", "root", "backups", "keep_last", 1), false)));
        assertTrue(e.getMessage().contains("b2/n1.manifest.json"), e.getMessage());
        assertTrue(Files.exists(root.resolve("b1/n1.manifest.json")));
    }
}
