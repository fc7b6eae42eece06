package dev.ringplan.engine.plan;

import dev.ringplan.engine.diag.Diagnostic;
import dev.ringplan.engine.diag.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code serial: topology|rack|dc}, {@code keyspaces}, {@code ignore_down_nodes}, {@code max_fail_percentage}. */
class RollingKeysParserTest {

    private static List<String> errors(String yaml) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PlanParser.parse("p.yaml", yaml));
        return e.diagnostics().stream().map(Diagnostic::format).toList();
    }

    @Test
    void parse_strategyKeyspacesGuardAndPercentage() throws Exception {
        Plan p = PlanParser.parse("p.yaml", """
                hosts: all
                tasks:
                  - id: roll
                    serial: topology
                    keyspaces: [shop, system_auth]
                    ignore_down_nodes: true
                    max_fail_percentage: 25%
                    block:
                      - id: a
                        nodetool: drain
                  - id: by_rack
                    serial: rack
                    nodetool: flush
                  - id: plain
                    serial: 2
                    nodetool: flush
                """);
        Task roll = p.tasks().get(0);
        assertEquals("topology", roll.rolling().strategy());
        assertEquals(List.of("shop", "system_auth"), roll.rolling().keyspaces());
        assertEquals(Boolean.TRUE, roll.rolling().ignoreDownNodes());
        assertEquals(25.0, roll.rolling().maxFailPercentage());
        assertTrue(roll.rollsAtRunTime());
        assertEquals("rack", p.tasks().get(1).rolling().strategy());
        assertNull(p.tasks().get(2).rolling(), "a numeric serial alone keeps its compile-time edges");
        assertEquals(2, p.tasks().get(2).serial());
    }

    @Test
    void parse_rollingKeyErrors_pointAtFileLineColumn() {
        List<String> msgs = errors("""
                hosts: all
                tasks:
                  - id: a
                    serial: topolgy
                    nodetool: flush
                  - id: b
                    serial: 2
                    keyspaces: [shop]
                    nodetool: flush
                  - id: c
                    ignore_down_nodes: true
                    nodetool: flush
                  - id: d
                    serial: 1
                    max_fail_percentage: 101
                    nodetool: flush
                  - id: e
                    serial: dc
                    keyspaces: ["bad name"]
                    nodetool: flush
                """);
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:4:13:") && m.contains("'serial' must be a positive"
                + " integer, a template, or one of topology, rack, dc; got 'topolgy'") && m.contains("'topology'")),
                msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:8:5:") && m.contains("'keyspaces' belongs to "
                + "'serial: topology' (task 'b')")), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:11:5:") && m.contains("'ignore_down_nodes' belongs"
                + " to a rolling task or block (task 'c')")), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:15:26:") && m.contains("'max_fail_percentage' must"
                + " be a number from 0 to 100")), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:19:5:") && m.contains("'keyspaces' entry 'bad name'")),
                msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:19:5:") && m.contains("belongs to 'serial: topology'")),
                msgs.toString());
        assertEquals(6, msgs.size(), msgs.toString());
    }
}
