package dev.ringplan.modules.lock;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * This Ringplan process as a lock holder sees it, and whether another holder's process is dead.
 *
 * <p>A holder's process key is {@code <boot id>/<pid namespace>/<pid>/<start ms>}: the kernel's
 * boot id ({@code /proc/sys/kernel/random/boot_id}), the pid namespace
 * ({@code /proc/self/ns/pid}, e.g. {@code pid:[4026531836]}), the pid and the process start
 * time (ms since the epoch, from {@link ProcessHandle.Info#startInstant()}). Another process
 * with the same boot id and namespace can look the pid up: when no such process exists, or one
 * with another start time (the pid was reused), the holder is dead and its lock can be taken over
 * without waiting for its TTL (a run killed with SIGKILL, a crashed controller process). A holder
 * on another machine, container or boot is never judged dead: its lock expires with its TTL, or
 * is removed by {@code ringplan unlock}. Without {@code /proc} (not Linux) the key is null and no
 * holder is judged dead.
 *
 * @param host    this controller's host name
 * @param user    {@code user.name}
 * @param pid     this process's id
 * @param key     the process key (class doc), or null
 */
public record ControllerProcess(String host, String user, long pid, String key) {
    /** Looks a pid up: its start time, empty when no process has it (or it cannot be read). */
    public interface Processes {
        /** The start of process {@code pid}, or empty when there is none. */
        Optional<Instant> startOf(long pid);
    }

    /** The real process table of this machine. */
    public static final Processes LOCAL = pid -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
            .map(p -> p.info().startInstant().orElse(Instant.EPOCH));

    /** This process. */
    public static ControllerProcess current() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
        ProcessHandle self = ProcessHandle.current();
        String prefix = namespacePrefix();
        String key = prefix == null || self.info().startInstant().isEmpty() ? null
                : prefix + "/" + self.pid() + "/" + self.info().startInstant().get().toEpochMilli();
        return new ControllerProcess(host, System.getProperty("user.name", "unknown"), self.pid(), key);
    }

    /** {@code <boot id>/<pid namespace>} of this process, or null without {@code /proc}. */
    static String namespacePrefix() {
        try {
            String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
            String ns = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            return boot + "/" + ns;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** A holder for this process running {@code runId}, started at {@code started}. */
    public LockHolder holder(String runId, Instant started, String plan) {
        return new LockHolder(runId, host, user, pid, key, started, null, plan);
    }

    /**
     * Whether {@code holder}'s process is known to be dead: it ran in this process's pid namespace
     * on this boot, and {@code processes} has no process with its pid and start time (class doc).
     * False when it cannot be told.
     */
    public boolean isDead(LockHolder holder, Processes processes) {
        if (key == null || holder.process() == null) {
            return false;
        }
        String[] mine = key.split("/");
        String[] theirs = holder.process().split("/");
        if (theirs.length != 4 || !mine[0].equals(theirs[0]) || !mine[1].equals(theirs[1])) {
            return false;
        }
        long pidThere;
        long startMs;
        try {
            pidThere = Long.parseLong(theirs[2]);
            startMs = Long.parseLong(theirs[3]);
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<Instant> start = processes.startOf(pidThere);
        return start.isEmpty() || (!start.get().equals(Instant.EPOCH) && start.get().toEpochMilli() != startMs);
    }
}
