package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ResolveModules}: module keys against the registry. */
class ResolveModulesTest {

    @Test
    void apply_knownAndUnknownModules_unknownReportedWithDidYouMean() throws Exception {
        CompileState s = PassFixture.before(ResolveModules.class, """
                hosts: cassandra
                tasks:
                  - id: a
                    fake: a
                  - id: b
                    strikt: { path: /x }
                """);
        List<String> errors = PassFixture.apply(new ResolveModules(PassFixture.ENGINE.registry()), s);
        assertEquals(List.of("plan.yaml:6:5: error: unknown module 'strikt'\n    did you mean 'strict'?"), errors);
        assertEquals("fake", s.sites.get(0).module.name());
        assertNull(s.sites.get(1).module);
    }
}
