package dev.ringplan.engine.module;

import java.util.List;
import java.util.Map;

/**
 * What a module's {@code check} found: whether {@code apply} would change anything, a human
 * summary, a unified diff when a file would change, the exact commands it would run, and the
 * state it observed (for {@code apply} to reuse, and for check-mode registration).
 *
 * @param change   yes, no, or unknown (cannot predict without doing it)
 * @param summary  one line, e.g. "would snapshot keyspaces ks1, ks2 with tag nightly"
 * @param diff     unified diff text, or null
 * @param commands argv lists or CQL statements it would run, as display strings
 * @param data     observed state (module-specific keys), never null
 */
public record Preview(Change change, String summary, String diff, List<String> commands, Map<String, Object> data) {

    /** Whether applying would change the host. */
    public enum Change { YES, NO, UNKNOWN }

    /** Nothing to do. */
    public static Preview noChange(String summary) {
        return new Preview(Change.NO, summary, null, List.of(), Map.of());
    }

    /** Would change, running {@code commands}. */
    public static Preview willChange(String summary, List<String> commands) {
        return new Preview(Change.YES, summary, null, List.copyOf(commands), Map.of());
    }

    /** Cannot tell without doing it (e.g. {@code nodetool flush}). */
    public static Preview unknown(String summary, List<String> commands) {
        return new Preview(Change.UNKNOWN, summary, null, List.copyOf(commands), Map.of());
    }

    /** A copy with a diff. */
    public Preview withDiff(String d) {
        return new Preview(change, summary, d, commands, data);
    }

    /** A copy with observed data. */
    public Preview withData(Map<String, Object> d) {
        return new Preview(change, summary, diff, commands, Map.copyOf(d));
    }
}
