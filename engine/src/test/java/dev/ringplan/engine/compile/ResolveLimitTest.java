package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link ResolveLimit}: {@code --limit} against the inventory. */
class ResolveLimitTest {
    private static final String PLAN = """
            hosts: cassandra
            tasks:
              - id: a
                fake: a
            """;

    @Test
    void apply_limit_keepsTheHostsItNames() throws Exception {
        CompileState s = PassFixture.before(ResolveLimit.class, PLAN, new CompileOptions(Map.of(), "h1:h4", List.of()));
        assertEquals(List.of(), PassFixture.apply(new ResolveLimit(), s));
        assertEquals(Set.of("h1", "h4"), s.limitHosts);
    }

    @Test
    void apply_noLimit_keepsEveryHost() throws Exception {
        CompileState s = PassFixture.before(ResolveLimit.class, PLAN);
        assertEquals(List.of(), PassFixture.apply(new ResolveLimit(), s));
        assertNull(s.limitHosts);
    }

    @Test
    void apply_unresolvableLimit_reportedAtTheOption() throws Exception {
        CompileState s = PassFixture.before(ResolveLimit.class, PLAN, new CompileOptions(Map.of(), "nosuch", List.of()));
        List<String> errors = PassFixture.apply(new ResolveLimit(), s);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("--limit: error:") && errors.get(0).contains("nosuch"), errors.toString());
        assertNull(s.limitHosts);
    }
}
