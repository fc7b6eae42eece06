package dev.ringplan.engine.diag;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when user input (plan, inventory, extra vars, CLI arguments) is invalid. Carries every
 * diagnostic found; the CLI prints them and exits with code 2, without a stack trace.
 */
public class InvalidInputException extends RingplanException {
    private final List<Diagnostic> diagnostics;

    /** An exception carrying {@code diagnostics} (at least one). */
    public InvalidInputException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream().map(Diagnostic::format).collect(Collectors.joining("\n")));
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** A single error at {@code pos}. */
    public InvalidInputException(SourcePos pos, String summary) {
        this(List.of(Diagnostic.error(pos, summary)));
    }

    /** The diagnostics, in source order. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
