package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ResolveHosts}: the effective hosts pattern of each task, resolved. */
class ResolveHostsTest {

    @Test
    void apply_taskThenInnermostBlockThenPlan_limitNotApplied() throws Exception {
        CompileState s = PassFixture.before(ResolveHosts.class, """
                hosts: cassandra
                tasks:
                  - id: a
                    fake: a
                  - id: grp
                    hosts: other
                    block:
                      - id: b
                        fake: b
                      - id: c
                        hosts: h1
                        fake: c
                """, new CompileOptions(Map.of(), "h1", List.of()));
        assertEquals(List.of(), PassFixture.apply(new ResolveHosts(), s));
        assertEquals(List.of("h1", "h2", "h3"), s.sites.get(0).targets);
        assertEquals(List.of("h4"), s.sites.get(1).targets);
        assertEquals(List.of("h1"), s.sites.get(2).targets);
    }

    @Test
    void apply_noPatternOrUnresolvable_reportedAndLeftWithoutTargets() throws Exception {
        CompileState s = PassFixture.before(ResolveHosts.class, """
                tasks:
                  - id: a
                    fake: a
                  - id: b
                    hosts: nosuch
                    fake: b
                  - id: c
                    hosts: h2
                    fake: c
                """);
        List<String> errors = PassFixture.apply(new ResolveHosts(), s);
        assertEquals(2, errors.size(), errors.toString());
        assertEquals("plan.yaml:2:5: error: task 'a' has no target: set 'hosts' on the task, its block or the plan",
                errors.get(0));
        assertTrue(errors.get(1).startsWith("plan.yaml:5:12: error:") && errors.get(1).contains("nosuch"), errors.toString());
        assertNull(s.sites.get(0).targets);
        assertNull(s.sites.get(1).targets);
        assertEquals(List.of("h2"), s.sites.get(2).targets);
    }
}
