package dev.ringplan.engine.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link Connection} contract, one suite for every implementation: a subclass supplies a
 * connection to a host (the controller, the embedded SSH server, a Docker container, the kubectl
 * stand-in) and inherits every test. Everything on the host is done through the connection
 * itself (scratch directories with {@code mktemp -d}, digests with {@code sha256sum}, process
 * checks in {@code /proc}), so the same assertions hold wherever the host is. What differs
 * between implementations is allowed only where the contract leaves room: a missing working
 * directory may be an exception or a non-zero status (SSH only gets the shell's answer).
 */
abstract class ConnectionContract {
    /** A connection to the host under test, shared by the tests of the class. */
    protected abstract Connection connection();

    /** A new connection to the same host, for a test that interrupts or closes it. */
    protected abstract Connection freshConnection() throws Exception;

    /** The inventory hostname the connections report. */
    protected abstract String hostName();

    /** A scratch directory on the host, made with mktemp -d before each test, removed after. */
    protected String dir;

    @BeforeEach
    void makeScratchDir() throws Exception {
        ExecResult r = connection().exec(List.of("mktemp", "-d"));
        assertEquals(0, r.exitStatus(), r.stderr());
        dir = r.stdout().strip();
    }

    @AfterEach
    void removeScratchDir() throws Exception {
        if (dir != null && dir.startsWith("/tmp/")) {
            connection().exec(List.of("rm", "-rf", "--", dir));
        }
    }

    @Test
    void exec_statusStdoutStderr() throws Exception {
        ExecResult r = connection().exec(List.of("sh", "-c", "echo out; echo err >&2; exit 3"));
        assertEquals(3, r.exitStatus());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        assertFalse(r.ok());
        assertEquals("exit status 3: err", r.failureSummary());
        assertEquals(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), r.argv());
        assertEquals(hostName(), connection().host());
    }

    @Test
    void exec_argvReachesTheProgramExactly() throws Exception {
        List<String> argv = new ArrayList<>(List.of("printf", "<%s>"));
        argv.addAll(ShellQuoteTest.NASTY);
        ExecResult r = connection().exec(argv);
        StringBuilder expected = new StringBuilder();
        ShellQuoteTest.NASTY.forEach(a -> expected.append('<').append(a).append('>'));
        assertEquals(expected.toString(), r.stdout());
        assertEquals(0, r.exitStatus());
    }

    @Test
    void exec_stdinFed_noStdinIsEof() throws Exception {
        byte[] in = "hello\nwörld\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("hello\nwörld\n", connection().exec(List.of("cat"), ExecOptions.defaults().withStdin(in)).stdout());
        ExecResult none = connection().exec(List.of("cat"), ExecOptions.defaults().withTimeout(Duration.ofSeconds(20)));
        assertEquals(0, none.exitStatus());
        assertEquals("", none.stdout());
    }

    @Test
    void exec_largeStdinAndBothOutputsLarge() throws Exception {
        byte[] in = new byte[3_000_000];
        new Random(1).nextBytes(in);
        ExecResult r = connection().exec(List.of("sh", "-c",
                        "wc -c; yes 0123456789 | head -c 6000000; yes e | head -c 4000000 >&2"),
                ExecOptions.defaults().withStdin(in).withTimeout(Duration.ofSeconds(120)));
        assertEquals(0, r.exitStatus());
        assertTrue(r.stdout().startsWith("3000000\n"), r.stdout().substring(0, 20));
        assertEquals(8 + 6_000_000, r.stdout().length());
        assertEquals(4_000_000, r.stderr().length());
    }

    @Test
    void exec_envAndCwd() throws Exception {
        ExecResult r = connection().exec(List.of("sh", "-c", "printf '%s|' \"$RP_TEST\"; pwd -P"),
                ExecOptions.defaults().withEnv(Map.of("RP_TEST", "a b$c'\"")).withCwd(dir));
        String real = connection().exec(List.of("realpath", dir)).stdout().strip();
        assertEquals("a b$c'\"|" + real + "\n", r.stdout());
    }

    @Test
    void exec_missingCwdFails() throws Exception {
        try {
            ExecResult r = connection().exec(List.of("true"), ExecOptions.defaults().withCwd(dir + "/nope"));
            assertTrue(r.exitStatus() != null && r.exitStatus() != 0, "ran in a missing directory: " + r);
        } catch (ConnectionException e) {
            assertTrue(e.getMessage().contains(dir + "/nope"), e.getMessage());
        }
    }

    @Test
    void exec_missingProgramIs127() throws Exception {
        assertEquals(127, connection().exec(List.of("ringplan-no-such-program-xyz", "a")).exitStatus());
    }

    @Test
    void exec_timeoutKillsTheCommandAndWhatItStarted_connectionStaysUsable() throws Exception {
        long start = System.nanoTime();
        CommandTimeoutException e = assertThrows(CommandTimeoutException.class,
                () -> connection().exec(List.of("sh", "-c", "sleep 60 & echo $!; wait"),
                        ExecOptions.defaults().withTimeout(Duration.ofMillis(1500))));
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 30);
        assertNull(e.partialResult().exitStatus());
        assertEquals(Duration.ofMillis(1500), e.timeout());
        assertTrue(e.getMessage().startsWith(hostName()), e.getMessage());
        String sleepPid = e.partialResult().stdout().strip();
        assertTrue(sleepPid.matches("\\d+"), "the background sleep's pid, got '" + sleepPid + "'");
        assertTrue(awaitGone(connection(), "pid", sleepPid, 10), "the command's background sleep " + sleepPid
                + " survived the timeout");
        assertEquals("ok\n", connection().exec(List.of("echo", "ok")).stdout());
    }

    @Test
    void exec_concurrentCalls() throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String tag = "t" + i;
            Thread t = new Thread(() -> {
                try {
                    for (int k = 0; k < 5; k++) {
                        ExecResult r = connection().exec(List.of("echo", tag + k));
                        if (!r.stdout().equals(tag + k + "\n")) {
                            errors.add(r.stdout());
                        }
                    }
                } catch (ConnectionException ex) {
                    errors.add(ex.getMessage());
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(120_000);
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void files_writeReadStatListRenameDelete() throws Exception {
        Connection conn = connection();
        String d = dir + "/a/b";
        conn.mkdirs(d);
        conn.mkdirs(d);
        byte[] data = new byte[2_500_000];
        new Random(7).nextBytes(data);
        try (OutputStream out = conn.openWrite(d + "/z.bin")) {
            for (int off = 0; off < data.length; off += 7000) {
                out.write(data, off, Math.min(7000, data.length - off));
            }
        }
        try (InputStream in = conn.openRead(d + "/z.bin")) {
            assertArrayEquals(data, in.readAllBytes());
        }
        conn.writeAll(d + "/a.txt", "x".getBytes(StandardCharsets.UTF_8));
        conn.mkdirs(d + "/m");
        assertEquals(0, conn.exec(List.of("ln", "-s", d + "/m", d + "/link")).exitStatus());
        conn.writeAll(d + "/sp ace\nnl", new byte[] {1});

        FileStat z = conn.stat(d + "/z.bin").orElseThrow();
        assertEquals(FileStat.Type.FILE, z.type());
        assertEquals(data.length, z.size());
        assertEquals("z.bin", z.name());
        assertEquals(d + "/z.bin", z.path());
        assertTrue(Math.abs(z.mtimeMillis() - System.currentTimeMillis()) < 120_000, "mtime " + z.mtimeMillis());
        assertEquals(FileStat.Type.SYMLINK, conn.stat(d + "/link").orElseThrow().type());
        assertEquals(FileStat.Type.DIRECTORY, conn.stat(d).orElseThrow().type());
        assertEquals(Optional.empty(), conn.stat(d + "/missing"));

        assertEquals(List.of("a.txt", "link", "m", "sp ace\nnl", "z.bin"), conn.list(d).stream().map(FileStat::name).toList());
        assertEquals(d + "/a.txt", conn.list(d).get(0).path());
        assertEquals(List.of(), conn.list(d + "/missing"));

        conn.rename(d + "/a.txt", d + "/b.txt");
        assertEquals("x", new String(conn.readAll(d + "/b.txt"), StandardCharsets.UTF_8));
        assertEquals(Optional.empty(), conn.stat(d + "/a.txt"));
        ConnectionException exists = assertThrows(ConnectionException.class, () -> conn.rename(d + "/b.txt", d + "/z.bin"));
        assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());
        assertEquals(1, conn.readAll(d + "/b.txt").length, "a refused rename leaves the source");

        conn.delete(d + "/b.txt");
        conn.delete(d + "/b.txt");
        conn.delete(d + "/link");
        assertEquals(FileStat.Type.DIRECTORY, conn.stat(d + "/m").orElseThrow().type(),
                "deleting a symlink must not touch its target");
        ConnectionException notEmpty = assertThrows(ConnectionException.class, () -> conn.delete(d));
        assertTrue(notEmpty.getMessage().contains("not empty"), notEmpty.getMessage());
    }

    @Test
    void openRead_andOpenWrite_failClearlyAtOpen() {
        ConnectionException r = assertThrows(ConnectionException.class, () -> connection().openRead(dir + "/nope"));
        assertTrue(r.getMessage().startsWith(hostName()), r.getMessage());
        assertTrue(r.getMessage().contains(": cannot read " + dir + "/nope"), r.getMessage());
        assertTrue(r.getMessage().contains("no such file"), r.getMessage());
        ConnectionException w = assertThrows(ConnectionException.class,
                () -> connection().openWrite(dir + "/missing-parent/f"));
        assertTrue(w.getMessage().contains("cannot write " + dir + "/missing-parent/f"), w.getMessage());
    }

    /** 48 MiB each way through the streams, checked with sha256sum on the host. */
    @Test
    void streams_largeFileBothWays_digestsEqual() throws Exception {
        Connection conn = connection();
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[1 << 20];
        Random rnd = new Random(11);
        try (OutputStream out = conn.openWrite(dir + "/big.bin")) {
            for (int i = 0; i < 48; i++) {
                rnd.nextBytes(chunk);
                md.update(chunk);
                out.write(chunk);
            }
        }
        String written = HexFormat.of().formatHex(md.digest());
        assertEquals(written, sha256sum(conn, dir + "/big.bin"));
        try (InputStream in = conn.openRead(dir + "/big.bin")) {
            byte[] buf = new byte[65536];
            int n;
            long total = 0;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                total += n;
            }
            assertEquals(48L << 20, total);
        }
        assertEquals(written, HexFormat.of().formatHex(md.digest()));
    }

    /** The data reaches the host while the caller still writes: streamed, not staged until close. */
    @Test
    void openWrite_dataArrivesBeforeClose() throws Exception {
        Connection conn = connection();
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = conn.openWrite(dir + "/s.bin")) {
            for (int i = 0; i < 4; i++) {
                out.write(chunk);
            }
            out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long size = 0;
            while (System.nanoTime() < deadline) {
                size = conn.stat(dir + "/s.bin").map(FileStat::size).orElse(0L);
                if (size > 0) {
                    break;
                }
                Thread.sleep(100);
            }
            assertTrue(size > 0, "nothing of 4 MiB written arrived before close");
            out.write(chunk);
        }
        assertEquals(5L << 20, conn.stat(dir + "/s.bin").orElseThrow().size());
    }

    /** A reader that stops early and closes leaves the connection usable and nothing running. */
    @Test
    void openRead_closedEarly() throws Exception {
        Connection conn = connection();
        assertEquals(0, conn.exec(List.of("sh", "-c", "head -c 20000000 /dev/zero > \"$1\"", "sh", dir + "/z")).exitStatus());
        try (InputStream in = conn.openRead(dir + "/z")) {
            assertEquals(10, in.readNBytes(10).length);
        }
        assertEquals("ok\n", conn.exec(List.of("echo", "ok")).stdout());
    }

    @Test
    void interrupt_stopsTheRunningCommandAndRefusesNewOnes() throws Exception {
        Connection c = freshConnection();
        String marker = "RP_CONTRACT_" + System.nanoTime();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                c.exec(List.of("sh", "-c", "echo up; sleep 300 & sleep 300; wait"),
                        ExecOptions.defaults().withEnv(Map.of(marker, "1")));
                thrown.set(new AssertionError("exec returned normally"));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        try {
            t.start();
            assertTrue(awaitPresent(connection(), marker, 20), "the command did not start");
            long t0 = System.nanoTime();
            c.interrupt();
            t.join(20_000);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertFalse(t.isAlive(), "exec still running 20 s after interrupt()");
            assertTrue(thrown.get() instanceof CommandInterruptedException, String.valueOf(thrown.get()));
            assertTrue(ms < Connection.KILL_GRACE_MILLIS + 10_000, "took " + ms + " ms");
            assertTrue(awaitGone(connection(), "env", marker, 10), "processes of the interrupted command survived");
            assertThrows(CommandInterruptedException.class, () -> c.exec(List.of("true")));
        } finally {
            c.close();
        }
    }

    @Test
    void close_furtherCallsFail() throws Exception {
        Connection c = freshConnection();
        c.close();
        c.close();
        assertThrows(ConnectionException.class, () -> c.exec(List.of("true")));
        assertThrows(ConnectionException.class, () -> c.stat("/"));
    }

    // ---- helpers, all through a connection ----

    static String sha256sum(Connection c, String path) throws ConnectionException {
        ExecResult r = c.exec(List.of("sha256sum", path));
        assertEquals(0, r.exitStatus(), r.stderr());
        return r.stdout().split(" ")[0];
    }

    /**
     * Exit 0 while a live (not zombie) process is found: {@code pid} mode checks process $2,
     * {@code env} mode any process whose environment has variable $2.
     */
    private static final String PROCESS_PRESENT = String.join("\n",
            "alive() { s=$(sed -e 's/^.*) //' \"/proc/$1/stat\" 2>/dev/null | cut -c1) && [ -n \"$s\" ] && [ \"$s\" != Z ]; }",
            "if [ \"$1\" = pid ]; then alive \"$2\"; exit; fi",
            "for d in /proc/[0-9]*; do",
            "  p=${d#/proc/}",
            "  [ \"$p\" = $$ ] && continue",
            "  if tr '\\0' '\\n' <\"$d/environ\" 2>/dev/null | grep -q \"^$2=\"; then alive \"$p\" && exit 0; fi",
            "done",
            "exit 1");

    private static boolean present(Connection c, String mode, String what) throws ConnectionException {
        return c.exec(List.of("sh", "-c", PROCESS_PRESENT, "present", mode, what)).exitStatus() == 0;
    }

    static boolean awaitGone(Connection c, String mode, String what, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (present(c, mode, what)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }

    static boolean awaitPresent(Connection c, String marker, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!present(c, "env", marker)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }

    @Test
    void execStream_bigOutputExitStatusStderrQuotingAndEarlyClose() throws Exception {
        Connection c = connection();
        if (refusesStreaming(c)) {
            return;
        }
        // 3 MB through the pipe: more than an SSH channel's window, so reading must release it
        try (CommandStream s = c.execStream(List.of("sh", "-c", "head -c 3000000 /dev/zero; echo \"$0\" >&2; exit 3",
                "it's a \"quoted\" $HOME ü"), ExecOptions.defaults())) {
            byte[] all = s.stdout().readAllBytes();
            assertEquals(3_000_000, all.length);
            ExecResult r = s.finish();
            assertEquals(3, r.exitStatus());
            assertEquals("it's a \"quoted\" $HOME ü", r.stderr().strip());
        }
        // closed unread: the command is stopped and its channel freed, more times than channels exist
        for (int i = 0; i < 10; i++) {
            try (CommandStream s = c.execStream(List.of("sh", "-c", "while :; do echo y; done"), ExecOptions.defaults())) {
                assertTrue(s.stdout().read(new byte[100]) > 0);
            }
        }
        assertEquals(0, c.exec(List.of("true")).exitStatus());
    }

    @Test
    void execStream_interrupt_endsTheOutputAndFinishSaysInterrupted() throws Exception {
        if (refusesStreaming(connection())) {
            return;
        }
        try (Connection c = freshConnection();
             CommandStream s = c.execStream(List.of("sh", "-c", "while :; do echo y; sleep 0.01; done"),
                     ExecOptions.defaults().withTimeout(Duration.ofSeconds(20)))) {
            InputStream out = s.stdout();
            assertTrue(out.read() >= 0);
            long t0 = System.nanoTime();
            c.interrupt();
            byte[] buf = new byte[4096];
            try {
                while (out.read(buf) >= 0) {
                    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15), "output did not end");
                }
            } catch (java.io.IOException closed) {
                // the channel was closed under the reader: also an end
            }
            assertThrows(CommandInterruptedException.class, s::finish);
            assertThrows(CommandInterruptedException.class, () -> c.execStream(List.of("true"), ExecOptions.defaults()));
        }
    }

    /**
     * True, after checking that {@link Connection#execStream} refuses clearly, for a connection
     * that does not stream (the tar module then reads file by file); false for one that does.
     */
    private static boolean refusesStreaming(Connection c) {
        if (c.canStreamExec()) {
            return false;
        }
        ConnectionException e = assertThrows(ConnectionException.class,
                () -> c.execStream(List.of("true"), ExecOptions.defaults()));
        assertTrue(e.getMessage().contains("cannot stream"), e.getMessage());
        return true;
    }
}
