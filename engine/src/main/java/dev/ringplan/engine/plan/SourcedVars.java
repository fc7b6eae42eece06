package dev.ringplan.engine.plan;

import dev.ringplan.engine.diag.SourcePos;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Variables as written in a plan ({@code vars:} of the plan, a block or a task), in file order,
 * remembering where each value is written so that an error in a value's template can point at
 * it. A plain {@link Map} for every other purpose.
 */
public final class SourcedVars extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;
    private final Map<String, SourcePos> positions = new LinkedHashMap<>();

    /** Adds a variable and where its value is written. */
    public void put(String name, Object value, SourcePos pos) {
        put(name, value);
        positions.put(name, pos);
    }

    /**
     * Where {@code name}'s value is written in {@code vars}, or null when {@code vars} does not
     * know (not parsed from a file, or no such variable).
     */
    public static SourcePos posOf(Map<String, ?> vars, String name) {
        return vars instanceof SourcedVars s ? s.positions.get(name) : null;
    }
}
