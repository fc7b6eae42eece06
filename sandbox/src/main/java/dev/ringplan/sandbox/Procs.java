package dev.ringplan.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Linux process and port probes for sandbox nodes, read from {@code /proc} (proc(5): the state
 * letter is the field after the parenthesised command in {@code /proc/<pid>/stat}; the argv is
 * NUL-separated in {@code /proc/<pid>/cmdline}; {@code VmRSS} in {@code /proc/<pid>/status} is in kB).
 */
final class Procs {
    private Procs() {
    }

    /** The output of a finished command. */
    record Output(int exitCode, String text, boolean timedOut) {
    }

    /**
     * True when {@code pid} is a live, non-zombie process whose argv contains {@code arg} as one
     * whole element (how a node's JVM is told apart from a recycled PID).
     */
    static boolean isAlive(long pid, String arg) {
        if (pid <= 0) {
            return false;
        }
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            String stat = Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8);
            int close = stat.lastIndexOf(')');
            if (close < 0 || close + 2 >= stat.length()) {
                return false;
            }
            char state = stat.charAt(close + 2);
            if (state == 'Z' || state == 'X') {
                return false;
            }
            return argv(proc).contains(arg);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** The PID recorded in {@code pidFile}, empty when it is missing or not a number. */
    static OptionalLong readPid(Path pidFile) {
        try {
            String s = Files.readString(pidFile, StandardCharsets.UTF_8).trim();
            return s.matches("\\d{1,10}") ? OptionalLong.of(Long.parseLong(s)) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Every live, non-zombie process whose argv has {@code arg} as a whole element, without the
     * ones whose parent matches too. A process that forks (a shell running {@code sleep}, a JVM
     * spawning a helper) has, between fork and exec, a child with the very same argv; that child
     * is part of the node, not a second node.
     */
    static List<Long> findByArg(String arg) {
        List<Long> matching = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.matches("\\d+") && isAlive(Long.parseLong(n), arg)) {
                    matching.add(Long.parseLong(n));
                }
            }
        } catch (IOException e) {
            // no /proc: nothing found
        }
        List<Long> out = new ArrayList<>();
        for (long pid : matching) {
            boolean childOfMatch = ProcessHandle.of(pid).flatMap(ProcessHandle::parent)
                    .map(parent -> matching.contains(parent.pid())).orElse(false);
            if (!childOfMatch) {
                out.add(pid);
            }
        }
        return out;
    }

    /** The resident set size of {@code pid} in KiB ({@code VmRSS}), or -1 when unknown. */
    static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** True when a TCP connection to {@code host:port} succeeds within {@code timeoutMs}. */
    static boolean portOpen(String host, int port, int timeoutMs) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs {@code argv} (no shell), stdin closed, stdout and stderr merged, waiting at most
     * {@code timeout}; a command still running then is killed and reported as timed out.
     *
     * @throws IOException when the program cannot be started
     */
    static Output run(List<String> argv, Duration timeout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(buf);
            } catch (IOException e) {
                // process gone
            }
        }, "ringplan-sandbox-output");
        reader.setDaemon(true);
        reader.start();
        boolean done;
        try {
            done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(2000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv.get(0), e);
        }
        String text;
        synchronized (buf) {
            text = buf.toString(StandardCharsets.UTF_8);
        }
        return new Output(done ? p.exitValue() : -1, text, !done);
    }

    /** The last {@code n} lines of {@code file}, empty when it cannot be read. */
    static List<String> tail(Path file, int n) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static List<String> argv(Path proc) throws IOException {
        byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                out.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < raw.length) {
            out.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
        }
        return out;
    }
}
