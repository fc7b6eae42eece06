package dev.ringplan.engine.connection;

import static dev.ringplan.engine.connection.ConnectionSupport.closeQuietly;
import static dev.ringplan.engine.connection.ConnectionSupport.message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.transport.TransportException;

/**
 * Runs commands of one {@link SshConnection}, each on its own session channel: builds the command
 * string, limits the channels open at once, streams stdin, collects stdout and stderr
 * concurrently, and stops a command on timeout or interrupt with {@code signal} requests
 * (TERM, then KILL after {@link Connection#KILL_GRACE_MILLIS}). The behaviour is described on
 * {@link SshConnection}; this class owns the mechanics.
 */
final class SshExec {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService PUMPS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ringplan-ssh-io-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** Where the live client comes from; the connection reconnects when the link dropped. */
    interface Clients {
        /** The live client, reconnecting when the transport dropped since the last call. */
        SSHClient current() throws ConnectionException;

        /** A new client when {@code broken} (which just failed to open a channel) is still the current one. */
        SSHClient replacing(SSHClient broken) throws ConnectionException;
    }

    private final String host;
    private final String prefix;
    private final Clients clients;
    private final Semaphore channels = new Semaphore(SshConnection.MAX_CONCURRENT_EXECS, true);
    /** Completed by {@link #interrupt()}; running {@code exec} calls wait on it too. */
    private final CompletableFuture<Void> interrupted = new CompletableFuture<>();

    /**
     * @param host    the inventory hostname, for messages
     * @param prefix  {@code host (user@address:port)}, for messages
     * @param clients the connection's client source
     */
    SshExec(String host, String prefix, Clients clients) {
        this.host = host;
        this.prefix = prefix;
        this.clients = clients;
    }

    /** See {@link SshConnection#commandLine(List, ExecOptions)}. */
    static String commandLine(List<String> argv, ExecOptions options) {
        String cmd = ShellQuote.join(argv);
        if (options.env() != null && !options.env().isEmpty()) {
            StringBuilder sb = new StringBuilder("env");
            options.env().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                if (!ENV_NAME.matcher(e.getKey()).matches()) {
                    throw new IllegalArgumentException("invalid environment variable name: " + e.getKey());
                }
                sb.append(' ').append(ShellQuote.quote(e.getKey() + "=" + e.getValue()));
            });
            cmd = sb + " " + cmd;
        }
        if (options.cwd() != null) {
            cmd = "cd " + ShellQuote.quote(options.cwd()) + " && " + cmd;
        }
        return cmd;
    }

    /** {@link Connection#exec(List, ExecOptions)} over SSH (class doc of {@link SshConnection}). */
    ExecResult exec(List<String> argv, ExecOptions options) throws ConnectionException {
        List<String> args = List.copyOf(argv);
        String line = commandLine(args, options);
        Duration timeout = options.timeout() == null ? ExecOptions.defaults().timeout() : options.timeout();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        checkNotInterrupted(args);
        SSHClient c = clients.current();
        acquireChannel(args, timeout, start);
        Session session = null;
        try {
            checkNotInterrupted(args);
            session = openSession(c);
            Session.Command cmd = session.exec(line);
            Sink out = new Sink();
            Sink err = new Sink();
            CompletableFuture<Void> outPump = CompletableFuture.runAsync(() -> out.drainUnchecked(cmd.getInputStream()), PUMPS);
            CompletableFuture<Void> errPump = CompletableFuture.runAsync(() -> err.drainUnchecked(cmd.getErrorStream()), PUMPS);
            byte[] stdin = options.stdin();
            OutputStream remoteIn = cmd.getOutputStream();
            if (stdin == null || stdin.length == 0) {
                closeQuietly(remoteIn);
            } else {
                PUMPS.submit(() -> {
                    try (remoteIn) {
                        remoteIn.write(stdin);
                        remoteIn.flush();
                    } catch (IOException ignored) {
                        // the command exited or closed stdin without reading everything
                    }
                });
            }
            try {
                boolean threadInterrupted = false;
                try {
                    CompletableFuture.anyOf(CompletableFuture.allOf(outPump, errPump), interrupted)
                            .get(remaining(deadline), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    threadInterrupted = true;
                } catch (ExecutionException e) {
                    // a pump failed: reported below, as before
                }
                if (threadInterrupted || interrupted.isDone()) {
                    stop(cmd, CompletableFuture.allOf(outPump, errPump));
                    if (threadInterrupted) {
                        Thread.currentThread().interrupt();
                    }
                    throw new CommandInterruptedException(prefix + ": " + args.get(0) + " was stopped: run interrupted",
                            new ExecResult(args, null, out.text(), err.text(), millisSince(start)));
                }
                outPump.get(remaining(deadline), TimeUnit.NANOSECONDS);
                errPump.get(remaining(deadline), TimeUnit.NANOSECONDS);
                cmd.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining(deadline))), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | net.schmizz.sshj.connection.ConnectionException e) {
                if (e instanceof net.schmizz.sshj.connection.ConnectionException && remaining(deadline) > 0) {
                    throw new ConnectionException(prefix + ": the link failed while " + args.get(0) + " was running: "
                            + message(e), e);
                }
                if (cmd.isOpen() || !outPump.isDone() || !errPump.isDone()) {
                    try {
                        cmd.signal(Signal.KILL);
                    } catch (IOException ignored) {
                        // many servers ignore signals; closing the channel below is what counts
                    }
                    closeQuietly(cmd);
                    ExecResult partial = new ExecResult(args, null, out.text(), err.text(), millisSince(start));
                    throw new CommandTimeoutException(prefix + ": " + args.get(0) + " did not finish within "
                            + timeout.toSeconds() + " s and was killed", timeout, partial);
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
                throw new ConnectionException(prefix + ": reading the output of " + args.get(0) + " failed: "
                        + message(cause), cause);
            }
            return new ExecResult(args, cmd.getExitStatus(), out.text(), err.text(), millisSince(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException(host + ": interrupted while running " + args.get(0), e);
        } catch (IOException | IllegalStateException e) {
            // IllegalStateException: sshj's "Not connected" when the link is gone
            throw new ConnectionException(prefix + ": cannot run " + args.get(0) + ": " + message(e), e);
        } finally {
            closeQuietly(session);
            channels.release();
        }
    }

    /**
     * A session channel on {@code c}; when the link dropped since the last call (server
     * restarted, idle cut), reconnects and tries once more: no command has started yet, so that
     * is safe.
     */
    private Session openSession(SSHClient c) throws IOException, ConnectionException {
        try {
            return c.startSession();
        } catch (TransportException | net.schmizz.sshj.connection.ConnectionException | IllegalStateException e) {
            // IllegalStateException: sshj's "Not connected", when the drop was noticed in between
            if (e instanceof OpenFailException) {
                throw (OpenFailException) e;
            }
            return clients.replacing(c).startSession();
        }
    }

    /**
     * Takes one of the host's channel permits for {@code args}, waiting up to {@code timeout}.
     *
     * @param start {@link System#nanoTime()} when the call began, for the timeout's result
     * @throws CommandTimeoutException when no permit came in time (too many commands running)
     * @throws ConnectionException     when the wait was interrupted
     */
    private void acquireChannel(List<String> args, Duration timeout, long start) throws ConnectionException {
        try {
            if (!channels.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new CommandTimeoutException(prefix + ": " + args.get(0) + " could not start within "
                        + timeout.toSeconds() + " s: too many commands running on this host", timeout,
                        new ExecResult(args, null, "", "", millisSince(start)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException(host + ": interrupted while waiting to run " + args.get(0), e);
        }
    }

    /**
     * {@link Connection#execStream} over SSH: one session channel (counted against
     * {@link SshConnection#MAX_CONCURRENT_EXECS}) until the stream is closed; stderr is
     * collected by a pump thread, stdin closed at once.
     */
    CommandStream stream(List<String> argv, ExecOptions options) throws ConnectionException {
        List<String> args = List.copyOf(argv);
        String line = commandLine(args, options);
        Duration timeout = options.timeout() == null ? ExecOptions.defaults().timeout() : options.timeout();
        checkNotInterrupted(args);
        SSHClient c = clients.current();
        acquireChannel(args, timeout, System.nanoTime());
        Session session = null;
        try {
            checkNotInterrupted(args);
            session = openSession(c);
            Session.Command cmd = session.exec(line);
            closeQuietly(cmd.getOutputStream());
            return new Streamed(args, session, cmd, timeout);
        } catch (IOException | IllegalStateException | ConnectionException e) {
            closeQuietly(session);
            channels.release();
            if (e instanceof ConnectionException ce) {
                throw ce;
            }
            throw new ConnectionException(prefix + ": cannot run " + args.get(0) + ": " + message(e), e);
        }
    }

    /** A command started by {@link #stream}; an interrupt of the connection stops it. */
    private final class Streamed implements CommandStream {
        private final List<String> args;
        private final Session session;
        private final Session.Command cmd;
        private final Duration timeout;
        private final long start = System.nanoTime();
        private final Sink err = new Sink();
        private final CompletableFuture<Void> errPump;
        private final CompletableFuture<Void> onInterrupt;
        private boolean finished;
        private boolean closed;

        Streamed(List<String> args, Session session, Session.Command cmd, Duration timeout) {
            this.args = args;
            this.session = session;
            this.cmd = cmd;
            this.timeout = timeout;
            this.errPump = CompletableFuture.runAsync(() -> err.drainUnchecked(cmd.getErrorStream()), PUMPS);
            this.onInterrupt = interrupted.thenRunAsync(() -> stop(cmd, errPump), PUMPS);
        }

        @Override
        public InputStream stdout() {
            return cmd.getInputStream();
        }

        @Override
        public ExecResult finish() throws ConnectionException {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                errPump.get(remaining(deadline), TimeUnit.NANOSECONDS);
                cmd.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining(deadline))), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                close();
                throw new CommandTimeoutException(prefix + ": " + args.get(0) + " did not exit within "
                        + timeout.toSeconds() + " s after its output ended and was killed", timeout,
                        new ExecResult(args, null, "", err.text(), millisSince(start)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectionException(host + ": interrupted while waiting for " + args.get(0), e);
            } catch (ExecutionException | net.schmizz.sshj.connection.ConnectionException e) {
                throw new ConnectionException(prefix + ": the link failed while " + args.get(0) + " was running: "
                        + message(e), e);
            }
            if (interrupted.isDone()) {
                throw new CommandInterruptedException(prefix + ": " + args.get(0) + " was stopped: run interrupted",
                        new ExecResult(args, null, "", err.text(), millisSince(start)));
            }
            finished = true;
            return new ExecResult(args, cmd.getExitStatus(), "", err.text(), millisSince(start));
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            onInterrupt.cancel(false);
            if (!finished && cmd.isOpen()) {
                try {
                    cmd.signal(Signal.KILL);
                } catch (IOException | RuntimeException ignored) {
                    // closing the channel below is what counts
                }
            }
            closeQuietly(cmd);
            closeQuietly(session);
            channels.release();
        }
    }

    /**
     * Stops the running commands and refuses new ones. Only completes a future: each waiting
     * {@code exec} call signals its own command.
     */
    void interrupt() {
        interrupted.complete(null);
    }

    private void checkNotInterrupted(List<String> args) throws CommandInterruptedException {
        if (interrupted.isDone()) {
            throw new CommandInterruptedException(prefix + ": run interrupted, " + args.get(0) + " not started", null);
        }
    }

    /**
     * Stops a running command: TERM, up to {@link Connection#KILL_GRACE_MILLIS} for its output to
     * end (the command exited), then KILL, and closes the channel. Waits uninterruptibly
     * (bounded), keeping the caller's interrupt flag as it was.
     */
    private static void stop(Session.Command cmd, CompletableFuture<Void> outputDone) {
        boolean wasInterrupted = Thread.interrupted();
        try {
            try {
                cmd.signal(Signal.TERM);
            } catch (IOException | RuntimeException ignored) {
                // the channel may be closing already; KILL and close below
            }
            try {
                outputDone.get(Connection.KILL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    wasInterrupted = true;
                }
                try {
                    cmd.signal(Signal.KILL);
                } catch (IOException | RuntimeException ignored) {
                    // closing the channel below is all that is left
                }
            }
            closeQuietly(cmd);
        } finally {
            if (wasInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long remaining(long deadlineNanos) {
        return Math.max(0, deadlineNanos - System.nanoTime());
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Collects one output stream; readable while it is still being filled (for timeouts). */
    private static final class Sink {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Void drain(InputStream in) throws IOException {
            byte[] b = new byte[16 * 1024];
            int n;
            while ((n = in.read(b)) >= 0) {
                synchronized (buf) {
                    buf.write(b, 0, n);
                }
            }
            return null;
        }

        void drainUnchecked(InputStream in) {
            try {
                drain(in);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        String text() {
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
