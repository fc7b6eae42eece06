package dev.ringplan.engine.dag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Everything a walk did. */
public final class WalkResult {
    private final Map<String, Walker.VertexResult> results;
    private final boolean cancelled;
    private final List<String> abandoned;

    WalkResult(Map<String, Walker.VertexResult> results, boolean cancelled, List<String> abandoned) {
        this.results = Collections.unmodifiableMap(results);
        this.cancelled = cancelled;
        this.abandoned = List.copyOf(abandoned);
    }

    /**
     * The vertices whose visits had started but were still running when the walk stopped
     * waiting ({@link Walker#cancel(java.time.Duration)}), in graph insertion order; they are
     * {@link VertexState#CANCELLED}.
     */
    public List<String> abandoned() {
        return abandoned;
    }

    /** The result of every vertex, in graph insertion order. */
    public Map<String, Walker.VertexResult> results() {
        return results;
    }

    /** The result of one vertex, or null for an unknown name. */
    public Walker.VertexResult result(String name) {
        return results.get(name);
    }

    /** Whether the walk was cancelled (some vertices may still have all succeeded). */
    public boolean cancelled() {
        return cancelled;
    }

    /** Whether every vertex ended {@link VertexState#SUCCESS} or {@link VertexState#FAILURE_IGNORED}. */
    public boolean allSucceeded() {
        return results.values().stream().allMatch(r -> r.state().letsDependentsRun());
    }

    /** The vertices in the given state, in graph insertion order. */
    public List<String> withState(VertexState state) {
        List<String> out = new ArrayList<>();
        for (Walker.VertexResult r : results.values()) {
            if (r.state() == state) {
                out.add(r.name());
            }
        }
        return out;
    }
}
