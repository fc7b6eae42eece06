package dev.ringplan.engine.inventory;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.yaml.SafeYaml;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Turns composed YAML nodes into the values PyYAML (and so Ansible) would build, keeping node
 * positions for errors. Differences from snakeyaml's own construction that matter for Ansible
 * fidelity: floats follow PyYAML's YAML 1.1 resolver ({@code 1e16} stays a string, an exponent
 * needs a dot and a sign), timestamps become the text Python's {@code isoformat()} prints,
 * merge keys ({@code <<}) are flattened as PyYAML does, and {@code !unsafe} is a plain string.
 * Maps are unmodifiable {@link LinkedHashMap}s, lists unmodifiable.
 */
final class YamlValues {
    /** PyYAML 6 resolver's float expression (resolver.py), without re.X spacing. */
    private static final Pattern PY_FLOAT = Pattern.compile(
            "^(?:[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?"
                    + "|\\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
                    + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*"
                    + "|[-+]?\\.(?:inf|Inf|INF)"
                    + "|\\.(?:nan|NaN|NAN))$");
    /** PyYAML's timestamp_regexp (constructor.py). */
    private static final Pattern PY_TIMESTAMP = Pattern.compile(
            "^([0-9][0-9][0-9][0-9])-([0-9][0-9]?)-([0-9][0-9]?)"
                    + "(?:(?:[Tt]|[ \\t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])"
                    + "(?:\\.([0-9]*))?"
                    + "(?:[ \\t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?)?$");

    /**
     * A mapping entry after merge keys were flattened.
     *
     * @param key     the key as a value
     * @param keyNode the key's node (position)
     * @param value   the value's node
     */
    record Entry(Object key, Node keyNode, Node value) {
    }

    private final String file;
    private final Diagnostics diags;

    YamlValues(String file, Diagnostics diags) {
        this.file = file;
        this.diags = diags;
    }

    /** True when {@code node} is absent or a null scalar. */
    static boolean isNull(Node node) {
        return node == null || (node instanceof ScalarNode s && Tag.NULL.equals(s.getTag()));
    }

    /** True for a scalar that PyYAML would build as a str. */
    static boolean isString(Node node) {
        if (!(node instanceof ScalarNode s)) {
            return false;
        }
        Tag t = s.getTag();
        return Tag.STR.equals(t) || "!unsafe".equals(t.getValue())
                || (Tag.FLOAT.equals(t) && s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN
                && !PY_FLOAT.matcher(s.getValue()).matches());
    }

    /**
     * The entries of a mapping in PyYAML's order, merge keys flattened (explicit keys win over
     * merged ones, earlier merged mappings over later ones). Duplicate explicit keys are
     * reported as errors; the later value is kept.
     */
    List<Entry> entries(MappingNode map) {
        Map<Object, Entry> out = new LinkedHashMap<>();
        List<NodeTuple> own = new ArrayList<>();
        List<NodeTuple> merged = new ArrayList<>();
        for (NodeTuple t : map.getValue()) {
            if (Tag.MERGE.equals(t.getKeyNode().getTag())) {
                Node v = t.getValueNode();
                if (v instanceof MappingNode m) {
                    merged.addAll(0, flattenTuples(m));
                } else if (v instanceof SequenceNode seq) {
                    List<List<NodeTuple>> subs = new ArrayList<>();
                    for (Node sub : seq.getValue()) {
                        if (sub instanceof MappingNode sm) {
                            subs.add(flattenTuples(sm));
                        } else {
                            diags.error(SafeYaml.pos(file, sub), "a merge key (<<) needs mappings, found " + SafeYaml.kind(sub));
                        }
                    }
                    Collections.reverse(subs);
                    List<NodeTuple> flat = new ArrayList<>();
                    subs.forEach(flat::addAll);
                    merged.addAll(0, flat);
                } else {
                    diags.error(SafeYaml.pos(file, v), "a merge key (<<) needs a mapping, found " + SafeYaml.kind(v));
                }
            } else {
                own.add(t);
            }
        }
        for (NodeTuple t : merged) {
            Object k = key(t.getKeyNode());
            out.put(k, new Entry(k, t.getKeyNode(), t.getValueNode()));
        }
        Map<Object, Node> seen = new LinkedHashMap<>();
        for (NodeTuple t : own) {
            Object k = key(t.getKeyNode());
            Node first = seen.putIfAbsent(k, t.getKeyNode());
            if (first != null) {
                diags.error(SafeYaml.pos(file, t.getKeyNode()), "duplicate key '" + k + "'",
                        "first defined at " + SafeYaml.pos(file, first));
            }
            out.put(k, new Entry(k, t.getKeyNode(), t.getValueNode()));
        }
        return new ArrayList<>(out.values());
    }

    private List<NodeTuple> flattenTuples(MappingNode m) {
        List<NodeTuple> out = new ArrayList<>();
        for (Entry e : entries(m)) {
            out.add(new NodeTuple(e.keyNode(), e.value()));
        }
        return out;
    }

    private Object key(Node node) {
        Object k = value(node);
        if (k instanceof Map || k instanceof List) {
            diags.error(SafeYaml.pos(file, node), "a mapping key must be a scalar, found " + SafeYaml.kind(node));
            return node.getStartMark().toString();
        }
        return k;
    }

    /** The value of {@code node} as PyYAML would build it (see the class comment). */
    Object value(Node node) {
        if (node == null) {
            return null;
        }
        if (node instanceof MappingNode m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Entry e : entries(m)) {
                out.put(e.key(), value(e.value()));
            }
            return Collections.unmodifiableMap(out);
        }
        if (node instanceof SequenceNode s) {
            List<Object> out = new ArrayList<>();
            for (Node n : s.getValue()) {
                out.add(value(n));
            }
            return Collections.unmodifiableList(out);
        }
        ScalarNode s = (ScalarNode) node;
        Tag tag = s.getTag();
        String text = s.getValue();
        if (isString(s)) {
            return text;
        }
        if (tag.getValue().startsWith("!vault")) {
            diags.error(SafeYaml.pos(file, node), "vault-encrypted values (!vault) are not supported");
            return null;
        }
        if (Tag.TIMESTAMP.equals(tag)) {
            String iso = isoTimestamp(text);
            if (iso != null) {
                return iso;
            }
        }
        if (Tag.BINARY.equals(tag)) {
            try {
                Base64.getMimeDecoder().decode(text);
                return text.replaceAll("\\s", "");
            } catch (IllegalArgumentException e) {
                diags.error(SafeYaml.pos(file, node), "invalid !!binary value: " + e.getMessage());
                return null;
            }
        }
        if (!tag.getValue().startsWith(Tag.PREFIX)) {
            diags.error(SafeYaml.pos(file, node), "unsupported YAML tag " + tag.getValue());
            return null;
        }
        try {
            return SafeYaml.toJava(node);
        } catch (RuntimeException e) {
            diags.error(SafeYaml.pos(file, node), "cannot read value '" + text + "' as " + tag.getValue()
                    + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * PyYAML's timestamp construction printed as Python's {@code isoformat()}: a date alone as
     * {@code YYYY-MM-DD}; a date and time as {@code YYYY-MM-DDTHH:MM:SS[.ffffff][+HH:MM]}.
     */
    static String isoTimestamp(String text) {
        Matcher m = PY_TIMESTAMP.matcher(text);
        if (!m.matches()) {
            return null;
        }
        String date = m.group(1) + "-" + pad2(m.group(2)) + "-" + pad2(m.group(3));
        if (m.group(4) == null) {
            return date;
        }
        StringBuilder sb = new StringBuilder(date).append('T').append(pad2(m.group(4))).append(':')
                .append(m.group(5)).append(':').append(m.group(6));
        String fraction = m.group(7);
        if (fraction != null && !fraction.isEmpty()) {
            String f = fraction.length() > 6 ? fraction.substring(0, 6) : fraction;
            f = (f + "000000").substring(0, 6);
            if (Integer.parseInt(f) != 0) {
                sb.append('.').append(f);
            }
        }
        if (m.group(9) != null) {
            int h = Integer.parseInt(m.group(10));
            int min = m.group(11) == null ? 0 : Integer.parseInt(m.group(11));
            int total = h * 60 + min;
            if (total == 0) {
                sb.append("+00:00");
            } else {
                sb.append(m.group(9).equals("-") ? '-' : '+').append(pad2(String.valueOf(total / 60 % 24)))
                        .append(':').append(pad2(String.valueOf(total % 60)));
            }
        } else if (m.group(8) != null) {
            sb.append("+00:00");
        }
        return sb.toString();
    }

    private static String pad2(String s) {
        return s.length() == 1 ? "0" + s : s;
    }
}
