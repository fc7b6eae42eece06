package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CheckRegisteredNeeds}: a task using a registered variable needs the task registering it. */
class CheckRegisteredNeedsTest {

    @Test
    void apply_useWithoutNeed_reportedWithTheNeedToAdd() throws Exception {
        CompileState s = PassFixture.before(CheckRegisteredNeeds.class, """
                hosts: cassandra
                tasks:
                  - id: a
                    register: ring
                    fake: a
                  - id: b
                    fake: "{{ ring.msg }}"
                """);
        assertEquals(List.of("plan.yaml:7:11: error: task 'b' uses 'ring' registered by task 'a' but does not need it:"
                        + " add needs: [a]\n    without the need, whether 'ring' is set when 'b' runs depends on timing"),
                PassFixture.apply(new CheckRegisteredNeeds(), s));
    }

    @Test
    void apply_needTransitiveThroughABlockOrARescue_isEnough() throws Exception {
        CompileState s = PassFixture.before(CheckRegisteredNeeds.class, """
                hosts: cassandra
                tasks:
                  - id: a
                    register: ring
                    fake: a
                  - id: grp
                    needs: a
                    block:
                      - id: b
                        fake: b
                    rescue:
                      - id: undo
                        fake: "{{ ring.msg }}"
                  - id: c
                    needs: grp
                    fake: "{{ ring.msg }}"
                  - id: blk
                    block:
                      - id: reg
                        register: done
                        fake: r
                    rescue:
                      - id: again
                        fake: "{{ done.msg }}"
                """);
        assertEquals(List.of(), PassFixture.apply(new CheckRegisteredNeeds(), s));
    }
}
