package dev.ringplan.engine.connection;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 *
 * <p>This class runs one command from start to result; {@link LocalProcessGroups} starts and
 * stops process groups, {@link ShellLikeStart} gives the 127/126 answers and {@link LocalFiles}
 * does the file operations.
 */
public final class LocalConnection implements Connection {
    private final String host;
    private final LocalFiles files;
    private volatile boolean closed;
    /** Completed by {@link #interrupt()}; running {@code exec} calls wait on it too. */
    private final CompletableFuture<Void> interrupted = new CompletableFuture<>();

    /** A local connection reported under inventory hostname {@code host}. */
    public LocalConnection(String host) {
        this.host = host;
        this.files = new LocalFiles(host);
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
        ProcessBuilder pb = new ProcessBuilder(LocalProcessGroups.command(args));
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
            if (LocalProcessGroups.ownGroups()) {
                // setsid reports a program it cannot run in its own words (and language): keep
                // the shell-like answer of a direct start
                ExecResult cannot = ShellLikeStart.cannotRun(args, pb, start);
                if (cannot != null) {
                    return cannot;
                }
            }
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                return ShellLikeStart.notStarted(host, args, e, start);
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
                LocalProcessGroups.stop(p);
                if (threadInterrupted) {
                    Thread.currentThread().interrupt();
                }
                ExecResult partial = new ExecResult(args, null, read(out), read(err), millisSince(start));
                throw new CommandInterruptedException(host + ": " + args.get(0) + " was stopped: run interrupted",
                        partial);
            }
            if (!exited) {
                LocalProcessGroups.killTree(p);
                ExecResult partial = new ExecResult(args, null, read(out), read(err), millisSince(start));
                throw new CommandTimeoutException(host + ": " + args.get(0) + " did not finish within "
                        + timeout.toSeconds() + " s and was killed", timeout, partial);
            }
            return new ExecResult(args, p.exitValue(), read(out), read(err), millisSince(start));
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot run " + args.get(0) + ": " + LocalFiles.describe(e), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /**
     * Starts {@code argv} as a child process and streams its stdout ({@link Connection#execStream});
     * a program that cannot be started is a {@link ConnectionException} here, not exit status 127.
     */
    @Override
    public CommandStream execStream(List<String> argv, ExecOptions options) throws ConnectionException {
        checkOpen();
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argument list");
        }
        return LocalCommandStream.start(host, List.copyOf(argv), options, interrupted);
    }

    /** True: commands' output can be streamed. */
    @Override
    public boolean canStreamExec() {
        return true;
    }

    private static void feedStdin(Process p, byte[] stdin) {
        OutputStream os = p.getOutputStream();
        if (stdin == null || stdin.length == 0) {
            ConnectionSupport.closeQuietly(os);
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

    private static String read(Path f) throws IOException {
        return new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
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

    @Override
    public InputStream openRead(String path) throws ConnectionException {
        checkOpen();
        return files.openRead(path);
    }

    @Override
    public OutputStream openWrite(String path) throws ConnectionException {
        checkOpen();
        return files.openWrite(path);
    }

    @Override
    public Optional<FileStat> stat(String path) throws ConnectionException {
        checkOpen();
        return files.stat(path);
    }

    @Override
    public List<FileStat> list(String dir) throws ConnectionException {
        checkOpen();
        return files.list(dir);
    }

    @Override
    public void mkdirs(String dir) throws ConnectionException {
        checkOpen();
        files.mkdirs(dir);
    }

    @Override
    public void delete(String path) throws ConnectionException {
        checkOpen();
        files.delete(path);
    }

    @Override
    public void rename(String from, String to) throws ConnectionException {
        checkOpen();
        files.rename(from, to);
    }

    /**
     * The host is the controller: {@code address:port} as given.
     *
     * @throws ConnectionException when the connection is closed
     */
    @Override
    public java.net.InetSocketAddress reach(String address, int port) throws ConnectionException {
        if (closed) {
            throw new ConnectionException(host + ": connection is closed");
        }
        return new java.net.InetSocketAddress(address, port);
    }

    /** Marks the connection closed and closes its shared resources; running commands are not affected. */
    @Override
    public void close() {
        closed = true;
        ConnectionResources.closeAll(this);
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
}
