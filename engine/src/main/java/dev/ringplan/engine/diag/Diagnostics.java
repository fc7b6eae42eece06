package dev.ringplan.engine.diag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * A collector of {@link Diagnostic}s, so that every problem of an input is reported at once
 * rather than the first only. Not thread-safe.
 */
public final class Diagnostics {
    private final List<Diagnostic> items = new ArrayList<>();

    /** Adds one diagnostic (an identical one already collected is not added twice). */
    public void add(Diagnostic d) {
        if (!items.contains(d)) {
            items.add(d);
        }
    }

    /** Adds an error at {@code pos}. */
    public void error(SourcePos pos, String summary) {
        add(Diagnostic.error(pos, summary));
    }

    /** Adds an error at {@code pos} with a detail line (e.g. a "did you mean" hint). */
    public void error(SourcePos pos, String summary, String detail) {
        add(Diagnostic.error(pos, summary, detail));
    }

    /** Adds all of {@code other}'s diagnostics. */
    public void addAll(Diagnostics other) {
        other.items.forEach(this::add);
    }

    /** Adds all of {@code list}. */
    public void addAll(List<Diagnostic> list) {
        list.forEach(this::add);
    }

    /** True when at least one error was collected. */
    public boolean hasErrors() {
        return items.stream().anyMatch(Diagnostic::isError);
    }

    /** All diagnostics, sorted by file, line, column (stable for equal positions). */
    public List<Diagnostic> all() {
        List<Diagnostic> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparing((Diagnostic d) -> d.pos().file())
                .thenComparingInt(d -> d.pos().line())
                .thenComparingInt(d -> d.pos().column()));
        return Collections.unmodifiableList(sorted);
    }

    /** Throws {@link InvalidInputException} carrying every diagnostic if any is an error. */
    public void throwIfErrors() throws InvalidInputException {
        if (hasErrors()) {
            throw new InvalidInputException(all());
        }
    }
}
