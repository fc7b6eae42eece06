package dev.ringplan.engine.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.diag.Diagnostic;
import dev.ringplan.engine.diag.InvalidInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanParserTest {

    @Test
    void parse_fullPlan_keepsEveryField() throws Exception {
        Plan p = PlanParser.parse("p.yaml", """
                name: snap
                description: a plan
                hosts: cassandra
                vars: { tag: nightly, n: 3 }
                tasks:
                  - id: flush
                    nodetool: flush
                  - id: snapshot
                    needs: [flush]
                    when: "n > 1"
                    register: snap
                    tags: [backup, snap]
                    ignore_errors: true
                    changed_when: false
                    retries: 2
                    delay: 1
                    nodetool: { command: snapshot, tag: "{{ tag }}" }
                  - id: rolling
                    serial: 1
                    hosts: node1
                    block:
                      - id: stop
                        command: [echo, stop]
                """);
        assertEquals("snap", p.name());
        assertEquals("cassandra", p.hosts());
        assertEquals(Map.of("tag", "nightly", "n", 3), p.vars());
        assertEquals(3, p.tasks().size());
        Task flush = p.tasks().get(0);
        assertEquals("nodetool", flush.module());
        assertEquals(Map.of(Task.FREE_FORM, "flush"), flush.args());
        assertEquals(6, flush.pos().line());
        Task snap = p.tasks().get(1);
        assertEquals(List.of("flush"), snap.needs().stream().map(Task.Need::id).toList());
        assertEquals("n > 1", snap.when());
        assertEquals("snap", snap.register());
        assertEquals(List.of("backup", "snap"), snap.tags());
        assertTrue(snap.ignoreErrors());
        assertEquals("false", snap.changedWhen());
        assertEquals(2, snap.retries());
        assertEquals("{{ tag }}", snap.args().get("tag"));
        assertEquals(17, snap.argPos().get("tag").line());
        Task rolling = p.tasks().get(2);
        assertTrue(rolling.isBlock());
        assertEquals(1, rolling.serial());
        assertEquals(List.of("stop"), rolling.block().stream().map(Task::id).toList());
        assertEquals(List.of(List.of("echo", "stop")), List.of(rolling.block().get(0).args().get(Task.FREE_FORM)));
        assertEquals(List.of("flush", "snapshot", "stop"), p.moduleTasks().stream().map(Task::id).toList());
    }

    @Test
    void parse_varsRequired_namesOrMappingsWithPositions() throws Exception {
        Plan p = PlanParser.parse("p.yaml", """
                hosts: cassandra
                vars_required:
                  - tag
                  - { name: backup_root, description: where backups are }
                vars:
                  dir: "{{ backup_root }}/{{ tag }}"
                tasks:
                  - id: a
                    nodetool: flush
                """);
        assertEquals(List.of(new Plan.RequiredVar("tag", null, new dev.ringplan.engine.diag.SourcePos("p.yaml", 3, 5)),
                new Plan.RequiredVar("backup_root", "where backups are", new dev.ringplan.engine.diag.SourcePos("p.yaml", 4, 13))),
                p.varsRequired());
        assertEquals("p.yaml:6:8", SourcedVars.posOf(p.vars(), "dir").toString(), "variable values keep their position");
        assertEquals(List.of(), PlanParser.parse("q.yaml", "tasks: []\n").varsRequired());
    }

    @Test
    void parse_varsRequired_badShapesReported() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PlanParser.parse("p.yaml", """
                vars_required:
                  - tag
                  - tag
                  - { nam: x }
                  - 3x
                  - [a]
                vars_requird: [y]
                tasks: []
                """));
        List<String> msgs = e.diagnostics().stream().map(Diagnostic::format).toList();
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:3:5:") && m.contains("'tag' is listed twice")), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:4:7:") && m.contains("unknown vars_required key 'nam'")
                && m.contains("did you mean 'name'")), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:5:5:") && m.contains("invalid variable name '3x'")), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:6:5:") && m.contains("must be variable names")), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:7:1:") && m.contains("unknown plan key 'vars_requird'")
                && m.contains("did you mean 'vars_required'")), msgs.toString());
    }

    @Test
    void parse_nameDefaultsToFileBaseName() throws Exception {
        Plan p = PlanParser.parse("plans/backup.yaml", "tasks: []\n");
        assertEquals("backup", p.name());
        assertNull(p.hosts());
    }

    @Test
    void parse_syntaxError_pointsAtLineAndColumn() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> PlanParser.parse("bad.yaml", "tasks:\n  - id: a\n    nodetool: [flush\n"));
        Diagnostic d = e.diagnostics().get(0);
        assertTrue(d.summary().startsWith("YAML syntax error"), d.summary());
        assertEquals("bad.yaml", d.pos().file());
        assertTrue(d.pos().line() >= 3, d.format());
    }

    @Test
    void parse_reportsAllStructuralErrorsAtOnce() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PlanParser.parse("p.yaml", """
                hosts: all
                taks: []
                tasks:
                  - nodetool: flush
                  - id: a
                    need: [b]
                    nodetool: flush
                  - id: a
                    nodetool: flush
                    command: ls
                  - id: c
                    serial: 0
                    nodetool: flush
                """));
        List<String> msgs = e.diagnostics().stream().map(Diagnostic::format).toList();
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:2:1:") && m.contains("unknown plan key 'taks'") && m.contains("did you mean 'tasks'")), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:4:5:") && m.contains("has no 'id'")), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:6:5:") && m.contains("unknown task key 'need'") && m.contains("'needs'")), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:8:9:") && m.contains("duplicate task id 'a'")), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.contains("several module keys")), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:12:13:") && m.contains("'serial' must be a positive integer")), msgs.toString());
        assertEquals(6, e.diagnostics().size(), msgs.toString());
    }

    @Test
    void parse_rescue_belongsToABlock() throws Exception {
        Plan ok = PlanParser.parse("p.yaml", """
                hosts: all
                tasks:
                  - id: b
                    block:
                      - id: x
                        nodetool: flush
                    rescue:
                      - id: y
                        nodetool: flush
                """);
        Task b = ok.tasks().get(0);
        assertEquals(List.of("y"), b.rescue().stream().map(Task::id).toList());
        assertEquals(List.of("x", "y"), ok.moduleTasks().stream().map(Task::id).toList());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PlanParser.parse("p.yaml", """
                hosts: all
                tasks:
                  - id: a
                    nodetool: flush
                    rescue:
                      - id: r
                        nodetool: flush
                """));
        List<String> msgs = e.diagnostics().stream().map(Diagnostic::format).toList();
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:5:5:") && m.contains("'rescue' belongs to a block")), msgs.toString());
        assertEquals(1, msgs.size(), msgs.toString());
    }

    @Test
    void parse_blockWithModuleTaskKeys_eachRefusedAtItsKey() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PlanParser.parse("p.yaml", """
                hosts: all
                tasks:
                  - id: b
                    register: r
                    retries: 2
                    delay: 1
                    until: r.rc == 0
                    changed_when: false
                    failed_when: false
                    block:
                      - id: x
                        nodetool: flush
                """));
        List<String> msgs = e.diagnostics().stream().map(Diagnostic::format).toList();
        String[] keys = {"register", "retries", "delay", "until", "changed_when", "failed_when"};
        for (int i = 0; i < keys.length; i++) {
            String at = "p.yaml:" + (4 + i) + ":5: error: '" + keys[i] + "' is not valid on a block (block 'b')";
            assertTrue(msgs.stream().anyMatch(m -> m.startsWith(at) && m.contains("a block accepts id, name, hosts")),
                    at + " in " + msgs);
        }
        assertEquals(keys.length, msgs.size(), msgs.toString());
    }

    @Test
    void parse_blockIgnoreErrors_inheritedByItsTasksUnlessTheySetTheirOwn() throws Exception {
        Plan p = PlanParser.parse("p.yaml", """
                hosts: all
                tasks:
                  - id: outer
                    block:
                      - id: plain
                        nodetool: flush
                      - id: own
                        ignore_errors: false
                        nodetool: flush
                      - id: inner
                        block:
                          - id: deep
                            nodetool: flush
                      - id: inner_off
                        ignore_errors: no
                        block:
                          - id: deep_off
                            nodetool: flush
                          - id: deep_on
                            ignore_errors: true
                            nodetool: flush
                    rescue:
                      - id: fix
                        nodetool: flush
                    ignore_errors: true
                  - id: outside
                    nodetool: flush
                """);
        Map<String, Boolean> ignored = new java.util.LinkedHashMap<>();
        p.moduleTasks().forEach(t -> ignored.put(t.id(), t.ignoreErrors()));
        assertEquals(Map.of("plain", true, "own", false, "deep", true, "deep_off", false, "deep_on", true, "fix", true,
                "outside", false), ignored);
    }

    @Test
    void parse_loopKeys_refusedAsLoopsNotAsSecondModule() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PlanParser.parse("p.yaml", """
                hosts: all
                tasks:
                  - id: a
                    debug: { msg: "{{ item }}" }
                    loop: [1, 2]
                    loop_control: { label: x }
                  - id: b
                    with_items: [1, 2]
                    debug: { msg: hi }
                """));
        List<String> msgs = e.diagnostics().stream().map(Diagnostic::format).toList();
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:5:5: error: 'loop': loops are not supported")
                && m.contains("target them with 'hosts'") && m.contains("one task per value")), msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:6:5: error: 'loop_control': loops are not supported")),
                msgs.toString());
        assertTrue(msgs.stream().anyMatch(m -> m.startsWith("p.yaml:8:5: error: 'with_items': loops are not supported")),
                msgs.toString());
        assertFalse(msgs.stream().anyMatch(m -> m.contains("module key")), msgs.toString());
        assertEquals(3, msgs.size(), msgs.toString());
    }

    @Test
    void parse_unquotedStarInNeedsFlowList_saysToQuoteIt() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PlanParser.parse("p.yaml", """
                hosts: all
                tasks:
                  - id: b
                    needs: [a[*]]
                    nodetool: flush
                """));
        Diagnostic d = e.diagnostics().get(0);
        assertEquals(4, d.pos().line(), d.format());
        assertTrue(d.summary().startsWith("YAML syntax error"), d.format());
        assertTrue(d.detail().contains("quote a value that contains '*'") && d.detail().contains("needs: [\"A[*]\"]"),
                d.format());
    }

    @Test
    void parse_rejectsArbitraryTypesAndDuplicateKeys() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> PlanParser.parse("p.yaml", "tasks:\n  - id: a\n    nodetool: !!javax.script.ScriptEngineManager [x]\n"));
        assertEquals("p.yaml:3:15: error: YAML syntax error: Global tag is not allowed: tag:yaml.org,2002:javax.script.ScriptEngineManager",
                e.diagnostics().get(0).format());
        InvalidInputException local = assertThrows(InvalidInputException.class,
                () -> PlanParser.parse("p.yaml", "vars:\n  pw: !vault abc\ntasks: []\n"));
        assertEquals("p.yaml:2:7: error: unsupported YAML tag '!vault': only plain YAML values (strings, numbers,"
                + " booleans, lists, mappings) are accepted", local.diagnostics().get(0).format());
        InvalidInputException dup = assertThrows(InvalidInputException.class,
                () -> PlanParser.parse("p.yaml", "tasks: []\ntasks: []\n"));
        assertTrue(dup.getMessage().contains("duplicate key"), dup.getMessage());
    }

    @Test
    void parse_duplicateKeysInTaskVarsAndArgs_reportedWithPositions() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> PlanParser.parse("p.yaml", """
                vars: { a: 1, a: 2 }
                tasks:
                  - id: t
                    needs: [x]
                    needs: [y]
                    nodetool: { command: flush, command: status }
                """));
        List<String> msgs = e.diagnostics().stream().map(Diagnostic::format).toList();
        assertEquals(List.of("p.yaml:1:15: error: duplicate key 'a' at line 1, first at line 1 (p.yaml:1:9):"
                        + " a key may appear only once in a mapping",
                "p.yaml:5:5: error: duplicate key 'needs' at line 5, first at line 4 (p.yaml:4:5):"
                        + " a key may appear only once in a mapping",
                "p.yaml:6:33: error: duplicate key 'command' at line 6, first at line 6 (p.yaml:6:17):"
                        + " a key may appear only once in a mapping"), msgs);
    }

    @Test
    void parse_billionLaughs_isRefused() {
        StringBuilder sb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'k'; c++) {
            sb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                sb.append(i == 0 ? "" : ", ").append('*').append(prev);
            }
            sb.append("]\n");
            prev = c;
        }
        sb.append("tasks: []\n");
        assertThrows(InvalidInputException.class, () -> PlanParser.parse("lol.yaml", sb.toString()));
    }
}
