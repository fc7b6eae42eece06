package dev.ringplan.engine.inventory;

import dev.ringplan.engine.diag.RingplanException;

/**
 * A host pattern that cannot be resolved against an inventory: a name that matches no host or
 * group, a bad regular expression, a subscript out of range. Carries the pattern and an optional
 * "did you mean" hint so that a caller can turn it into a diagnostic at its own source position.
 */
public class HostPatternException extends RingplanException {
    private final String pattern;
    private final String summary;
    private final String detail;

    /**
     * @param pattern the offending (sub-)pattern
     * @param summary one line: what is wrong
     * @param detail  a hint such as {@code did you mean 'web'?}, or null
     */
    public HostPatternException(String pattern, String summary, String detail) {
        super(detail == null ? summary : summary + " (" + detail + ")");
        this.pattern = pattern;
        this.summary = summary;
        this.detail = detail;
    }

    /** The offending (sub-)pattern. */
    public String pattern() {
        return pattern;
    }

    /** One line: what is wrong. */
    public String summary() {
        return summary;
    }

    /** A "did you mean" hint, or null. */
    public String detail() {
        return detail;
    }
}
