package dev.ringplan.modules.nodetool;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

/**
 * Parsing of the scalar values nodetool prints: data sizes and percentages.
 *
 * <p>Sizes come from Cassandra's {@code FileUtils.stringifyFileSize}: a number formatted with
 * {@code DecimalFormat("#.##")} (so the decimal separator follows the JVM locale: {@code 1,5})
 * and a unit. Cassandra 4.0+ prints {@code bytes}, {@code KiB}, {@code MiB}, {@code GiB},
 * {@code TiB} (checked in the 5.0.7 jar); older versions print {@code KB}, {@code MB},
 * {@code GB}, {@code TB}, which already meant powers of 1024. So every unit here is a power of
 * 1024; {@code PB}/{@code PiB} are accepted too (seen in a hand-edited fixture).
 */
public final class NodetoolValues {
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("b", 1L), Map.entry("byte", 1L), Map.entry("bytes", 1L),
            Map.entry("kb", 1L << 10), Map.entry("kib", 1L << 10),
            Map.entry("mb", 1L << 20), Map.entry("mib", 1L << 20),
            Map.entry("gb", 1L << 30), Map.entry("gib", 1L << 30),
            Map.entry("tb", 1L << 40), Map.entry("tib", 1L << 40),
            Map.entry("pb", 1L << 50), Map.entry("pib", 1L << 50));

    private NodetoolValues() {
    }

    /** True when {@code unit} is a size unit nodetool prints (case-insensitive). */
    public static boolean isSizeUnit(String unit) {
        return UNITS.containsKey(unit.toLowerCase(Locale.ROOT));
    }

    /**
     * Bytes of a size printed as {@code number unit}, e.g. {@code ("1,5", "GB")} → 1610612736.
     * The result is rounded to the nearest byte (nodetool itself rounds to two decimals, so the
     * value is approximate).
     *
     * @throws NumberFormatException when the number or the unit is not understood, or the size
     *                               does not fit a long
     */
    public static long parseSize(String number, String unit) {
        Long mult = UNITS.get(unit.toLowerCase(Locale.ROOT));
        if (mult == null) {
            throw new NumberFormatException("unknown size unit '" + unit + "'");
        }
        BigDecimal n = decimal(number);
        try {
            return n.multiply(BigDecimal.valueOf(mult)).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        } catch (ArithmeticException e) {
            // found by NodetoolParserFuzzTest: a load of 10^25 MB does not fit a long
            throw new NumberFormatException("size '" + number + " " + unit + "' is larger than 2^63 bytes");
        }
    }

    /**
     * Bytes of a size printed as one string, {@code "30.89 KiB"}, {@code "1,5GB"} or {@code "?"}.
     *
     * @return the size in bytes, or null for {@code ?} (unknown)
     * @throws NumberFormatException when not understood
     */
    public static Long parseSize(String text) {
        String s = text.strip();
        if (s.equals("?")) {
            return null;
        }
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == ',')) {
            i++;
        }
        if (i == 0) {
            throw new NumberFormatException("not a size: '" + text + "'");
        }
        return parseSize(s.substring(0, i), s.substring(i).strip());
    }

    /**
     * A percentage printed as {@code 35.4%}, {@code 33,33%} (locale decimal comma) or {@code ?}.
     *
     * @return the percentage (35.4 for {@code 35.4%}), or null for {@code ?}
     * @throws NumberFormatException when not understood
     */
    public static Double parsePercent(String text) {
        String s = text.strip();
        if (s.equals("?")) {
            return null;
        }
        if (!s.endsWith("%")) {
            throw new NumberFormatException("not a percentage: '" + text + "'");
        }
        return decimal(s.substring(0, s.length() - 1)).doubleValue();
    }

    /** True for {@code ?} or a number followed by {@code %}. */
    public static boolean isPercent(String s) {
        return s.equals("?") || s.matches("\\d+([.,]\\d+)?%");
    }

    private static BigDecimal decimal(String number) {
        String n = number.strip();
        if (n.indexOf(',') >= 0 && n.indexOf('.') < 0 && n.indexOf(',') == n.lastIndexOf(',')) {
            n = n.replace(',', '.');
        }
        if (!n.matches("\\d+(\\.\\d+)?")) {
            throw new NumberFormatException("not a number: '" + number + "'");
        }
        return new BigDecimal(n);
    }
}
