package dev.ringplan.engine.dag;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by algorithms that need an acyclic graph ({@link TopoSort}, {@link Walker}) when the
 * graph has cycles. Callers that build graphs from user input should check
 * {@link Cycles#findCycles(Graph)} first and report the cycles as diagnostics; this exception
 * marks a programming error.
 */
public final class CycleException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient List<List<String>> cycles;

    /**
     * @param cycles the cycles found, as {@link Cycles#findCycles(Graph)} returns them
     */
    public CycleException(List<List<String>> cycles) {
        super("graph has cycles: "
                + cycles.stream().map(Cycles::format).collect(Collectors.joining("; ")));
        this.cycles = List.copyOf(cycles);
    }

    /** The cycles, as {@link Cycles#findCycles(Graph)} returns them. */
    public List<List<String>> cycles() {
        return cycles;
    }
}
