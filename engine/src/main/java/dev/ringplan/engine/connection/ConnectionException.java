package dev.ringplan.engine.connection;

import dev.ringplan.engine.diag.RingplanException;

/** A command or file operation on a host failed at the connection level. */
public class ConnectionException extends RingplanException {
    /** With a message naming the host and the operation. */
    public ConnectionException(String message) {
        super(message);
    }

    /** With a message and the low-level cause. */
    public ConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
