package dev.ringplan.modules.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleException;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyspaceSelectionTest {
    /** The keyspaces of a Cassandra 5.0.7 sandbox with the sample data, as system_schema.keyspaces lists them. */
    private static final List<String> CLUSTER = List.of("system_auth", "system_schema", "ringplan_demo",
            "ringplan_shop", "system_distributed", "system", "system_traces", "Probe_KS");

    @Test
    void resolve_allUserPlusSystem_runbookSelection() throws Exception {
        KeyspaceSelection s = KeyspaceSelection.of(null, List.of("all_user"),
                List.of("system_auth", "system_distributed", "system_traces"));
        assertEquals(List.of("Probe_KS", "ringplan_demo", "ringplan_shop", "system_auth", "system_distributed",
                "system_traces"), s.resolve(CLUSTER));
        assertEquals("every user keyspace, system_auth, system_distributed and system_traces", s.describe());
    }

    @Test
    void resolve_namesAsGiven_eachOnce() throws Exception {
        KeyspaceSelection s = KeyspaceSelection.of(null, List.of("b", "a", "b"), List.of("system_auth"));
        assertEquals(List.of("b", "a", "system_auth"), s.resolve(CLUSTER));
        assertEquals(List.of("ks"), KeyspaceSelection.of("ks", List.of(), List.of()).resolve(CLUSTER));
    }

    @Test
    void of_refusals() {
        assertRefused(null, List.of("all_user", "shop"), null, "stands alone");
        assertRefused("system_schema", null, null, "local to each node");
        assertRefused(null, List.of("bad name"), null, "keyspace name 'bad name' is not valid");
        assertRefused(null, null, List.of("system"), "include_system: 'system' is not one of");
        assertRefused(null, List.of(), List.of(), "no keyspace given");
    }

    private static void assertRefused(String keyspace, List<String> keyspaces, List<String> system, String part) {
        ModuleException e = assertThrows(ModuleException.class, () -> KeyspaceSelection.of(keyspace, keyspaces, system));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
