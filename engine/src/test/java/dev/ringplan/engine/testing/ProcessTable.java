package dev.ringplan.engine.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The process table, searched for a marker that a test puts into its commands' environment
 * (inherited by every descendant, unlike an argument): which of the processes a test started are
 * still alive, wherever they were reparented. Reads {@code /proc/PID/environ} (Linux), so only
 * this user's processes are seen.
 */
public final class ProcessTable {
    /** The environment variable that carries the marker. */
    public static final String MARKER_VAR = "RINGPLAN_TEST_MARKER";

    private ProcessTable() {
    }

    /** A fresh marker value. */
    public static String newMarker() {
        return "rp-test-" + UUID.randomUUID();
    }

    /** Live processes whose environment holds {@code MARKER_VAR=marker}. */
    public static List<ProcessHandle> marked(String marker) {
        byte[] needle = (MARKER_VAR + "=" + marker).getBytes(StandardCharsets.UTF_8);
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                byte[] env = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ"));
                if (indexOf(env, needle) >= 0 && p.isAlive()) {
                    found.add(p);
                }
            } catch (IOException | SecurityException e) {
                // gone meanwhile, or another user's process
            }
        });
        return found;
    }

    /**
     * Waits up to {@code seconds} until at least {@code count} marked processes are alive.
     *
     * @return whether they were
     */
    public static boolean awaitAtLeast(String marker, int count, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (marked(marker).size() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /**
     * Waits up to {@code seconds} until no marked process is alive (a killed process may take a
     * moment to leave the table).
     *
     * @return the survivors as "pid command line", empty when none
     */
    public static List<String> survivorsAfter(String marker, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<ProcessHandle> left = marked(marker);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = marked(marker);
        }
        return left.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
    }

    /** SIGKILL to every marked process (test clean-up). */
    public static void killAll(String marker) {
        marked(marker).forEach(ProcessHandle::destroyForcibly);
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
