package dev.ringplan.engine.fuzz;

import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.inventory.InventoryParser;
import dev.ringplan.engine.plan.PlanParser;
import dev.ringplan.engine.template.TemplateException;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.yaml.SafeYaml;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the plan parser, the inventory parser, UTF-8 decoding and the template renderer with
 * jqwik (bounded tries, a few seconds in all): whatever the input, they return or throw their
 * documented diagnostic ({@link InvalidInputException}, {@link TemplateException}), nothing else.
 * Inputs are random text over YAML's and Jinja's special characters, and valid documents with
 * random edits (insertions, deletions, replacements) so that the parsers get past the syntax.
 */
class ParserFuzzTest {
    /**
     * The normal build fuzzes from a fixed seed, so a build is repeatable and a red one is a
     * regression, not a new finding. To explore, run this class with another seed here (or "" for
     * a random one and more tries), and keep each input it finds as an example test.
     */
    static final String FUZZ_SEED = "20261202";

    static final String PLAN = """
            name: fuzz
            hosts: cassandra
            vars: {tag: nightly, dirs: [a, b], n: 3}
            tasks:
              - id: flush
                nodetool: flush
                tags: [a]
              - id: snap
                needs: [flush]
                when: "n > 1"
                retries: 2
                nodetool: {command: snapshot, tag: "{{ tag }}"}
              - id: grp
                serial: 1
                block:
                  - id: inner
                    command: echo {{ inventory_hostname }}
                rescue:
                  - id: undo
                    command: "true"
            """;
    static final String INVENTORY = """
            all:
              vars: {jmx_port: 7199}
              children:
                cassandra:
                  hosts:
                    node[01:03]: {ansible_host: 10.0.0.1}
                    n4: &h {ansible_port: 22, x: [1, 2]}
                  vars:
                    <<: *h
                other:
                  children: {cassandra: {}}
            """;
    static final String SPECIAL = "{}[]:,-?*&!|>'\"%@`#\t\n \\/.=~<0123456789abcxyzé\u0000\u0085\uFEFF";

    @Provide
    Arbitrary<String> yamlish() {
        return Arbitraries.strings().withChars(SPECIAL.toCharArray()).ofMaxLength(200);
    }

    @Provide
    Arbitrary<String> mutatedPlan() {
        return mutate(PLAN);
    }

    @Provide
    Arbitrary<String> mutatedInventory() {
        return mutate(INVENTORY);
    }

    /** {@code base} with one to four random edits at random places. */
    static Arbitrary<String> mutate(String base) {
        Arbitrary<String> piece = Arbitraries.oneOf(Arbitraries.strings().withChars(SPECIAL.toCharArray()).ofMaxLength(6),
                Arbitraries.of("&a ", "*a", "!!int ", "!!binary ", "!!timestamp ", "<<: ", "- ", ": ", "{{ ", " }}",
                        "{% if %}", "\t", "\n  ", "---\n", "? ", "[[[[", "]]", "~", "!!set ", "!x ", "%YAML 1.1\n"));
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, base.length()),
                Arbitraries.integers().between(0, 8)).as((at, del) -> new int[] {at, del});
        return Combinators.combine(edit.list().ofMinSize(1).ofMaxSize(4), piece.list().ofSize(4)).as((edits, pieces) -> {
            StringBuilder sb = new StringBuilder(base);
            for (int i = 0; i < edits.size(); i++) {
                int at = Math.min(edits.get(i)[0], sb.length());
                int end = Math.min(at + edits.get(i)[1], sb.length());
                sb.replace(at, end, pieces.get(i));
            }
            return sb.toString();
        });
    }

    @Property(tries = 500, seed = FUZZ_SEED)
    void planParser_randomText_onlyDiagnostics(@ForAll("yamlish") String text) {
        plan(text);
    }

    @Property(tries = 1000, seed = FUZZ_SEED)
    void planParser_mutatedPlan_onlyDiagnostics(@ForAll("mutatedPlan") String text) {
        plan(text);
    }

    @Property(tries = 500, seed = FUZZ_SEED)
    void inventoryParser_randomText_onlyDiagnostics(@ForAll("yamlish") String text) {
        inventory(text);
    }

    @Property(tries = 1000, seed = FUZZ_SEED)
    void inventoryParser_mutatedInventory_onlyDiagnostics(@ForAll("mutatedInventory") String text) {
        inventory(text);
    }

    @Property(tries = 500, seed = FUZZ_SEED)
    void decodeUtf8_randomBytes_onlyDiagnostics(@ForAll byte[] bytes) {
        try {
            SafeYaml.decodeUtf8("f.yaml", bytes, "plan");
        } catch (InvalidInputException e) {
            located(e);
        }
    }

    @Provide
    Arbitrary<String> templates() {
        Arbitrary<String> token = Arbitraries.of("{{", "}}", "{%", "%}", "{#", "#}", " x ", " y.z ", " l[0] ", " m['k'] ",
                " | default(1) ", " | bool ", " | int ", " | join(',') ", " | to_json ", " | from_json ", " | b64decode ",
                " | regex_replace('(', '') ", " | nosuchfilter ", " is defined ", " is nosuchtest ", " ~ ", " + ",
                " / 0 ", " if ", " else ", " for i in l ", " endfor ", " range(99999999999) ", "(", ")", "'", "\"",
                " 1e999 ", " lookup('env','HOME') ", " x.__class__ ", " none ", " undefinedvar ");
        return Arbitraries.oneOf(token.list().ofMaxSize(12).map(l -> String.join("", l)),
                Arbitraries.strings().withChars("{}%#|'\"()[]. xyzl0123,~+-/*".toCharArray()).ofMaxLength(40));
    }

    @Property(tries = 1000, seed = FUZZ_SEED)
    void templater_anyTemplate_onlyTemplateException(@ForAll("templates") String template) {
        Map<String, Object> vars = Map.of("x", "v", "y", Map.of("z", 1), "l", List.of(1, 2), "m", Map.of("k", "w"));
        try {
            Templater.shared().render(template, vars);
        } catch (TemplateException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("TemplateException without a message for " + template);
            }
        }
    }

    static void plan(String text) {
        try {
            PlanParser.parse("p.yaml", text);
        } catch (InvalidInputException e) {
            located(e);
        }
    }

    static void inventory(String text) {
        try {
            InventoryParser.parse("i.yaml", text);
        } catch (InvalidInputException e) {
            located(e);
        }
    }

    /** Every diagnostic names the file; those not about the whole file carry a line. */
    static void located(InvalidInputException e) {
        e.diagnostics().forEach(d -> {
            if (d.pos() == null || d.pos().file() == null) {
                throw new AssertionError("diagnostic without a position: " + d);
            }
        });
    }
}
