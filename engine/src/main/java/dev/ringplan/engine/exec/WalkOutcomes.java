package dev.ringplan.engine.exec;

import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.dag.VertexState;
import dev.ringplan.engine.dag.Walker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates between node results ({@link Status}) and the walker's vertices
 * ({@link Walker.Outcome}, {@link VertexState}): the outcome a node's result gives its vertex,
 * and the result of a node whose vertex the walker settled without a visit that produced one
 * (skipped because something upstream failed, cancelled, abandoned when an interrupted run
 * stopped waiting, or a visit that threw). Stateless.
 */
final class WalkOutcomes {
    private WalkOutcomes() {
    }

    /** What a node's result tells the walker: dependents run after a success or an ignored failure. */
    static Walker.Outcome outcome(NodeResult r) {
        boolean ok = r.status() != Status.FAILED && r.status() != Status.UNREACHABLE && r.status() != Status.INTERRUPTED;
        return ok ? Walker.Outcome.SUCCESS : (r.ignored() ? Walker.Outcome.FAILURE_IGNORED : Walker.Outcome.FAILURE);
    }

    /**
     * The result of a node whose vertex settled in state {@code v}, when its visit gave it none;
     * null when the visit did (or will: a vertex visited to the end needs nothing here).
     *
     * @param results        the run's results so far, by vertex name
     * @param startedAtNanos when the node's visit started ({@link System#nanoTime()}), or null
     */
    static NodeResult unvisited(Walker.VertexResult v, TaskNode node, Cancellation cancellation,
                                Map<String, NodeResult> results, Long startedAtNanos) {
        if (v.state() == VertexState.CANCELLED && cancellation.isCancelled()) {
            return startedAtNanos == null ? notStarted(node, cancellation)
                    : new NodeResult(node, Status.INTERRUPTED, "interrupted (" + cancellation.reason()
                            + "): still running " + cancellation.graceText()
                            + " after the interrupt; stopped waiting for it", null, List.of(),
                            Map.of("interrupted", true), false, (System.nanoTime() - startedAtNanos) / 1_000_000);
        }
        if (v.state() == VertexState.SKIPPED_UPSTREAM_FAILED && cancellation.isCancelled()
                && v.failedAncestor() != null && results.get(v.failedAncestor()) != null
                && results.get(v.failedAncestor()).status() == Status.INTERRUPTED) {
            return notStarted(node, cancellation);
        }
        if (v.state() == VertexState.SKIPPED_UPSTREAM_FAILED || v.state() == VertexState.CANCELLED) {
            String why = v.state() == VertexState.CANCELLED ? "run cancelled" : "upstream failed: " + v.failedAncestor();
            return new NodeResult(node, Status.SKIPPED, why, null, List.of(), Map.of("skipped", true, "msg", why), false, 0);
        }
        if (v.error() != null && !results.containsKey(v.name())) {
            return new NodeResult(node, cancellation.isCancelled() ? Status.INTERRUPTED : Status.FAILED,
                    "internal error: " + v.error(), null, List.of(), Map.of(), false, 0);
        }
        return null;
    }

    /** The result of a node that never started because the run was interrupted. */
    static NodeResult notStarted(TaskNode node, Cancellation cancellation) {
        return new NodeResult(node, Status.INTERRUPTED, "not started: run interrupted (" + cancellation.reason() + ")",
                null, List.of(), Map.of("interrupted", true), false, 0);
    }

    /** A node that was running when the run was interrupted and did not complete; keeps what it said. */
    static NodeResult interrupted(NodeResult r, Cancellation cancellation) {
        Map<String, Object> data = new LinkedHashMap<>(r.data());
        data.put("interrupted", true);
        data.put("failed", false);
        data.put("status", Status.INTERRUPTED.label());
        String msg = "interrupted (" + cancellation.reason() + ")" + (r.msg() == null || r.msg().isBlank() ? "" : ": " + r.msg());
        return new NodeResult(r.node(), Status.INTERRUPTED, msg, r.diff(), r.commands(), data, false, r.durationMs());
    }
}
