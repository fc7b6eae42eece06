package dev.ringplan.engine.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TemplaterTest {

    static final Templater T = new Templater();

    static Map<String, Object> vars() {
        Map<String, Object> v = new HashMap<>();
        v.put("tag", "nightly");
        v.put("port", 7199);
        v.put("flag", true);
        v.put("nodes", List.of("n1", "n2"));
        v.put("hostvars", Map.of("n1", Map.of("ring", Map.of("tokens", List.of(-3, 5)))));
        v.put("groups", Map.of("cassandra", List.of("n1", "n2", "n3")));
        v.put("path", "/var/lib/cassandra/data/");
        v.put("hosts", List.of(Map.of("name", "b", "dc", "dc1"), Map.of("name", "a", "dc", "dc2")));
        return v;
    }

    static Object r(String template) throws TemplateException {
        return T.renderValue(template, vars());
    }

    static TemplateException fails(String template) {
        return assertThrows(TemplateException.class, () -> r(template));
    }

    // ------------------------------------------------------------ types and strings

    @Test
    void renderValue_noMarkupReturnedUntouched() throws Exception {
        String s = "plain } { text";
        assertSame(s, T.renderValue(s, vars()));
        assertFalse(Templater.isTemplate(s));
    }

    @Test
    void renderValue_singleExpressionKeepsType() throws Exception {
        assertEquals(List.of("n1", "n2"), r("{{ nodes }}"));
        assertEquals(7199, r("{{ port }}"));
        assertEquals(7200, r("{{ port + 1 }}"));
        assertEquals(5_000_000_000L, r("{{ 5000000000 }}"));
        assertEquals(1.5, r("{{ 3 / 2 }}"));
        assertEquals(Boolean.TRUE, r("{{ flag }}"));
        assertEquals(Map.of("a", List.of(1, 2)).toString(), r("{{ {'a': [1, 2]} }}").toString());
        assertTrue(r("{{ {'a': [1, 2]} }}") instanceof LinkedHashMap);
        assertTrue(r("{{ nodes | map('upper') | list }}") instanceof ArrayList);
        assertEquals(List.of(-3, 5), r("  {{ hostvars['n1'].ring.tokens }}\n"));
    }

    @Test
    void renderValue_mixedTemplateGivesString() throws Exception {
        assertEquals("n=7199", r("n={{ port }}"));
        assertEquals("7199", T.renderString("{{ port }}", vars()));
        assertEquals("n1n2", r("{{ nodes[0] }}{{ nodes[1] }}"));
    }

    @Test
    void renderValue_pythonStyleInsideStrings() throws Exception {
        assertEquals("x=True", r("x={{ flag }}"));
        assertEquals("x=False", r("x={{ not flag }}"));
        assertEquals("['n1', 'n2']!", r("{{ nodes }}!"));
        assertEquals("{'k': [True, None]}!", r("{{ {'k': [True, null]} }}!"));
        assertEquals("True", r("{{ flag | string }}"));
    }

    @Test
    void render_walksListsAndMapValuesKeepingKeys() throws Exception {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("{{ tag }}", List.of("{{ port }}", "p{{ port }}", 3, Map.of("deep", "{{ nodes }}")));
        in.put("n", null);
        Object out = T.render(in, vars());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("{{ tag }}", List.of(7199, "p7199", 3, Map.of("deep", List.of("n1", "n2"))));
        expected.put("n", null);
        assertEquals(expected, out);
        assertEquals(5, T.render(5, vars()));
    }

    @Test
    void renderValue_statementsAndLoops() throws Exception {
        assertEquals("n1 n2 n3 ", r("{% for h in groups['cassandra'] %}{{ h }} {% endfor %}"));
        assertEquals("1:n1,2:n2,", r("{% for h in nodes %}{{ loop.index }}:{{ h }},{% endfor %}"));
        assertEquals("3", r("{% set x = groups.cassandra | length %}{{ x }}"));
        assertEquals("big", r("{% if port > 1000 %}big{% else %}small{% endif %}"));
    }

    // ------------------------------------------------------------ undefined

    @Test
    void renderValue_undefinedVariableNamed() {
        TemplateException e = fails("{{ tag2 }}");
        assertEquals("'tag2' is undefined in \"{{ tag2 }}\"", e.getMessage());
        assertEquals(Optional.of("tag2"), e.undefinedName());
        assertEquals("{{ tag2 }}", e.template());
        assertEquals(Optional.of("missing"), fails("a-{{ missing }}-b").undefinedName());
        assertEquals(Optional.of("cond"), fails("{% if cond %}a{% endif %}").undefinedName());
        assertEquals(Optional.of("items"), fails("{% for i in items %}{{ i }}{% endfor %}").undefinedName());
        assertEquals(Optional.of("x"), fails("{{ x.y.z }}").undefinedName());
        assertEquals(Optional.of("x"), fails("{{ x | upper }}").undefinedName());
        assertEquals(Optional.of("x"), fails("{{ x or 'z' }}").undefinedName());
        assertEquals(Optional.of("x"), fails("{% if x == 'a' %}a{% endif %}").undefinedName());
    }

    @Test
    void renderValue_undefinedNestedPathNamesMissingStep() {
        assertEquals(Optional.of("hostvars['n2']"), fails("{{ hostvars['n2'].ring.tokens }}").undefinedName());
        assertEquals(Optional.of("hostvars['n1'].nope"), fails("{{ hostvars['n1'].nope }}").undefinedName());
        assertEquals(Optional.of("nodes[5]"), fails("{{ nodes[5] }}").undefinedName());
        TemplateException e = fails("{{ tag.foo }}");
        assertTrue(e.getMessage().startsWith("'tag.foo' is undefined"), e.getMessage());
    }

    @Test
    void renderValue_nullValueIsDefinedAndNoneAsInAnsible() throws Exception {
        Map<String, Object> v = vars();
        v.put("nothing", null);
        Map<String, Object> m = new HashMap<>();
        m.put("a", null);
        v.put("m", m);
        assertEquals(null, T.renderValue("{{ nothing }}", v));
        assertEquals(null, T.renderValue("{{ m.a }}", v));
        assertEquals(null, T.renderValue("{{ m['a'] }}", v));
        assertEquals("aNoneb", T.renderValue("a{{ nothing }}b", v), "ansible-core 2.19 prints None inside text");
        assertEquals("no", T.renderValue("{% if nothing %}yes{% else %}no{% endif %}", v));
        assertEquals(Boolean.TRUE, T.renderValue("{{ nothing is none }}", v));
        assertEquals(null, T.renderValue("{{ (nothing if flag else 1) }}", v));
        // guards cannot tell null from undefined (Jinjava hands them null for both)
        assertEquals("d", T.renderValue("{{ nothing | default('d') }}", v));
        // a step past a null value, or a missing key, is still undefined
        assertEquals(Optional.of("nothing.x"), assertThrows(TemplateException.class,
                () -> T.renderValue("{{ nothing.x }}", v)).undefinedName());
        assertEquals(Optional.of("m.b"), assertThrows(TemplateException.class,
                () -> T.renderValue("{{ m.b }}", v)).undefinedName());
        assertThrows(TemplateException.class, () -> T.renderValue("{{ (m | default({})).b }}", v),
                "a null reached through a lookup in a larger expression may be a missing key");
    }

    @Test
    void renderValue_noneLiteralsAreNull() throws Exception {
        for (String literal : List.of("none", "None", "null")) {
            assertEquals(null, r("{{ " + literal + " }}"), literal);
            assertEquals("x None", r("x {{ " + literal + " }}"), literal);
            assertEquals(Boolean.TRUE, r("{{ " + literal + " is none }}"), literal);
        }
        assertEquals(null, r("{{ ghost | default(none) }}"));
        assertEquals(Arrays.asList(1, null), r("{{ [1, none] }}"));
        assertFalse(T.isTrue("none", vars()));
        assertTrue(T.isTrue("(ghost | default(none)) is none", vars()));
    }

    @Test
    void isTrue_nullVariableIsFalse() throws Exception {
        Map<String, Object> v = vars();
        v.put("nothing", null);
        assertFalse(T.isTrue("nothing", v));
        assertFalse(T.isTrue("{{ nothing }}", v));
        assertTrue(T.isTrue("not nothing", v));
        TemplateException e = assertThrows(TemplateException.class, () -> T.isTrue("ghost", v));
        assertEquals(Optional.of("ghost"), e.undefinedName());
    }

    @Test
    void renderValue_nestedLookupsThatExistWork() throws Exception {
        assertEquals(List.of(-3, 5), r("{{ hostvars.n1.ring.tokens }}"));
        assertEquals(3, r("{{ groups['cassandra'] | length }}"));
        assertEquals(-3, r("{{ hostvars[groups.cassandra[0]].ring.tokens | first }}"));
    }

    @Test
    void renderValue_defaultAndDefinedTestsAcceptUndefined() throws Exception {
        assertEquals("y", r("{{ x | default('y') }}"));
        assertEquals("y", r("{{ x | d('y') }}"));
        assertEquals(7199, r("{{ x | default(7199) }}"));
        assertEquals(List.of(), r("{{ hostvars['n2'].ring.tokens | default([]) }}"));
        assertEquals("", r("{{ x | default }}"));
        assertEquals("nightly", r("{{ tag | default('y') }}"));
        assertEquals("z", r("{{ '' | default('z', true) }}"));
        assertEquals(Boolean.FALSE, r("{{ x is defined }}"));
        assertEquals(Boolean.TRUE, r("{{ x is undefined }}"));
        assertEquals("no", r("{% if x is defined %}yes{% else %}no{% endif %}"));
        assertEquals("q", r("{{ x if x is defined else 'q' }}"));
        assertEquals("yes", r("{% if hostvars['n2'] is not defined %}yes{% endif %}"));
    }

    @Test
    void renderValue_syntaxErrorsAndUnknownFilters() {
        TemplateException unclosed = fails("{{ tag");
        assertTrue(unclosed.getMessage().contains("unclosed"), unclosed.getMessage());
        assertTrue(fails("{% bogus %}").getMessage().contains("bogus"));
        TemplateException filter = fails("{{ tag | uper }}");
        assertTrue(filter.getMessage().startsWith("no filter named 'uper', did you mean 'upper'?"), filter.getMessage());
        assertTrue(fails("{{ tag | }}").getMessage().length() > 0);
    }

    @Test
    void problems_bareNameAsDictKey_refusedBecauseJinja2ReadsAVariable() {
        Templater t = new Templater();
        java.util.List<String> p = t.problems("{{ {old_dc: 2, 'dc2': 3} }}", false);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("dict key old_dc is a bare name: Jinja2 (so Ansible) reads it as the variable"
                + " old_dc, this template engine as the string 'old_dc'"), p.get(0));
        assertEquals(1, t.problems("x == {'a': {b: 1}}", true).size(), "nested, in a condition");
        assertEquals(java.util.List.of(), t.problems("{{ {'old_dc': old_rf, \"dc2\": 3} }}", false));
        assertEquals(java.util.List.of(), t.problems("{{ seeds[1:3] ~ (x if y else z) }}", false));
        assertEquals(java.util.List.of(), t.problems("{{ {true: 1} }}", false));
    }

    @Test
    void renderValue_includeCannotLoadFiles() {
        TemplateException e = fails("{% include '/etc/passwd' %}");
        assertFalse(e.getMessage().contains("root:"), e.getMessage());
    }

    // ------------------------------------------------------------ filters

    @Test
    void filters_jinjavaBuiltIns() throws Exception {
        assertEquals("n1,n2", r("{{ nodes | join(',') }}"));
        assertEquals(2, r("{{ nodes | length }}"));
        assertEquals("NIGHTLY", r("{{ tag | upper }}"));
        assertEquals("nightly", r("{{ 'NIGHTLY' | lower }}"));
        assertEquals("daily", r("{{ tag | replace('nightly', 'daily') }}"));
        assertEquals(42, r("{{ '42' | int }}"));
        assertEquals(List.of("a", "b"), r("{{ 'ab' | list }}"));
        assertEquals("n1", r("{{ nodes | first }}"));
        assertEquals("n2", r("{{ nodes | last }}"));
        assertEquals(List.of("b", "a"), r("{{ hosts | map(attribute='name') | list }}"));
        assertEquals(List.of(1, 3), r("{{ [1, 2, 3] | select('odd') | list }}"));
        assertEquals(List.of(2), r("{{ [1, 2, 3] | reject('odd') | list }}"));
        assertEquals(List.of("a"), r("{{ hosts | selectattr('dc', 'equalto', 'dc2') | map(attribute='name') | list }}"));
        assertEquals(List.of(1, 2), r("{{ [1, 2, 1] | unique | list }}"));
        assertEquals(List.of(1, 2, 3), r("{{ [3, 1, 2] | sort }}"));
    }

    @Test
    void filters_boolAnsibleTruth() throws Exception {
        assertEquals(Boolean.TRUE, r("{{ 'yes' | bool }}"));
        assertEquals(Boolean.TRUE, r("{{ 'On' | bool }}"));
        assertEquals(Boolean.FALSE, r("{{ 'no' | bool }}"));
        assertEquals(Boolean.FALSE, r("{{ '0' | bool }}"));
        assertEquals(Boolean.TRUE, r("{{ 1 | bool }}"));
        assertEquals(Boolean.TRUE, r("{{ flag | bool }}"));
    }

    @Test
    void filters_json() throws Exception {
        assertEquals("{\"a\": [1, 2], \"b\": \"\\u00E9\", \"c\": true, \"d\": {}}",
                r("{{ {'a': [1, 2], 'b': 'é', 'c': true, 'd': {} } | to_json }}"));
        assertEquals("[\"n1\", \"n2\"]", r("{{ nodes | to_json }}"));
        assertEquals("{\n    \"a\": 1,\n    \"b\": [\n        2\n    ]\n}",
                r("{{ {'b': [2], 'a': 1} | to_nice_json }}"));
        assertEquals(Map.of("x", List.of(1, true)), r("{{ '{\"x\": [1, true]}' | from_json }}"));
        assertTrue(fails("{{ 'nope{' | from_json }}").getMessage().startsWith("from_json: not valid JSON"));
    }

    @Test
    void filters_yaml() throws Exception {
        assertEquals("a: [1, 2]\nb: x\n", r("{{ {'b': 'x', 'a': [1, 2]} | to_yaml }}"));
        assertEquals("a:\n- 1\n- 2\nb:\n    c: d\n", r("{{ {'b': {'c': 'd'}, 'a': [1, 2]} | to_nice_yaml }}"));
        assertEquals(Map.of("k", List.of("v")), r("{{ 'k: [v]' | from_yaml }}"));
    }

    @Test
    void filters_paths() throws Exception {
        assertEquals("x.tar", r("{{ '/backup/n1/x.tar' | basename }}"));
        assertEquals("", r("{{ path | basename }}"));
        assertEquals("/backup/n1", r("{{ '/backup/n1/x.tar' | dirname }}"));
        assertEquals("/var/lib/cassandra/data", r("{{ path | dirname }}"));
        assertEquals("/", r("{{ '/x' | dirname }}"));
        assertEquals("", r("{{ 'x' | dirname }}"));
    }

    @Test
    void filters_regexReplacePythonSyntax() throws Exception {
        assertEquals("axc", r("{{ 'abc' | regex_replace('b', 'x') }}"));
        assertEquals("v5.0", r("{{ '5.0.7' | regex_replace('^(\\\\d+)\\\\.(\\\\d+).*$', 'v\\\\1.\\\\2') }}"));
        assertEquals("cost $5", r("{{ 'cost 5' | regex_replace('(?P<n>\\\\d)', '$\\\\g<n>') }}"));
        assertEquals("X-b", r("{{ 'A-b' | regex_replace('a', 'X', ignorecase=true) }}"));
        assertEquals("xbb", r("{{ 'bbb' | regex_replace('b', 'x', count=1) }}"));
        assertTrue(fails("{{ 'a' | regex_replace('(', 'x') }}").getMessage().startsWith("regex_replace: bad pattern"));
    }

    @Test
    void filters_quoteTernaryCombine() throws Exception {
        assertEquals("/var/lib", r("{{ '/var/lib' | quote }}"));
        assertEquals("'it'\"'\"'s here'", r("{{ \"it's here\" | quote }}"));
        assertEquals("''", r("{{ '' | quote }}"));
        assertEquals("on", r("{{ flag | ternary('on', 'off') }}"));
        assertEquals("off", r("{{ (port < 10) | ternary('on', 'off') }}"));
        assertEquals(Map.of("a", 1, "b", Map.of("c", 3)),
                r("{{ {'a': 1, 'b': {'c': 2} } | combine({'b': {'c': 3} }) }}"));
        assertEquals(Map.of("b", Map.of("c", 2, "d", 4)),
                r("{{ {'b': {'c': 2} } | combine({'b': {'d': 4} }, recursive=true) }}"));
    }

    // ------------------------------------------------------------ expressions

    @Test
    void evaluate_bareConditions() throws Exception {
        assertTrue(T.isTrue("port > 1000 and flag", vars()));
        assertFalse(T.isTrue("x is defined and x > 2", vars()));
        assertTrue(T.isTrue("{{ flag }}", vars()));
        assertFalse(T.isTrue("nodes | select('equalto', 'n9') | list | length > 0", vars()));
        assertEquals(List.of("n1", "n2"), T.evaluate("nodes", vars()));
        assertEquals(List.of(List.of("k", 1)), T.evaluate("{'k': 1}.items() | list", vars()));
        TemplateException mixed = assertThrows(TemplateException.class, () -> T.evaluate("{{ tag }} == 'x'", vars()));
        assertTrue(mixed.getMessage().startsWith("a condition must be a bare expression"), mixed.getMessage());
        TemplateException e = assertThrows(TemplateException.class, () -> T.isTrue("ghost > 2", vars()));
        assertEquals(Optional.of("ghost"), e.undefinedName());
        assertEquals(Optional.of("ghost"), assertThrows(TemplateException.class,
                () -> T.evaluate("ghost or 'z'", vars())).undefinedName());
    }

    @Test
    void referencedRootVariables_delegates() {
        assertEquals(List.of("hostvars", "inventory_hostname"),
                List.copyOf(Templater.referencedRootVariables("{{ hostvars[inventory_hostname].ring }}")));
    }

    // ------------------------------------------------------------ concurrency

    @Test
    void render_isThreadSafe() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    StringBuilder errors = new StringBuilder();
                    for (int i = 0; i < 200; i++) {
                        Map<String, Object> v = new HashMap<>(vars());
                        v.put("id", id);
                        v.put("i", i);
                        Object out = T.render(List.of("{{ id }}-{{ i }}", "{{ [id, i] }}",
                                "{{ nodes | join(',') | upper }}"), v);
                        Object expected = List.of(id + "-" + i, List.of(id, i), "N1,N2");
                        if (!expected.equals(out)) {
                            errors.append(out).append(" != ").append(expected).append('\n');
                        }
                    }
                    return errors.toString();
                }));
            }
            for (Future<String> f : futures) {
                assertEquals("", f.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    // ------------------------------------------------------------ strict, lazy variables

    private static LazyVars lazy(Object... kv) {
        LazyVars v = new LazyVars(T);
        for (int i = 0; i < kv.length; i += 2) {
            v.define((String) kv[i], kv[i + 1], new LazyVars.Origin("plan variable '" + kv[i] + "'",
                    new dev.ringplan.engine.diag.SourcePos("plan.yaml", i / 2 + 3, 13)));
        }
        return v;
    }

    @Test
    void render_variableReferringToUndefined_failsWithNameAndWhereTheValueIsWritten() {
        // The reported bug: "{{ new_name }}" rendered as the literal "{{ target_cluster }}".
        LazyVars v = lazy("new_name", "{{ target_cluster }}");
        TemplateException e = assertThrows(TemplateException.class, () -> T.render("echo {{ new_name }}", v));
        assertEquals(Optional.of("target_cluster"), e.undefinedName());
        assertEquals("plan.yaml:3:13", e.pos().orElseThrow().toString());
        assertTrue(e.getMessage().startsWith("'target_cluster' is undefined in \"{{ target_cluster }}\""
                + " (plan variable 'new_name' at plan.yaml:3:13)"), e.getMessage());
    }

    @Test
    void render_chainOfVariables_namesEveryStepAndLocatesTheInnermost() {
        LazyVars v = lazy("a", "{{ b }}/x", "b", "{{ c | upper }}", "c", "{{ d }}");
        TemplateException e = assertThrows(TemplateException.class, () -> T.render("{{ a }}", v));
        assertEquals(Optional.of("d"), e.undefinedName());
        assertEquals("plan.yaml:5:13", e.pos().orElseThrow().toString(), "the template that refers to 'd'");
        assertTrue(e.getMessage().contains("(plan variable 'c' at plan.yaml:5:13, used by plan variable 'b'"
                + " at plan.yaml:4:13, used by plan variable 'a' at plan.yaml:3:13)"), e.getMessage());
    }

    @Test
    void render_cycleBetweenVariables_isAnErrorNotAHang() {
        LazyVars v = lazy("a", "{{ b }}", "b", "x{{ a }}");
        TemplateException e = assertThrows(TemplateException.class, () -> T.render("{{ a }}", v));
        assertTrue(e.getMessage().startsWith("variables refer to each other in a cycle: a -> b -> a"), e.getMessage());
        LazyVars self = lazy("tag", "{{ tag | default('x') }}");
        assertTrue(assertThrows(TemplateException.class, () -> T.render("{{ tag }}", self)).getMessage()
                .contains("cycle: tag -> tag"));
    }

    @Test
    void render_unusedBrokenVariable_isNotAnError() throws Exception {
        // As Ansible: a variable is rendered when used.
        LazyVars v = lazy("broken", "{{ nope }}", "ok", "{{ 'fine' }}", "n", "{{ [1, 2] }}");
        assertEquals("fine", T.render("{{ ok }}", v));
        assertEquals(List.of(1, 2), T.render("{{ n }}", v), "a single expression keeps its type through a variable");
    }

    @Test
    void render_undefinedThroughVariable_neverLeaksIntoALargerExpression() {
        LazyVars v = lazy("root", "{{ nope }}");
        for (String t : List.of("{{ root ~ '/data' }}", "{{ root }}/data", "{% if root %}x{% endif %}",
                "{{ [root] | join(',') }}")) {
            TemplateException e = assertThrows(TemplateException.class, () -> T.render(t, v), t);
            assertEquals(Optional.of("nope"), e.undefinedName(), t);
        }
        assertThrows(TemplateException.class, () -> T.isTrue("root == 'x'", v));
    }

    @Test
    void render_guardedVariableReferringToUndefined_takesTheDefault() throws Exception {
        // Ansible: x | default('y') gives 'y' when x's value refers to an undefined name.
        LazyVars v = lazy("x", "{{ nope }}");
        assertEquals("y", T.render("{{ x | default('y') }}", v));
        assertEquals("no", T.render("{{ 'yes' if x is defined else 'no' }}", v));
    }

    @Test
    void render_nestedMapOfLazyVariables_failsOnTheBrokenValue() {
        LazyVars other = lazy("dir", "{{ nope }}/d");
        Map<String, Object> v = new HashMap<>(vars());
        v.put("hostvars", Map.of("n2", other));
        TemplateException e = assertThrows(TemplateException.class, () -> T.render("{{ hostvars['n2'].dir }}", v));
        assertEquals(Optional.of("nope"), e.undefinedName());
        assertThrows(TemplateException.class, () -> T.render("x-{{ hostvars['n2'].dir ~ '' }}", v));
    }

    @Test
    void lazyVars_copyHoldsRenderedValuesOnlyNeverATemplate() {
        LazyVars v = lazy("ok", "{{ 1 + 1 }}", "broken", "{{ nope }}");
        Map<String, Object> copy = new LinkedHashMap<>(v);
        assertEquals(Map.of("ok", 2), copy);
        assertThrows(LazyVars.Failure.class, () -> v.get("broken"));
    }

    @Test
    void lazyVars_literalValuesAreNeverRendered() throws Exception {
        LazyVars v = lazy();
        v.defineLiteral("out", Map.of("stdout", "{{ secret }}"));
        assertEquals(Map.of("stdout", "{{ secret }}"), v.get("out"));
        assertEquals("{{ secret }}", T.render("{{ out.stdout }}", v));
    }

    @Test
    void isTemplated_oneRuleForStringsListsAndMaps() {
        assertTrue(Templater.isTemplated("{# note #}"), "a comment is markup too");
        assertTrue(Templater.isTemplated(List.of("a", Map.of("k", "{% if x %}y{% endif %}"))));
        assertFalse(Templater.isTemplated(Map.of("{{ key }}", "plain")), "keys are not rendered");
        assertFalse(Templater.isTemplated("{ not: a template }"));
    }

    // ------------------------------------------------------------ truthiness

    @Test
    void boolFilter_followsTheOneTruthinessRule() throws Exception {
        for (String t : List.of("yes", "On", "TRUE", "1", "y", "t", " true ")) {
            assertEquals(true, T.render("{{ v | bool }}", Map.of("v", t)), t);
        }
        for (String f : List.of("no", "OFF", "false", "0", "n", "f", "")) {
            assertEquals(false, T.render("{{ v | bool }}", Map.of("v", f)), f);
        }
        assertEquals(true, T.render("{{ 1 | bool }}", Map.of()));
        assertEquals(false, T.render("{{ 0 | bool }}", Map.of()));
        TemplateException e = assertThrows(TemplateException.class, () -> T.render("{{ v | bool }}", Map.of("v", "maybe")));
        assertTrue(e.getMessage().startsWith("bool: 'maybe' is not a boolean"), e.getMessage());
    }

    @Test
    void isTrue_usesTheSameRuleAsTheBoolFilter() throws Exception {
        Map<String, Object> v = Map.of("no", "no", "yes", "Yes", "none", "none", "items", List.of());
        assertFalse(T.isTrue("no", v), "the string 'no' is false, as with | bool");
        assertTrue(T.isTrue("yes", v));
        assertEquals(T.isTrue("no", v), T.render("{{ no | bool }}", v));
        assertThrows(TemplateException.class, () -> T.isTrue("none", v), "'none' is not a boolean");
        assertThrows(TemplateException.class, () -> T.isTrue("items", v), "a list is not a boolean");
        assertFalse(T.isTrue("items | length > 0", v));
    }
}
