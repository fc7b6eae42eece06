package dev.ringplan.engine.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.dag.VertexState;
import dev.ringplan.engine.dag.Walker;
import dev.ringplan.engine.testing.Engine;
import dev.ringplan.engine.testing.FakeModule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link WalkOutcomes}: node results to walker outcomes, and results of vertices never (fully) visited. */
class WalkOutcomesTest {

    private static TaskNode node() throws Exception {
        return new Engine(FakeModule.named("fake")).compile("""
                hosts: h1
                tasks:
                  - id: a
                    fake: a
                """).nodes().get(0);
    }

    private static NodeResult result(TaskNode n, Status s, boolean ignored) {
        return new NodeResult(n, s, "m", null, List.of(), Map.of(), ignored, 0);
    }

    @Test
    void outcome_failuresStopDependents_unlessIgnored() throws Exception {
        TaskNode n = node();
        for (Status s : List.of(Status.OK, Status.CHANGED, Status.UNKNOWN, Status.SKIPPED)) {
            assertEquals(Walker.Outcome.SUCCESS, WalkOutcomes.outcome(result(n, s, false)), s.label());
        }
        for (Status s : List.of(Status.FAILED, Status.UNREACHABLE, Status.INTERRUPTED)) {
            assertEquals(Walker.Outcome.FAILURE, WalkOutcomes.outcome(result(n, s, false)), s.label());
        }
        assertEquals(Walker.Outcome.FAILURE_IGNORED, WalkOutcomes.outcome(result(n, Status.FAILED, true)));
    }

    @Test
    void unvisited_skippedUpstreamFailedOrCancelled_isSkippedWithTheReason() throws Exception {
        TaskNode n = node();
        Cancellation running = new Cancellation();
        NodeResult r = WalkOutcomes.unvisited(new Walker.VertexResult("a[h1]", VertexState.SKIPPED_UPSTREAM_FAILED, "x[h1]", null),
                n, running, Map.of(), null);
        assertEquals(Status.SKIPPED, r.status());
        assertEquals("upstream failed: x[h1]", r.msg());
        assertEquals(Map.of("skipped", true, "msg", "upstream failed: x[h1]"), r.data());
        assertEquals("run cancelled", WalkOutcomes.unvisited(new Walker.VertexResult("a[h1]", VertexState.CANCELLED, null, null),
                n, running, Map.of(), null).msg());
        assertNull(WalkOutcomes.unvisited(new Walker.VertexResult("a[h1]", VertexState.SUCCESS, null, null),
                n, running, Map.of(), null), "a visited vertex has its result from the visit");
    }

    @Test
    void unvisited_afterAnInterrupt_isInterrupted_notSkipped() throws Exception {
        TaskNode n = node();
        Cancellation c = new Cancellation();
        c.cancel("SIGINT");
        NodeResult never = WalkOutcomes.unvisited(new Walker.VertexResult("a[h1]", VertexState.CANCELLED, null, null),
                n, c, Map.of(), null);
        assertEquals(Status.INTERRUPTED, never.status());
        assertTrue(never.msg().startsWith("not started: run interrupted"), never.msg());
        NodeResult abandoned = WalkOutcomes.unvisited(new Walker.VertexResult("a[h1]", VertexState.CANCELLED, null, null),
                n, c, Map.of(), System.nanoTime());
        assertTrue(abandoned.msg().contains("stopped waiting for it"), abandoned.msg());
        NodeResult belowInterrupted = WalkOutcomes.unvisited(
                new Walker.VertexResult("a[h1]", VertexState.SKIPPED_UPSTREAM_FAILED, "x[h1]", null), n, c,
                Map.of("x[h1]", result(n, Status.INTERRUPTED, false)), null);
        assertEquals(Status.INTERRUPTED, belowInterrupted.status(), "work left undone, for a resumed run");
    }

    @Test
    void interrupted_keepsWhatTheNodeSaid() throws Exception {
        Cancellation c = new Cancellation();
        c.cancel("SIGTERM");
        NodeResult r = WalkOutcomes.interrupted(result(node(), Status.FAILED, false), c);
        assertEquals(Status.INTERRUPTED, r.status());
        assertEquals("interrupted (SIGTERM): m", r.msg());
        assertEquals(Map.of("interrupted", true, "failed", false, "status", "interrupted"), r.data());
    }
}
