package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AddRescueEdges}: each rescue node waits for the nodes its rescue protects, tolerating failures. */
class AddRescueEdgesTest {

    @Test
    void apply_rescueNodesWaitForTheBlockOnTheirHost_throughTolerantEdges() throws Exception {
        CompileState s = PassFixture.before(AddRescueEdges.class, """
                hosts: h1:h2
                tasks:
                  - id: b
                    block:
                      - id: work
                        fake: w
                    rescue:
                      - id: undo
                        fake: u
                      - id: undo2
                        needs: undo
                        fake: u2
                """);
        List<String> before = PassFixture.edges(s);
        assertEquals(List.of(), PassFixture.apply(new AddRescueEdges(), s));
        List<String> added = PassFixture.edges(s).stream().filter(e -> !before.contains(e)).toList();
        assertEquals(List.of("work[h1] -> undo2[h1]", "work[h1] -> undo[h1]", "work[h2] -> undo2[h2]",
                "work[h2] -> undo[h2]"), added);
        CompiledPlan p = s.toCompiledPlan();
        assertTrue(p.toleratesFailure("work[h1]", "undo[h1]"));
        assertFalse(p.toleratesFailure("undo[h1]", "undo2[h1]"), "a need between rescue tasks passes failures on");
        assertFalse(p.toleratesFailure("work[h2]", "undo[h1]"));
    }
}
