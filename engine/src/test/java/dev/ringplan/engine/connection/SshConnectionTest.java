package dev.ringplan.engine.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ringplan.engine.testing.EmbeddedSshServer;
import dev.ringplan.engine.testing.ProcessTable;

class SshConnectionTest {
    static EmbeddedSshServer server;
    static SshConnection conn;

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startServer() throws Exception {
        server = EmbeddedSshServer.start(shared);
        conn = SshConnection.connect("node1", settings(server.knownHostsFile(), server.clientKeyFile(), false));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (conn != null) {
            conn.close();
        }
        server.close();
    }

    static SshConnection.Settings settings(Path knownHosts, Path key, boolean acceptNew) {
        return new SshConnection.Settings(server.host(), server.port(), server.user(), List.of(key), knownHosts,
                acceptNew, Duration.ofSeconds(10));
    }

    @Test
    void exec_nastyArgvRoundTripsExactly() throws Exception {
        List<String> argv = new ArrayList<>(List.of("printf", "<%s>"));
        argv.addAll(ShellQuoteTest.NASTY);
        ExecResult r = conn.exec(argv);
        StringBuilder expected = new StringBuilder();
        ShellQuoteTest.NASTY.forEach(a -> expected.append('<').append(a).append('>'));
        assertEquals(expected.toString(), r.stdout());
        assertEquals(0, r.exitStatus());
        assertEquals(argv, r.argv());
    }

    @Test
    void login_socketHasTcpNoDelay() throws Exception {
        net.schmizz.sshj.SSHClient c = SshLogin.open("node1", settings(server.knownHostsFile(), server.clientKeyFile(), false));
        try {
            assertTrue(c.getSocket().getTcpNoDelay(), "channel opens must not wait for a delayed ACK (Nagle)");
            assertEquals("ok\n", new String(c.startSession().exec("echo ok").getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        } finally {
            c.close();
        }
    }

    @Test
    void exec_exitStatusAndStderr() throws Exception {
        ExecResult r = conn.exec(List.of("sh", "-c", "echo out; echo 'bad thing' >&2; exit 42"));
        assertEquals(42, r.exitStatus());
        assertEquals("out\n", r.stdout());
        assertEquals("bad thing\n", r.stderr());
        assertEquals("exit status 42: bad thing", r.failureSummary());
    }

    @Test
    void exec_stdinStreamed() throws Exception {
        byte[] in = new byte[1_500_000];
        new Random(3).nextBytes(in);
        ExecResult r = conn.exec(List.of("sh", "-c", "wc -c; echo done >&2"), ExecOptions.defaults().withStdin(in));
        assertEquals("1500000", r.stdout().strip());
        ExecResult text = conn.exec(List.of("cat"), ExecOptions.defaults().withStdin("ünï\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("ünï\n", text.stdout());
        assertEquals("", conn.exec(List.of("cat")).stdout(), "no stdin means EOF at once");
    }

    @Test
    void exec_bigOutputBothStreams() throws Exception {
        ExecResult r = conn.exec(List.of("sh", "-c", "yes 0123456789 | head -c 5000000; yes e | head -c 3000000 >&2"));
        assertEquals(5_000_000, r.stdout().length());
        assertEquals(3_000_000, r.stderr().length());
    }

    @Test
    void exec_envAndCwdPrefixes() throws Exception {
        ExecOptions o = ExecOptions.defaults().withEnv(Map.of("RP_A", "x y'z", "RP_B", "$HOME")).withCwd(tmp.toString());
        assertEquals("cd " + ShellQuote.quote(tmp.toString()) + " && env 'RP_A=x y'\"'\"'z' 'RP_B=$HOME' sh -c 'printf %s\\| \"$RP_A\" \"$RP_B\"; pwd'",
                SshConnection.commandLine(List.of("sh", "-c", "printf %s\\| \"$RP_A\" \"$RP_B\"; pwd"), o));
        ExecResult r = conn.exec(List.of("sh", "-c", "printf %s\\| \"$RP_A\" \"$RP_B\"; pwd"), o);
        assertEquals("x y'z|$HOME|" + tmp.toRealPath() + "\n", r.stdout());
        assertThrows(IllegalArgumentException.class,
                () -> conn.exec(List.of("true"), ExecOptions.defaults().withEnv(Map.of("A B", "x"))));
    }

    @Test
    void exec_missingCwdFailsWithStatus() throws Exception {
        ExecResult r = conn.exec(List.of("true"), ExecOptions.defaults().withCwd(tmp.resolve("missing").toString()));
        assertTrue(r.exitStatus() != 0);
    }

    @Test
    void exec_timeoutKillsAndConnectionStaysUsable() throws Exception {
        long start = System.nanoTime();
        CommandTimeoutException e = assertThrows(CommandTimeoutException.class,
                () -> conn.exec(List.of("sh", "-c", "echo begun; sleep 60"), ExecOptions.defaults().withTimeout(Duration.ofSeconds(1))));
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 20);
        assertNull(e.partialResult().exitStatus());
        assertEquals("begun\n", e.partialResult().stdout());
        assertTrue(e.getMessage().startsWith("node1 (" + server.user() + "@127.0.0.1:" + server.port() + "): sh did not finish"),
                e.getMessage());
        assertEquals("ok\n", conn.exec(List.of("echo", "ok")).stdout());
    }

    @Test
    void exec_reusesOneSshSession() throws Exception {
        int before = server.sessionsCreated();
        for (int i = 0; i < 5; i++) {
            assertEquals(i + "\n", conn.exec(List.of("echo", String.valueOf(i))).stdout());
        }
        conn.stat("/");
        assertEquals(before, server.sessionsCreated(), "no new TCP/SSH session for further commands");
    }

    @Test
    void exec_concurrentFromFourThreads() throws Exception {
        int before = server.sessionsCreated();
        List<String> errors = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String tag = "thread" + t;
            Thread th = new Thread(() -> {
                try {
                    for (int k = 0; k < 5; k++) {
                        ExecResult r = conn.exec(List.of("sh", "-c", "sleep 0.05; printf '%s' \"$1\"", "sh", tag + "-" + k));
                        if (!r.stdout().equals(tag + "-" + k) || r.exitStatus() != 0) {
                            errors.add(tag + k + ": " + r);
                        }
                    }
                } catch (ConnectionException e) {
                    errors.add(e.getMessage());
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(60_000);
        }
        assertEquals(List.of(), errors);
        assertEquals(before, server.sessionsCreated());
    }

    @Test
    void sftp_mkdirs_concurrentCallersOfTheSameTree_allSucceed() throws Exception {
        // Two nodes storing into one content store create the same <store>/<xx>/ directories at
        // once through the storage host's one connection.
        for (int round = 0; round < 5; round++) {
            Path base = tmp.resolve("race" + round);
            List<String> dirs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                dirs.add(base.resolve("store/ab/c" + (i % 2)).toString());
            }
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(dirs.size());
            List<Thread> threads = new ArrayList<>();
            for (String d : dirs) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        conn.mkdirs(d);
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(List.of(), errors);
            assertTrue(Files.isDirectory(base.resolve("store/ab/c0")) && Files.isDirectory(base.resolve("store/ab/c1")));
        }
        Files.writeString(tmp.resolve("file"), "x");
        ConnectionException e = assertThrows(ConnectionException.class, () -> conn.mkdirs(tmp.resolve("file/sub").toString()));
        assertTrue(e.getMessage().contains("cannot create directory"), e.getMessage());
    }

    @Test
    void sftp_largeFileStreamsBothWays() throws Exception {
        String dir = tmp.resolve("x/y/z").toString();
        conn.mkdirs(dir);
        conn.mkdirs(dir);
        byte[] data = new byte[6 * 1024 * 1024 + 123];
        new Random(11).nextBytes(data);
        try (OutputStream out = conn.openWrite(dir + "/big.bin")) {
            for (int off = 0; off < data.length; off += 10_000) {
                out.write(data, off, Math.min(10_000, data.length - off));
            }
        }
        assertArrayEquals(sha256(data), sha256(Files.readAllBytes(Path.of(dir, "big.bin"))), "written via SFTP");
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream in = conn.openRead(dir + "/big.bin")) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
                total += n;
            }
        }
        assertEquals(data.length, total);
        assertArrayEquals(sha256(data), md.digest(), "read via SFTP");

        FileStat st = conn.stat(dir + "/big.bin").orElseThrow();
        assertEquals(FileStat.Type.FILE, st.type());
        assertEquals(data.length, st.size());
        assertEquals("big.bin", st.name());
        assertEquals(Files.getLastModifiedTime(Path.of(dir, "big.bin")).toMillis() / 1000, st.mtimeMillis() / 1000);

        conn.rename(dir + "/big.bin", dir + "/moved.bin");
        assertEquals(Optional.empty(), conn.stat(dir + "/big.bin"));
        assertEquals(data.length, Files.size(Path.of(dir, "moved.bin")));
    }

    @Test
    void sftp_listStatDeleteRename() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("l"));
        Files.writeString(d.resolve("b.txt"), "bee");
        Files.writeString(d.resolve("a.txt"), "a");
        Files.createDirectory(d.resolve("c"));
        Files.createSymbolicLink(d.resolve("s"), d.resolve("c"));

        List<FileStat> ls = conn.list(d.toString());
        assertEquals(List.of("a.txt", "b.txt", "c", "s"), ls.stream().map(FileStat::name).toList());
        assertEquals(d + "/b.txt", ls.get(1).path());
        assertEquals(3, ls.get(1).size());
        assertEquals(FileStat.Type.DIRECTORY, ls.get(2).type());
        assertEquals(FileStat.Type.SYMLINK, ls.get(3).type());
        assertEquals(FileStat.Type.SYMLINK, conn.stat(d + "/s").orElseThrow().type(), "stat does not follow links");
        assertEquals(List.of(), conn.list(d + "/missing"));
        assertEquals(Optional.empty(), conn.stat(d + "/missing"));

        assertEquals("bee", new String(conn.readAll(d + "/b.txt"), StandardCharsets.UTF_8));
        conn.writeAll(d + "/b.txt", "new".getBytes(StandardCharsets.UTF_8));
        assertEquals("new", Files.readString(d.resolve("b.txt")), "openWrite truncates");

        ConnectionException exists = assertThrows(ConnectionException.class, () -> conn.rename(d + "/a.txt", d + "/b.txt"));
        assertTrue(exists.getMessage().contains("target already exists"), exists.getMessage());

        conn.delete(d + "/s");
        assertTrue(Files.isDirectory(d.resolve("c")));
        conn.delete(d + "/c");
        conn.delete(d + "/a.txt");
        conn.delete(d + "/a.txt");
        assertEquals(List.of("b.txt"), conn.list(d.toString()).stream().map(FileStat::name).toList());
        assertThrows(ConnectionException.class, () -> conn.delete(d.toString()), "directory not empty");
    }

    @Test
    void sftp_concurrentReadsFromFourThreads() throws Exception {
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] b = new byte[700_000 + i];
            new Random(i).nextBytes(b);
            Files.write(tmp.resolve("f" + i), b);
            contents.add(b);
        }
        List<String> errors = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            Thread th = new Thread(() -> {
                try {
                    for (int k = 0; k < 3; k++) {
                        byte[] got = conn.readAll(tmp.resolve("f" + n).toString());
                        if (!java.util.Arrays.equals(contents.get(n), got)) {
                            errors.add("f" + n + " differs");
                        }
                        if (conn.list(tmp.toString()).size() < 4) {
                            errors.add("short listing");
                        }
                    }
                } catch (ConnectionException e) {
                    errors.add(e.getMessage());
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join(60_000);
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void openRead_missingFileFailsClearly() {
        ConnectionException e = assertThrows(ConnectionException.class, () -> conn.openRead(tmp + "/nope"));
        assertTrue(e.getMessage().endsWith("cannot read " + tmp + "/nope: no such file or directory"), e.getMessage());
    }

    @Test
    void connect_unknownHostKeyIsUnreachable() throws Exception {
        Path kh = Files.writeString(tmp.resolve("kh"), "");
        UnreachableException e = assertThrows(UnreachableException.class,
                () -> SshConnection.connect("node1", settings(kh, server.clientKeyFile(), false)));
        assertTrue(e.getMessage().startsWith("node1 (" + server.user() + "@127.0.0.1:" + server.port() + "): host key"), e.getMessage());
        assertTrue(e.getMessage().contains("is not in known_hosts"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void connect_missingKnownHostsFileIsUnknown() {
        UnreachableException e = assertThrows(UnreachableException.class,
                () -> SshConnection.connect("node1", settings(tmp.resolve("none/known_hosts"), server.clientKeyFile(), false)));
        assertTrue(e.getMessage().contains("is not in known_hosts"), e.getMessage());
    }

    @Test
    void connect_changedHostKeyRefusedEvenInAcceptNewMode() throws Exception {
        String other = PublicKeyEntry.toString(EmbeddedSshServer.newKeyPair().getPublic());
        Path kh = Files.writeString(tmp.resolve("kh"), "[127.0.0.1]:" + server.port() + " " + other + "\n");
        for (boolean acceptNew : new boolean[] {false, true}) {
            UnreachableException e = assertThrows(UnreachableException.class,
                    () -> SshConnection.connect("node1", settings(kh, server.clientKeyFile(), acceptNew)));
            assertTrue(e.getMessage().contains("HOST KEY CHANGED"), e.getMessage());
        }
        assertEquals(1, Files.readAllLines(kh).size(), "known_hosts untouched");
    }

    @Test
    void connect_acceptNewRecordsKey() throws Exception {
        Path kh = tmp.resolve("dir/known_hosts");
        try (SshConnection c = SshConnection.connect("node1", settings(kh, server.clientKeyFile(), true))) {
            assertEquals("hi\n", c.exec(List.of("echo", "hi")).stdout());
        }
        List<String> lines = Files.readAllLines(kh);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith("[127.0.0.1]:" + server.port() + " ecdsa-sha2-nistp256 "), lines.get(0));
        assertEquals(server.knownHostsLine().split(" ")[2], lines.get(0).split(" ")[2]);
        try (SshConnection c = SshConnection.connect("node1", settings(kh, server.clientKeyFile(), false))) {
            assertEquals(0, c.exec(List.of("true")).exitStatus());
        }
        try (SshConnection c = SshConnection.connect("node1", settings(kh, server.clientKeyFile(), true))) {
            assertEquals(0, c.exec(List.of("true")).exitStatus());
        }
        assertEquals(1, Files.readAllLines(kh).size(), "a known key is not recorded twice");
    }

    @Test
    void connect_wrongClientKeyIsUnreachable() throws Exception {
        Path key = EmbeddedSshServer.writePrivateKey(EmbeddedSshServer.newKeyPair(), tmp.resolve("other_key"));
        UnreachableException e = assertThrows(UnreachableException.class,
                () -> SshConnection.connect("node1", settings(server.knownHostsFile(), key, false)));
        assertTrue(e.getMessage().contains("authentication failed for user " + server.user()), e.getMessage());
    }

    @Test
    void connect_missingKeyFileIsUnreachable() {
        UnreachableException e = assertThrows(UnreachableException.class,
                () -> SshConnection.connect("node1", settings(server.knownHostsFile(), tmp.resolve("nokey"), false)));
        assertTrue(e.getMessage().contains("private key file " + tmp.resolve("nokey") + " does not exist"), e.getMessage());
    }

    @Test
    void connect_refusedPortIsUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        SshConnection.Settings s = new SshConnection.Settings("127.0.0.1", port, "u", List.of(server.clientKeyFile()),
                server.knownHostsFile(), false, Duration.ofSeconds(5));
        UnreachableException e = assertThrows(UnreachableException.class, () -> SshConnection.connect("db9", s));
        assertEquals("db9 (u@127.0.0.1:" + port + "): connection refused", e.getMessage());
    }

    @Test
    void exec_noExitStatusIsNull() throws Exception {
        server.withholdExitStatus(true);
        try {
            ExecResult r = conn.exec(List.of("sh", "-c", "echo partial; exit 9"));
            assertNull(r.exitStatus());
            assertEquals("partial\n", r.stdout());
            assertEquals("no exit status: partial", r.failureSummary());
        } finally {
            server.withholdExitStatus(false);
        }
        assertEquals(9, conn.exec(List.of("sh", "-c", "exit 9")).exitStatus());
    }

    @Test
    void exec_reconnectsAfterServerDroppedTheLink() throws Exception {
        try (SshConnection c = SshConnection.connect("node1", settings(server.knownHostsFile(), server.clientKeyFile(), false))) {
            assertEquals("1\n", c.exec(List.of("echo", "1")).stdout());
            c.stat("/");
            int before = server.sessionsCreated();
            server.dropConnections();
            assertEquals("2\n", c.exec(List.of("echo", "2")).stdout());
            assertTrue(c.stat("/").isPresent());
            assertTrue(server.sessionsCreated() > before, "a new session was opened");
        }
        // the shared connection of the other tests was dropped too: it reconnects as well
        assertEquals("3\n", conn.exec(List.of("echo", "3")).stdout());
    }

    @Test
    void close_furtherCallsFail() throws Exception {
        SshConnection c = SshConnection.connect("node1", settings(server.knownHostsFile(), server.clientKeyFile(), false));
        c.close();
        c.close();
        ConnectionException e = assertThrows(ConnectionException.class, () -> c.exec(List.of("true")));
        assertTrue(e.getMessage().contains("closed"));
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    @Test
    void interrupt_signalsTheRemoteCommandWhichDies_andRefusesNewCommands() throws Exception {
        String marker = ProcessTable.newMarker();
        SshConnection c = SshConnection.connect("node1", settings(server.knownHostsFile(), server.clientKeyFile(), false));
        var thrown = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread t = new Thread(() -> {
            try {
                c.exec(List.of("sh", "-c", "echo up; sleep 300 & sleep 300; wait"),
                        ExecOptions.defaults().withEnv(Map.of(ProcessTable.MARKER_VAR, marker)));
                thrown.set(new AssertionError("exec returned normally"));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        try {
            t.start();
            assertTrue(ProcessTable.awaitAtLeast(marker, 3, 10), "the remote command did not start");
            long t0 = System.nanoTime();
            c.interrupt();
            t.join(15_000);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(thrown.get() instanceof CommandInterruptedException, String.valueOf(thrown.get()));
            // the TERM signal ended it, not the channel close that follows the grace
            assertTrue(ms < Connection.KILL_GRACE_MILLIS, "took " + ms + " ms");
            assertTrue(server.signals().contains("TERM"), server.signals().toString());
            assertEquals("up\n", ((CommandInterruptedException) thrown.get()).partialResult().stdout());
            assertEquals(List.of(), ProcessTable.survivorsAfter(marker, 3));
            assertThrows(CommandInterruptedException.class, () -> c.exec(List.of("true")));
        } finally {
            ProcessTable.killAll(marker);
            c.close();
        }
    }
}
