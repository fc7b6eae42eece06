package dev.ringplan.engine.connection;

import java.io.InputStream;

/**
 * A command started by {@link Connection#execStream}: its standard output is read as a stream
 * while it runs (no size limit, nothing buffered beyond the transport's window), its standard
 * error is collected, and {@link #finish()} gives its exit status once the output ended.
 *
 * <p>Use: read {@link #stdout()} to its end, call {@link #finish()}, then {@link #close()} (in a
 * try-with-resources). Closing before {@code finish} stops the command (over SSH a KILL signal
 * request and the channel closed, locally SIGKILL) and releases what it held.
 */
public interface CommandStream extends AutoCloseable {

    /** The command's standard output; ends (-1) when the command closed it. */
    InputStream stdout();

    /**
     * Waits for the command to exit after its output ended, up to the timeout of the
     * {@link ExecOptions} it was started with.
     *
     * @return argv, the exit status (null when none arrived), stdout empty, stderr as UTF-8 text
     * @throws ConnectionException when the link failed, or the command did not exit in time
     *                             ({@link CommandTimeoutException}; it is killed)
     */
    ExecResult finish() throws ConnectionException;

    /** Stops the command if {@link #finish()} did not see it exit, and frees its channel. Never throws. */
    @Override
    void close();
}
