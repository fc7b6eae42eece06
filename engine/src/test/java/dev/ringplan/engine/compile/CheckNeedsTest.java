package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CheckNeeds}: references to unknown tasks. */
class CheckNeedsTest {

    @Test
    void apply_unknownNeeds_reportedWithDidYouMeanOrTheKnownTasks() throws Exception {
        CompileState s = PassFixture.before(CheckNeeds.class, """
                hosts: cassandra
                tasks:
                  - id: snapshot
                    fake: s
                  - id: grp
                    needs: [zzz]
                    block:
                      - id: archive
                        needs: [snapshott, "snapshot[*]"]
                        fake: a
                """);
        assertEquals(List.of(
                "plan.yaml:6:13: error: task 'grp' needs unknown task 'zzz'\n    known tasks: snapshot, grp, archive",
                "plan.yaml:9:17: error: task 'archive' needs unknown task 'snapshott'\n    did you mean 'snapshot'?"),
                PassFixture.apply(new CheckNeeds(), s));
    }
}
