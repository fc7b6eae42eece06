package dev.ringplan.engine.connection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The answers a remote shell gives for a program that cannot be run, for
 * {@link LocalConnection}: exit status 127 and {@code PROG: command not found} on stderr when it
 * does not exist, 126 and {@code PROG: permission denied} when it exists but cannot be executed.
 * The program is looked up as execvp does: through {@code PATH} of the child's environment, or
 * relative to the working directory when its name contains a slash.
 */
final class ShellLikeStart {
    private ShellLikeStart() {
    }

    /**
     * The 127 (not found) or 126 (not executable) result when {@code args.get(0)} cannot be run,
     * looked up the way execvp does ({@code PATH} of {@code pb}'s environment, or relative to its
     * working directory when it contains a slash); null when it can be run.
     *
     * @param start {@link System#nanoTime()} when the call began, for the duration
     */
    static ExecResult cannotRun(List<String> args, ProcessBuilder pb, long start) {
        String prog = args.get(0);
        boolean found = false;
        List<Path> candidates = new ArrayList<>();
        try {
            if (prog.contains("/")) {
                Path p = Path.of(prog);
                candidates.add(p.isAbsolute() || pb.directory() == null ? p : pb.directory().toPath().resolve(p));
            } else {
                String path = pb.environment().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
                for (String dir : path.split(":", -1)) {
                    candidates.add(Path.of(dir.isEmpty() ? "." : dir).resolve(prog));
                }
            }
        } catch (InvalidPathException e) {
            return new ExecResult(args, 127, "", prog + ": command not found\n", millisSince(start));
        }
        for (Path c : candidates) {
            if (Files.exists(c)) {
                found = true;
                if (!Files.isDirectory(c) && Files.isExecutable(c)) {
                    return null;
                }
            }
        }
        return found ? new ExecResult(args, 126, "", prog + ": permission denied\n", millisSince(start))
                : new ExecResult(args, 127, "", prog + ": command not found\n", millisSince(start));
    }

    /**
     * Maps a failed {@link ProcessBuilder#start()} (which reports errno in its message) to the
     * shell-like 127 / 126 result.
     *
     * @param host the inventory hostname, for the message of other failures
     * @throws ConnectionException when the failure is neither ENOENT nor EACCES
     */
    static ExecResult notStarted(String host, List<String> args, IOException e, long start) throws ConnectionException {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("error=2,")) {
            return new ExecResult(args, 127, "", args.get(0) + ": command not found\n", millisSince(start));
        }
        if (msg.contains("error=13,")) {
            return new ExecResult(args, 126, "", args.get(0) + ": permission denied\n", millisSince(start));
        }
        throw new ConnectionException(host + ": cannot start " + args.get(0) + ": " + msg, e);
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
