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
 */
public record CompileOptions(Map<String, Object> extraVars, String limit, List<String> tags) {
    /** No extra vars, no limit, all tags. */
    public static CompileOptions defaults() {
        return new CompileOptions(Map.of(), null, List.of());
    }
}
