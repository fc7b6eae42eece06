package dev.ringplan.engine.diag;

/**
 * One problem found in user input (a plan, an inventory, arguments), pointing at its source.
 * Printed as {@code file:line:column: error: summary} followed by the detail, if any.
 *
 * @param severity error or warning
 * @param pos      where the problem is
 * @param summary  one line: what is wrong and what was expected
 * @param detail   optional extra text (a "did you mean" hint, the cycle's path), may be null
 */
public record Diagnostic(Severity severity, SourcePos pos, String summary, String detail) {

    /** How bad a diagnostic is: errors stop compilation, warnings do not. */
    public enum Severity { ERROR, WARNING }

    /** An error at {@code pos}. */
    public static Diagnostic error(SourcePos pos, String summary) {
        return new Diagnostic(Severity.ERROR, pos, summary, null);
    }

    /** An error at {@code pos} with a detail line. */
    public static Diagnostic error(SourcePos pos, String summary, String detail) {
        return new Diagnostic(Severity.ERROR, pos, summary, detail);
    }

    /** A warning at {@code pos}. */
    public static Diagnostic warning(SourcePos pos, String summary) {
        return new Diagnostic(Severity.WARNING, pos, summary, null);
    }

    /** True for {@link Severity#ERROR}. */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The one-or-two line human form: {@code file:line:column: error: summary (detail)}. */
    public String format() {
        String s = pos + ": " + severity.name().toLowerCase() + ": " + summary;
        return detail == null || detail.isEmpty() ? s : s + "\n    " + detail;
    }

    @Override
    public String toString() {
        return format();
    }
}
