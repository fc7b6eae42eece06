package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CheckCycles}: cycles between tasks, through blocks and rescues. */
class CheckCyclesTest {

    @Test
    void apply_cycleThroughABlocksNeeds_reportedByTaskIds() throws Exception {
        CompileState s = PassFixture.before(CheckCycles.class, """
                hosts: cassandra
                tasks:
                  - id: a
                    needs: grp
                    fake: a
                  - id: grp
                    needs: a
                    block:
                      - id: b
                        fake: b
                """);
        assertEquals(List.of("plan.yaml:3:5: error: dependency cycle between tasks: a -> b -> a\n"
                + "    remove one of these 'needs' so the tasks can be ordered"), PassFixture.apply(new CheckCycles(), s));
    }

    @Test
    void apply_blockTaskNeedingItsRescue_isACycle_acyclicPlanReportsNothing() throws Exception {
        CompileState s = PassFixture.before(CheckCycles.class, """
                hosts: cassandra
                tasks:
                  - id: b
                    block:
                      - id: work
                        needs: undo
                        fake: w
                    rescue:
                      - id: undo
                        fake: u
                """);
        List<String> errors = PassFixture.apply(new CheckCycles(), s);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("plan.yaml:9:9: error: dependency cycle between tasks: undo -> work -> undo", errors.get(0).lines().findFirst().orElseThrow());

        CompileState ok = PassFixture.before(CheckCycles.class, """
                hosts: cassandra
                tasks:
                  - id: a
                    fake: a
                  - id: b
                    needs: a
                    fake: b
                """);
        assertEquals(List.of(), PassFixture.apply(new CheckCycles(), ok));
    }
}
