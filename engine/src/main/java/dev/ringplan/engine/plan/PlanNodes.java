package dev.ringplan.engine.plan;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.diag.Suggest;
import dev.ringplan.engine.yaml.SafeYaml;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the values of a plan file's composed YAML nodes as the plan language types them (a single
 * value, a boolean, a positive integer, a list of strings, a condition, a {@code vars} mapping,
 * a host pattern, ...). A node of the wrong shape is recorded in the shared {@link Diagnostics}
 * at its {@code file:line:column}, and a neutral value is returned so that parsing goes on and
 * every problem of the file is reported at once.
 */
final class PlanNodes {
    /** A variable name: letters, digits and '_', not starting with a digit. */
    static final Pattern VAR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String file;
    private final Diagnostics diags;

    /** Reads nodes of {@code file}, recording problems in {@code diags}. */
    PlanNodes(String file, Diagnostics diags) {
        this.file = file;
        this.diags = diags;
    }

    /** {@code vars:}: a mapping of variable names to values (null: none), as {@link SourcedVars} with each value's position. */
    Map<String, Object> varsMap(Node v) {
        if (v instanceof ScalarNode s && SafeYaml.toJava(s) == null) {
            return Map.of();
        }
        if (!(v instanceof MappingNode m)) {
            diags.error(pos(v), "'vars' must be a mapping of variable names to values, got " + SafeYaml.kind(v));
            return Map.of();
        }
        checkDuplicateKeys(m);
        SourcedVars out = new SourcedVars();
        for (NodeTuple t : m.getValue()) {
            String k = keyOf(t);
            if (k == null) {
                continue;
            }
            if (!VAR_NAME.matcher(k).matches()) {
                diags.error(pos(t.getKeyNode()), "invalid variable name '" + k + "': letters, digits and '_' only, not starting with a digit");
                continue;
            }
            out.put(k, SafeYaml.toJava(t.getValueNode()), pos(t.getValueNode()));
        }
        return out;
    }

    /** A list of variable names ({@code vars_secret}), each checked. */
    List<String> varNames(Node v, String what) {
        List<String> out = new ArrayList<>();
        if (!(v instanceof SequenceNode seq)) {
            diags.error(pos(v), "'" + what + "' must be a list of variable names, got " + SafeYaml.kind(v));
            return out;
        }
        for (Node item : seq.getValue()) {
            String s = scalar(item, what);
            if (s != null && !VAR_NAME.matcher(s).matches()) {
                diags.error(pos(item), "'" + what + "' items must be variable names (letters, digits, '_'), got '" + s + "'");
            } else if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** {@code hosts:}: a pattern, or a list of patterns joined with {@code :}. */
    String hostPattern(Node v) {
        if (v instanceof SequenceNode seq) {
            List<String> parts = new ArrayList<>();
            for (Node item : seq.getValue()) {
                String s = scalar(item, "hosts");
                if (s != null) {
                    parts.add(s);
                }
            }
            return String.join(":", parts);
        }
        return scalar(v, "hosts");
    }

    /** A list of strings, or one comma-separated string ({@code tags: a, b}). */
    List<String> stringList(Node v, String what) {
        List<String> out = new ArrayList<>();
        if (v instanceof ScalarNode s) {
            for (String part : s.getValue().split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        } else if (v instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                String s = scalar(item, what);
                if (s != null) {
                    out.add(s);
                }
            }
        } else {
            diags.error(pos(v), "'" + what + "' must be a list of strings, got " + SafeYaml.kind(v));
        }
        return out;
    }

    /** A condition: a bare expression ({@code {{ }}} around it removed) or a boolean, as expression text. */
    String condition(Node v, String what) {
        Object o = v instanceof ScalarNode ? SafeYaml.toJava(v) : null;
        if (o instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (o instanceof String s) {
            String x = s.strip();
            if (x.startsWith("{{") && x.endsWith("}}")) {
                x = x.substring(2, x.length() - 2).strip();
            }
            return x;
        }
        diags.error(pos(v), "'" + what + "' must be an expression (e.g. \"ring.nodes | length > 1\"), got " + SafeYaml.kind(v));
        return null;
    }

    /** A condition, or a list of conditions that must all hold (Ansible's list form of {@code failed_when}). */
    String conditionList(Node v, String what) {
        if (!(v instanceof SequenceNode seq)) {
            return condition(v, what);
        }
        List<String> parts = new ArrayList<>();
        for (Node item : seq.getValue()) {
            String c = condition(item, what);
            if (c != null) {
                parts.add("(" + c + ")");
            }
        }
        if (parts.isEmpty()) {
            diags.error(pos(v), "'" + what + "' must be an expression or a non-empty list of expressions");
            return null;
        }
        return String.join(" and ", parts);
    }

    /** A boolean; false (with an error) otherwise. */
    boolean bool(Node v, String what) {
        Object o = SafeYaml.toJava(v);
        if (o instanceof Boolean b) {
            return b;
        }
        diags.error(pos(v), "'" + what + "' must be true or false, got " + describe(o, v));
        return false;
    }

    /** A positive integer; null (with an error) otherwise. */
    Integer positiveInt(Node v, String what) {
        Object o = SafeYaml.toJava(v);
        if (o instanceof Integer i && i > 0) {
            return i;
        }
        diags.error(pos(v), "'" + what + "' must be a positive integer, got " + describe(o, v));
        return null;
    }

    /** A non-negative integer; 0 (with an error) otherwise. */
    int nonNegativeInt(Node v, String what) {
        Object o = SafeYaml.toJava(v);
        if (o instanceof Integer i && i >= 0) {
            return i;
        }
        diags.error(pos(v), "'" + what + "' must be a non-negative integer, got " + describe(o, v));
        return 0;
    }

    /** A single value as text (null for a YAML null); null (with an error) for a list or mapping. */
    String scalar(Node v, String what) {
        if (v instanceof ScalarNode s) {
            Object o = SafeYaml.toJava(s);
            return o == null ? null : String.valueOf(o);
        }
        diags.error(pos(v), "'" + what + "' must be a single value, got " + SafeYaml.kind(v));
        return null;
    }

    /** A mapping key as text; null (with an error) for a complex key. */
    String keyOf(NodeTuple t) {
        if (t.getKeyNode() instanceof ScalarNode s) {
            return s.getValue();
        }
        diags.error(pos(t.getKeyNode()), "keys must be plain names, got " + SafeYaml.kind(t.getKeyNode()));
        return null;
    }

    /**
     * Reports a key written twice in one mapping (snakeyaml's duplicate-key refusal acts only when
     * constructing Java objects, not on the composed node tree this parser reads).
     */
    void checkDuplicateKeys(MappingNode m) {
        Map<String, ScalarNode> seen = new HashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode s) {
                ScalarNode first = seen.putIfAbsent(s.getValue(), s);
                if (first != null) {
                    SourcePos at = pos(s);
                    SourcePos was = pos(first);
                    diags.error(at, "duplicate key '" + s.getValue() + "' at line " + at.line() + ", first at line "
                            + was.line() + " (" + was + "): a key may appear only once in a mapping");
                }
            }
        }
    }

    /** Reports an unknown key with a "did you mean", or the list of known keys. */
    void unknownKey(Node keyNode, String key, Set<String> known, String where) {
        String hint = Suggest.didYouMean(key, known);
        diags.error(pos(keyNode), "unknown " + where + " key '" + key + "'",
                hint != null ? hint : "expected one of: " + String.join(", ", new TreeSet<>(known)));
    }

    private static String describe(Object o, Node v) {
        return o == null ? SafeYaml.kind(v) : "'" + o + "'";
    }

    /** {@code file:line:column} of a node. */
    SourcePos pos(Node n) {
        return SafeYaml.pos(file, n);
    }
}
