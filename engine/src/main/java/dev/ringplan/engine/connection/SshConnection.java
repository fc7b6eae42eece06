package dev.ringplan.engine.connection;

import static dev.ringplan.engine.connection.ConnectionSupport.closeQuietly;
import static dev.ringplan.engine.connection.ConnectionSupport.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.sftp.SFTPClient;

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
 *
 * <p>This class keeps the connection's state (the client, the SFTP channel, reconnecting); the
 * work is done by {@link SshLogin} (connect and authenticate), {@link KnownHostsVerifier} (host
 * keys), {@link SshExec} (commands) and {@link SftpFiles} (files).
 */
public final class SshConnection implements Connection {
    /** Most session channels one connection runs at once; further {@link #exec} calls wait. */
    public static final int MAX_CONCURRENT_EXECS = 8;

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
    private final String prefix;
    private final Object lock = new Object();
    private final SshExec commands;
    private final SftpFiles files;
    private final SshForwards forwards;
    private SSHClient client;
    private SFTPClient sftp;
    private volatile boolean closed;

    private SshConnection(String host, Settings settings) {
        this.host = host;
        this.settings = settings;
        this.prefix = host + " (" + settings.target() + ")";
        this.commands = new SshExec(host, prefix, new SshExec.Clients() {
            @Override
            public SSHClient current() throws ConnectionException {
                return client(null);
            }

            @Override
            public SSHClient replacing(SSHClient broken) throws ConnectionException {
                return client(broken);
            }
        });
        this.files = new SftpFiles(prefix, this::sftp);
        this.forwards = new SshForwards(prefix);
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
            c.client = SshLogin.open(c.prefix, settings);
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

    // ---------------------------------------------------------------- the live client

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
                client = SshLogin.open(prefix, settings);
            }
            return client;
        }
    }

    /** The SFTP client, opened on first use and again after a reconnect. */
    private SFTPClient sftp() throws ConnectionException {
        synchronized (lock) {
            SSHClient c = client(null);
            if (sftp == null) {
                try {
                    sftp = c.newSFTPClient();
                } catch (IOException | IllegalStateException first) {
                    // maybe the link dropped just now: reconnect once, as exec does
                    c = client(c);
                    try {
                        sftp = c.newSFTPClient();
                    } catch (IOException | IllegalStateException e) {
                        throw new ConnectionException(prefix + ": cannot start the SFTP subsystem: " + message(e), e);
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
        return SshExec.commandLine(argv, options);
    }

    @Override
    public ExecResult exec(List<String> argv, ExecOptions options) throws ConnectionException {
        return commands.exec(argv, options);
    }

    /**
     * Runs {@code argv} on its own session channel and streams its stdout ({@link Connection#execStream});
     * the channel counts against {@link #MAX_CONCURRENT_EXECS} until the stream is closed.
     */
    @Override
    public CommandStream execStream(List<String> argv, ExecOptions options) throws ConnectionException {
        return commands.stream(argv, options);
    }

    /** True: commands' output can be streamed. */
    @Override
    public boolean canStreamExec() {
        return true;
    }

    /**
     * Stops the running commands and refuses new ones (class doc, {@link Connection#interrupt()}).
     * Only completes a future: each waiting {@code exec} call signals its own command.
     */
    @Override
    public void interrupt() {
        commands.interrupt();
    }

    // ---------------------------------------------------------------- files

    @Override
    public InputStream openRead(String path) throws ConnectionException {
        return files.openRead(path);
    }

    @Override
    public OutputStream openWrite(String path) throws ConnectionException {
        return files.openWrite(path);
    }

    @Override
    public Optional<FileStat> stat(String path) throws ConnectionException {
        return files.stat(path);
    }

    @Override
    public List<FileStat> list(String dir) throws ConnectionException {
        return files.list(dir);
    }

    @Override
    public void mkdirs(String dir) throws ConnectionException {
        files.mkdirs(dir);
    }

    @Override
    public void delete(String path) throws ConnectionException {
        files.delete(path);
    }

    @Override
    public void rename(String from, String to) throws ConnectionException {
        files.rename(from, to);
    }

    /**
     * Forwards an ephemeral port of 127.0.0.1 to {@code address:port} as this host sees it
     * ({@link SshForwards}); reused while the SSH connection lives.
     *
     * @throws ConnectionException when the connection is closed or no local port can be bound
     */
    @Override
    public java.net.InetSocketAddress reach(String address, int port) throws ConnectionException {
        return forwards.reach(client(null), address, port);
    }

    // ---------------------------------------------------------------- closing

    /**
     * Closes the shared resources, the port forwards, the SFTP channel and the SSH connection;
     * running commands fail. Never throws.
     */
    @Override
    public void close() {
        ConnectionResources.closeAll(this);
        forwards.close();
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
        return "SshConnection[" + prefix + "]";
    }
}
