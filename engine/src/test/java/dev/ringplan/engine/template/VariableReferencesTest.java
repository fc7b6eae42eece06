package dev.ringplan.engine.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ringplan.engine.template.VariableReferences.VariableRef;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VariableReferencesTest {

    static List<String> names(String template) {
        return List.copyOf(VariableReferences.rootNames(template));
    }

    @Test
    void inTemplate_namesAndPositions() {
        assertEquals(List.of(new VariableRef("tag", false, 1, 4), new VariableRef("inventory_hostname", false, 2, 6)),
                VariableReferences.inTemplate("{{ tag }}\n/x/{{inventory_hostname}}"));
    }

    @Test
    void rootNames_skipsAttributesFiltersTestsFunctionsAndKwargs() {
        assertEquals(List.of("hostvars", "inventory_hostname"),
                names("{{ hostvars[inventory_hostname].ring.tokens | map('string') | join(',') }}"));
        assertEquals(List.of("nodes"), names("{{ nodes | map(attribute='name') | list }}"));
        assertEquals(List.of("n"), names("{{ range(n) | list }}{{ n is number }}"));
        assertEquals(List.of("groups"), names("{{ groups['cassandra'] | length }}"));
        assertEquals(List.of(), names("{{ true and not none or False }}{{ 'tag' ~ \"x\" }}"));
    }

    @Test
    void rootNames_excludesLoopAndSetVariables() {
        assertEquals(List.of("groups", "port"),
                names("{% for h in groups['cassandra'] %}{{ h.name }}{{ loop.index }}{% endfor %}"
                        + "{% set p = port + 1 %}{{ p }}"));
        assertEquals(List.of("d"), names("{% for k, v in d.items() %}{{ k }}={{ v }}{% endfor %}"));
        assertEquals(List.of("nodes", "flag"),
                names("{% for n in nodes if flag %}{{ n }}{% endfor %}"));
    }

    @Test
    void rootNames_skipsCommentsRawAndStrings() {
        assertEquals(List.of("d"),
                names("{# {{ a }} #}{% raw %}{{ b }}{% endraw %}{{ 'c }}' ~ d }}"));
    }

    @Test
    void inTemplate_guardedByDefaultOrDefinedTest() {
        List<VariableRef> refs = VariableReferences.inTemplate(
                "{{ a | default('x') }}{{ b.c | d(1) }}{{ e or 'z' }}{{ f is not defined }}");
        assertEquals(List.of("a:true", "b:true", "e:false", "f:true"),
                refs.stream().map(r -> r.name() + ":" + r.guarded()).toList());
        List<VariableRef> guardedIf = VariableReferences.inTemplate(
                "{% if x is defined %}{{ x }}{% endif %}{{ y }}");
        assertEquals(List.of("x:true", "x:true", "y:false"),
                guardedIf.stream().map(r -> r.name() + ":" + r.guarded()).toList());
    }

    @Test
    void undefined_reportsUnguardedUnknownNames() {
        Set<String> known = Set.of("tag", "hostvars");
        List<VariableRef> undefined = VariableReferences.undefined(
                "{{ tag }}-{{ hostvars['n1'].ring }}-{{ ring }}\n{{ extra | default('') }}{{ typo }}", known::contains);
        assertEquals(List.of(new VariableRef("ring", false, 1, 40), new VariableRef("typo", false, 2, 29)), undefined);
    }

    @Test
    void inExpression_bareCondition() {
        List<VariableRef> refs = VariableReferences.inExpression("x is defined and y > 2");
        assertEquals(List.of(new VariableRef("x", true, 1, 1), new VariableRef("y", false, 1, 18)), refs);
    }
}
