package dev.ringplan.engine.diag;

/**
 * The checked root of Ringplan's errors. Subclasses say what a caller can act on
 * ({@link InvalidInputException}: bad input, exit code 2; connection and module failures);
 * low-level causes are kept as the cause.
 */
public class RingplanException extends Exception {
    /** With a message. */
    public RingplanException(String message) {
        super(message);
    }

    /** With a message and the low-level cause. */
    public RingplanException(String message, Throwable cause) {
        super(message, cause);
    }
}
