package dev.ringplan.engine.connection;

import java.time.Duration;

/**
 * A command run by {@link Connection#exec} did not finish within its
 * {@link ExecOptions#timeout()}: it was killed (locally with its whole process tree; over SSH
 * the channel was signalled and closed) and the output gathered so far is kept.
 */
public class CommandTimeoutException extends ConnectionException {
    private final transient ExecResult partialResult;
    private final Duration timeout;

    /**
     * With a message naming the host and the command, the timeout that expired and what the
     * command had written before it was killed (exit status null).
     */
    public CommandTimeoutException(String message, Duration timeout, ExecResult partialResult) {
        super(message);
        this.timeout = timeout;
        this.partialResult = partialResult;
    }

    /** The timeout that expired. */
    public Duration timeout() {
        return timeout;
    }

    /** The argv, the output captured until the kill, no exit status, and the time waited. */
    public ExecResult partialResult() {
        return partialResult;
    }
}
