package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ringplan.engine.plan.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FlattenBlocks}: one site per module task, in plan order, with its enclosing blocks. */
class FlattenBlocksTest {

    @Test
    void apply_blocksAndRescues_flattenedInPlanOrderWithTheirBlocks() throws Exception {
        CompileState s = PassFixture.before(FlattenBlocks.class, """
                hosts: cassandra
                tasks:
                  - id: a
                    fake: a
                  - id: outer
                    block:
                      - id: inner
                        block:
                          - id: b
                            fake: b
                      - id: c
                        fake: c
                    rescue:
                      - id: undo
                        fake: u
                  - id: d
                    fake: d
                """);
        assertEquals(List.of(), PassFixture.apply(new FlattenBlocks(), s));
        assertEquals(List.of("a", "b", "c", "undo", "d"), s.sites.stream().map(x -> x.task.id()).toList());
        assertEquals(List.of("outer", "inner"), s.sites.get(1).blocks.stream().map(Task::id).toList());
        assertEquals(List.of("outer"), s.sites.get(3).blocks.stream().map(Task::id).toList());
        assertEquals(s.sites.get(1), s.site(s.tasksById.get("b")));
        assertEquals(null, s.sites.get(0).module, "nothing is resolved yet");
    }
}
