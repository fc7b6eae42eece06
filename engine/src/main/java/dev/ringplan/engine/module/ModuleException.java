package dev.ringplan.engine.module;

import dev.ringplan.engine.diag.RingplanException;

/** A module could not do its work; the message is shown to the user as the task's failure. */
public class ModuleException extends RingplanException {
    /** With a message saying what failed and where. */
    public ModuleException(String message) {
        super(message);
    }

    /** With a message and the low-level cause. */
    public ModuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
