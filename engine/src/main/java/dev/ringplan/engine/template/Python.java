package dev.ringplan.engine.template;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code str()} and {@code repr()} of the plain values templates handle, so that
 * values printed inside strings look as they do in Ansible: {@code True}/{@code False},
 * {@code None}, {@code ['a', 1]}, {@code {'k': 'v'}}. Also turns Jinjava's collection
 * wrappers into plain Java collections.
 */
final class Python {
    private Python() {
    }

    /** Python's {@code str(value)}: strings as they are, everything else as {@link #repr}. */
    static String str(Object value) {
        if (value instanceof CharSequence s) {
            return s.toString();
        }
        return repr(value);
    }

    /** Python's {@code repr(value)} for null, booleans, numbers, strings, lists and maps. */
    static String repr(Object value) {
        StringBuilder sb = new StringBuilder();
        repr(value, sb, 0);
        return sb.toString();
    }

    private static void repr(Object value, StringBuilder sb, int depth) {
        if (depth > 100) {
            sb.append("...");
            return;
        }
        if (value == null) {
            sb.append("None");
        } else if (value instanceof Boolean b) {
            sb.append(b ? "True" : "False");
        } else if (value instanceof CharSequence s) {
            quote(s.toString(), sb);
        } else if (value instanceof BigDecimal d) {
            sb.append(d.toPlainString());
        } else if (value instanceof Map<?, ?> m) {
            sb.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                repr(e.getKey(), sb, depth + 1);
                sb.append(": ");
                repr(e.getValue(), sb, depth + 1);
                if (it.hasNext()) {
                    sb.append(", ");
                }
            }
            sb.append('}');
        } else if (value instanceof Collection<?> c) {
            sb.append('[');
            Iterator<?> it = c.iterator();
            while (it.hasNext()) {
                repr(it.next(), sb, depth + 1);
                if (it.hasNext()) {
                    sb.append(", ");
                }
            }
            sb.append(']');
        } else if (value instanceof Map.Entry<?, ?> e) {
            sb.append('(');
            repr(e.getKey(), sb, depth + 1);
            sb.append(", ");
            repr(e.getValue(), sb, depth + 1);
            sb.append(')');
        } else if (value instanceof Object[] a) {
            repr(java.util.Arrays.asList(a), sb, depth);
        } else {
            sb.append(value);
        }
    }

    /** Python's quoting: single quotes unless the text holds a single quote and no double one. */
    private static void quote(String s, StringBuilder sb) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        sb.append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c == q) {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
            }
        }
        sb.append(q);
    }

    /**
     * A deep copy in plain Java types: maps become {@link LinkedHashMap}, other collections
     * {@link ArrayList}, map entries two-element lists (Python's item tuples), characters
     * one-character strings, and longs that fit an int become
     * {@link Integer} (Python has one integer type; this matches what YAML parsing gives for
     * the same number). Everything else is returned as is.
     */
    static Object plain(Object value) {
        if (value instanceof Long l && l == l.intValue()) {
            return l.intValue();
        }
        if (value instanceof Character c) {
            return c.toString();
        }
        if (value instanceof Map.Entry<?, ?> e) {
            return java.util.Arrays.asList(plain(e.getKey()), plain(e.getValue()));
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(e.getKey(), plain(e.getValue()));
            }
            return out;
        }
        if (value instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) {
                out.add(plain(o));
            }
            return out;
        }
        if (value instanceof Object[] a) {
            return plain(java.util.Arrays.asList(a));
        }
        return value;
    }

    /** Python truthiness: None, False, 0, empty strings and empty collections are false. */
    static boolean truthy(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value instanceof CharSequence s) {
            return s.length() > 0;
        }
        if (value instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (value instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }
}
