package dev.ringplan.modules.yamledit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A path to a value inside a YAML document, as {@code yaml_edit} accepts it: mapping keys
 * separated by dots, list indexes in brackets, e.g. {@code cluster_name},
 * {@code server_encryption_options.internode_encryption},
 * {@code seed_provider[0].parameters[0].seeds}, {@code data_file_directories[1]}.
 *
 * <p>A key is any run of characters other than {@code .}, {@code [} and {@code ]}, compared
 * with the mapping key's text exactly (no trimming, case-sensitive). A key that contains one of
 * those characters can be written in brackets with quotes: {@code ["a.b"]} or {@code ['a.b']}
 * (no escapes inside). Indexes are non-negative decimal integers.
 */
public final class YamlPath {
    private final String text;
    private final List<Object> segments;

    private YamlPath(String text, List<Object> segments) {
        this.text = text;
        this.segments = Collections.unmodifiableList(segments);
    }

    /**
     * Parses {@code text}.
     *
     * @return the path; its segments are {@link String} keys and {@link Integer} indexes
     * @throws IllegalArgumentException naming the problem and its column when {@code text} is not a path
     */
    public static YamlPath parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        List<Object> segs = new ArrayList<>();
        int i = 0;
        int n = text.length();
        boolean expectKey = true;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '[') {
                int close = text.indexOf(']', i);
                if (close < 0) {
                    throw bad(text, i, "'[' without ']'");
                }
                String inner = text.substring(i + 1, close);
                if (inner.length() >= 2 && (inner.charAt(0) == '"' || inner.charAt(0) == '\'')
                        && inner.charAt(inner.length() - 1) == inner.charAt(0)) {
                    segs.add(inner.substring(1, inner.length() - 1));
                } else if (inner.matches("\\d{1,9}")) {
                    segs.add(Integer.parseInt(inner));
                } else {
                    throw bad(text, i, "expected a list index like [0] or a quoted key like [\"a.b\"], got [" + inner + "]");
                }
                i = close + 1;
                expectKey = false;
            } else if (c == '.') {
                if (expectKey || i + 1 >= n) {
                    throw bad(text, i, "empty key");
                }
                i++;
                expectKey = true;
                if (text.charAt(i) == '.' || text.charAt(i) == '[') {
                    throw bad(text, i, "empty key");
                }
            } else if (c == ']') {
                throw bad(text, i, "']' without '['");
            } else {
                if (!expectKey) {
                    throw bad(text, i, "expected '.' or '[' after ']'");
                }
                int j = i;
                while (j < n && text.charAt(j) != '.' && text.charAt(j) != '[' && text.charAt(j) != ']') {
                    j++;
                }
                segs.add(text.substring(i, j));
                i = j;
                expectKey = false;
            }
        }
        return new YamlPath(text, segs);
    }

    private static IllegalArgumentException bad(String text, int at, String why) {
        return new IllegalArgumentException("bad path '" + text + "' at column " + (at + 1) + ": " + why);
    }

    /** The segments: {@link String} keys and {@link Integer} indexes, in order from the root. */
    public List<Object> segments() {
        return segments;
    }

    /** Number of segments. */
    public int size() {
        return segments.size();
    }

    /** The path as written. */
    @Override
    public String toString() {
        return text;
    }

    /** The path as written by a user, for messages: the first {@code count} segments. */
    public String prefix(int count) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < count && k < segments.size(); k++) {
            Object s = segments.get(k);
            if (s instanceof Integer idx) {
                b.append('[').append(idx).append(']');
            } else {
                String key = (String) s;
                boolean plain = !key.isEmpty() && key.indexOf('.') < 0 && key.indexOf('[') < 0 && key.indexOf(']') < 0;
                if (plain) {
                    if (b.length() > 0) {
                        b.append('.');
                    }
                    b.append(key);
                } else {
                    b.append("[\"").append(key).append("\"]");
                }
            }
        }
        return b.length() == 0 ? "(root)" : b.toString();
    }
}
