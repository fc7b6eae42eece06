package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link CheckArguments}: free form mapping and the module's argument spec. */
class CheckArgumentsTest {

    @Test
    void apply_freeForm_mappedToTheModulesFreeFormArgument() throws Exception {
        CompileState s = PassFixture.before(CheckArguments.class, """
                hosts: cassandra
                tasks:
                  - id: a
                    fake: hello
                  - id: b
                    strict: { path: /x }
                """);
        assertEquals(List.of(), PassFixture.apply(new CheckArguments(), s));
        assertEquals(Map.of("msg", "hello"), s.sites.get(0).args);
        assertEquals(Map.of("path", "/x"), s.sites.get(1).args);
    }

    @Test
    void apply_problems_reportedAtTheArgumentElseAtTheModuleKey() throws Exception {
        CompileState s = PassFixture.before(CheckArguments.class, """
                hosts: cassandra
                tasks:
                  - id: a
                    strict: { mode: "0644", pth: /x }
                  - id: b
                    strict: /etc/x
                  - id: c
                    nosuch: x
                """);
        List<String> errors = PassFixture.apply(new CheckArguments(), s);
        assertEquals(List.of(
                "plan.yaml:4:5: error: strict: missing required argument 'path'",
                "plan.yaml:4:29: error: strict: unknown argument 'pth'; did you mean 'path'?",
                "plan.yaml:6:13: error: strict: takes a mapping of arguments, not a single value\n    arguments: path, mode"),
                errors, "a refused free form gets no 'missing required argument' too; an unknown module is left alone");
        assertEquals(Map.of(), s.sites.get(1).args);
        assertNull(s.sites.get(2).args);
    }
}
