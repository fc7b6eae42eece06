package dev.ringplan.engine.connection;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * How Ringplan reaches one inventory host: run commands (as argument lists, never as a string a
 * shell would split) and read, write and list files. One connection per host is opened by the
 * executor and reused by every task of that host; implementations must be safe to use from one
 * thread at a time per call, and {@link #exec} may be called from several threads.
 *
 * <p>Implementations: {@link LocalConnection} (the controller itself, used by the sandbox) and
 * {@code SshConnection} (sshj: exec channel and SFTP).
 */
public interface Connection extends AutoCloseable {

    /** The inventory hostname this connection reaches. */
    String host();

    /**
     * Runs {@code argv} on the host and waits for it. Over SSH, each argument is quoted for the
     * remote POSIX shell by the connection ({@link ShellQuote}); locally it is exec'd directly.
     *
     * @param argv    program and arguments, not empty
     * @param options stdin, timeout, environment
     * @return the exit status (absent when none arrived), stdout and stderr as UTF-8 text
     * @throws ConnectionException when the command could not be started or the link failed
     *                             ({@link UnreachableException} when the host cannot be reached)
     */
    ExecResult exec(List<String> argv, ExecOptions options) throws ConnectionException;

    /** Same as {@link #exec(List, ExecOptions)} with default options (no stdin, 1 hour timeout). */
    default ExecResult exec(List<String> argv) throws ConnectionException {
        return exec(argv, ExecOptions.defaults());
    }

    /**
     * Starts {@code argv} on the host and returns at once with its standard output as a stream
     * ({@link CommandStream}), for outputs too big to collect (e.g. {@code tar cf -} of a
     * snapshot). Quoting as {@link #exec}; stdin is closed at once ({@code options.stdin()} is
     * ignored); the timeout bounds only the wait for the exit status once the output ended, not
     * the reading. {@link #interrupt()} stops streamed commands too (their output ends early).
     * Only when {@link #canStreamExec()} is true; the default throws.
     *
     * @throws ConnectionException when the command cannot be started, or this connection cannot stream
     */
    default CommandStream execStream(List<String> argv, ExecOptions options) throws ConnectionException {
        throw new ConnectionException(host() + ": this connection cannot stream a command's output");
    }

    /** True when {@link #execStream} works on this connection (SSH and local); false by default. */
    default boolean canStreamExec() {
        return false;
    }

    /**
     * Opens a file on the host for streaming reads (SFTP over SSH). The caller closes the stream.
     *
     * @throws ConnectionException when the file cannot be opened (missing, permission)
     */
    InputStream openRead(String path) throws ConnectionException;

    /**
     * Opens a file on the host for writing, creating or truncating it; parent directories must
     * exist. The caller closes the stream; the data is complete only once it is closed.
     */
    OutputStream openWrite(String path) throws ConnectionException;

    /** Metadata of {@code path} without following a final symlink; empty when it does not exist. */
    Optional<FileStat> stat(String path) throws ConnectionException;

    /** The direct children of directory {@code dir}, sorted by name; empty when it does not exist. */
    List<FileStat> list(String dir) throws ConnectionException;

    /** Creates {@code dir} and any missing parents; no-op when it exists. */
    void mkdirs(String dir) throws ConnectionException;

    /** Deletes a file or an empty directory; no-op when it does not exist. */
    void delete(String path) throws ConnectionException;

    /**
     * Renames (moves) {@code from} to {@code to} on the same host, replacing nothing. A rename
     * only, never a copy: across file systems it fails (rename(2)'s EXDEV).
     */
    void rename(String from, String to) throws ConnectionException;

    /** Reads a whole (small) file as bytes. */
    default byte[] readAll(String path) throws ConnectionException {
        try (InputStream in = openRead(path)) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new ConnectionException(host() + ": cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Writes a whole (small) file. */
    default void writeAll(String path, byte[] data) throws ConnectionException {
        try (OutputStream out = openWrite(path)) {
            out.write(data);
        } catch (java.io.IOException e) {
            throw new ConnectionException(host() + ": cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops the commands running through this connection because the run was interrupted, and
     * makes every later {@link #exec} throw {@link CommandInterruptedException} without starting
     * anything. Returns at once (safe from any thread, e.g. a signal handler); each stopped
     * {@code exec} call throws {@link CommandInterruptedException} once its command is gone:
     * locally the command's whole process group gets SIGTERM, then SIGKILL after
     * {@link #KILL_GRACE_MILLIS}; over SSH the command gets a TERM signal request, then KILL
     * and its channel is closed. Idempotent. The default does nothing (connections that run no
     * commands of their own).
     */
    default void interrupt() {
    }

    /**
     * An address the controller can connect to that reaches {@code port} of {@code address} as
     * the host itself sees it (e.g. a node's JMX port bound to its loopback): a
     * {@link LocalConnection} returns the address unchanged (the host is the controller); an
     * {@link SshConnection} forwards a local port on 127.0.0.1 through its SSH connection
     * (a {@code direct-tcpip} channel per TCP connection, like {@code ssh -L}), kept open until
     * the connection closes and reused for the same target. The default (connections that
     * cannot forward, e.g. test doubles) throws.
     *
     * @throws ConnectionException when the forward cannot be set up, or this connection cannot forward
     */
    default java.net.InetSocketAddress reach(String address, int port) throws ConnectionException {
        throw new ConnectionException(host() + ": this connection cannot reach " + address + ":" + port
                + " (no port forwarding)");
    }

    /**
     * The resource {@code key} of this connection, created by {@code factory} on first use and
     * closed when this connection closes ({@link ConnectionResources}); e.g. one JMX connector per
     * host for a whole run. Thread-safe: concurrent callers share one creation.
     *
     * @throws ConnectionException what {@code factory} threw (nothing is kept)
     */
    default <T extends AutoCloseable> T shared(String key, Class<T> type, ConnectionResources.Factory<T> factory)
            throws ConnectionException {
        return ConnectionResources.get(this, key, type, factory);
    }

    /** Drops resource {@code key} if it is still {@code r} (found broken), without closing it. */
    default void forgetShared(String key, AutoCloseable r) {
        ConnectionResources.forget(this, key, r);
    }

    /** How long an interrupted command may take to exit after SIGTERM before it gets SIGKILL. */
    long KILL_GRACE_MILLIS = 3000;

    /**
     * Closes the connection and its {@link #shared} resources ({@link ConnectionResources#closeAll});
     * further calls fail. Never throws.
     */
    @Override
    void close();
}
