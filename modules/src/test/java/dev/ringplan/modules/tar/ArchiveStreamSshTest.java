package dev.ringplan.modules.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.connection.CommandStream;
import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ExecOptions;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.connection.SshConnection;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.testing.EmbeddedSshServer;
import dev.ringplan.modules.backup.LocalBackupStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streamed read path of a backup ({@link NodeTarStream}: the node's {@code tar -cf -} over an
 * SSH exec channel) against the SFTP path, through a real SSH server in this JVM running the
 * machine's own tar: same archive bytes, same manifest entries, odd names, several batches,
 * changed files, tar failures and the fallbacks.
 */
class ArchiveStreamSshTest {
    @TempDir
    Path tmp;
    private EmbeddedSshServer server;
    private SshConnection ssh;
    private Path node;

    @BeforeEach
    void connect() throws Exception {
        server = EmbeddedSshServer.start(Files.createDirectories(tmp.resolve("ssh")));
        ssh = SshConnection.connect("n1", new SshConnection.Settings(server.host(), server.port(), server.user(),
                List.of(server.clientKeyFile()), server.knownHostsFile(), false, Duration.ofSeconds(10)));
        node = Files.createDirectories(tmp.resolve("node/data"));
    }

    @AfterEach
    void disconnect() throws Exception {
        ssh.close();
        server.close();
    }

    /** A file under the node's snapshot directory, listed as the scanner would. */
    private SnapshotFile file(String rel, byte[] content) throws Exception {
        Path p = node.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return new SnapshotFile(0, p.toString(), rel, content.length, Files.getLastModifiedTime(p).toMillis());
    }

    private ArchiveWriter.Written write(Connection c, List<SnapshotFile> files, String name, Compression comp,
                                        ArchiveWriter.Source source) throws ModuleException {
        return ArchiveWriter.write(c, files, new LocalBackupStore(), tmp.resolve(name).toString(), comp,
                comp.defaultLevel(), source);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void streamed_sameArchiveAndManifestAsSftp_oddNamesAndBigFiles() throws Exception {
        List<SnapshotFile> files = new ArrayList<>();
        files.add(file("ks1/t1-0123/nb-1-big-Data.db", random(3_000_000, 1)));
        files.add(file("ks1/t1-0123/with space and 'quote' \"dq\" $x `y`.db", random(1000, 2)));
        files.add(file("ks1/t1-0123/ünïcödé-日本.db", random(70_000, 3)));
        files.add(file("ks1/t1-0123/-starts-with-dash", new byte[0]));
        files.add(file("ks1/t1-0123/.idx/" + "long".repeat(40) + "-Index.db", random(513, 4)));
        files.add(file("ks2/t2-4567/manifest.json", "{\"files\":[]}".getBytes(StandardCharsets.UTF_8)));
        for (Compression comp : List.of(Compression.NONE, Compression.ZSTD)) {
            ArchiveWriter.Written viaSftp = write(ssh, files, "sftp" + comp.suffix(), comp, ArchiveWriter.Source.FILES);
            ArchiveWriter.Written viaTar = write(ssh, files, "tar" + comp.suffix(), comp, ArchiveWriter.Source.AUTO);
            assertTrue(viaTar.via().contains("tar -cf - over 1 exec channel"), viaTar.via());
            assertTrue(viaSftp.via().startsWith("SFTP"), viaSftp.via());
            assertEquals(viaSftp.files(), viaTar.files());
            assertEquals(viaSftp.sha256(), viaTar.sha256());
            assertArrayEquals(Files.readAllBytes(tmp.resolve("sftp" + comp.suffix())),
                    Files.readAllBytes(tmp.resolve("tar" + comp.suffix())));
        }
        String cmd = server.commands().get(server.commands().size() - 1);
        assertTrue(cmd.startsWith("tar -cf - "), cmd);
        assertTrue(cmd.contains("'" + node.resolve("ks1/t1-0123/with space and '\"'\"'quote'\"'\"' \"dq\" $x `y`.db")
                + "'"), cmd);
    }

    @Test
    void streamed_manyFiles_severalBatches_sameAsSftp() throws Exception {
        List<SnapshotFile> files = new ArrayList<>();
        // long paths (~1 KB each: three 240-byte directory names) need few files for several batches;
        // the SFTP path pays a round trip per file
        String dir = "ks1/t1-0123/" + "d".repeat(240) + "/" + "e".repeat(240) + "/" + "f".repeat(240) + "/";
        for (int i = 0; i < 250; i++) {
            files.add(file(dir + "nb-" + i + "-big-Statistics.db", random(i % 7 * 100, i)));
        }
        int expectedBatches = NodeTarStream.batches(files).size();
        assertTrue(expectedBatches >= 2, "test needs several batches, got " + expectedBatches);
        ArchiveWriter.Written viaTar = write(ssh, files, "tar.tar", Compression.NONE, ArchiveWriter.Source.STREAM);
        ArchiveWriter.Written viaSftp = write(ssh, files, "sftp.tar", Compression.NONE, ArchiveWriter.Source.FILES);
        assertTrue(viaTar.via().contains("over " + expectedBatches + " exec channel"), viaTar.via());
        assertEquals(viaSftp.files(), viaTar.files());
        assertEquals(viaSftp.sha256(), viaTar.sha256());
        assertTrue(server.commands().stream().filter(c -> c.startsWith("tar -cf - ")).allMatch(c -> c.length() < 120_000));
    }

    @Test
    void streamed_grewShrankMissing_failWithTheListingsMessages_nothingLeft() throws Exception {
        SnapshotFile a = file("ks1/t1/a.db", random(5000, 1));
        SnapshotFile b = file("ks1/t1/b.db", random(5000, 2));
        Files.write(Path.of(b.sourcePath()), random(5001, 2));
        ModuleException grew = assertThrows(ModuleException.class,
                () -> write(ssh, List.of(a, b), "g.tar", Compression.NONE, ArchiveWriter.Source.STREAM));
        assertEquals("n1: " + b.sourcePath() + " grew while being archived (listed at 5000 bytes); snapshot files must"
                + " not change", grew.getMessage());
        Files.write(Path.of(b.sourcePath()), random(4000, 2));
        ModuleException shrank = assertThrows(ModuleException.class,
                () -> write(ssh, List.of(a, b), "s.tar", Compression.NONE, ArchiveWriter.Source.STREAM));
        assertEquals("n1: " + b.sourcePath() + " shrank while being archived: 4000 of 5000 bytes read; snapshot files"
                + " must not change", shrank.getMessage());
        Files.delete(Path.of(a.sourcePath()));
        ModuleException missing = assertThrows(ModuleException.class,
                () -> write(ssh, List.of(a, b), "m.tar", Compression.NONE, ArchiveWriter.Source.STREAM));
        assertTrue(missing.getMessage().startsWith("tar on n1 failed (exit status 2: "), missing.getMessage());
        assertTrue(missing.getMessage().contains("a.db"), missing.getMessage());
        try (var s = Files.list(tmp)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".partial")
                    || p.getFileName().toString().endsWith(".tar")), "no archive may be left");
        }
    }

    @Test
    void hardLinkedFiles_secondReadOverSftp_sameArchive() throws Exception {
        SnapshotFile a = file("ks1/t1/a.db", random(20_000, 1));
        Path link = node.resolve("ks1/t1/b.db");
        Files.createLink(link, Path.of(a.sourcePath()));
        SnapshotFile b = new SnapshotFile(0, link.toString(), "ks1/t1/b.db", a.size(), a.mtimeMillis());
        ArchiveWriter.Written viaTar = write(ssh, List.of(a, b), "tar.tar", Compression.NONE, ArchiveWriter.Source.STREAM);
        ArchiveWriter.Written viaSftp = write(ssh, List.of(a, b), "sftp.tar", Compression.NONE, ArchiveWriter.Source.FILES);
        assertEquals(viaSftp.files(), viaTar.files());
        assertEquals(viaSftp.sha256(), viaTar.sha256());
    }

    @Test
    void fallback_noTarOnTheNode_orNoStreaming_readsOverSftp() throws Exception {
        List<SnapshotFile> files = List.of(file("ks1/t1/a.db", random(10_000, 1)), file("ks1/t1/b.db", random(7, 2)));
        ArchiveWriter.Written expected = write(ssh, files, "sftp.tar", Compression.NONE, ArchiveWriter.Source.FILES);
        Connection noTar = new Delegating(ssh, true, argv -> {
            List<String> a = new ArrayList<>(argv);
            a.set(0, "ringplan-no-such-tar");
            return a;
        });
        ArchiveWriter.Written w = write(noTar, files, "notar.tar", Compression.NONE, ArchiveWriter.Source.AUTO);
        assertTrue(w.via().startsWith("SFTP, file by file, since tar cannot run on n1 (exit status 127"), w.via());
        assertEquals(expected.sha256(), w.sha256());
        ArchiveWriter.Written plain = write(new Delegating(ssh, false, UnaryOperator.identity()), files, "plain.tar",
                Compression.NONE, ArchiveWriter.Source.AUTO);
        assertEquals("SFTP, file by file", plain.via());
        assertEquals(expected.files(), plain.files());
        assertEquals(expected.sha256(), plain.sha256());
        // a data directory given with .. (GNU tar would strip the path up to it): read file by file
        SnapshotFile first = files.get(0);
        SnapshotFile dotted = new SnapshotFile(0, node.resolve("ks1/../ks1/t1/a.db").toString(), first.entryPath(),
                first.size(), first.mtimeMillis());
        ArchiveWriter.Written viaDots = write(ssh, List.of(dotted, files.get(1)), "dots.tar", Compression.NONE,
                ArchiveWriter.Source.AUTO);
        assertEquals("SFTP, file by file, since a path has . or .. components", viaDots.via());
        assertEquals(expected.sha256(), viaDots.sha256());
    }

    /** A connection passing everything to {@code inner}; streaming only when {@code streams}, argv rewritten. */
    private static final class Delegating implements Connection {
        private final Connection inner;
        private final boolean streams;
        private final UnaryOperator<List<String>> rewrite;

        Delegating(Connection inner, boolean streams, UnaryOperator<List<String>> rewrite) {
            this.inner = inner;
            this.streams = streams;
            this.rewrite = rewrite;
        }

        @Override
        public String host() {
            return inner.host();
        }

        @Override
        public ExecResult exec(List<String> argv, ExecOptions options) throws ConnectionException {
            return inner.exec(argv, options);
        }

        @Override
        public CommandStream execStream(List<String> argv, ExecOptions options) throws ConnectionException {
            if (!streams) {
                return Connection.super.execStream(argv, options);
            }
            return inner.execStream(rewrite.apply(argv), options);
        }

        @Override
        public boolean canStreamExec() {
            return streams;
        }

        @Override
        public InputStream openRead(String path) throws ConnectionException {
            return inner.openRead(path);
        }

        @Override
        public OutputStream openWrite(String path) throws ConnectionException {
            return inner.openWrite(path);
        }

        @Override
        public Optional<FileStat> stat(String path) throws ConnectionException {
            return inner.stat(path);
        }

        @Override
        public List<FileStat> list(String dir) throws ConnectionException {
            return inner.list(dir);
        }

        @Override
        public void mkdirs(String dir) throws ConnectionException {
            inner.mkdirs(dir);
        }

        @Override
        public void delete(String path) throws ConnectionException {
            inner.delete(path);
        }

        @Override
        public void rename(String from, String to) throws ConnectionException {
            inner.rename(from, to);
        }

        @Override
        public void close() {
        }
    }
}
