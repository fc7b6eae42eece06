package dev.ringplan.modules.yamledit;

import dev.ringplan.engine.yaml.SafeYaml;
import dev.ringplan.modules.yamledit.YamlTextDoc.Slot;
import dev.ringplan.modules.yamledit.YamlTextDoc.Walk;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The text operations of {@link YamlTextEditor} on one composed text: set a path (replace a
 * value, fill a commented-out example, insert an entry or list item, create missing parents) or
 * delete it, each as one splice of the text. Where things are comes from {@link YamlTextDoc}, how
 * values are written from {@link YamlRender}. Each call returns a new text; the document is not
 * changed.
 */
final class YamlTextEdits {
    private final YamlTextDoc doc;
    private final String name;
    private final String text;
    private final Node root;
    private final String nl;

    /** Edits of {@code doc}'s text. */
    YamlTextEdits(YamlTextDoc doc) {
        this.doc = doc;
        this.name = doc.name();
        this.text = doc.text();
        this.root = doc.root();
        this.nl = doc.nl();
    }

    /**
     * The text with {@code path} set to {@code value} (see {@link YamlTextEditor} for where and
     * how); the same text when the value is already there.
     *
     * @throws YamlEditException when the path cannot be followed or created
     */
    String set(YamlPath path, Object value) throws YamlEditException {
        Walk w = doc.walk(path);
        if (w.found()) {
            if (Objects.equals(YamlData.normalize(SafeYaml.toJava(w.node())), YamlData.normalize(value))) {
                return text;
            }
            return replaceValue(w.slot(), w.node(), value);
        }
        if (YamlTextDoc.isNull(w.node())) {
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

    /**
     * The text without {@code path}'s entry; the same text when it is absent.
     *
     * @throws YamlEditException when the path cannot be followed
     */
    String delete(YamlPath path) throws YamlEditException {
        Walk w = doc.walk(path);
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
            if (YamlTextDoc.isFlow(m)) {
                if (i < entries.size() - 1) {
                    return splice(doc.start(entries.get(i).getKeyNode()), doc.start(entries.get(i + 1).getKeyNode()), "");
                }
                return splice(doc.end(entries.get(i - 1).getValueNode()), doc.end(entries.get(i).getValueNode()), "");
            }
            Node key = slot.tuple().getKeyNode();
            int e = doc.leafEnd(slot.tuple().getValueNode());
            if (doc.firstOnLine(doc.start(key))) {
                return deleteLines(doc.lineStart(doc.start(key)), e);
            }
            return splice(doc.start(key), doc.start(entries.get(i + 1).getKeyNode()), "");
        }
        SequenceNode s = (SequenceNode) parent;
        List<Node> items = s.getValue();
        int i = slot.index();
        if (items.size() == 1) {
            return emptyParent(path, s, items.get(0), List.of());
        }
        if (YamlTextDoc.isFlow(s)) {
            if (i < items.size() - 1) {
                return splice(doc.start(items.get(i)), doc.start(items.get(i + 1)), "");
            }
            return splice(doc.end(items.get(i - 1)), doc.end(items.get(i)), "");
        }
        int dash = doc.dashPos(doc.start(items.get(i)));
        int e = doc.leafEnd(items.get(i));
        if (doc.firstOnLine(dash)) {
            return deleteLines(doc.lineStart(dash), e);
        }
        return splice(dash, doc.dashPos(doc.start(items.get(i + 1))), "");
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

    /** The text with {@code [from, to)} replaced by {@code with}. */
    private String splice(int from, int to, String with) {
        return text.substring(0, from) + with + text.substring(to);
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
        return slot != null && YamlTextDoc.isFlow(slot.parent());
    }

    /** Replaces the value {@code old} held by {@code slot} with {@code value}. */
    private String replaceValue(Slot slot, Node old, Object value) throws YamlEditException {
        boolean inMap = slot.tuple() != null;
        boolean newBlock = !YamlRender.isScalar(value) && !YamlRender.isEmptyCollection(value);
        if (inFlow(slot)) {
            // inside a flow collection everything is flow
            String r = flowValue(value);
            return splice(doc.start(old), doc.end(old), (doc.start(old) == doc.end(old) ? " " : "") + r);
        }
        if (YamlTextDoc.isFlow(old)) {
            String r = YamlRender.isScalar(value) ? YamlRender.scalar(value, YamlRender.Quote.ANY) : YamlRender.flow(value);
            return splice(doc.start(old), doc.end(old), r);
        }
        if (old instanceof ScalarNode) {
            int s = doc.start(old);
            int e = doc.leafEnd(old);
            if (!newBlock) {
                String r = YamlRender.isScalar(value) ? YamlRender.scalar(value, quoteOf(old))
                        : (value instanceof List ? "[]" : "{}");
                return splice(s, e, (s == e ? " " : "") + r);
            }
            if (inMap) {
                int keyCol = doc.col(doc.start(slot.tuple().getKeyNode()));
                StringBuilder b = new StringBuilder();
                YamlRender.valueAfterKey(value, keyCol, doc.step(), nl, b);
                return splice(doc.afterColon(slot.tuple().getKeyNode()), e, b.toString());
            }
            int itemCol = s == e ? doc.dashBefore(s) + 2 : doc.col(s);
            return splice(s, e, (s == e ? " " : "") + YamlRender.block(value, itemCol, doc.step(), nl));
        }
        // old is a block collection
        int e = doc.leafEnd(old);
        if (newBlock) {
            return splice(doc.start(old), e, YamlRender.block(value, doc.col(doc.start(old)), doc.step(), nl));
        }
        String r = YamlRender.isScalar(value) ? YamlRender.scalar(value, YamlRender.Quote.ANY)
                : (value instanceof List ? "[]" : "{}");
        if (inMap) {
            return splice(doc.afterColon(slot.tuple().getKeyNode()), e, " " + r);
        }
        return splice(doc.start(old), e, r);
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
        String body = YamlRender.block(nested, 0, doc.step(), nl);
        if (text.isEmpty()) {
            return body + nl;
        }
        // an empty document may still hold comments, or an explicit null ("~", "null"): replace a value, keep comments
        if (root != null && doc.start(root) != doc.end(root)) {
            return splice(doc.start(root), doc.end(root), body);
        }
        boolean endsWithBreak = text.endsWith("\n") || text.endsWith("\r");
        return text + (endsWithBreak ? "" : nl) + body + (endsWithBreak ? nl : "");
    }

    private String insertEntry(MappingNode m, String key, Object value) throws YamlEditException {
        List<NodeTuple> entries = m.getValue();
        if (YamlTextDoc.isFlow(m)) {
            String entry = flowEntry(key, value);
            if (entries.isEmpty()) {
                int close = doc.end(m) - 1;
                while (close > doc.start(m) && text.charAt(close) != '}') {
                    close--;
                }
                return splice(close, close, entry);
            }
            int at = doc.end(entries.get(entries.size() - 1).getValueNode());
            return splice(at, at, ", " + entry);
        }
        int c = doc.col(doc.start(entries.get(0).getKeyNode()));
        StringBuilder entry = new StringBuilder(YamlRender.key(key)).append(':');
        YamlRender.valueAfterKey(value, c, doc.step(), nl, entry);
        int example = doc.commentedExample(m, key, c);
        if (example >= 0) {
            return splice(example, doc.lineEnd(example), " ".repeat(c) + entry);
        }
        int at = doc.lineEnd(doc.leafEnd(entries.get(entries.size() - 1).getValueNode()));
        // comment lines indented deeper than the siblings belong to the last entry's value: keep them with it
        while (at < text.length()) {
            int next = doc.nextLineStart(at);
            String line = text.substring(next, doc.lineEnd(next));
            String body = line.stripLeading();
            if (next >= text.length() || !body.startsWith("#") || line.length() - body.length() <= c) {
                break;
            }
            at = doc.lineEnd(next);
        }
        return splice(at, at, nl + " ".repeat(c) + entry);
    }

    private String appendItem(SequenceNode s, Object value) throws YamlEditException {
        List<Node> items = s.getValue();
        if (YamlTextDoc.isFlow(s)) {
            String r = flowValue(value);
            if (items.isEmpty()) {
                int close = doc.end(s) - 1;
                while (close > doc.start(s) && text.charAt(close) != ']') {
                    close--;
                }
                return splice(close, close, r);
            }
            int at = doc.end(items.get(items.size() - 1));
            return splice(at, at, ", " + r);
        }
        int dashCol = doc.col(doc.start(s));
        int at = doc.lineEnd(doc.leafEnd(s));
        return splice(at, at, nl + " ".repeat(dashCol) + "- " + YamlRender.block(value, dashCol + 2, doc.step(), nl));
    }

    private String deleteLines(int from, int lastCharEnd) {
        int to = doc.nextLineStart(lastCharEnd);
        return splice(from, to, "");
    }

    /** Deleting the only entry: the collection becomes empty ({} or []). */
    private String emptyParent(YamlPath path, Node collection, Node firstNode, Object empty) throws YamlEditException {
        if (YamlTextDoc.isFlow(collection)) {
            return splice(doc.start(collection), doc.end(collection), empty instanceof List ? "[]" : "{}");
        }
        if (collection == root) {
            // the document keeps its comments and loses its only entry
            int s = collection instanceof SequenceNode ? doc.dashPos(doc.start(firstNode)) : doc.start(firstNode);
            return splice(doc.lineStart(s), doc.nextLineStart(doc.leafEnd(collection)), "");
        }
        List<Object> parentSegs = path.segments().subList(0, path.size() - 1);
        YamlPath parentPath = YamlPath.parse(pathText(parentSegs));
        Walk pw = doc.walk(parentPath);
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
