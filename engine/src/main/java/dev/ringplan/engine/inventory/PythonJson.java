package dev.ringplan.engine.inventory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * JSON text byte for byte as Python's {@code json.dumps(obj, sort_keys=True, indent=4,
 * ensure_ascii=False)} writes it (what {@code ansible-inventory --list} prints): four-space
 * indents, {@code ","} between items and {@code ": "} after keys, {@code {}} and {@code []} for
 * empty containers, non-ASCII characters as they are, control characters as lowercase
 * {@code \\}{@code u00xx}, floats as Python's {@code repr} ({@code 1e-05}, {@code 1e+16},
 * {@code Infinity}), keys sorted by Python's ordering. When keys of one object cannot be
 * compared in Python (a str beside an int), Python's TypeError fallback is reproduced: the whole
 * document is written unsorted. Jackson's generator does the writing and escaping.
 */
final class PythonJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private PythonJson() {
    }

    /** Signals Python's "'<' not supported between instances" TypeError while sorting keys. */
    private static final class Incomparable extends RuntimeException {
        Incomparable() {
            super(null, null, false, false);
        }
    }

    /** {@code json.dumps(value, sort_keys=True, indent=4, ensure_ascii=False)}. */
    static String dumps(Object value) {
        try {
            return write(value, true);
        } catch (Incomparable e) {
            return write(value, false);
        }
    }

    private static String write(Object value, boolean sort) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.setCharacterEscapes(PythonEscapes.INSTANCE);
            g.setPrettyPrinter(new PythonIndent());
            writeValue(g, value, sort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void writeValue(JsonGenerator g, Object v, boolean sort) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(floatRepr(((Number) v).doubleValue()));
        } else if (v instanceof Number n) {
            g.writeNumber(n instanceof BigInteger bi ? bi.toString() : String.valueOf(n.longValue()));
        } else if (v instanceof Map<?, ?> m) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
            if (sort) {
                entries.sort((a, b) -> compareKeys(a.getKey(), b.getKey()));
            }
            g.writeStartObject();
            for (Map.Entry<?, ?> e : entries) {
                g.writeFieldName(keyString(e.getKey()));
                writeValue(g, e.getValue(), sort);
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : c) {
                writeValue(g, o, sort);
            }
            g.writeEndArray();
        } else {
            g.writeString(String.valueOf(v));
        }
    }

    /** How Python's json module turns a dict key into a JSON string. */
    private static String keyString(Object k) {
        if (k == null) {
            return "null";
        }
        if (k instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (k instanceof Double d) {
            return floatRepr(d);
        }
        return String.valueOf(k);
    }

    /** Python 3 ordering of two dict keys: str with str, numbers (bool included) with numbers. */
    private static int compareKeys(Object a, Object b) {
        if (a instanceof String sa && b instanceof String sb) {
            return Inventory.comparePython(sa, sb);
        }
        BigDecimal na = asNumber(a);
        BigDecimal nb = asNumber(b);
        if (na != null && nb != null) {
            return na.compareTo(nb);
        }
        throw new Incomparable();
    }

    private static BigDecimal asNumber(Object o) {
        if (o instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (o instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? null : new BigDecimal(d);
        }
        if (o instanceof BigInteger bi) {
            return new BigDecimal(bi);
        }
        if (o instanceof Number n) {
            return BigDecimal.valueOf(n.longValue());
        }
        return null;
    }

    /** Python's {@code repr(float)} as json writes it: shortest round-trip digits. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal r = exact;
        for (int p = 1; p <= 17; p++) {
            r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == d) {
                break;
            }
        }
        r = r.stripTrailingZeros();
        String digits = r.unscaledValue().abs().toString();
        int decpt = digits.length() - r.scale();
        String sign = d < 0 ? "-" : "";
        if (decpt <= -4 || decpt > 16) {
            int exp = decpt - 1;
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String e = String.valueOf(Math.abs(exp));
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
        }
        if (decpt <= 0) {
            return sign + "0." + "0".repeat(-decpt) + digits;
        }
        if (decpt >= digits.length()) {
            return sign + digits + "0".repeat(decpt - digits.length()) + ".0";
        }
        return sign + digits.substring(0, decpt) + "." + digits.substring(decpt);
    }

    /** Python's escapes with ensure_ascii=False: short forms, other controls as lowercase \\u00xx. */
    private static final class PythonEscapes extends CharacterEscapes {
        static final PythonEscapes INSTANCE = new PythonEscapes();
        private final int[] codes = standardAsciiEscapesForJSON();

        PythonEscapes() {
            for (int c = 0; c < 0x20; c++) {
                if (codes[c] == CharacterEscapes.ESCAPE_STANDARD) {
                    codes[c] = CharacterEscapes.ESCAPE_CUSTOM;
                }
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return codes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch < 0x20 ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }

    /** indent=4 layout: newline and 4 spaces per level, "," between items, ": " after keys. */
    private static final class PythonIndent implements PrettyPrinter {
        private int level;

        private void newline(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
            g.writeRaw("    ".repeat(level));
        }

        @Override
        public void writeRootValueSeparator(JsonGenerator g) {
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
            level++;
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            level--;
            if (entries > 0) {
                newline(g);
            }
            g.writeRaw('}');
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newline(g);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw('[');
            level++;
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            level--;
            if (values > 0) {
                newline(g);
            }
            g.writeRaw(']');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newline(g);
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            newline(g);
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            newline(g);
        }
    }
}
