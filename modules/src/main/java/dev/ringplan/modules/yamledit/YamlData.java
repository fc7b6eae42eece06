package dev.ringplan.modules.yamledit;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The data side of {@link YamlTextEditor}: values in a comparable form ({@link #normalize}), the
 * in-memory twin of the text operations ({@link #set}, {@link #delete}) giving the data an edited
 * text must read back as, and the structural comparison that names the first difference.
 */
final class YamlData {
    private YamlData() {
    }

    /**
     * A value in a comparable form: integers as {@link Long} (or {@link BigInteger} when too
     * large), floats as {@link Double}, binary as a {@code binary:<base64>} string, maps with
     * string keys (as {@link LinkedHashMap}), lists as {@link ArrayList}.
     */
    static Object normalize(Object v) {
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

    /** A copy of nested maps and lists (leaves shared), to apply edits to. */
    static Object deepCopy(Object v) {
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
    static Object emptyAsNull(Object v) {
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

    /**
     * Sets {@code path} to {@code value} in {@code root} (modified in place; a new root when it is
     * null), creating missing mappings and lists as the text operation does.
     *
     * @throws YamlEditException when a step is of the wrong kind or an index is out of range
     */
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

    /**
     * Removes {@code path} from {@code root} (in place); nothing when it is absent.
     *
     * @throws YamlEditException when a step is of the wrong kind
     */
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
