package dev.ringplan.modules.lock;

/** A lock operation that could not be done: the cluster could not answer, or refused it. */
public final class LockException extends Exception {
    /** With the message shown to the user. */
    public LockException(String message) {
        super(message);
    }
}
