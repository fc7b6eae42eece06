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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import dev.ringplan.engine.testing.ProcessTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalConnectionTest {
    final LocalConnection conn = new LocalConnection("ctl");

    @TempDir
    Path tmp;

    /** A rename is rename(2): within one file system it moves, across two it fails, never copies. */
    @Test
    void rename_neverCopiesAcrossFileSystems() throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        conn.rename(f.toString(), tmp.resolve("g").toString());
        assertEquals("x", Files.readString(tmp.resolve("g")));
        assertFalse(Files.exists(f));
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && !Files.getFileStore(shm).equals(Files.getFileStore(tmp))) {
            Path other = shm.resolve("ringplan-rename-" + System.nanoTime());
            try {
                ConnectionException e = assertThrows(ConnectionException.class,
                        () -> conn.rename(tmp.resolve("g").toString(), other.toString()));
                assertTrue(e.getMessage().contains("cannot rename"), e.getMessage());
                assertFalse(Files.exists(other), "not copied");
                assertEquals("x", Files.readString(tmp.resolve("g")), "the source stays");
            } finally {
                Files.deleteIfExists(other);
            }
        }
    }

    @Test
    void exec_statusStdoutStderr() throws Exception {
        ExecResult r = conn.exec(List.of("sh", "-c", "echo out; echo err >&2; exit 3"));
        assertEquals(3, r.exitStatus());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        assertFalse(r.ok());
        assertEquals("exit status 3: err", r.failureSummary());
        assertEquals("ctl", conn.host());
    }

    @Test
    void exec_argvPassedWithoutShell() throws Exception {
        List<String> nasty = ShellQuoteTest.NASTY;
        List<String> argv = new java.util.ArrayList<>(List.of("printf", "<%s>"));
        argv.addAll(nasty);
        ExecResult r = conn.exec(argv);
        StringBuilder expected = new StringBuilder();
        nasty.forEach(a -> expected.append('<').append(a).append('>'));
        assertEquals(expected.toString(), r.stdout());
        assertTrue(r.ok());
    }

    @Test
    void exec_stdinFed() throws Exception {
        byte[] in = "hello\nwörld\n".getBytes(StandardCharsets.UTF_8);
        ExecResult r = conn.exec(List.of("cat"), ExecOptions.defaults().withStdin(in));
        assertEquals("hello\nwörld\n", r.stdout());
    }

    @Test
    void exec_noStdinGivesEof() throws Exception {
        ExecResult r = conn.exec(List.of("cat"), ExecOptions.defaults().withTimeout(Duration.ofSeconds(20)));
        assertEquals(0, r.exitStatus());
        assertEquals("", r.stdout());
    }

    @Test
    void exec_largeStdinAndBothOutputsLarge() throws Exception {
        byte[] in = new byte[3_000_000];
        new Random(1).nextBytes(in);
        ExecResult r = conn.exec(List.of("sh", "-c", "wc -c; yes 0123456789 | head -c 6000000; yes e | head -c 4000000 >&2"),
                ExecOptions.defaults().withStdin(in).withTimeout(Duration.ofSeconds(60)));
        assertEquals(0, r.exitStatus());
        assertTrue(r.stdout().startsWith("3000000\n"), r.stdout().substring(0, 20));
        assertEquals(8 + 6_000_000, r.stdout().length());
        assertEquals(4_000_000, r.stderr().length());
    }

    @Test
    void exec_envAndCwd() throws Exception {
        ExecResult r = conn.exec(List.of("sh", "-c", "printf '%s|' \"$RP_TEST\"; pwd"),
                ExecOptions.defaults().withEnv(Map.of("RP_TEST", "a b$c")).withCwd(tmp.toString()));
        assertEquals("a b$c|" + tmp.toRealPath() + "\n", r.stdout());
    }

    @Test
    void exec_missingCwdFails() {
        ConnectionException e = assertThrows(ConnectionException.class,
                () -> conn.exec(List.of("true"), ExecOptions.defaults().withCwd(tmp.resolve("nope").toString())));
        assertTrue(e.getMessage().contains("working directory"), e.getMessage());
    }

    @Test
    void exec_missingProgramIs127() throws Exception {
        ExecResult r = conn.exec(List.of("ringplan-no-such-program-xyz", "a"));
        assertEquals(127, r.exitStatus());
        assertTrue(r.stderr().contains("command not found"));
    }

    @Test
    void exec_nonExecutableIs126() throws Exception {
        Path f = Files.writeString(tmp.resolve("script"), "#!/bin/sh\necho hi\n");
        ExecResult r = conn.exec(List.of(f.toString()));
        assertEquals(126, r.exitStatus(), "no execute bit, even for root");
    }

    @Test
    void exec_timeoutKillsProcessTree() throws Exception {
        long start = System.nanoTime();
        CommandTimeoutException e = assertThrows(CommandTimeoutException.class,
                () -> conn.exec(List.of("sh", "-c", "sleep 60 & echo $!; wait"),
                        ExecOptions.defaults().withTimeout(Duration.ofMillis(700))));
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 30);
        assertNull(e.partialResult().exitStatus());
        long sleepPid = Long.parseLong(e.partialResult().stdout().strip());
        Optional<ProcessHandle> h = ProcessHandle.of(sleepPid);
        if (h.isPresent()) {
            h.get().onExit().get(10, TimeUnit.SECONDS);
        }
        assertFalse(ProcessHandle.of(sleepPid).map(ProcessHandle::isAlive).orElse(false), "grandchild survived");
        assertEquals(Duration.ofMillis(700), e.timeout());
    }

    @Test
    void exec_detachedGrandchildDoesNotBlock() throws Exception {
        long start = System.nanoTime();
        // the background sleep inherits stdout/stderr and keeps them open after sh exits
        ExecResult r = conn.exec(List.of("sh", "-c", "sleep 30 & echo $!; echo started"),
                ExecOptions.defaults().withTimeout(Duration.ofSeconds(25)));
        long secs = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        String[] lines = r.stdout().split("\n");
        ProcessHandle.of(Long.parseLong(lines[0])).ifPresent(ProcessHandle::destroyForcibly);
        assertTrue(secs < 10, "exec waited " + secs + " s for the grandchild");
        assertEquals("started", lines[1]);
        assertEquals(0, r.exitStatus());
    }

    @Test
    void exec_concurrentCalls() throws Exception {
        List<Thread> threads = new java.util.ArrayList<>();
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < 4; i++) {
            String tag = "t" + i;
            Thread t = new Thread(() -> {
                try {
                    for (int k = 0; k < 5; k++) {
                        ExecResult r = conn.exec(List.of("echo", tag + k));
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
            t.join();
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void files_writeReadStatListRenameDelete() throws Exception {
        String dir = tmp.resolve("a/b").toString();
        conn.mkdirs(dir);
        conn.mkdirs(dir);
        byte[] data = new byte[2_500_000];
        new Random(7).nextBytes(data);
        try (OutputStream out = conn.openWrite(dir + "/z.bin")) {
            for (int off = 0; off < data.length; off += 7000) {
                out.write(data, off, Math.min(7000, data.length - off));
            }
        }
        try (InputStream in = conn.openRead(dir + "/z.bin")) {
            assertArrayEquals(data, in.readAllBytes());
        }
        conn.writeAll(dir + "/a.txt", "x".getBytes(StandardCharsets.UTF_8));
        conn.mkdirs(dir + "/m");
        Files.createSymbolicLink(Path.of(dir, "link"), Path.of(dir, "m"));

        FileStat z = conn.stat(dir + "/z.bin").orElseThrow();
        assertEquals(FileStat.Type.FILE, z.type());
        assertEquals(data.length, z.size());
        assertEquals("z.bin", z.name());
        assertTrue(Math.abs(z.mtimeMillis() - System.currentTimeMillis()) < 60_000);
        assertEquals(FileStat.Type.SYMLINK, conn.stat(dir + "/link").orElseThrow().type());
        assertEquals(FileStat.Type.DIRECTORY, conn.stat(dir).orElseThrow().type());
        assertEquals(Optional.empty(), conn.stat(dir + "/missing"));

        assertEquals(List.of("a.txt", "link", "m", "z.bin"), conn.list(dir).stream().map(FileStat::name).toList());
        assertEquals(dir + "/a.txt", conn.list(dir).get(0).path());
        assertEquals(List.of(), conn.list(dir + "/missing"));

        conn.rename(dir + "/a.txt", dir + "/b.txt");
        assertEquals("x", new String(conn.readAll(dir + "/b.txt"), StandardCharsets.UTF_8));
        ConnectionException exists = assertThrows(ConnectionException.class, () -> conn.rename(dir + "/b.txt", dir + "/z.bin"));
        assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());

        conn.delete(dir + "/b.txt");
        conn.delete(dir + "/b.txt");
        conn.delete(dir + "/link");
        assertTrue(Files.isDirectory(Path.of(dir, "m")), "deleting a symlink must not touch its target");
        ConnectionException notEmpty = assertThrows(ConnectionException.class, () -> conn.delete(dir));
        assertTrue(notEmpty.getMessage().contains("not empty"), notEmpty.getMessage());
    }

    @Test
    void openRead_missingFileFailsClearly() {
        ConnectionException e = assertThrows(ConnectionException.class, () -> conn.openRead(tmp + "/nope"));
        assertEquals("ctl: cannot read " + tmp + "/nope: no such file or directory", e.getMessage());
    }

    @Test
    void close_furtherCallsFail() {
        LocalConnection c = new LocalConnection("x");
        c.close();
        assertThrows(ConnectionException.class, () -> c.exec(List.of("true")));
        assertThrows(ConnectionException.class, () -> c.stat("/"));
    }

    // ---- interrupts ----

    /** Runs {@code argv} on {@code c} on a new thread; the returned holder gets what exec threw. */
    private static Thread execInBackground(LocalConnection c, List<String> argv, String marker,
                                           java.util.concurrent.atomic.AtomicReference<Throwable> thrown) {
        Thread t = new Thread(() -> {
            try {
                c.exec(argv, ExecOptions.defaults().withEnv(Map.of(ProcessTable.MARKER_VAR, marker)));
                thrown.set(new AssertionError("exec returned normally"));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        return t;
    }

    @Test
    void interrupt_killsTheWholeProcessGroupEvenReparentedGrandchildren() throws Exception {
        String marker = ProcessTable.newMarker();
        LocalConnection c = new LocalConnection("ctl");
        var thrown = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        // '(sleep 300 &)': the subshell exits at once, so that sleep is reparented away from us
        // (no longer a descendant of this JVM) but stays in the command's process group
        Thread t = execInBackground(c, List.of("sh", "-c", "(sleep 300 &); sleep 300 & wait"), marker, thrown);
        try {
            assertTrue(ProcessTable.awaitAtLeast(marker, 3, 10), "the command did not start");
            java.util.Set<Long> ours = new java.util.HashSet<>();
            ProcessHandle.current().descendants().forEach(p -> ours.add(p.pid()));
            assertTrue(ProcessTable.marked(marker).stream().anyMatch(p -> !ours.contains(p.pid())),
                    "expected a grandchild outside this JVM's descendants");

            long t0 = System.nanoTime();
            c.interrupt();
            t.join(10_000);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertFalse(t.isAlive(), "exec still running 10 s after interrupt()");
            assertTrue(thrown.get() instanceof CommandInterruptedException, String.valueOf(thrown.get()));
            assertTrue(ms < 5000, "took " + ms + " ms");
            assertEquals(List.of(), ProcessTable.survivorsAfter(marker, 3));
            CommandInterruptedException later = assertThrows(CommandInterruptedException.class,
                    () -> c.exec(List.of("true")));
            assertTrue(later.getMessage().contains("not started"), later.getMessage());
            assertNull(later.partialResult());
        } finally {
            ProcessTable.killAll(marker);
        }
    }

    @Test
    void interrupt_termFirstThenKillAfterTheGrace() throws Exception {
        String marker = ProcessTable.newMarker();
        LocalConnection c = new LocalConnection("ctl");
        var thrown = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Path log = tmp.resolve("trapped");
        // the command ignores nothing but records TERM, then keeps running: KILL must follow
        Thread t = execInBackground(c, List.of("sh", "-c",
                "trap 'echo term >> " + log + "' TERM; echo up; while true; do sleep 1; done"), marker, thrown);
        try {
            assertTrue(ProcessTable.awaitAtLeast(marker, 2, 10), "the command did not start");
            long t0 = System.nanoTime();
            c.interrupt();
            t.join(15_000);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertFalse(t.isAlive());
            assertTrue(ms >= Connection.KILL_GRACE_MILLIS - 200 && ms < Connection.KILL_GRACE_MILLIS + 5000,
                    "took " + ms + " ms");
            assertTrue(Files.readString(log).startsWith("term\n"), "no SIGTERM before the SIGKILL");
            CommandInterruptedException e = (CommandInterruptedException) thrown.get();
            assertEquals("up\n", e.partialResult().stdout());
            assertEquals(List.of(), ProcessTable.survivorsAfter(marker, 3));
        } finally {
            ProcessTable.killAll(marker);
        }
    }

    @Test
    void exec_threadInterruptStopsTheCommandGroup() throws Exception {
        String marker = ProcessTable.newMarker();
        LocalConnection c = new LocalConnection("ctl");
        var thrown = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread t = execInBackground(c, List.of("sh", "-c", "sleep 300 & sleep 300; wait"), marker, thrown);
        try {
            assertTrue(ProcessTable.awaitAtLeast(marker, 3, 10), "the command did not start");
            t.interrupt();
            t.join(10_000);
            assertFalse(t.isAlive());
            assertTrue(thrown.get() instanceof CommandInterruptedException, String.valueOf(thrown.get()));
            assertEquals(List.of(), ProcessTable.survivorsAfter(marker, 3));
            // only that command was stopped: the connection still runs commands
            assertEquals(0, c.exec(List.of("true")).exitStatus());
        } finally {
            ProcessTable.killAll(marker);
        }
    }
}
