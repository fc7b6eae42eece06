package dev.ringplan.engine.connection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Process groups for {@link LocalConnection}: starts each command as {@code setsid ARGV...} where
 * the {@code setsid} program exists, so that it leads its own session and process group (whose
 * id is the child's pid), and stops a command by signalling that group with the {@code kill}
 * program ({@code kill -SIG -- -PGID}) as well as the command and its descendants
 * ({@link ProcessHandle#descendants()}). Without {@code setsid} (macOS) only the command and its
 * descendants are signalled. Why groups: see {@link LocalConnection}.
 */
final class LocalProcessGroups {
    /** The setsid program, or null when this system has none. */
    private static final String SETSID = firstExecutable("/usr/bin/setsid", "/bin/setsid", "/usr/local/bin/setsid");
    /** The kill program (procps or busybox), for signals to a process group. */
    private static final String KILL = firstExecutable("/bin/kill", "/usr/bin/kill");

    private LocalProcessGroups() {
    }

    /** True when commands start in their own process group (the setsid program exists). */
    static boolean ownGroups() {
        return SETSID != null;
    }

    /** The argv to start for {@code args}: {@code setsid} in front when it exists, else {@code args}. */
    static List<String> command(List<String> args) {
        if (SETSID == null) {
            return args;
        }
        List<String> command = new ArrayList<>(args.size() + 1);
        command.add(SETSID);
        command.addAll(args);
        return command;
    }

    /**
     * Stops the command {@code p} of an interrupted run: SIGTERM to its group and descendants,
     * up to {@link Connection#KILL_GRACE_MILLIS} for it to exit, then SIGKILL to what is left.
     * Waits uninterruptibly (bounded), keeping the caller's interrupt flag as it was.
     */
    static void stop(Process p) {
        List<ProcessHandle> descendants = p.descendants().toList();
        signalGroup(p, "TERM");
        p.destroy();
        descendants.forEach(ProcessHandle::destroy);
        boolean wasInterrupted = Thread.interrupted();
        try {
            awaitExit(p, Connection.KILL_GRACE_MILLIS);
        } finally {
            killTree(p);
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGKILL to {@code p}'s group, to {@code p} and every descendant; waits (bounded) for {@code p}. */
    static void killTree(Process p) {
        List<ProcessHandle> descendants = p.descendants().toList();
        signalGroup(p, "KILL");
        p.destroyForcibly();
        for (ProcessHandle d : descendants) {
            d.destroyForcibly();
        }
        // a descendant may have forked between the snapshot and the kill of its parent
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        boolean wasInterrupted = Thread.interrupted();
        awaitExit(p, 5000);
        if (wasInterrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to {@code millis} for {@code p} to exit; an interrupt ends the wait early. */
    private static void awaitExit(Process p, long millis) {
        try {
            p.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sends {@code signal} to the process group led by {@code p} (setsid made it one) with the
     * kill program, waiting at most 2 s for it; no-op without setsid or kill. A group that is
     * already empty is not an error.
     */
    private static void signalGroup(Process p, String signal) {
        if (SETSID == null || KILL == null) {
            return;
        }
        try {
            Process k = new ProcessBuilder(KILL, "-" + signal, "--", "-" + p.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!k.waitFor(2, TimeUnit.SECONDS)) {
                k.destroyForcibly();
            }
        } catch (IOException e) {
            // best effort: the descendants are signalled one by one as well
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String firstExecutable(String... paths) {
        for (String p : paths) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }
}
