package dev.ringplan.engine.connection;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link Connection#execStream} of a {@link LocalConnection}: the command runs as a child process
 * in its own process group ({@link LocalProcessGroups}), stdout is the process's pipe, stderr goes
 * to a private temporary file (deleted on close), stdin is closed at once.
 */
final class LocalCommandStream implements CommandStream {
    private final String host;
    private final List<String> args;
    private final Process process;
    private final Path err;
    private final Duration timeout;
    private final long start = System.nanoTime();
    private final CompletableFuture<Void> onInterrupt;
    private volatile boolean stopped;
    private boolean finished;
    private boolean closed;

    private LocalCommandStream(String host, List<String> args, Process process, Path err, Duration timeout,
                               CompletableFuture<Void> interrupted) {
        this.host = host;
        this.args = args;
        this.process = process;
        this.err = err;
        this.timeout = timeout;
        this.onInterrupt = interrupted.thenRunAsync(() -> {
            stopped = true;
            LocalProcessGroups.stop(process);
        });
    }

    /**
     * Starts {@code args}; a program that cannot be started is a {@link ConnectionException}.
     *
     * @param interrupted the connection's interrupt future: completing it stops the command
     */
    static LocalCommandStream start(String host, List<String> args, ExecOptions options,
                                    CompletableFuture<Void> interrupted) throws ConnectionException {
        if (interrupted.isDone()) {
            throw new CommandInterruptedException(host + ": run interrupted, " + args.get(0) + " not started", null);
        }
        ProcessBuilder pb = new ProcessBuilder(LocalProcessGroups.command(args));
        if (options.cwd() != null) {
            pb.directory(new File(options.cwd()));
        }
        if (options.env() != null) {
            pb.environment().putAll(options.env());
        }
        Path err = null;
        try {
            err = Files.createTempFile("ringplan-stream-", ".err");
            pb.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .redirectInput(ProcessBuilder.Redirect.PIPE);
            Process p = pb.start();
            p.getOutputStream().close();
            Duration timeout = options.timeout() == null ? ExecOptions.defaults().timeout() : options.timeout();
            return new LocalCommandStream(host, args, p, err, timeout, interrupted);
        } catch (IOException e) {
            delete(err);
            throw new ConnectionException(host + ": cannot run " + args.get(0) + ": " + LocalFiles.describe(e), e);
        }
    }

    @Override
    public InputStream stdout() {
        return process.getInputStream();
    }

    @Override
    public ExecResult finish() throws ConnectionException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LocalProcessGroups.killTree(process);
                throw new CommandTimeoutException(host + ": " + args.get(0) + " did not exit within "
                        + timeout.toSeconds() + " s after its output ended and was killed", timeout,
                        new ExecResult(args, null, "", stderr(), millis()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException(host + ": interrupted while waiting for " + args.get(0), e);
        }
        if (stopped) {
            throw new CommandInterruptedException(host + ": " + args.get(0) + " was stopped: run interrupted",
                    new ExecResult(args, null, "", stderr(), millis()));
        }
        finished = true;
        return new ExecResult(args, process.exitValue(), "", stderr(), millis());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        onInterrupt.cancel(false);
        if (!finished && process.isAlive()) {
            LocalProcessGroups.killTree(process);
        }
        ConnectionSupport.closeQuietly(process.getInputStream());
        delete(err);
    }

    private String stderr() {
        try {
            return new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private long millis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static void delete(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
