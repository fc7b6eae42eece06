package dev.ringplan.modules.yamledit;

import dev.ringplan.engine.diag.RingplanException;
import dev.ringplan.engine.yaml.SafeYaml;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * Edits a YAML document as text, keeping every byte that the edit does not need to touch:
 * comments, blank lines, key order, indentation, quoting and line endings (it edits text; it
 * does not re-dump the document).
 *
 * <p>How: the text is composed with {@link SafeYaml} (snakeyaml), whose nodes carry start and
 * end {@link Mark}s; a mark's index counts Unicode code points from the start of the text (not
 * UTF-16 chars, not bytes), so indexes are mapped to {@link String} indexes before use, which
 * matters for characters outside the BMP (surrogate pairs). Each operation is one text splice:
 * <ul>
 * <li>set, key exists: the span of the old value is replaced by the new value rendered with
 *     {@link YamlRender} (a string replacing a quoted string keeps its quotes; a list or
 *     mapping replacing a flow collection is written in flow style, otherwise in block style
 *     indented like the old value).</li>
 * <li>set, key missing in an existing block mapping: a commented-out example of the key at the
 *     siblings' indentation ({@code # initial_token:}) found between the mapping's entries or
 *     in the comment lines right after its last entry is replaced by the new entry; otherwise the
 *     entry is inserted after the mapping's last entry, at its siblings' indentation. Missing
 *     intermediate mappings and lists (index 0, or an index equal to a list's size, which
 *     appends) are created.</li>
 * <li>delete: the lines of the entry (key line through the last line of its value) are
 *     removed; the last entry of a collection leaves {@code {}} / {@code []}.</li>
 * </ul>
 * The result of each operation is composed again before the next. At the end the result's data
 * is compared with the original data with the edits applied in memory (full structural
 * comparison; integers compared by value whatever their Java type); any difference is a
 * {@link YamlEditException}, so a wrong splice can never be written.
 *
 * <p>Not handled (clear error rather than a guess): paths through aliases ({@code *name}) or to
 * anchored values, complex ({@code ?}) keys, several documents in one file, tags other than
 * YAML 1.1's standard ones.
 */
public final class YamlTextEditor {

    /** One edit: set a path to a value, or delete it. */
    public sealed interface Op permits SetOp, DeleteOp {
        /** The path edited. */
        YamlPath path();
    }

    /**
     * Sets {@code path} to {@code value} (String, Boolean, Integer/Long/BigInteger, Double,
     * null, List, Map of those), creating missing keys.
     */
    public record SetOp(YamlPath path, Object value) implements Op {
    }

    /** Removes {@code path}; nothing when it is absent. */
    public record DeleteOp(YamlPath path) implements Op {
    }

    /**
     * The outcome of {@link #edit}.
     *
     * @param text    the edited text (identical to the input when nothing changed)
     * @param changed true when the data changed (then the text changed too)
     * @param before  the document's data before, normalised (see {@link #normalize})
     * @param after   the data after, normalised
     */
    public record Outcome(String text, boolean changed, Object before, Object after) {
    }

    private static final Pattern WS = Pattern.compile("[ \\t]*");

    private YamlTextEditor() {
    }

    /**
     * Applies {@code ops} in order to {@code text}.
     *
     * @param name a name for the text in messages (the file path)
     * @param text the YAML text, without a byte order mark; line breaks LF or CRLF
     * @throws YamlEditException when the text is not valid YAML, a path cannot be followed, or
     *                           the result would not re-parse to the intended data
     */
    public static Outcome edit(String name, String text, List<Op> ops) throws YamlEditException {
        Doc doc = Doc.parse(name, text);
        Object before = normalize(doc.data());
        Object expected = deepCopy(before);
        for (Op op : ops) {
            if (op instanceof SetOp s) {
                expected = DataOps.set(expected, s.path(), normalize(s.value()));
            } else {
                expected = DataOps.delete(expected, op.path());
            }
        }
        if (Objects.equals(emptyAsNull(before), emptyAsNull(expected))) {
            return new Outcome(text, false, before, before);
        }
        String cur = text;
        for (Op op : ops) {
            Doc d = Doc.parse(name, cur);
            String next = op instanceof SetOp s ? d.set(s.path(), s.value()) : d.delete(op.path());
            cur = next;
        }
        Doc result;
        try {
            result = Doc.parse(name, cur);
        } catch (YamlEditException e) {
            throw new YamlEditException(name + ": the edited text would not be valid YAML (" + e.getMessage()
                    + "); nothing written", e);
        }
        Object after = normalize(result.data());
        String diff = firstDifference("", emptyAsNull(expected), emptyAsNull(after));
        if (diff != null) {
            throw new YamlEditException(name + ": the edited text would not read back as intended (" + diff
                    + "); nothing written. Edit the file by hand or set a whole parent value instead.");
        }
        return new Outcome(cur, !cur.equals(text), before, after);
    }

    // ------------------------------------------------------------------ data side

    /**
     * A value in a comparable form: integers as {@link Long} (or {@link BigInteger} when too
     * large), floats as {@link Double}, binary as a {@code binary:<base64>} string, maps with
     * string keys (as {@link LinkedHashMap}), lists as {@link ArrayList}.
     */
    public static Object normalize(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof byte[] bytes) {
            return "binary:" + Base64.getEncoder().encodeToString(bytes);
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k instanceof String ? k : normalize(k), normalize(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) {
                out.add(normalize(x));
            }
            return out;
        }
        if (v instanceof Set<?> s) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Object x : s) {
                out.put(normalize(x), null);
            }
            return out;
        }
        return v;
    }

    private static Object deepCopy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, deepCopy(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) {
                out.add(deepCopy(x));
            }
            return out;
        }
        return v;
    }

    /** An empty document reads as null; deleting the last key of the root leaves one. */
    private static Object emptyAsNull(Object v) {
        return v instanceof Map<?, ?> m && m.isEmpty() ? null : v;
    }

    /** A description of the first place where {@code a} and {@code b} differ, or null when equal. */
    static String firstDifference(String at, Object a, Object b) {
        String where = at.isEmpty() ? "(root)" : at;
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            for (Object k : ma.keySet()) {
                if (!mb.containsKey(k)) {
                    return where + ": key '" + k + "' missing";
                }
                String d = firstDifference(at.isEmpty() ? String.valueOf(k) : at + "." + k, ma.get(k), mb.get(k));
                if (d != null) {
                    return d;
                }
            }
            for (Object k : mb.keySet()) {
                if (!ma.containsKey(k)) {
                    return where + ": unexpected key '" + k + "'";
                }
            }
            return null;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            if (la.size() != lb.size()) {
                return where + ": " + la.size() + " items expected, " + lb.size() + " found";
            }
            for (int i = 0; i < la.size(); i++) {
                String d = firstDifference(at + "[" + i + "]", la.get(i), lb.get(i));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (Objects.equals(a, b)) {
            return null;
        }
        return where + ": expected " + describe(a) + ", found " + describe(b);
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof List) {
            return "a list";
        }
        return v.getClass().getSimpleName().toLowerCase() + " '" + v + "'";
    }

    /** The in-memory twin of the text operations, giving the data the text must read back as. */
    static final class DataOps {
        private DataOps() {
        }

        static Object set(Object root, YamlPath path, Object value) throws YamlEditException {
            List<Object> segs = path.segments();
            if (root == null) {
                root = segs.get(0) instanceof Integer ? new ArrayList<>() : new LinkedHashMap<>();
            }
            Object holder = root;
            for (int k = 0; k < segs.size(); k++) {
                Object seg = segs.get(k);
                boolean last = k == segs.size() - 1;
                Object next = last ? null : segs.get(k + 1);
                if (seg instanceof String key) {
                    Map<Object, Object> m = asMap(holder, path, k);
                    Object realKey = findKey(m, key);
                    if (last) {
                        m.put(realKey == null ? key : realKey, value);
                    } else {
                        Object child = realKey == null ? null : m.get(realKey);
                        if (child == null) {
                            child = next instanceof Integer ? new ArrayList<>() : new LinkedHashMap<>();
                            m.put(realKey == null ? key : realKey, child);
                        }
                        holder = child;
                    }
                } else {
                    int idx = (Integer) seg;
                    List<Object> l = asList(holder, path, k);
                    if (idx > l.size()) {
                        throw new YamlEditException("path " + path + ": " + path.prefix(k) + " has " + l.size()
                                + " items; index " + idx + " is out of range (use " + l.size() + " to append)");
                    }
                    if (last) {
                        if (idx == l.size()) {
                            l.add(value);
                        } else {
                            l.set(idx, value);
                        }
                    } else {
                        Object child = idx < l.size() ? l.get(idx) : null;
                        if (child == null) {
                            child = next instanceof Integer ? new ArrayList<>() : new LinkedHashMap<>();
                            if (idx == l.size()) {
                                l.add(child);
                            } else {
                                l.set(idx, child);
                            }
                        }
                        holder = child;
                    }
                }
            }
            return root;
        }

        static Object delete(Object root, YamlPath path) throws YamlEditException {
            List<Object> segs = path.segments();
            Object holder = root;
            for (int k = 0; k < segs.size(); k++) {
                if (holder == null) {
                    return root;
                }
                Object seg = segs.get(k);
                boolean last = k == segs.size() - 1;
                if (seg instanceof String key) {
                    if (!(holder instanceof Map)) {
                        asMap(holder, path, k);
                    }
                    @SuppressWarnings("unchecked")
                    Map<Object, Object> m = (Map<Object, Object>) holder;
                    Object realKey = findKey(m, key);
                    if (realKey == null) {
                        return root;
                    }
                    if (last) {
                        m.remove(realKey);
                    } else {
                        holder = m.get(realKey);
                    }
                } else {
                    List<Object> l = asList(holder, path, k);
                    int idx = (Integer) seg;
                    if (idx >= l.size()) {
                        return root;
                    }
                    if (last) {
                        l.remove(idx);
                    } else {
                        holder = l.get(idx);
                    }
                }
            }
            return root;
        }

        private static Object findKey(Map<Object, Object> m, String key) {
            if (m.containsKey(key)) {
                return key;
            }
            for (Object k : m.keySet()) {
                if (String.valueOf(k).equals(key)) {
                    return k;
                }
            }
            return null;
        }

        @SuppressWarnings("unchecked")
        private static Map<Object, Object> asMap(Object holder, YamlPath path, int k) throws YamlEditException {
            if (holder instanceof Map) {
                return (Map<Object, Object>) holder;
            }
            throw new YamlEditException("path " + path + ": " + path.prefix(k) + " is " + describe(holder)
                    + ", not a mapping, so it has no key '" + path.segments().get(k) + "'");
        }

        @SuppressWarnings("unchecked")
        private static List<Object> asList(Object holder, YamlPath path, int k) throws YamlEditException {
            if (holder instanceof List) {
                return (List<Object>) holder;
            }
            throw new YamlEditException("path " + path + ": " + path.prefix(k) + " is " + describe(holder)
                    + ", not a list, so it has no index [" + path.segments().get(k) + "]");
        }
    }

    // ------------------------------------------------------------------ text side

    /** Where a value sits: in a mapping (tuple) or a sequence (index); null parent for the root. */
    private record Slot(Node parent, NodeTuple tuple, int index) {
    }

    /** The result of following a path: found, or stopped at {@code depth} in {@code node}. */
    private record Walk(boolean found, Node node, Slot slot, int depth) {
    }

    /** One composed text with index helpers. */
    private static final class Doc {
        private final String name;
        private final String text;
        private final Node root;
        private final int[] cpToChar;
        private final Set<Node> shared;
        private final String nl;
        private int step = -1;

        private Doc(String name, String text, Node root) {
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

        static Doc parse(String name, String text) throws YamlEditException {
            try {
                return new Doc(name, text, SafeYaml.compose(name, text));
            } catch (RingplanException e) {
                throw new YamlEditException(name + " is not valid YAML: " + e.getMessage(), e);
            }
        }

        Object data() {
            return SafeYaml.toJava(root);
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

        // ---- positions

        int pos(Mark m) {
            int i = m.getIndex();
            return cpToChar == null ? i : cpToChar[i];
        }

        int start(Node n) {
            return pos(n.getStartMark());
        }

        int end(Node n) {
            return pos(n.getEndMark());
        }

        int lineStart(int i) {
            int j = i;
            while (j > 0 && text.charAt(j - 1) != '\n') {
                j--;
            }
            return j;
        }

        int lineEnd(int i) {
            int j = i;
            while (j < text.length() && text.charAt(j) != '\n' && text.charAt(j) != '\r') {
                j++;
            }
            return j;
        }

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

        int col(int i) {
            return i - lineStart(i);
        }

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

        static boolean isFlow(Node n) {
            return n instanceof MappingNode m ? m.getFlowStyle() == DumperOptions.FlowStyle.FLOW
                    : n instanceof SequenceNode s && s.getFlowStyle() == DumperOptions.FlowStyle.FLOW;
        }

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

        // ---- walking

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

        /** The value to write at segment {@code from} so that the rest of {@code path} leads to {@code value}. */
        private Object build(YamlPath path, int from, Object value) throws YamlEditException {
            Object v = value;
            List<Object> segs = path.segments();
            for (int k = segs.size() - 1; k >= from; k--) {
                Object seg = segs.get(k);
                if (seg instanceof String key) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put(key, v);
                    v = m;
                } else {
                    if ((Integer) seg != 0) {
                        throw new YamlEditException(name + ": path " + path + ": " + path.prefix(k)
                                + " does not exist, so only index [0] can create it");
                    }
                    List<Object> l = new ArrayList<>();
                    l.add(v);
                    v = l;
                }
            }
            return v;
        }

        // ---- set

        String set(YamlPath path, Object value) throws YamlEditException {
            Walk w = walk(path);
            if (w.found()) {
                if (Objects.equals(normalize(SafeYaml.toJava(w.node())), normalize(value))) {
                    return text;
                }
                return replaceValue(w.slot(), w.node(), value);
            }
            if (isNull(w.node())) {
                Object nested = build(path, w.depth(), value);
                if (w.slot() == null) {
                    return appendToEmptyDocument(nested);
                }
                return replaceValue(w.slot(), w.node(), nested);
            }
            Object rest = build(path, w.depth() + 1, value);
            if (w.node() instanceof MappingNode m) {
                return insertEntry(m, (String) path.segments().get(w.depth()), rest);
            }
            return appendItem((SequenceNode) w.node(), rest);
        }

        private String splice(int from, int to, String with) {
            return text.substring(0, from) + with + text.substring(to);
        }

        /** Position right after the {@code :} that follows a mapping key. */
        private int afterColon(Node key) throws YamlEditException {
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

        private static YamlRender.Quote quoteOf(Node old) {
            if (old instanceof ScalarNode s) {
                if (s.getScalarStyle() == DumperOptions.ScalarStyle.DOUBLE_QUOTED) {
                    return YamlRender.Quote.DOUBLE;
                }
                if (s.getScalarStyle() == DumperOptions.ScalarStyle.SINGLE_QUOTED) {
                    return YamlRender.Quote.SINGLE;
                }
            }
            return YamlRender.Quote.ANY;
        }

        private boolean inFlow(Slot slot) {
            return slot != null && isFlow(slot.parent());
        }

        /** Replaces the value {@code old} held by {@code slot} with {@code value}. */
        private String replaceValue(Slot slot, Node old, Object value) throws YamlEditException {
            boolean inMap = slot.tuple() != null;
            boolean newBlock = !YamlRender.isScalar(value) && !YamlRender.isEmptyCollection(value);
            if (inFlow(slot)) {
                // inside a flow collection everything is flow
                String r = flowValue(value);
                return splice(start(old), end(old), (start(old) == end(old) ? " " : "") + r);
            }
            if (isFlow(old)) {
                String r = YamlRender.isScalar(value) ? YamlRender.scalar(value, YamlRender.Quote.ANY) : YamlRender.flow(value);
                return splice(start(old), end(old), r);
            }
            if (old instanceof ScalarNode) {
                int s = start(old);
                int e = leafEnd(old);
                if (!newBlock) {
                    String r = YamlRender.isScalar(value) ? YamlRender.scalar(value, quoteOf(old))
                            : (value instanceof List ? "[]" : "{}");
                    return splice(s, e, (s == e ? " " : "") + r);
                }
                if (inMap) {
                    int keyCol = col(start(slot.tuple().getKeyNode()));
                    StringBuilder b = new StringBuilder();
                    YamlRender.valueAfterKey(value, keyCol, step(), nl, b);
                    return splice(afterColon(slot.tuple().getKeyNode()), e, b.toString());
                }
                int itemCol = s == e ? dashBefore(s) + 2 : col(s);
                return splice(s, e, (s == e ? " " : "") + YamlRender.block(value, itemCol, step(), nl));
            }
            // old is a block collection
            int e = leafEnd(old);
            if (newBlock) {
                return splice(start(old), e, YamlRender.block(value, col(start(old)), step(), nl));
            }
            String r = YamlRender.isScalar(value) ? YamlRender.scalar(value, YamlRender.Quote.ANY)
                    : (value instanceof List ? "[]" : "{}");
            if (inMap) {
                return splice(afterColon(slot.tuple().getKeyNode()), e, " " + r);
            }
            return splice(start(old), e, r);
        }

        private int dashBefore(int i) throws YamlEditException {
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

        private int dashPos(int i) throws YamlEditException {
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

        /** A value inside a flow collection: scalars quoted for flow context. */
        private static String flowValue(Object v) {
            if (v == null) {
                return "null";
            }
            String r = YamlRender.flow(List.of(v));
            return r.substring(1, r.length() - 1);
        }

        private static String flowEntry(String key, Object v) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(key, v);
            String r = YamlRender.flow(m);
            return r.substring(1, r.length() - 1);
        }

        private String appendToEmptyDocument(Object nested) {
            String body = YamlRender.block(nested, 0, step(), nl);
            if (text.isEmpty()) {
                return body + nl;
            }
            // an empty document may still hold comments, or an explicit null ("~", "null"): replace a value, keep comments
            if (root != null && start(root) != end(root)) {
                return splice(start(root), end(root), body);
            }
            boolean endsWithBreak = text.endsWith("\n") || text.endsWith("\r");
            return text + (endsWithBreak ? "" : nl) + body + (endsWithBreak ? nl : "");
        }

        private String insertEntry(MappingNode m, String key, Object value) throws YamlEditException {
            List<NodeTuple> entries = m.getValue();
            if (isFlow(m)) {
                String entry = flowEntry(key, value);
                if (entries.isEmpty()) {
                    int close = end(m) - 1;
                    while (close > start(m) && text.charAt(close) != '}') {
                        close--;
                    }
                    return splice(close, close, entry);
                }
                int at = end(entries.get(entries.size() - 1).getValueNode());
                return splice(at, at, ", " + entry);
            }
            int c = col(start(entries.get(0).getKeyNode()));
            StringBuilder entry = new StringBuilder(YamlRender.key(key)).append(':');
            YamlRender.valueAfterKey(value, c, step(), nl, entry);
            int example = commentedExample(m, key, c);
            if (example >= 0) {
                return splice(example, lineEnd(example), " ".repeat(c) + entry);
            }
            int at = lineEnd(leafEnd(entries.get(entries.size() - 1).getValueNode()));
            // comment lines indented deeper than the siblings belong to the last entry's value: keep them with it
            while (at < text.length()) {
                int next = nextLineStart(at);
                String line = text.substring(next, lineEnd(next));
                String body = line.stripLeading();
                if (next >= text.length() || !body.startsWith("#") || line.length() - body.length() <= c) {
                    break;
                }
                at = lineEnd(next);
            }
            return splice(at, at, nl + " ".repeat(c) + entry);
        }

        /**
         * Start of a comment line {@code <c spaces>#[spaces]key:[ value]} that lies between
         * entries of {@code m} (or before its first entry at the top of the document, or among the
         * comment lines right after its last entry), or -1.
         */
        private int commentedExample(MappingNode m, String key, int c) throws YamlEditException {
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

        private String appendItem(SequenceNode s, Object value) throws YamlEditException {
            List<Node> items = s.getValue();
            if (isFlow(s)) {
                String r = flowValue(value);
                if (items.isEmpty()) {
                    int close = end(s) - 1;
                    while (close > start(s) && text.charAt(close) != ']') {
                        close--;
                    }
                    return splice(close, close, r);
                }
                int at = end(items.get(items.size() - 1));
                return splice(at, at, ", " + r);
            }
            int dashCol = col(start(s));
            int at = lineEnd(leafEnd(s));
            return splice(at, at, nl + " ".repeat(dashCol) + "- " + YamlRender.block(value, dashCol + 2, step(), nl));
        }

        // ---- delete

        String delete(YamlPath path) throws YamlEditException {
            Walk w = walk(path);
            if (!w.found()) {
                return text;
            }
            Slot slot = w.slot();
            Node parent = slot.parent();
            if (parent instanceof MappingNode m) {
                List<NodeTuple> entries = m.getValue();
                int i = entries.indexOf(slot.tuple());
                if (entries.size() == 1) {
                    return emptyParent(path, m, slot.tuple().getKeyNode(), Map.of());
                }
                if (isFlow(m)) {
                    if (i < entries.size() - 1) {
                        return splice(start(entries.get(i).getKeyNode()), start(entries.get(i + 1).getKeyNode()), "");
                    }
                    return splice(end(entries.get(i - 1).getValueNode()), end(entries.get(i).getValueNode()), "");
                }
                Node key = slot.tuple().getKeyNode();
                int e = leafEnd(slot.tuple().getValueNode());
                if (firstOnLine(start(key))) {
                    return deleteLines(lineStart(start(key)), e);
                }
                return splice(start(key), start(entries.get(i + 1).getKeyNode()), "");
            }
            SequenceNode s = (SequenceNode) parent;
            List<Node> items = s.getValue();
            int i = slot.index();
            if (items.size() == 1) {
                return emptyParent(path, s, items.get(0), List.of());
            }
            if (isFlow(s)) {
                if (i < items.size() - 1) {
                    return splice(start(items.get(i)), start(items.get(i + 1)), "");
                }
                return splice(end(items.get(i - 1)), end(items.get(i)), "");
            }
            int dash = dashPos(start(items.get(i)));
            int e = leafEnd(items.get(i));
            if (firstOnLine(dash)) {
                return deleteLines(lineStart(dash), e);
            }
            return splice(dash, dashPos(start(items.get(i + 1))), "");
        }

        private String deleteLines(int from, int lastCharEnd) {
            int to = nextLineStart(lastCharEnd);
            return splice(from, to, "");
        }

        /** Deleting the only entry: the collection becomes empty ({} or []). */
        private String emptyParent(YamlPath path, Node collection, Node firstNode, Object empty) throws YamlEditException {
            if (isFlow(collection)) {
                return splice(start(collection), end(collection), empty instanceof List ? "[]" : "{}");
            }
            if (collection == root) {
                // the document keeps its comments and loses its only entry
                int s = collection instanceof SequenceNode ? dashPos(start(firstNode)) : start(firstNode);
                return splice(lineStart(s), nextLineStart(leafEnd(collection)), "");
            }
            List<Object> parentSegs = path.segments().subList(0, path.size() - 1);
            YamlPath parentPath = YamlPath.parse(pathText(parentSegs));
            Walk pw = walk(parentPath);
            return replaceValue(pw.slot(), pw.node(), empty);
        }

        private static String pathText(List<Object> segs) {
            StringBuilder b = new StringBuilder();
            for (Object s : segs) {
                if (s instanceof Integer i) {
                    b.append('[').append(i).append(']');
                } else {
                    if (b.length() > 0) {
                        b.append('.');
                    }
                    String k = (String) s;
                    if (k.contains(".") || k.contains("[") || k.contains("]")) {
                        b.setLength(b.length() - (b.length() > 0 && b.charAt(b.length() - 1) == '.' ? 1 : 0));
                        b.append("[\"").append(k).append("\"]");
                    } else {
                        b.append(k);
                    }
                }
            }
            return b.toString();
        }
    }
}
