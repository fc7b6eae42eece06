package dev.ringplan.engine.connection;

/**
 * The host could not be reached at all: connection refused, timeout, host key mismatch or
 * unknown host key, authentication failure. The executor reports such a node as
 * {@code unreachable}, not {@code failed}, and the CLI exits with code 3.
 */
public class UnreachableException extends ConnectionException {
    /** With a message naming the host and why it is unreachable. */
    public UnreachableException(String message) {
        super(message);
    }

    /** With a message and the low-level cause. */
    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
