package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.sandbox.SandboxOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code ringplan_sandbox} declarations of an inventory, read without starting anything. */
class SandboxSupportTest {
    private static final Path INV = Path.of("inv.yaml");

    @Test
    void options_everyKey() throws Exception {
        SandboxOptions o = SandboxSupport.options("new-dc", Map.of("name", "new-dc", "nodes", 2, "data_dirs", "1",
                "dc", "dc2", "rack", "r1", "join", "old-dc", "load", false), INV);
        assertEquals(new SandboxOptions(2, 1, "dc2", "r1", "old-dc"), o);
        assertEquals(SandboxOptions.counts(null, null), SandboxSupport.options("x", Map.of("name", "x"), INV));
    }

    @Test
    void options_numTokens_readAndChecked() throws Exception {
        assertEquals(1, SandboxSupport.options("x", Map.of("name", "x", "num_tokens", 1), INV).numTokens());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SandboxSupport.options("x", Map.of("name", "x", "num_tokens", 0), INV));
        assertTrue(e.getMessage().contains("num_tokens must be 1..256, got 0"), e.getMessage());
    }

    @Test
    void options_unknownKey_namesItAndTheKnownOnes() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> SandboxSupport.options("x", Map.of("name", "x", "datacenter", "dc2"), INV));
        assertTrue(e.getMessage().contains("inv.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains("unknown key 'datacenter' (known: name, nodes, data_dirs, dc, rack, join, load, num_tokens)"),
                e.getMessage());
    }

    @Test
    void options_badValues_pointAtTheInventory() {
        for (Map<String, Object> bad : List.of(Map.<String, Object>of("dc", "dc 2"), Map.<String, Object>of("join", "x"),
                Map.<String, Object>of("rack", List.of("r1")), Map.<String, Object>of("nodes", "two"))) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> SandboxSupport.options("x", bad, INV), bad.toString());
            assertTrue(e.getMessage().contains("inv.yaml"), e.getMessage());
        }
    }

    @Test
    void bringUpOrder_joinedSandboxFirst() throws Exception {
        Map<String, SandboxOptions> decl = new LinkedHashMap<>();
        decl.put("dc3", new SandboxOptions(null, null, "dc3", null, "dc2"));
        decl.put("solo", SandboxOptions.counts(1, null));
        decl.put("dc2", new SandboxOptions(null, null, "dc2", null, "dc1"));
        decl.put("dc1", new SandboxOptions(null, null, "dc1", null, null));
        decl.put("other", new SandboxOptions(null, null, "dc9", null, "not-declared"));
        assertEquals(List.of("dc1", "dc2", "dc3", "solo", "other"), SandboxSupport.bringUpOrder(decl, INV));
    }

    @Test
    void bringUpOrder_cycle_invalidInput() {
        Map<String, SandboxOptions> decl = new LinkedHashMap<>();
        decl.put("a", new SandboxOptions(null, null, null, null, "b"));
        decl.put("b", new SandboxOptions(null, null, null, null, "a"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SandboxSupport.bringUpOrder(decl, INV));
        assertTrue(e.getMessage().contains("joins form a cycle: a joins b joins a"), e.getMessage());
    }
}
