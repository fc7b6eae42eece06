package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link CheckRequiredVars}: {@code vars_required} against -e, plan vars, host defaults and the inventory. */
class CheckRequiredVarsTest {
    private static final String PLAN = """
            hosts: cassandra
            vars_required:
              - name: backup_url
                description: where backups go
              - dc
              - tag
            tasks:
              - id: a
                fake: a
            """;

    @Test
    void apply_missing_reportedAtTheDeclarationAndRemembered() throws Exception {
        CompileState s = PassFixture.before(CheckRequiredVars.class, PLAN);
        List<String> errors = PassFixture.apply(new CheckRequiredVars(), s);
        assertEquals(2, errors.size(), errors.toString());
        assertEquals("plan.yaml:3:11: error: required variable 'backup_url' is not set (where backups go)\n"
                + "    give it with -e backup_url=... (the plan declares it in vars_required)", errors.get(0));
        assertEquals(Set.of("backup_url", "tag"), s.missingRequired, "dc is an inventory variable");
    }

    @Test
    void apply_givenWithExtraVarsOrHostDefaults_notReported() throws Exception {
        CompileState s = PassFixture.before(CheckRequiredVars.class, PLAN,
                new CompileOptions(Map.of("backup_url", "file:///b"), null, List.of(), Map.of("tag", "t")));
        assertEquals(List.of(), PassFixture.apply(new CheckRequiredVars(), s));
        assertEquals(Set.of(), s.missingRequired);
    }
}
