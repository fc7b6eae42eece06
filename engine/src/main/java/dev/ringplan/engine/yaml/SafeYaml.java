package dev.ringplan.engine.yaml;

import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.diag.Diagnostic;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Safe YAML loading for plans and inventories: snakeyaml's composer (no arbitrary types: only
 * the standard tags of YAML 1.1, as PyYAML and so Ansible resolve them), duplicate keys refused,
 * alias expansion limited (billion-laughs), input size and nesting depth limited. Every error
 * carries {@code file:line:column}.
 *
 * <p>Plans and inventories are read as composed {@link Node}s so that each value keeps its
 * {@link Node#getStartMark() start mark}; {@link #toJava(Node)} turns a node into plain Java
 * values (String, Integer/Long/BigInteger, Double, Boolean, null, List, LinkedHashMap).
 */
public final class SafeYaml {
    /** Most aliases a document may use before it is refused. */
    public static final int MAX_ALIASES = 50;
    /** Largest document accepted, in code points (4 MiB). */
    public static final int MAX_CODE_POINTS = 4 * 1024 * 1024;
    /** Deepest nesting of collections accepted. */
    public static final int MAX_NESTING = 50;

    private SafeYaml() {
    }

    /** The loader options used everywhere: limits above, duplicate keys refused. */
    public static LoaderOptions options() {
        LoaderOptions o = new LoaderOptions();
        o.setAllowDuplicateKeys(false);
        o.setMaxAliasesForCollections(MAX_ALIASES);
        o.setCodePointLimit(MAX_CODE_POINTS);
        o.setNestingDepthLimit(MAX_NESTING);
        o.setAllowRecursiveKeys(false);
        o.setProcessComments(false);
        return o;
    }

    /**
     * Composes the single YAML document in {@code text}.
     *
     * @param file the file name used in error positions
     * @return the root node, or null for an empty document
     * @throws InvalidInputException on a syntax error, with the problem's position
     */
    public static Node compose(String file, String text) throws InvalidInputException {
        Yaml yaml = new Yaml(new SafeConstructor(options()));
        try {
            Node root = yaml.compose(new StringReader(text));
            List<Diagnostic> bad = new ArrayList<>();
            checkTags(file, root, bad, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
            if (!bad.isEmpty()) {
                throw new InvalidInputException(bad);
            }
            return root;
        } catch (MarkedYAMLException e) {
            SourcePos pos = SourcePos.of(file, e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark());
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext();
            String summary = "YAML syntax error: " + problem.trim()
                    + (context != null ? " (" + context.trim() + ")" : "");
            throw new InvalidInputException(pos, summary);
        } catch (YAMLException e) {
            throw new InvalidInputException(SourcePos.ofFile(file), "YAML error: " + firstLine(e.getMessage()));
        }
    }

    private static final java.util.Set<Tag> STANDARD_TAGS = java.util.Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL,
            Tag.NULL, Tag.SEQ, Tag.MAP, Tag.MERGE, Tag.TIMESTAMP, Tag.BINARY, Tag.SET, Tag.OMAP, Tag.PAIRS);

    /**
     * Refuses every tag but YAML 1.1's standard ones and Ansible's {@code !unsafe} (no
     * {@code !!java...}, no {@code !vault}), and duplicate keys in a mapping (snakeyaml checks
     * those only when constructing, and a composed node is never constructed whole).
     */
    private static void checkTags(String file, Node node, List<Diagnostic> bad, java.util.Set<Node> seen) {
        if (node == null || !seen.add(node)) {
            return;
        }
        if (!STANDARD_TAGS.contains(node.getTag()) && !"!unsafe".equals(node.getTag().getValue())) {
            bad.add(Diagnostic.error(pos(file, node), "unsupported YAML tag '" + node.getTag().getValue()
                    + "': only plain YAML values (strings, numbers, booleans, lists, mappings) are accepted"));
        }
        if (node instanceof MappingNode m) {
            java.util.Set<String> keys = new java.util.HashSet<>();
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && !Tag.MERGE.equals(k.getTag()) && !keys.add(k.getValue())) {
                    bad.add(Diagnostic.error(pos(file, k), "duplicate key '" + k.getValue() + "': a key may appear only once in a mapping"));
                }
                checkTags(file, t.getKeyNode(), bad, seen);
                checkTags(file, t.getValueNode(), bad, seen);
            }
        } else if (node instanceof org.yaml.snakeyaml.nodes.SequenceNode sq) {
            for (Node n : sq.getValue()) {
                checkTags(file, n, bad, seen);
            }
        }
    }

    /** Converts a composed node into plain Java values with YAML 1.1 safe types. */
    public static Object toJava(Node node) {
        if (node == null) {
            return null;
        }
        return new Converter().convert(node);
    }

    /** The position of {@code node} in {@code file}. */
    public static SourcePos pos(String file, Node node) {
        return node == null ? SourcePos.ofFile(file) : SourcePos.of(file, node.getStartMark());
    }

    /** A mapping node's entries by scalar key text, in document order (non-scalar keys skipped). */
    public static Map<String, NodeTuple> entries(MappingNode map) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode s) {
                out.put(s.getValue(), t);
            }
        }
        return out;
    }

    /** A short human word for a node's kind: "a mapping", "a list", "a scalar". */
    public static String kind(Node node) {
        return switch (node.getNodeId()) {
            case mapping -> "a mapping";
            case sequence -> "a list";
            case scalar -> "a scalar";
            case anchor -> "an anchor";
        };
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Exposes SafeConstructor's document construction for an already composed node. */
    private static final class Converter extends SafeConstructor {
        Converter() {
            super(options());
        }

        Object convert(Node node) {
            Object o = constructDocument(node);
            return o;
        }
    }

}
