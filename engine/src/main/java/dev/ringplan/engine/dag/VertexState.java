package dev.ringplan.engine.dag;

/**
 * The final state of a vertex after a {@link Walker} walk: whether its visit ran and what the
 * visit said, seen from the graph alone. Not the outcome of a node of a run (the executor's
 * {@code exec.Status}: ok, changed, skipped, ...), which the executor derives from its own
 * results; this is what the walker decided about scheduling: visited or not, and whether the
 * vertex's dependents could run.
 */
public enum VertexState {
    /** Visited, succeeded. */
    SUCCESS,
    /** Visited, failed (returned {@link Walker.Outcome#FAILURE} or threw). */
    FAILURE,
    /** Visited, failed, failure tolerated. */
    FAILURE_IGNORED,
    /** Not visited because an ancestor failed. */
    SKIPPED_UPSTREAM_FAILED,
    /**
     * Not visited because the walk was cancelled first, or (after
     * {@link Walker#cancel(java.time.Duration)}) visited but abandoned: still running when the
     * walk stopped waiting.
     */
    CANCELLED;

    /** Whether dependents of a vertex in this state may run. */
    public boolean letsDependentsRun() {
        return this == SUCCESS || this == FAILURE_IGNORED;
    }
}
