package dev.ringplan.engine.connection;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.RemoteResourceInfo;
import net.schmizz.sshj.sftp.Response;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.sftp.SFTPException;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;

/**
 * A host reached over SSH with sshj: one authenticated {@link SSHClient} per host, shared by
 * every task of that host; each {@link #exec} opens its own session channel on it (up to
 * {@value #MAX_CONCURRENT_EXECS} at once, below OpenSSH's default {@code MaxSessions 10}), and
 * files go through one lazily opened {@link SFTPClient}. If the transport drops between calls,
 * the next call reconnects; a command is sent again only when its channel could not even be
 * opened on the dropped link, so no command ever runs twice.
 *
 * <p><b>Commands.</b> The argument list is quoted with {@link ShellQuote} into one command
 * string, which the SSH server runs with the user's login shell ({@code $SHELL -c}, so that shell
 * must be POSIX-compatible). A working directory becomes a {@code cd DIR &&} prefix and extra
 * environment an {@code env K=V} prefix (servers usually refuse SSH "env" requests, see
 * OpenSSH's {@code AcceptEnv}). Stdin is streamed and then closed (EOF); stdout and stderr are
 * read concurrently. The exit status is null when the server sent none (the command died of a
 * signal, or the link broke). As with the {@code ssh} command, the call returns once the remote
 * side closes the channel: a background process that keeps the command's stdout or stderr open
 * keeps the call waiting until the timeout, so start daemons with their output redirected.
 *
 * <p><b>Stopping a command</b> (timeout, {@link #interrupt()}, or an interrupt of the thread
 * waiting in {@code exec}) takes a {@code signal} channel request (RFC 4254 section 6.9): closing
 * the channel alone does not stop a command that runs without a terminal, OpenSSH's sshd only
 * forgets it. OpenSSH answers a signal request by signalling the command's whole process group
 * (sshd makes the command a session leader), so the shell's children die too; servers that ignore
 * signal requests leave the command running after the channel is closed. On interrupt the command
 * gets TERM, then, if its channel is still open after {@link Connection#KILL_GRACE_MILLIS}, KILL,
 * and the channel is closed; SFTP transfers are not stopped (the executor stops waiting for them
 * and closes the connection).
 *
 * <p><b>Host keys</b> are checked against an OpenSSH {@code known_hosts} file (hosts on a port
 * other than 22 are looked up as {@code [host]:port}, as OpenSSH writes them). An unknown key is
 * refused unless {@link Settings#acceptNewHostKeys()} is set, in which case it is appended to the
 * file (like OpenSSH's {@code StrictHostKeyChecking=accept-new}); a key that differs from a
 * recorded one is always refused.
 *
 * <p>Failures to connect, verify the host key or authenticate throw
 * {@link UnreachableException}; other failures {@link ConnectionException}.
 */
public final class SshConnection implements Connection {
    /** Most session channels one connection runs at once; further {@link #exec} calls wait. */
    public static final int MAX_CONCURRENT_EXECS = 8;
    private static final int SFTP_CHUNK = 32 * 1024;
    private static final int SFTP_IN_FLIGHT = 16;
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Object KNOWN_HOSTS_LOCK = new Object();
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService PUMPS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ringplan-ssh-io-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /**
     * Where and how to connect.
     *
     * @param address           host name or IP address to connect to ({@code ansible_host})
     * @param port              TCP port, 1..65535
     * @param user              remote user name
     * @param identityFiles     private key files (OpenSSH, PEM or PuTTY formats sshj reads),
     *                          tried in order; must not be empty
     * @param knownHosts        the OpenSSH known_hosts file to verify host keys against (may not
     *                          exist yet: then every key is unknown)
     * @param acceptNewHostKeys record unknown host keys in {@code knownHosts} instead of refusing
     * @param connectTimeout    TCP connect timeout (also used for the initial key exchange)
     */
    public record Settings(String address, int port, String user, List<Path> identityFiles, Path knownHosts,
                           boolean acceptNewHostKeys, Duration connectTimeout) {
        /** Validates and copies. */
        public Settings {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(knownHosts, "knownHosts");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            identityFiles = List.copyOf(identityFiles);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        /** {@code user@address:port}, for messages. */
        public String target() {
            return user + "@" + address + ":" + port;
        }
    }

    private final String host;
    private final Settings settings;
    private final Semaphore channels = new Semaphore(MAX_CONCURRENT_EXECS, true);
    private final Object lock = new Object();
    private SSHClient client;
    private SFTPClient sftp;
    private volatile boolean closed;
    /** Completed by {@link #interrupt()}; running {@code exec} calls wait on it too. */
    private final CompletableFuture<Void> interrupted = new CompletableFuture<>();

    private SshConnection(String host, Settings settings) {
        this.host = host;
        this.settings = settings;
    }

    /**
     * Connects to {@code settings.address():settings.port()}, verifies the host key and
     * authenticates with the identity files.
     *
     * @param host     the inventory hostname, used in messages and returned by {@link #host()}
     * @param settings where and how to connect
     * @throws UnreachableException when the TCP connection, the host key check or the
     *                              authentication fails; the message names host, target and reason
     */
    public static SshConnection connect(String host, Settings settings) throws UnreachableException {
        SshConnection c = new SshConnection(host, settings);
        synchronized (c.lock) {
            c.client = c.newClient();
        }
        return c;
    }

    @Override
    public String host() {
        return host;
    }

    /** The settings this connection was opened with. */
    public Settings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- connecting

    private String prefix() {
        return host + " (" + settings.target() + ")";
    }

    private SSHClient newClient() throws UnreachableException {
        if (settings.identityFiles().isEmpty()) {
            throw new UnreachableException(prefix() + ": no private key to authenticate with "
                    + "(set ansible_ssh_private_key_file)");
        }
        DefaultConfig config = new DefaultConfig();
        config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        SSHClient c = new SSHClient(config);
        KnownHostsVerifier verifier;
        try {
            verifier = new KnownHostsVerifier(settings);
        } catch (IOException e) {
            throw new UnreachableException(prefix() + ": cannot read known_hosts file " + settings.knownHosts()
                    + ": " + e.getMessage(), e);
        }
        c.addHostKeyVerifier(verifier);
        c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
        try {
            c.connect(settings.address(), settings.port());
        } catch (UnknownHostException e) {
            closeQuietly(c);
            throw new UnreachableException(prefix() + ": cannot resolve address " + settings.address(), e);
        } catch (ConnectException e) {
            closeQuietly(c);
            throw new UnreachableException(prefix() + ": connection refused", e);
        } catch (SocketTimeoutException e) {
            closeQuietly(c);
            throw new UnreachableException(prefix() + ": connection timed out after "
                    + settings.connectTimeout().toSeconds() + " s", e);
        } catch (NoRouteToHostException e) {
            closeQuietly(c);
            throw new UnreachableException(prefix() + ": no route to host", e);
        } catch (IOException e) {
            closeQuietly(c);
            if (verifier.problem != null) {
                throw new UnreachableException(prefix() + ": " + verifier.problem, e);
            }
            throw new UnreachableException(prefix() + ": SSH handshake failed: " + message(e), e);
        }
        c.getConnection().getKeepAlive().setKeepAliveInterval(30);
        List<KeyProvider> keys = new ArrayList<>();
        for (Path p : settings.identityFiles()) {
            if (!Files.isReadable(p)) {
                closeQuietly(c);
                throw new UnreachableException(prefix() + ": private key file " + p + " does not exist or is not readable");
            }
            try {
                keys.add(c.loadKeys(p.toString()));
            } catch (IOException | RuntimeException e) {
                closeQuietly(c);
                throw new UnreachableException(prefix() + ": cannot load private key file " + p + ": " + message(e), e);
            }
        }
        try {
            c.authPublickey(settings.user(), keys);
        } catch (UserAuthException e) {
            closeQuietly(c);
            throw new UnreachableException(prefix() + ": authentication failed for user " + settings.user()
                    + " with key " + settings.identityFiles() + ": " + message(e), e);
        } catch (IOException e) {
            closeQuietly(c);
            throw new UnreachableException(prefix() + ": authentication failed: " + message(e), e);
        }
        return c;
    }

    /** The live client, reconnecting when the transport dropped since the last call. */
    private SSHClient client() throws ConnectionException {
        return client(null);
    }

    /**
     * The live client; reconnects when the transport dropped, or when {@code broken} (a client
     * that just failed to open a channel) is still the current one.
     */
    private SSHClient client(SSHClient broken) throws ConnectionException {
        synchronized (lock) {
            if (closed) {
                throw new ConnectionException(host + ": connection is closed");
            }
            if (client == null || client == broken || !client.isConnected() || !client.isAuthenticated()) {
                closeQuietly(sftp);
                sftp = null;
                closeQuietly(client);
                client = null;
                client = newClient();
            }
            return client;
        }
    }

    private SFTPClient sftp() throws ConnectionException {
        synchronized (lock) {
            SSHClient c = client();
            if (sftp == null) {
                try {
                    sftp = c.newSFTPClient();
                } catch (IOException | IllegalStateException first) {
                    // maybe the link dropped just now: reconnect once, as exec does
                    c = client(c);
                    try {
                        sftp = c.newSFTPClient();
                    } catch (IOException | IllegalStateException e) {
                        throw new ConnectionException(prefix() + ": cannot start the SFTP subsystem: " + message(e), e);
                    }
                }
            }
            return sftp;
        }
    }

    // ---------------------------------------------------------------- exec

    /**
     * The command string sent to the server for {@code argv} and {@code options}: the quoted
     * argv, preceded by {@code env 'K=V' ...} when there is extra environment and by
     * {@code cd 'DIR' &&} when there is a working directory.
     *
     * @throws IllegalArgumentException when argv is empty, an argument contains NUL, or an
     *                                  environment variable name is not {@code [A-Za-z_][A-Za-z0-9_]*}
     */
    public static String commandLine(List<String> argv, ExecOptions options) {
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

    @Override
    public ExecResult exec(List<String> argv, ExecOptions options) throws ConnectionException {
        List<String> args = List.copyOf(argv);
        String line = commandLine(args, options);
        Duration timeout = options.timeout() == null ? ExecOptions.defaults().timeout() : options.timeout();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        checkNotInterrupted(args);
        SSHClient c = client();
        try {
            if (!channels.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new CommandTimeoutException(prefix() + ": " + args.get(0) + " could not start within "
                        + timeout.toSeconds() + " s: too many commands running on this host", timeout,
                        new ExecResult(args, null, "", "", millisSince(start)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException(host + ": interrupted while waiting to run " + args.get(0), e);
        }
        Session session = null;
        try {
            checkNotInterrupted(args);
            try {
                session = c.startSession();
            } catch (TransportException | net.schmizz.sshj.connection.ConnectionException | IllegalStateException e) {
                // IllegalStateException: sshj's "Not connected", when the drop was noticed in between
                if (e instanceof OpenFailException) {
                    throw (OpenFailException) e;
                }
                // the link dropped since the last call (server restarted, idle cut): the command
                // has not started, so reconnecting and trying once more is safe
                c = client(c);
                session = c.startSession();
            }
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
                    throw new CommandInterruptedException(prefix() + ": " + args.get(0) + " was stopped: run interrupted",
                            new ExecResult(args, null, out.text(), err.text(), millisSince(start)));
                }
                outPump.get(remaining(deadline), TimeUnit.NANOSECONDS);
                errPump.get(remaining(deadline), TimeUnit.NANOSECONDS);
                cmd.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining(deadline))), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | net.schmizz.sshj.connection.ConnectionException e) {
                if (e instanceof net.schmizz.sshj.connection.ConnectionException && remaining(deadline) > 0) {
                    throw new ConnectionException(prefix() + ": the link failed while " + args.get(0) + " was running: "
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
                    throw new CommandTimeoutException(prefix() + ": " + args.get(0) + " did not finish within "
                            + timeout.toSeconds() + " s and was killed", timeout, partial);
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
                throw new ConnectionException(prefix() + ": reading the output of " + args.get(0) + " failed: "
                        + message(cause), cause);
            }
            return new ExecResult(args, cmd.getExitStatus(), out.text(), err.text(), millisSince(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException(host + ": interrupted while running " + args.get(0), e);
        } catch (IOException | IllegalStateException e) {
            // IllegalStateException: sshj's "Not connected" when the link is gone
            throw new ConnectionException(prefix() + ": cannot run " + args.get(0) + ": " + message(e), e);
        } finally {
            closeQuietly(session);
            channels.release();
        }
    }

    private void checkNotInterrupted(List<String> args) throws CommandInterruptedException {
        if (interrupted.isDone()) {
            throw new CommandInterruptedException(prefix() + ": run interrupted, " + args.get(0) + " not started", null);
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
                outputDone.get(KILL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
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

    /**
     * Stops the running commands and refuses new ones (class doc, {@link Connection#interrupt()}).
     * Only completes a future: each waiting {@code exec} call signals its own command.
     */
    @Override
    public void interrupt() {
        interrupted.complete(null);
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

    // ---------------------------------------------------------------- files

    @Override
    public InputStream openRead(String path) throws ConnectionException {
        SFTPClient s = sftp();
        RemoteFile rf;
        try {
            rf = s.open(path, EnumSet.of(OpenMode.READ));
        } catch (IOException e) {
            throw fileError("cannot read", path, e);
        }
        InputStream in = rf.new ReadAheadRemoteFileInputStream(SFTP_IN_FLIGHT);
        return new FilterInputStream(in) {
            private boolean done;

            @Override
            public void close() throws IOException {
                if (done) {
                    return;
                }
                done = true;
                try {
                    super.close();
                } finally {
                    rf.close();
                }
            }
        };
    }

    @Override
    public OutputStream openWrite(String path) throws ConnectionException {
        SFTPClient s = sftp();
        RemoteFile rf;
        try {
            rf = s.open(path, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.TRUNC));
        } catch (IOException e) {
            throw fileError("cannot write", path, e);
        }
        return new ChunkedRemoteOutput(rf);
    }

    /**
     * Buffers writes into SFTP write requests of {@value #SFTP_CHUNK} bytes (sshj sends one
     * request per {@code write} call, however large), with up to {@value #SFTP_IN_FLIGHT}
     * requests unconfirmed. {@code close} waits for every confirmation and closes the handle.
     */
    private static final class ChunkedRemoteOutput extends OutputStream {
        private final RemoteFile file;
        private final OutputStream out;
        private final byte[] buf = new byte[SFTP_CHUNK];
        private int len;
        private boolean closed;

        ChunkedRemoteOutput(RemoteFile file) {
            this.file = file;
            this.out = file.new RemoteFileOutputStream(0, SFTP_IN_FLIGHT);
        }

        @Override
        public void write(int b) throws IOException {
            if (len == buf.length) {
                flushBuffer();
            }
            buf[len++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            Objects.checkFromIndexSize(off, n, b.length);
            while (n > 0) {
                if (len == buf.length) {
                    flushBuffer();
                }
                int k = Math.min(n, buf.length - len);
                System.arraycopy(b, off, buf, len, k);
                len += k;
                off += k;
                n -= k;
            }
        }

        private void flushBuffer() throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            if (len > 0) {
                out.write(buf, 0, len);
                len = 0;
            }
        }

        @Override
        public void flush() throws IOException {
            flushBuffer();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            try {
                flushBuffer();
                out.close();
            } finally {
                closed = true;
                file.close();
            }
        }
    }

    @Override
    public Optional<FileStat> stat(String path) throws ConnectionException {
        SFTPClient s = sftp();
        try {
            return Optional.of(toStat(path, baseName(path), s.lstat(path)));
        } catch (SFTPException e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw fileError("cannot stat", path, e);
        } catch (IOException e) {
            throw fileError("cannot stat", path, e);
        }
    }

    @Override
    public List<FileStat> list(String dir) throws ConnectionException {
        SFTPClient s = sftp();
        List<RemoteResourceInfo> infos;
        try {
            infos = s.ls(dir);
        } catch (SFTPException e) {
            if (isMissing(e)) {
                return List.of();
            }
            throw fileError("cannot list", dir, e);
        } catch (IOException e) {
            throw fileError("cannot list", dir, e);
        }
        String base = dir.endsWith("/") ? dir : dir + "/";
        List<FileStat> result = new ArrayList<>();
        for (RemoteResourceInfo i : infos) {
            String name = i.getName();
            if (!name.equals(".") && !name.equals("..")) {
                result.add(toStat(base + name, name, i.getAttributes()));
            }
        }
        result.sort(Comparator.comparing(FileStat::name));
        return result;
    }

    @Override
    public void mkdirs(String dir) throws ConnectionException {
        SFTPClient s = sftp();
        Optional<FileStat> st = stat(dir);
        if (st.isPresent()) {
            if (!st.get().isDirectory()) {
                throw new ConnectionException(prefix() + ": cannot create directory " + dir + ": a file of that name exists");
            }
            return;
        }
        // One level at a time, like mkdir -p: a directory that another task (of this run, on
        // this same connection, or another client) creates between our stat and our mkdir is
        // not an error (SFTP v3 answers a plain FAILURE for an existing directory).
        List<String> missing = new ArrayList<>();
        for (String d = dir; d != null && !d.isEmpty() && !d.equals("/"); d = parentOf(d)) {
            Optional<FileStat> at = stat(d);
            if (at.isPresent()) {
                if (!at.get().isDirectory()) {
                    throw new ConnectionException(prefix() + ": cannot create directory " + dir + ": " + d + " is not a directory");
                }
                break;
            }
            missing.add(0, d);
        }
        for (String d : missing) {
            try {
                s.mkdir(d);
            } catch (IOException e) {
                Optional<FileStat> now = stat(d);
                if (now.isEmpty() || !now.get().isDirectory()) {
                    throw fileError("cannot create directory", d, e);
                }
            }
        }
    }

    /** The parent of a slash-separated path, or null for a top-level name. */
    private static String parentOf(String path) {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        int i = p.lastIndexOf('/');
        return i <= 0 ? (i == 0 ? "/" : null) : p.substring(0, i);
    }

    @Override
    public void delete(String path) throws ConnectionException {
        SFTPClient s = sftp();
        Optional<FileStat> st = stat(path);
        if (st.isEmpty()) {
            return;
        }
        try {
            if (st.get().isDirectory()) {
                s.rmdir(path);
            } else {
                s.rm(path);
            }
        } catch (SFTPException e) {
            if (!isMissing(e)) {
                throw fileError("cannot delete", path, e);
            }
        } catch (IOException e) {
            throw fileError("cannot delete", path, e);
        }
    }

    @Override
    public void rename(String from, String to) throws ConnectionException {
        SFTPClient s = sftp();
        if (stat(to).isPresent()) {
            throw new ConnectionException(prefix() + ": cannot rename " + from + " to " + to + ": target already exists");
        }
        try {
            s.rename(from, to);
        } catch (IOException e) {
            throw new ConnectionException(prefix() + ": cannot rename " + from + " to " + to + ": " + sftpReason(e), e);
        }
    }

    private static boolean isMissing(SFTPException e) {
        return e.getStatusCode() == Response.StatusCode.NO_SUCH_FILE
                || e.getStatusCode() == Response.StatusCode.NO_SUCH_PATH;
    }

    private ConnectionException fileError(String what, String path, IOException e) {
        return new ConnectionException(prefix() + ": " + what + " " + path + ": " + sftpReason(e), e);
    }

    private static String sftpReason(IOException e) {
        if (e instanceof SFTPException s) {
            if (isMissing(s)) {
                return "no such file or directory";
            }
            if (s.getStatusCode() == Response.StatusCode.PERMISSION_DENIED) {
                return "permission denied";
            }
        }
        return message(e);
    }

    private static FileStat toStat(String path, String name, FileAttributes a) {
        FileMode.Type t = a.getType();
        FileStat.Type type = t == FileMode.Type.DIRECTORY ? FileStat.Type.DIRECTORY
                : t == FileMode.Type.REGULAR ? FileStat.Type.FILE
                : t == FileMode.Type.SYMLINK ? FileStat.Type.SYMLINK
                : FileStat.Type.OTHER;
        return new FileStat(path, name, type, type == FileStat.Type.DIRECTORY ? 0 : a.getSize(), a.getMtime() * 1000L);
    }

    private static String baseName(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int i = p.lastIndexOf('/');
        return i < 0 || p.length() == 1 ? p : p.substring(i + 1);
    }

    // ---------------------------------------------------------------- closing

    /** Closes the SFTP channel and the SSH connection; running commands fail. Never throws. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            closeQuietly(sftp);
            sftp = null;
            closeQuietly(client);
            client = null;
        }
    }

    @Override
    public String toString() {
        return "SshConnection[" + prefix() + "]";
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing is best effort
            }
        }
    }

    private static String message(Throwable e) {
        Throwable t = e;
        String m = null;
        while (t != null) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                m = t.getMessage();
                break;
            }
            t = t.getCause();
        }
        return m == null ? e.getClass().getSimpleName() : m.strip().replace('\n', ' ');
    }

    // ---------------------------------------------------------------- host keys

    /** {@code SHA256:base64} fingerprint of a public key, as OpenSSH prints it. */
    static String fingerprint(PublicKey key) {
        try {
            byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
            byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * OpenSSH known_hosts verification that remembers why it refused a key and, when allowed,
     * records unknown keys.
     */
    private static final class KnownHostsVerifier extends OpenSSHKnownHosts {
        private final Settings settings;
        volatile String problem;

        KnownHostsVerifier(Settings settings) throws IOException {
            super(new StringReader(Files.exists(settings.knownHosts())
                    ? Files.readString(settings.knownHosts(), StandardCharsets.UTF_8) : ""));
            this.settings = settings;
        }

        private String hostPattern() {
            return settings.port() == 22 ? settings.address() : "[" + settings.address() + "]:" + settings.port();
        }

        @Override
        protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
            String type = KeyType.fromKey(key).toString();
            if (!settings.acceptNewHostKeys()) {
                problem = "host key " + type + " " + fingerprint(key) + " is not in known_hosts file "
                        + settings.knownHosts() + " (add it, e.g. with ssh-keyscan, or allow recording new keys)";
                return false;
            }
            try {
                HostEntry entry = new HostEntry(null, hostPattern(), KeyType.fromKey(key), key);
                synchronized (KNOWN_HOSTS_LOCK) {
                    Path f = settings.knownHosts();
                    Path dir = f.toAbsolutePath().getParent();
                    if (dir != null) {
                        Files.createDirectories(dir);
                    }
                    String prefix = Files.exists(f) && Files.size(f) > 0 && !endsWithNewline(f) ? "\n" : "";
                    Files.writeString(f, prefix + entry.getLine() + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
                }
                entries().add(entry);
                return true;
            } catch (IOException e) {
                problem = "cannot record new host key in " + settings.knownHosts() + ": " + e.getMessage();
                return false;
            }
        }

        private static boolean endsWithNewline(Path f) throws IOException {
            byte[] all = Files.readAllBytes(f);
            return all.length > 0 && all[all.length - 1] == '\n';
        }

        @Override
        protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
            problem = "HOST KEY CHANGED: the server offered " + KeyType.fromKey(key) + " " + fingerprint(key)
                    + " but known_hosts file " + settings.knownHosts() + " records a different key for "
                    + hostPattern() + " (possible man-in-the-middle; if the host was reinstalled, remove the old entry)";
            return false;
        }
    }
}
