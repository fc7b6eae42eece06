package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ringplan.engine.plan.Task;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link IndexTasks}: ids, registered names, enclosing blocks. */
class IndexTasksTest {

    @Test
    void apply_indexesEveryTaskIdRegisteredNameAndEnclosingBlocks() throws Exception {
        CompileState s = PassFixture.before(IndexTasks.class, """
                hosts: cassandra
                tasks:
                  - id: a
                    register: ra
                    fake: a
                  - id: outer
                    block:
                      - id: inner
                        block:
                          - id: b
                            register: rb
                            fake: b
                    rescue:
                      - id: undo
                        fake: u
                """);
        assertEquals(List.of(), PassFixture.apply(new IndexTasks(), s));
        assertEquals(List.of("a", "outer", "inner", "b", "undo"), List.copyOf(s.tasksById.keySet()));
        assertEquals(Set.of("ra", "rb"), s.registeredNames);
        assertEquals(List.of("outer", "inner"), s.enclosingBlocks.get("b").stream().map(Task::id).toList());
        assertEquals(List.of("outer"), s.enclosingBlocks.get("undo").stream().map(Task::id).toList());
        assertEquals(List.of(), s.enclosingBlocks.get("a"));
    }

    @Test
    void effectiveNeeds_blockNeedsComeFirst() throws Exception {
        CompileState s = PassFixture.before(IndexTasks.class, """
                hosts: cassandra
                tasks:
                  - id: a
                    fake: a
                  - id: b
                    fake: b
                  - id: grp
                    needs: a
                    block:
                      - id: c
                        needs: b
                        fake: c
                """);
        PassFixture.apply(new IndexTasks(), s);
        assertEquals(List.of("a", "b"), s.effectiveNeeds(s.tasksById.get("c")).stream().map(Task.Need::id).toList());
    }
}
