package dev.ringplan.engine.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.compile.CompileOptions;
import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.testing.Engine;
import dev.ringplan.engine.testing.FakeModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Variables}: precedence, registered results, hostvars, magic variables. */
class VariablesTest {
    private static final String INVENTORY = """
            all:
              vars: { x: group, base: /none }
              children:
                cassandra:
                  hosts:
                    h1: { base: /b1, x: host }
                    h2: { base: /b2 }
            """;

    private CompiledPlan compile(Map<String, Object> extra) throws Exception {
        return new Engine(FakeModule.named("fake")).compile("""
                hosts: cassandra
                vars:
                  url: "{{ base }}/{{ inventory_hostname }}"
                  p: plan
                tasks:
                  - id: a
                    vars: { t: "{{ url }}-task", p: task }
                    fake: a
                """, INVENTORY, new CompileOptions(extra, null, List.of()));
    }

    @Test
    void forNode_precedenceAndRendering() throws Exception {
        CompiledPlan cp = compile(Map.of("p", "extra"));
        Variables v = new Variables(cp, Engine.options(true, 1, Path.of("/work/plans")), Templater.shared());
        Map<String, Object> h1 = v.forNode(cp.graph().payload("a[h1]"));
        assertEquals("host", h1.get("x"), "host vars beat group vars");
        assertEquals("/b1/h1", h1.get("url"));
        assertEquals("/b1/h1-task", h1.get("t"));
        assertEquals("extra", h1.get("p"), "-e beats task and plan vars");
        assertEquals("group", v.forNode(cp.graph().payload("a[h2]")).get("x"));
        assertEquals(true, h1.get("ansible_check_mode"));
        assertEquals(List.of("cassandra"), h1.get("group_names"));
        assertEquals(List.of("h1", "h2"), ((Map<?, ?>) h1.get("groups")).get("cassandra"));
        assertEquals(Map.of("file", "plan.yaml", "name", "p", "commit", "abc123", "dirty", false), h1.get("plan"));
    }

    @Test
    void register_visibleToTheHostAndThroughHostvars() throws Exception {
        CompiledPlan cp = compile(Map.of());
        Variables v = new Variables(cp, Engine.options(false, 1, Path.of(".")), Templater.shared());
        v.register("h2", "ring", Map.of("tokens", List.of(1, 2)));
        Map<String, Object> h1 = v.forNode(cp.graph().payload("a[h1]"));
        Map<String, Object> h2 = v.forNode(cp.graph().payload("a[h2]"));
        assertFalse(h1.containsKey("ring"), "registered results belong to their host");
        assertEquals(Map.of("tokens", List.of(1, 2)), h2.get("ring"));
        Map<?, ?> hostvars = (Map<?, ?>) h1.get("hostvars");
        assertTrue(hostvars.containsKey("h2"));
        Map<?, ?> other = (Map<?, ?>) hostvars.get("h2");
        assertEquals(Map.of("tokens", List.of(1, 2)), other.get("ring"));
        assertEquals("/b2/h2", other.get("url"), "another host's variables render with that host's values");
        assertNull(hostvars.get("nope"));
        assertEquals("[1, 2]", String.valueOf(Templater.shared().render("{{ hostvars['h2'].ring.tokens }}", h1)));
    }

    @Test
    void hostvars_includeExtraVarsWhichWinAsEverywhere() throws Exception {
        CompiledPlan cp = compile(Map.of("p", "extra", "only_e", "{{ inventory_hostname }}-e"));
        Variables v = new Variables(cp, Engine.options(false, 1, Path.of(".")), Templater.shared());
        Map<?, ?> hostvars = (Map<?, ?>) v.forNode(cp.graph().payload("a[h1]")).get("hostvars");
        Map<?, ?> h2 = (Map<?, ?>) hostvars.get("h2");
        assertEquals("extra", h2.get("p"), "-e beats plan vars in hostvars too");
        assertEquals("h2-e", h2.get("only_e"), "an -e template renders with that host's values");
        assertEquals("h2", h2.get("inventory_hostname"));
    }

    @Test
    void magic_namesEveryVariableAddMagicSets() throws Exception {
        CompiledPlan cp = compile(Map.of());
        Variables v = new Variables(cp, Engine.options(false, 1, Path.of(".")), Templater.shared());
        Map<String, Object> h1 = v.forNode(cp.graph().payload("a[h1]"));
        for (String name : Variables.MAGIC) {
            assertTrue(h1.containsKey(name), name);
        }
    }

    @Test
    void forNode_variableReferringToUndefined_failsTheReadWithNameAndPosition() throws Exception {
        CompiledPlan cp = new Engine(FakeModule.named("fake")).compile("""
                hosts: cassandra
                vars:
                  unused: "{{ nowhere }}"
                  new_name: "{{ hostvars[inventory_hostname].cluster }}"
                tasks:
                  - id: a
                    fake: a
                """, INVENTORY, CompileOptions.defaults());
        Variables v = new Variables(cp, Engine.options(false, 1, Path.of(".")), Templater.shared());
        Map<String, Object> h1 = v.forNode(cp.graph().payload("a[h1]"));
        assertEquals("host", h1.get("x"), "unused broken variables do not matter");
        dev.ringplan.engine.template.LazyVars.Failure f = assertThrows(dev.ringplan.engine.template.LazyVars.Failure.class,
                () -> h1.get("new_name"));
        assertEquals("plan.yaml:4:13", f.exception().pos().orElseThrow().toString());
        assertTrue(f.getMessage().contains("'hostvars[inventory_hostname].cluster' is undefined")
                || f.getMessage().contains("cluster"), f.getMessage());
        assertTrue(f.getMessage().contains("(plan variable 'new_name' at plan.yaml:4:13)"), f.getMessage());
    }

    @Test
    void forNode_registeredResultsAreNeverRendered() throws Exception {
        CompiledPlan cp = compile(Map.of());
        Variables v = new Variables(cp, Engine.options(false, 1, Path.of(".")), Templater.shared());
        v.register("h1", "out", Map.of("stdout", "{{ url }} {{ lookup('pipe', 'id') }}"));
        Map<String, Object> h1 = v.forNode(cp.graph().payload("a[h1]"));
        assertEquals(Map.of("stdout", "{{ url }} {{ lookup('pipe', 'id') }}"), h1.get("out"),
                "text a command printed is data, not a template");
    }
}
