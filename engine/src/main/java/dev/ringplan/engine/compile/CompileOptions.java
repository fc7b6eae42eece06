package dev.ringplan.engine.compile;

import java.util.List;
import java.util.Map;

/**
 * What the user asked on top of the plan and the inventory.
 *
 * @param extraVars {@code -e key=value} variables (highest precedence)
 * @param limit     host pattern that restricts every task's targets ({@code --limit}), or null
 * @param tags      run only tasks carrying one of these tags (and tasks tagged {@code always});
 *                  empty for all
 * @param hostDefaults variables every host has at the lowest precedence, below the inventory's
 *                  (the modules' documented defaults, e.g. {@code cassandra_data_dirs})
 */
public record CompileOptions(Map<String, Object> extraVars, String limit, List<String> tags,
                             Map<String, Object> hostDefaults) {
    /** No extra vars, no limit, all tags, no host defaults. */
    public static CompileOptions defaults() {
        return new CompileOptions(Map.of(), null, List.of(), Map.of());
    }

    /** Without host defaults. */
    public CompileOptions(Map<String, Object> extraVars, String limit, List<String> tags) {
        this(extraVars, limit, tags, Map.of());
    }
}
