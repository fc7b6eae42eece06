package dev.ringplan.modules.yamledit;

import dev.ringplan.engine.module.ModuleException;

/**
 * An edit of a YAML text could not be made safely: a bad path, a path through a value of the
 * wrong kind, a file that is not valid YAML, a construct the text editor does not handle
 * (aliases, complex keys), or a result that did not re-parse to the intended data. Nothing is
 * written when this is thrown.
 */
public class YamlEditException extends ModuleException {
    /** With a message saying what and where. */
    public YamlEditException(String message) {
        super(message);
    }

    /** With a message and the cause. */
    public YamlEditException(String message, Throwable cause) {
        super(message, cause);
    }
}
