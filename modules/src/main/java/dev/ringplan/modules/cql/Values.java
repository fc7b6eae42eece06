package dev.ringplan.modules.cql;

import com.datastax.oss.driver.api.core.data.TupleValue;
import com.datastax.oss.driver.api.core.data.UdtValue;
import com.datastax.oss.driver.api.core.data.ByteUtils;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Values read with the driver, as plain data a plan can register and compare: the driver's Java
 * types ({@code map<text, text>} as a {@code Map}, {@code set} as a {@code Set}, {@code uuid},
 * {@code inet}, {@code timestamp}, {@code decimal}, {@code blob}...) turned into strings, whole
 * numbers, doubles, booleans, lists and string-keyed maps.
 */
public final class Values {
    private Values() {
    }

    /**
     * {@code v} as plain data: null, String, Boolean, Integer/Long (tinyint, smallint, int,
     * bigint, counter), Double (float, double), List (list, set, vector), Map with String keys
     * (map); text for everything else: varint and decimal (exact), uuid, inet, timestamp
     * (ISO-8601), blob ({@code 0x...}), duration, UDT and tuple values (CQL literal form).
     */
    public static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long
                || v instanceof Double) {
            return v;
        }
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue();
        }
        if (v instanceof Float f) {
            return Double.valueOf(f.toString());
        }
        if (v instanceof BigDecimal || v instanceof BigInteger) {
            return v.toString();
        }
        if (v instanceof ByteBuffer b) {
            return ByteUtils.toHexString(b);
        }
        if (v instanceof UdtValue u) {
            return u.getFormattedContents();
        }
        if (v instanceof TupleValue t) {
            return t.getFormattedContents();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(plain(k)), plain(x)));
            return out;
        }
        if (v instanceof Iterable<?> c) {
            List<Object> out = new ArrayList<>();
            c.forEach(x -> out.add(plain(x)));
            return out;
        }
        return v.toString();
    }

    /**
     * Whether {@code actual} (plain data) holds what {@code expected} (a plan's YAML value) asks:
     * <ul>
     * <li>a mapping matches a mapping that has each of its keys with a matching value (keys the
     *     row has beyond those are ignored: {@code {class: LeveledCompactionStrategy}} matches
     *     the full compaction options);</li>
     * <li>a list matches a list of the same length, element by element;</li>
     * <li>scalars match when their text is the same ({@code false} and {@code 'false'},
     *     {@code 3} and {@code '3'}, {@code 0.1} and {@code 0.10}); under the key {@code class}, a
     *     name without a package matches the full Cassandra class name
     *     ({@code LeveledCompactionStrategy} and
     *     {@code org.apache.cassandra.db.compaction.LeveledCompactionStrategy});</li>
     * <li>null matches only null.</li>
     * </ul>
     */
    public static boolean matches(Object expected, Object actual) {
        return matches(expected, actual, null);
    }

    private static boolean matches(Object expected, Object actual, String key) {
        if (expected == null || actual == null) {
            return expected == null && actual == null;
        }
        if (expected instanceof Map<?, ?> em) {
            if (!(actual instanceof Map<?, ?> am)) {
                return false;
            }
            Map<String, Object> a = new LinkedHashMap<>();
            am.forEach((k, v) -> a.put(String.valueOf(k), v));
            for (Map.Entry<?, ?> e : em.entrySet()) {
                String k = String.valueOf(e.getKey());
                if (!a.containsKey(k) || !matches(e.getValue(), a.get(k), k)) {
                    return false;
                }
            }
            return true;
        }
        if (expected instanceof Collection<?> ec) {
            if (!(actual instanceof Collection<?> ac) || ec.size() != ac.size()) {
                return false;
            }
            List<?> el = new ArrayList<>(ec);
            List<?> al = new ArrayList<>(ac);
            if (expected instanceof Set<?> || actual instanceof Set<?>) {
                return sorted(canonical(expected)).equals(sorted(canonical(actual)));
            }
            for (int i = 0; i < el.size(); i++) {
                if (!matches(el.get(i), al.get(i), null)) {
                    return false;
                }
            }
            return true;
        }
        if (actual instanceof Map || actual instanceof Collection) {
            return false;
        }
        String e = scalar(expected);
        String a = scalar(actual);
        if (e.equals(a)) {
            return true;
        }
        return "class".equals(key) && !e.contains(".") && a.startsWith("org.apache.cassandra.") && a.endsWith("." + e);
    }

    /** A value in one comparable form: sorted maps, sets as sorted lists, scalars as text. */
    static Object canonical(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), canonical(x)));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            c.forEach(x -> out.add(canonical(x)));
            if (v instanceof Set<?>) {
                out.sort((x, y) -> String.valueOf(x).compareTo(String.valueOf(y)));
            }
            return out;
        }
        return v == null ? null : scalar(v);
    }

    private static List<Object> sorted(Object canonicalList) {
        List<Object> l = new ArrayList<>((List<?>) canonicalList);
        l.sort((x, y) -> String.valueOf(x).compareTo(String.valueOf(y)));
        return l;
    }

    /** A scalar's text: numbers in plain decimal without trailing zeros, booleans true/false. */
    static String scalar(Object v) {
        if (v instanceof Number n && !(v instanceof Double d && (d.isNaN() || d.isInfinite()))
                && !(v instanceof Float f && (f.isNaN() || f.isInfinite()))) {
            BigDecimal b = new BigDecimal(n.toString()).stripTrailingZeros();
            return b.signum() == 0 ? "0" : b.toPlainString();
        }
        if (v instanceof String s && s.matches("-?\\d+(\\.\\d+)?")) {
            BigDecimal b = new BigDecimal(s).stripTrailingZeros();
            return b.signum() == 0 ? "0" : b.toPlainString();
        }
        return String.valueOf(v);
    }

    /** A value for a message: strings quoted, collections as Python prints them. */
    static String show(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, x) -> parts.add(show(String.valueOf(k)) + ": " + show(x)));
            return "{" + String.join(", ", parts) + "}";
        }
        if (v instanceof Collection<?> c) {
            List<String> parts = new ArrayList<>();
            c.forEach(x -> parts.add(show(x)));
            return "[" + String.join(", ", parts) + "]";
        }
        return String.valueOf(v);
    }
}
