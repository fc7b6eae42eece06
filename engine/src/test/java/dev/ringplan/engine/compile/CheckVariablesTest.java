package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ringplan.engine.template.Templater;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link CheckVariables}: templates against the variables of every target; registered uses. */
class CheckVariablesTest {

    @Test
    void apply_undefinedVariable_reportedAtTheTemplate_registeredUseRecorded() throws Exception {
        CompileState s = PassFixture.before(CheckVariables.class, """
                hosts: cassandra
                tasks:
                  - id: a
                    register: ring
                    fake: a
                  - id: b
                    needs: a
                    fake: "{{ ring.msg }} {{ dc }} {{ nope }}"
                """);
        List<String> errors = PassFixture.apply(new CheckVariables(Templater.shared()), s);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("plan.yaml:8:11: error: undefined variable 'nope' in argument 'msg' of task 'b'", errors.get(0).lines().findFirst().orElseThrow());
        assertEquals(Set.of("ring"), s.registeredUses.get("b").keySet());
    }

    @Test
    void apply_missingRequiredVariable_notReportedAgain_taskWithoutTargetsLeftAlone() throws Exception {
        CompileState s = PassFixture.before(CheckVariables.class, """
                hosts: cassandra
                vars_required: [tag]
                tasks:
                  - id: a
                    fake: "{{ tag }}"
                  - id: b
                    hosts: nosuch
                    fake: "{{ undefined_here }}"
                """);
        assertEquals(Set.of("tag"), s.missingRequired);
        assertEquals(List.of(), PassFixture.apply(new CheckVariables(Templater.shared()), s));
    }
}
