package dev.ringplan.engine.module;

import java.util.List;
import java.util.Map;

/**
 * What a module's {@code check} found: whether {@code apply} would change anything, a human
 * summary, a unified diff when a file would change, the exact commands it would run, and the
 * state it observed (for {@code apply} to reuse, and for check-mode registration).
 *
 * <p>In check mode a preview reads the world as it is before the run, while the run's later tasks
 * see it after the earlier ones applied. So the engine turns a {@link Change#NO} into
 * {@code unknown} when an upstream node is predicted to change
 * ({@link ModuleContext#upstreamChanges()}), unless the preview {@link #considersUpstream()}:
 * the module took those changes into account, or its answer cannot depend on them.
 *
 * @param change            yes, no, or unknown (cannot predict without doing it)
 * @param summary           one line, e.g. "would snapshot keyspaces ks1, ks2 with tag nightly"
 * @param diff              unified diff text, or null
 * @param commands          argv lists or CQL statements it would run, as display strings
 * @param data              observed state (module-specific keys), never null
 * @param considersUpstream true when the answer already holds after the upstream changes the
 *                          engine reported (see above); false by default
 */
public record Preview(Change change, String summary, String diff, List<String> commands, Map<String, Object> data,
                      boolean considersUpstream) {

    /** Whether applying would change the host. */
    public enum Change { YES, NO, UNKNOWN }

    /** A preview that does not consider upstream changes (the engine's conservative rule applies). */
    public Preview(Change change, String summary, String diff, List<String> commands, Map<String, Object> data) {
        this(change, summary, diff, commands, data, false);
    }

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
        return new Preview(change, summary, d, commands, data, considersUpstream);
    }

    /**
     * A copy with data: what the engine registers for this preview (in check mode, and in a run
     * when nothing needs doing), with the keys {@link Module#returns()} declares; null values
     * allowed (known after apply). Kept in the given order.
     */
    public Preview withData(Map<String, Object> d) {
        return new Preview(change, summary, diff, commands,
                java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(d)), considersUpstream);
    }

    /**
     * A copy saying the answer holds whatever the upstream tasks change: the module consulted
     * {@link ModuleContext#upstreamChanges()}, or its outcome cannot depend on them (a wait that
     * changes nothing). The engine then keeps a {@link Change#NO} as {@code ok} in check mode.
     */
    public Preview consideringUpstream() {
        return new Preview(change, summary, diff, commands, data, true);
    }
}
