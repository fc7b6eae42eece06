package dev.ringplan.modules.nodetool;

import dev.ringplan.engine.diag.RingplanException;

/**
 * nodetool output did not have the expected shape. The message names the command, the line
 * number (1-based) and the offending line, so a user can compare it with the format the parser
 * documents.
 */
public class NodetoolParseException extends RingplanException {
    /** With a message naming the command and what was not understood. */
    public NodetoolParseException(String message) {
        super(message);
    }

    /** For {@code command}'s output line {@code lineNo} (1-based) with text {@code line}. */
    public static NodetoolParseException at(String command, int lineNo, String line, String problem) {
        return new NodetoolParseException("nodetool " + command + " output, line " + lineNo + ": " + problem
                + ": '" + line.strip() + "'");
    }
}
