package dev.ringplan.engine.connection;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The controller itself as a host ({@code ansible_connection: local}): commands run as child
 * processes of this JVM, files are read and written with {@code java.nio}. Used by the sandbox,
 * whose Cassandra nodes run on this machine.
 *
 * <p><b>Commands</b> are started with {@link ProcessBuilder} from the argument list, with no
 * shell in between. Standard output and error are redirected to two private temporary files
 * (mode 0600, deleted after the call), so big outputs never block the child and no reader thread
 * is needed. {@code exec} waits for the <em>direct child</em> to exit, not for the end of its
 * output: a script such as a sandbox {@code bin/start} that leaves a background process behind
 * (nohup, {@code &}) returns as soon as the script exits, even when the background process
 * still holds the inherited output descriptors; what it wrote until then is returned. On timeout
 * the command's process group and all its descendants ({@link ProcessHandle#descendants()},
 * taken before the kill) are killed with SIGKILL and {@link CommandTimeoutException} is thrown.
 *
 * <p><b>Process groups.</b> Where the {@code setsid} program exists (util-linux, busybox: every
 * Linux), each command runs as {@code setsid ARGV...}: it leads its own session and process group,
 * whose id is the child's pid (setsid does not fork when its caller does not lead a group, and a
 * child of the JVM never does). Two consequences: a Ctrl-C typed in the terminal reaches only
 * Ringplan's JVM, which then stops the commands itself, in order; and stopping a command can
 * signal its whole group ({@code kill -SIG -- -PGID}), which also reaches the grandchildren that
 * a shell left behind and that were reparented to init, where {@link ProcessHandle#descendants()}
 * no longer finds them. Without {@code setsid} (macOS), commands run in Ringplan's group and are
 * stopped through their descendants only.
 *
 * <p><b>Interrupts.</b> {@link #interrupt()} wakes every running {@code exec}: each sends SIGTERM
 * to its command's group and descendants, waits up to {@link Connection#KILL_GRACE_MILLIS} for
 * the command to exit, sends SIGKILL to whatever is left and throws
 * {@link CommandInterruptedException}. Interrupting the thread that waits in {@code exec} does the
 * same for that command alone.
 *
 * <p>To behave like a remote shell, a program that cannot be found gives exit status 127 and one
 * that cannot be executed 126, with the reason on stderr, rather than an exception. A missing
 * working directory is a {@link ConnectionException}.
 *
 * <p>Thread-safe: calls share no mutable state except the closed flag.
 */
public final class LocalConnection implements Connection {
    /** The setsid program, or null when this system has none. */
    private static final String SETSID = firstExecutable("/usr/bin/setsid", "/bin/setsid", "/usr/local/bin/setsid");
    /** The kill program (procps or busybox), for signals to a process group. */
    private static final String KILL = firstExecutable("/bin/kill", "/usr/bin/kill");

    private final String host;
    private volatile boolean closed;
    /** Completed by {@link #interrupt()}; running {@code exec} calls wait on it too. */
    private final CompletableFuture<Void> interrupted = new CompletableFuture<>();

    /** A local connection reported under inventory hostname {@code host}. */
    public LocalConnection(String host) {
        this.host = host;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public ExecResult exec(List<String> argv, ExecOptions options) throws ConnectionException {
        checkOpen();
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argument list");
        }
        List<String> args = List.copyOf(argv);
        if (interrupted.isDone()) {
            throw new CommandInterruptedException(host + ": run interrupted, " + args.get(0) + " not started", null);
        }
        List<String> command = args;
        if (SETSID != null) {
            command = new ArrayList<>(args.size() + 1);
            command.add(SETSID);
            command.addAll(args);
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        if (options.cwd() != null) {
            File dir = new File(options.cwd());
            if (!dir.isDirectory()) {
                throw new ConnectionException(host + ": cannot run " + args.get(0) + ": working directory "
                        + options.cwd() + " does not exist or is not a directory");
            }
            pb.directory(dir);
        }
        if (options.env() != null) {
            pb.environment().putAll(options.env());
        }
        Path out = null;
        Path err = null;
        long start = System.nanoTime();
        try {
            out = Files.createTempFile("ringplan-exec-", ".out");
            err = Files.createTempFile("ringplan-exec-", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            if (SETSID != null) {
                // setsid reports a program it cannot run in its own words (and language): keep
                // the shell-like answer of a direct start
                ExecResult cannot = cannotRun(args, pb, start);
                if (cannot != null) {
                    return cannot;
                }
            }
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                return notStarted(args, e, start);
            }
            feedStdin(p, options.stdin());
            Duration timeout = options.timeout() == null ? ExecOptions.defaults().timeout() : options.timeout();
            boolean exited;
            boolean threadInterrupted = false;
            try {
                CompletableFuture.anyOf(p.onExit(), interrupted).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                exited = true;
            } catch (TimeoutException e) {
                exited = false;
            } catch (InterruptedException e) {
                exited = false;
                threadInterrupted = true;
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot happen: neither future completes exceptionally", e);
            }
            if (threadInterrupted || interrupted.isDone()) {
                stop(p);
                if (threadInterrupted) {
                    Thread.currentThread().interrupt();
                }
                ExecResult partial = new ExecResult(args, null, read(out), read(err), millisSince(start));
                throw new CommandInterruptedException(host + ": " + args.get(0) + " was stopped: run interrupted",
                        partial);
            }
            if (!exited) {
                killTree(p);
                ExecResult partial = new ExecResult(args, null, read(out), read(err), millisSince(start));
                throw new CommandTimeoutException(host + ": " + args.get(0) + " did not finish within "
                        + timeout.toSeconds() + " s and was killed", timeout, partial);
            }
            return new ExecResult(args, p.exitValue(), read(out), read(err), millisSince(start));
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot run " + args.get(0) + ": " + describe(e), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Maps a failed start (ProcessBuilder reports errno in the message) to shell-like 127/126. */
    private ExecResult notStarted(List<String> args, IOException e, long start) throws ConnectionException {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("error=2,")) {
            return new ExecResult(args, 127, "", args.get(0) + ": command not found\n", millisSince(start));
        }
        if (msg.contains("error=13,")) {
            return new ExecResult(args, 126, "", args.get(0) + ": permission denied\n", millisSince(start));
        }
        throw new ConnectionException(host + ": cannot start " + args.get(0) + ": " + msg, e);
    }

    private static void feedStdin(Process p, byte[] stdin) {
        OutputStream os = p.getOutputStream();
        if (stdin == null || stdin.length == 0) {
            closeQuietly(os);
            return;
        }
        Thread t = new Thread(() -> {
            try (os) {
                os.write(stdin);
            } catch (IOException ignored) {
                // the child exited or closed its stdin without reading everything: not our error
            }
        }, "ringplan-local-stdin");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Stops the command {@code p} of an interrupted run: SIGTERM to its group and descendants,
     * up to {@link Connection#KILL_GRACE_MILLIS} for it to exit, then SIGKILL to what is left.
     * Waits uninterruptibly (bounded), keeping the caller's interrupt flag as it was.
     */
    private static void stop(Process p) {
        List<ProcessHandle> descendants = p.descendants().toList();
        signalGroup(p, "TERM");
        p.destroy();
        descendants.forEach(ProcessHandle::destroy);
        boolean wasInterrupted = Thread.interrupted();
        try {
            awaitExit(p, KILL_GRACE_MILLIS);
        } finally {
            killTree(p);
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGKILL to {@code p}'s group, to {@code p} and every descendant; waits (bounded) for {@code p}. */
    private static void killTree(Process p) {
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

    /**
     * The shell-like 127 (not found) or 126 (not executable) result when {@code args.get(0)}
     * cannot be run, looked up the way execvp does ({@code PATH} of the child's environment, or
     * relative to the working directory when it contains a slash); null when it can be run.
     */
    private static ExecResult cannotRun(List<String> args, ProcessBuilder pb, long start) {
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

    private static String firstExecutable(String... paths) {
        for (String p : paths) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    private static String read(Path f) throws IOException {
        return new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Override
    public InputStream openRead(String path) throws ConnectionException {
        checkOpen();
        try {
            Path p = path(path);
            if (Files.isDirectory(p)) {
                throw new ConnectionException(host + ": cannot read " + path + ": is a directory");
            }
            return Files.newInputStream(p);
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot read " + path + ": " + describe(e), e);
        }
    }

    @Override
    public OutputStream openWrite(String path) throws ConnectionException {
        checkOpen();
        try {
            return Files.newOutputStream(path(path));
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot write " + path + ": " + describe(e), e);
        }
    }

    @Override
    public Optional<FileStat> stat(String path) throws ConnectionException {
        checkOpen();
        Path p = path(path);
        try {
            return Optional.of(toStat(p));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot stat " + path + ": " + describe(e), e);
        }
    }

    @Override
    public List<FileStat> list(String dir) throws ConnectionException {
        checkOpen();
        Path d = path(dir);
        List<FileStat> result = new ArrayList<>();
        try (Stream<Path> children = Files.list(d)) {
            for (Path c : (Iterable<Path>) children::iterator) {
                try {
                    result.add(toStat(c));
                } catch (NoSuchFileException gone) {
                    // deleted while listing
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot list " + dir + ": " + describe(e), e);
        }
        result.sort(Comparator.comparing(FileStat::name));
        return result;
    }

    @Override
    public void mkdirs(String dir) throws ConnectionException {
        checkOpen();
        try {
            Files.createDirectories(path(dir));
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot create directory " + dir + ": " + describe(e), e);
        }
    }

    @Override
    public void delete(String path) throws ConnectionException {
        checkOpen();
        try {
            Files.deleteIfExists(path(path));
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot delete " + path + ": " + describe(e), e);
        }
    }

    @Override
    public void rename(String from, String to) throws ConnectionException {
        checkOpen();
        Path target = path(to);
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new ConnectionException(host + ": cannot rename " + from + " to " + to + ": target already exists");
            }
            // ATOMIC_MOVE: rename(2) only. Without it Files.move copies across file systems,
            // which a rename must never do (fs_clear relies on that to detect another disk).
            Files.move(path(from), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot rename " + from + " to " + to + ": " + describe(e), e);
        }
    }

    /** Marks the connection closed; running commands are not affected. */
    @Override
    public void close() {
        closed = true;
    }

    /**
     * Stops the running commands and refuses new ones (class doc, {@link Connection#interrupt()}).
     * Only completes a future: the waiting {@code exec} calls do the signalling, each for its own
     * command, in parallel.
     */
    @Override
    public void interrupt() {
        interrupted.complete(null);
    }

    @Override
    public String toString() {
        return "LocalConnection[" + host + "]";
    }

    private void checkOpen() throws ConnectionException {
        if (closed) {
            throw new ConnectionException(host + ": connection is closed");
        }
    }

    private Path path(String path) throws ConnectionException {
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new ConnectionException(host + ": invalid path " + path + ": " + e.getReason(), e);
        }
    }

    private static FileStat toStat(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        FileStat.Type type = a.isSymbolicLink() ? FileStat.Type.SYMLINK
                : a.isDirectory() ? FileStat.Type.DIRECTORY
                : a.isRegularFile() ? FileStat.Type.FILE
                : FileStat.Type.OTHER;
        Path abs = p.toAbsolutePath();
        Path name = abs.getFileName();
        return new FileStat(abs.toString(), name == null ? abs.toString() : name.toString(), type,
                type == FileStat.Type.DIRECTORY ? 0 : a.size(), a.lastModifiedTime().toMillis());
    }

    /** A short reason for an I/O failure, without the path the caller already names. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }
}
