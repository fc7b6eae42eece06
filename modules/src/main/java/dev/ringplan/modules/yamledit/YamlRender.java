package dev.ringplan.modules.yamledit;

import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Turns Java values into YAML text fragments for {@link YamlTextEditor}, never by pasting user
 * text: every scalar goes through snakeyaml's emitter, which quotes a string when it would
 * otherwise read back as something else (a number, a boolean such as {@code yes}, null,
 * {@code ~}), or when it holds {@code ": "}, {@code " #"}, a leading indicator ({@code -},
 * {@code [}, {@code &}, {@code *}...), leading/trailing spaces, or is empty. Strings holding a line
 * break or a character the emitter would not write on one line are written double-quoted with
 * escapes, so every fragment of a scalar is a single line.
 *
 * <p>Values: {@link String}, {@link Boolean}, integers ({@link Integer}, {@link Long},
 * {@link java.math.BigInteger}), floating point numbers, null, {@link List} and {@link Map}
 * (string-like keys) of those.
 */
final class YamlRender {
    private YamlRender() {
    }

    /** How a string scalar should be quoted: as the emitter likes, or in the given quotes when possible. */
    enum Quote { ANY, SINGLE, DOUBLE }

    /** True for a value rendered as a scalar (not a list or a mapping). */
    static boolean isScalar(Object v) {
        return !(v instanceof List) && !(v instanceof Map);
    }

    /** True for an empty list or mapping, which block style cannot express (written {@code []} / {@code {}}). */
    static boolean isEmptyCollection(Object v) {
        return (v instanceof List<?> l && l.isEmpty()) || (v instanceof Map<?, ?> m && m.isEmpty());
    }

    /**
     * A scalar as one line of YAML in block context.
     *
     * @param v     a scalar value (not a list or a mapping)
     * @param quote the quoting wished for a string value; ignored for other types, which are
     *              written plain so they keep their type
     */
    static String scalar(Object v, Quote quote) {
        if (v == null) {
            return "null";
        }
        if (!isScalar(v)) {
            throw new IllegalArgumentException("not a scalar: " + v.getClass().getSimpleName());
        }
        if (!(v instanceof String s)) {
            return oneLine(dump(v, DumperOptions.ScalarStyle.PLAIN, DumperOptions.FlowStyle.BLOCK), v);
        }
        DumperOptions.ScalarStyle style = switch (quote) {
            case ANY -> DumperOptions.ScalarStyle.PLAIN;
            case SINGLE -> DumperOptions.ScalarStyle.SINGLE_QUOTED;
            case DOUBLE -> DumperOptions.ScalarStyle.DOUBLE_QUOTED;
        };
        String out = stripEnd(dump(s, style, DumperOptions.FlowStyle.BLOCK));
        if (out.indexOf('\n') >= 0 || out.indexOf('\r') >= 0 || out.startsWith("|") || out.startsWith(">")) {
            out = dump(s, DumperOptions.ScalarStyle.DOUBLE_QUOTED, DumperOptions.FlowStyle.BLOCK);
        }
        return oneLine(out, v);
    }

    /** A list or mapping (or scalar) in flow style on one line, e.g. {@code [a, 'b, c']}, {@code {k: 1}}. */
    static String flow(Object v) {
        String out = dump(v, DumperOptions.ScalarStyle.PLAIN, DumperOptions.FlowStyle.FLOW);
        return oneLine(out, v);
    }

    /**
     * A value in block style whose first line starts at column {@code col} (the caller has put
     * the text before it there), later lines indented with spaces; no trailing line break.
     * Scalars and empty collections give one line; nested collections are indented by {@code step}
     * under their key, list items by two columns after their dash.
     *
     * @param nl the line break to use between lines
     */
    static String block(Object v, int col, int step, String nl) {
        StringBuilder b = new StringBuilder();
        block(v, col, step, nl, b);
        return b.toString();
    }

    private static void block(Object v, int col, int step, String nl, StringBuilder b) {
        if (v instanceof Map<?, ?> m && !m.isEmpty()) {
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(nl).append(" ".repeat(col));
                }
                first = false;
                b.append(key(e.getKey())).append(':');
                valueAfterKey(e.getValue(), col, step, nl, b);
            }
        } else if (v instanceof List<?> l && !l.isEmpty()) {
            boolean first = true;
            for (Object item : l) {
                if (!first) {
                    b.append(nl).append(" ".repeat(col));
                }
                first = false;
                b.append("- ");
                block(item, col + 2, step, nl, b);
            }
        } else if (isEmptyCollection(v)) {
            b.append(v instanceof List ? "[]" : "{}");
        } else {
            b.append(scalar(v, Quote.ANY));
        }
    }

    /** Appends what follows {@code key:} for {@code v}: {@code " scalar"} or a line break and an indented block. */
    static void valueAfterKey(Object v, int keyCol, int step, String nl, StringBuilder b) {
        if (isScalar(v) || isEmptyCollection(v)) {
            b.append(' ');
            block(v, keyCol, step, nl, b);
        } else {
            b.append(nl).append(" ".repeat(keyCol + step));
            block(v, keyCol + step, step, nl, b);
        }
    }

    /** A mapping key as a simple key: plain when possible, else quoted on one line. */
    static String key(Object k) {
        return scalar(k instanceof String ? k : String.valueOf(k), Quote.ANY);
    }

    private static String dump(Object v, DumperOptions.ScalarStyle style, DumperOptions.FlowStyle flow) {
        DumperOptions o = new DumperOptions();
        o.setDefaultScalarStyle(style);
        o.setDefaultFlowStyle(flow);
        o.setSplitLines(false);
        o.setWidth(Integer.MAX_VALUE / 2);
        o.setAllowUnicode(true);
        o.setLineBreak(DumperOptions.LineBreak.UNIX);
        return new Yaml(o).dump(v);
    }

    /** Drops the line break (and an open-ended document's "...") the emitter ends a document with. */
    private static String stripEnd(String dumped) {
        String s = dumped;
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith("\n...")) {
            s = s.substring(0, s.length() - 4);
        }
        return s;
    }

    private static String oneLine(String dumped, Object v) {
        String s = stripEnd(dumped);
        if (s.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("cannot write value on one line: " + v);
        }
        return s;
    }
}
