package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.plan.Task;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Rescue}: what it protects and when its nodes run. */
class RescueTest {

    private static Rescue rescue() throws Exception {
        Task block = PassFixture.ENGINE.parse("""
                hosts: h1
                tasks:
                  - id: rolling
                    block:
                      - id: stop
                        fake: stop
                    rescue:
                      - id: undo
                        fake: undo
                """).tasks().get(0);
        return new Rescue(block, "h1", List.of("stop[h1]", "start[h1]"));
    }

    @Test
    void protects_theBlocksNodesOnItsHostOnly() throws Exception {
        Rescue r = rescue();
        assertTrue(r.protects("stop[h1]"));
        assertFalse(r.protects("stop[h2]"));
        assertFalse(r.protects("undo[h1]"));
    }

    @Test
    void nothingToRescue_runsOnlyWhereTheBlockWasEnteredAndFailed() throws Exception {
        Rescue r = rescue();
        assertEquals("nothing to rescue: block 'rolling' did not start on h1",
                r.nothingToRescue(n -> false, List.of("stop[h1]")));
        assertEquals("nothing to rescue: block 'rolling' completed on h1",
                r.nothingToRescue(Set.of("stop[h1]", "start[h1]")::contains, List.of()));
        assertNull(r.nothingToRescue(Set.of("stop[h1]")::contains, List.of("start[h1]")));
    }
}
