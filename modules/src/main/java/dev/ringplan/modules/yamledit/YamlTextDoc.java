package dev.ringplan.modules.yamledit;

import dev.ringplan.engine.diag.RingplanException;
import dev.ringplan.engine.yaml.SafeYaml;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One YAML text composed with {@link SafeYaml}, for {@link YamlTextEdits}: finds where things are
 * in the text without changing it. Maps snakeyaml's marks (code point indexes) to {@link String}
 * indexes, gives line and column helpers, the end of a value's own text ({@link #leafEnd}, without
 * trailing comments), the document's indentation step and line break, follows a {@link YamlPath}
 * to the node it names ({@link #walk}), and finds a commented-out example of a key. Refuses
 * (with {@link YamlEditException}) to go through aliased values and complex keys.
 */
final class YamlTextDoc {
    private static final Pattern WS = Pattern.compile("[ \\t]*");

    /** Where a value sits: in a mapping (tuple) or a sequence (index); null parent for the root. */
    record Slot(Node parent, NodeTuple tuple, int index) {
    }

    /** The result of following a path: found, or stopped at {@code depth} in {@code node}. */
    record Walk(boolean found, Node node, Slot slot, int depth) {
    }

    private final String name;
    private final String text;
    private final Node root;
    private final int[] cpToChar;
    private final Set<Node> shared;
    private final String nl;
    private int step = -1;

    private YamlTextDoc(String name, String text, Node root) {
        this.name = name;
        this.text = text;
        this.root = root;
        int cps = text.codePointCount(0, text.length());
        if (cps == text.length()) {
            cpToChar = null;
        } else {
            cpToChar = new int[cps + 1];
            int ci = 0;
            for (int cp = 0; cp < cps; cp++) {
                cpToChar[cp] = ci;
                ci += Character.charCount(text.codePointAt(ci));
            }
            cpToChar[cps] = ci;
        }
        this.shared = sharedNodes(root);
        int crlf = 0;
        int lf = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                if (i > 0 && text.charAt(i - 1) == '\r') {
                    crlf++;
                } else {
                    lf++;
                }
            }
        }
        this.nl = crlf > lf ? "\r\n" : "\n";
    }

    /**
     * Composes {@code text}.
     *
     * @param name a name for the text in messages (the file path)
     * @throws YamlEditException when the text is not valid YAML
     */
    static YamlTextDoc parse(String name, String text) throws YamlEditException {
        try {
            return new YamlTextDoc(name, text, SafeYaml.compose(name, text));
        } catch (RingplanException e) {
            throw new YamlEditException(name + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    /** The document's data (snakeyaml's Java objects). */
    Object data() {
        return SafeYaml.toJava(root);
    }

    /** The name of the text in messages. */
    String name() {
        return name;
    }

    /** The text. */
    String text() {
        return text;
    }

    /** The root node, or null for an empty document. */
    Node root() {
        return root;
    }

    /** The document's line break: CRLF when most lines end so, else LF. */
    String nl() {
        return nl;
    }

    private static Set<Node> sharedNodes(Node root) {
        Map<Node, Integer> seen = new IdentityHashMap<>();
        Set<Node> shared = Collections.newSetFromMap(new IdentityHashMap<>());
        visit(root, seen, shared);
        return shared;
    }

    private static void visit(Node n, Map<Node, Integer> seen, Set<Node> shared) {
        if (n == null) {
            return;
        }
        if (seen.put(n, 1) != null) {
            shared.add(n);
            return;
        }
        if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                visit(t.getKeyNode(), seen, shared);
                visit(t.getValueNode(), seen, shared);
            }
        } else if (n instanceof SequenceNode s) {
            for (Node x : s.getValue()) {
                visit(x, seen, shared);
            }
        }
    }

    /** The {@link String} index of a snakeyaml mark (whose index counts code points). */
    int pos(Mark m) {
        int i = m.getIndex();
        return cpToChar == null ? i : cpToChar[i];
    }

    /** Where {@code n} starts in the text. */
    int start(Node n) {
        return pos(n.getStartMark());
    }

    /** Where {@code n} ends in the text (snakeyaml's end mark). */
    int end(Node n) {
        return pos(n.getEndMark());
    }

    /** Start of the line holding {@code i}. */
    int lineStart(int i) {
        int j = i;
        while (j > 0 && text.charAt(j - 1) != '\n') {
            j--;
        }
        return j;
    }

    /** End of the line holding {@code i}, before its line break. */
    int lineEnd(int i) {
        int j = i;
        while (j < text.length() && text.charAt(j) != '\n' && text.charAt(j) != '\r') {
            j++;
        }
        return j;
    }

    /** Start of the line after the one holding {@code i} (the text's length on the last line). */
    int nextLineStart(int i) {
        int j = lineEnd(i);
        if (j < text.length() && text.charAt(j) == '\r') {
            j++;
        }
        if (j < text.length() && text.charAt(j) == '\n') {
            j++;
        }
        return j;
    }

    /** Column (0-based, in chars) of {@code i}. */
    int col(int i) {
        return i - lineStart(i);
    }

    /** True when only blanks precede {@code i} on its line. */
    boolean firstOnLine(int i) {
        return WS.matcher(text.substring(lineStart(i), i)).matches();
    }

    private void checkNotShared(Node n, YamlPath path) throws YamlEditException {
        if (shared.contains(n) || n.getNodeId() == org.yaml.snakeyaml.nodes.NodeId.anchor) {
            throw new YamlEditException(name + ": path " + path + " touches a value used through an alias (*name) near line "
                    + (n.getStartMark().getLine() + 1) + "; yaml_edit does not edit aliased values");
        }
    }

    /** End of the last character that belongs to {@code n} (excluding trailing comments, blank lines and breaks). */
    int leafEnd(Node n) throws YamlEditException {
        if (shared.contains(n)) {
            throw new YamlEditException(name + ": an alias (*name) near line " + (n.getStartMark().getLine() + 1)
                    + " is in the way of this edit; yaml_edit does not edit around aliases");
        }
        if (n instanceof ScalarNode s) {
            int e = end(s);
            if (s.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL
                    || s.getScalarStyle() == DumperOptions.ScalarStyle.FOLDED) {
                int st = start(s);
                while (e > st && " \t\r\n".indexOf(text.charAt(e - 1)) >= 0) {
                    e--;
                }
            }
            return e;
        }
        if (isFlow(n)) {
            return end(n);
        }
        if (n instanceof MappingNode m) {
            List<NodeTuple> t = m.getValue();
            return t.isEmpty() ? end(m) : leafEnd(t.get(t.size() - 1).getValueNode());
        }
        SequenceNode sq = (SequenceNode) n;
        return sq.getValue().isEmpty() ? end(sq) : leafEnd(sq.getValue().get(sq.getValue().size() - 1));
    }

    /** True for a flow collection ({@code [..]} or <code>{..}</code>). */
    static boolean isFlow(Node n) {
        return n instanceof MappingNode m ? m.getFlowStyle() == DumperOptions.FlowStyle.FLOW
                : n instanceof SequenceNode s && s.getFlowStyle() == DumperOptions.FlowStyle.FLOW;
    }

    /** True for no node or a null scalar. */
    static boolean isNull(Node n) {
        return n == null || (n instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
    }

    /** Indentation step of nested block collections in this document (most common), default 2. */
    int step() {
        if (step < 0) {
            Map<Integer, Integer> counts = new HashMap<>();
            measure(root, counts, new int[] {0});
            int best = 2;
            int bestCount = 0;
            for (Map.Entry<Integer, Integer> e : new java.util.TreeMap<>(counts).entrySet()) {
                if (e.getValue() > bestCount) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            step = best;
        }
        return step;
    }

    private void measure(Node n, Map<Integer, Integer> counts, int[] budget) {
        if (budget[0] > 200 || n == null || isFlow(n)) {
            return;
        }
        budget[0]++;
        if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                Node v = t.getValueNode();
                if ((v instanceof MappingNode || v instanceof SequenceNode) && !isFlow(v) && !shared.contains(v)) {
                    int delta = col(start(v)) - col(start(t.getKeyNode()));
                    if (delta > 0 && delta <= 10 && firstOnLine(start(v))) {
                        counts.merge(delta, 1, Integer::sum);
                    }
                }
                measure(v, counts, budget);
            }
        } else if (n instanceof SequenceNode s) {
            for (Node x : s.getValue()) {
                measure(x, counts, budget);
            }
        }
    }

    /**
     * Follows {@code path} from the root as far as it exists.
     *
     * @throws YamlEditException when a step meets a value of the wrong kind, an alias, a complex key
     *                           or an index beyond the end of a list
     */
    Walk walk(YamlPath path) throws YamlEditException {
        Node cur = root;
        Slot slot = null;
        List<Object> segs = path.segments();
        for (int k = 0; k < segs.size(); k++) {
            if (cur != null) {
                checkNotShared(cur, path);
            }
            if (isNull(cur)) {
                return new Walk(false, cur, slot, k);
            }
            Object seg = segs.get(k);
            if (seg instanceof String key) {
                if (!(cur instanceof MappingNode m)) {
                    throw new YamlEditException(name + ": path " + path + ": " + path.prefix(k) + " is "
                            + SafeYaml.kind(cur) + " (line " + (cur.getStartMark().getLine() + 1)
                            + "), not a mapping, so it has no key '" + key + "'");
                }
                NodeTuple found = null;
                for (NodeTuple t : m.getValue()) {
                    if (!(t.getKeyNode() instanceof ScalarNode ks)) {
                        throw new YamlEditException(name + ": a complex (non-scalar) key near line "
                                + (t.getKeyNode().getStartMark().getLine() + 1) + " is not supported by yaml_edit");
                    }
                    if (ks.getValue().equals(key)) {
                        found = t;
                    }
                }
                if (found == null) {
                    return new Walk(false, cur, slot, k);
                }
                slot = new Slot(m, found, -1);
                cur = found.getValueNode();
            } else {
                int idx = (Integer) seg;
                if (!(cur instanceof SequenceNode s)) {
                    throw new YamlEditException(name + ": path " + path + ": " + path.prefix(k) + " is "
                            + SafeYaml.kind(cur) + " (line " + (cur.getStartMark().getLine() + 1)
                            + "), not a list, so it has no index [" + idx + "]");
                }
                int size = s.getValue().size();
                if (idx >= size) {
                    if (idx > size) {
                        throw new YamlEditException(name + ": path " + path + ": " + path.prefix(k) + " has " + size
                                + " items; index " + idx + " is out of range (use " + size + " to append)");
                    }
                    return new Walk(false, cur, slot, k);
                }
                slot = new Slot(s, null, idx);
                cur = s.getValue().get(idx);
            }
        }
        checkNotShared(cur, path);
        return new Walk(true, cur, slot, segs.size());
    }

    /** Position right after the {@code :} that follows a mapping key. */
    int afterColon(Node key) throws YamlEditException {
        int i = end(key);
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        if (i >= text.length() || text.charAt(i) != ':') {
            throw new YamlEditException(name + ": cannot find the ':' after key on line "
                    + (key.getStartMark().getLine() + 1) + "; complex keys are not supported by yaml_edit");
        }
        return i + 1;
    }

    /** The column of the {@code -} of the list item whose value starts (or would start) at {@code i}. */
    int dashBefore(int i) throws YamlEditException {
        int j = i - 1;
        while (j >= 0 && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
            j--;
        }
        if (j < 0 || text.charAt(j) != '-') {
            throw new YamlEditException(name + ": cannot find the '-' of a list item at line "
                    + (lineOf(i) + 1));
        }
        return col(j);
    }

    /** The position of the {@code -} of the list item whose value starts at {@code i}. */
    int dashPos(int i) throws YamlEditException {
        int j = i - 1;
        while (j >= 0 && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
            j--;
        }
        if (j < 0 || text.charAt(j) != '-') {
            throw new YamlEditException(name + ": cannot find the '-' of a list item at line " + (lineOf(i) + 1));
        }
        return j;
    }

    private int lineOf(int i) {
        int n = 0;
        for (int k = 0; k < i && k < text.length(); k++) {
            if (text.charAt(k) == '\n') {
                n++;
            }
        }
        return n;
    }

    /**
     * Start of a comment line {@code <c spaces>#[spaces]key:[ value]} that lies between
     * entries of {@code m} (or before its first entry at the top of the document, or among the
     * comment lines right after its last entry), or -1.
     */
    int commentedExample(MappingNode m, String key, int c) throws YamlEditException {
        Pattern p = Pattern.compile("^ {" + c + "}#[ \\t]*" + Pattern.quote(key) + ":(?:[ \\t].*)?$");
        List<NodeTuple> entries = m.getValue();
        List<int[]> ranges = new ArrayList<>();
        if (m == root) {
            ranges.add(new int[] {0, lineStart(start(entries.get(0).getKeyNode()))});
        }
        for (int i = 0; i < entries.size(); i++) {
            int from = nextLineStart(leafEnd(entries.get(i).getValueNode()));
            int to = i + 1 < entries.size() ? lineStart(start(entries.get(i + 1).getKeyNode())) : commentsEnd(from);
            ranges.add(new int[] {from, to});
        }
        for (int[] r : ranges) {
            int i = r[0];
            while (i < r[1]) {
                String line = text.substring(i, lineEnd(i));
                if (p.matcher(line).matches()) {
                    return i;
                }
                int nx = nextLineStart(i);
                if (nx <= i) {
                    break;
                }
                i = nx;
            }
        }
        return -1;
    }

    /** Start of the first line at or after {@code from} that is neither blank nor a comment. */
    private int commentsEnd(int from) {
        int i = from;
        while (i < text.length()) {
            String t = text.substring(i, lineEnd(i)).strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                return i;
            }
            int nx = nextLineStart(i);
            if (nx <= i) {
                break;
            }
            i = nx;
        }
        return text.length();
    }
}
