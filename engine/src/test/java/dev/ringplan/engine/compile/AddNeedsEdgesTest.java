package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AddNeedsEdges}: the needs rule, per host or a barrier. */
class AddNeedsEdgesTest {

    @Test
    void apply_sameHostPerHost_otherHostsBarrier_starAlwaysBarrier() throws Exception {
        CompileState s = PassFixture.before(AddNeedsEdges.class, """
                tasks:
                  - id: a
                    hosts: h1:h2
                    fake: a
                  - id: b
                    hosts: h2:h3
                    needs: a
                    fake: b
                  - id: c
                    hosts: h1
                    needs: ["a[*]"]
                    fake: c
                """);
        assertEquals(List.of(), PassFixture.apply(new AddNeedsEdges(), s));
        assertEquals(List.of("a[h1] -> b[h3]", "a[h1] -> c[h1]", "a[h2] -> b[h2]", "a[h2] -> b[h3]", "a[h2] -> c[h1]"),
                PassFixture.edges(s));
    }

    @Test
    void apply_needOnABlock_waitsForItsTasksAndRescue_blockNeedsPassedDown() throws Exception {
        CompileState s = PassFixture.before(AddNeedsEdges.class, """
                hosts: h1
                tasks:
                  - id: first
                    fake: f
                  - id: grp
                    needs: first
                    block:
                      - id: x
                        fake: x
                    rescue:
                      - id: undo
                        fake: u
                  - id: z
                    needs: grp
                    fake: z
                """);
        PassFixture.apply(new AddNeedsEdges(), s);
        assertEquals(List.of("first[h1] -> undo[h1]", "first[h1] -> x[h1]", "undo[h1] -> z[h1]", "x[h1] -> z[h1]"),
                PassFixture.edges(s), "no x -> undo edge: that is AddRescueEdges' job");
    }
}
