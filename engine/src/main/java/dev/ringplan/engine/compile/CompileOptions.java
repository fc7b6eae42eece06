package dev.ringplan.engine.compile;

import java.util.List;
import java.util.Map;

/**
 * What the user asked on top of the plan and the inventory.
 *
 * @param extraVars {@code -e key=value} variables (highest precedence)
 * @param limit     host pattern that restricts every task's targets ({@code --limit}), or null
 * @param tags      {@code --tags}: run only tasks carrying one of these tags, as ansible-playbook
 *                  selects them (tasks tagged {@code always} too; {@code all}, {@code tagged},
 *                  {@code untagged} are the special words); empty for {@code all}
 * @param hostDefaults variables every host has at the lowest precedence, below the inventory's
 *                  (the modules' documented defaults, e.g. {@code cassandra_data_dirs})
 * @param skipTags  {@code --skip-tags}: leave out tasks carrying one of these tags (also
 *                  {@code always} ones when named explicitly); empty for none
 */
public record CompileOptions(Map<String, Object> extraVars, String limit, List<String> tags,
                             Map<String, Object> hostDefaults, List<String> skipTags) {
    /** No extra vars, no limit, all tags, no host defaults. */
    public static CompileOptions defaults() {
        return new CompileOptions(Map.of(), null, List.of(), Map.of(), List.of());
    }

    /** Without host defaults and skipped tags. */
    public CompileOptions(Map<String, Object> extraVars, String limit, List<String> tags) {
        this(extraVars, limit, tags, Map.of(), List.of());
    }

    /** Without skipped tags. */
    public CompileOptions(Map<String, Object> extraVars, String limit, List<String> tags,
                          Map<String, Object> hostDefaults) {
        this(extraVars, limit, tags, hostDefaults, List.of());
    }

    /** Null lists become empty. */
    public CompileOptions {
        tags = tags == null ? List.of() : List.copyOf(tags);
        skipTags = skipTags == null ? List.of() : List.copyOf(skipTags);
    }
}
