package dev.ringplan.modules.bulkload;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end of an sstableloader run's standard output, parsed. Format of Cassandra 5.0.7
 * ({@code BulkLoader.ProgressIndicator}, printed only when progress is on; fixtures in test
 * resources {@code bulkload/}):
 *
 * <pre>
 * Skipping file nb-1-big-Data.db: table nosuch.users doesn't exist
 * Summary statistics:
 *    Connections per host    : 1
 *    Total files transferred : 10
 *    Total bytes transferred : 219.277KiB
 *    Total duration          : 5102 ms
 *    Average transfer rate   : 42.974KiB/s
 *    Peak transfer rate      : 44.330KiB/s
 * </pre>
 *
 * Sizes are printed with binary units ({@code B}, {@code KiB}, {@code MiB}, {@code GiB},
 * {@code TiB}, three decimals: {@code FBUtilities.prettyPrintMemory}), so {@link #bytes} is exact
 * to 0.1 %. Progress lines end in carriage returns; they are ignored.
 *
 * @param files        "Total files transferred"
 * @param bytes        "Total bytes transferred", in bytes (rounded)
 * @param durationMs   "Total duration"
 * @param averageRate  "Average transfer rate" as printed (e.g. {@code 42.974KiB/s})
 * @param skippedFiles the "Skipping file" lines, as printed
 */
public record LoaderSummary(long files, long bytes, long durationMs, String averageRate, List<String> skippedFiles) {
    private static final Pattern FIELD = Pattern.compile("^\\s*([A-Za-z ]+?)\\s*:\\s*(\\S.*?)\\s*$");
    private static final Pattern SIZE = Pattern.compile("^([0-9]+(?:\\.[0-9]+)?)\\s*(B|KiB|MiB|GiB|TiB|PiB)$");

    /** Copies the list. */
    public LoaderSummary {
        skippedFiles = List.copyOf(skippedFiles);
    }

    /**
     * Parses the loader's standard output.
     *
     * @throws IllegalArgumentException when there is no "Summary statistics" block, or a field of
     *                                  it is missing or unreadable; the message names it
     */
    public static LoaderSummary parse(String stdout) {
        String[] lines = stdout.replace("\r", "\n").split("\n");
        List<String> skipped = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.startsWith("Skipping file ")) {
                skipped.add(l);
            } else if (l.startsWith("Summary statistics")) {
                start = i;
            }
        }
        if (start < 0) {
            throw new IllegalArgumentException("no 'Summary statistics' in the loader's output");
        }
        Long files = null;
        Long bytes = null;
        Long duration = null;
        String rate = null;
        for (int i = start + 1; i < lines.length; i++) {
            Matcher m = FIELD.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            String v = m.group(2);
            switch (m.group(1).toLowerCase(Locale.ROOT)) {
                case "total files transferred" -> files = number("Total files transferred", v);
                case "total bytes transferred" -> bytes = size(v);
                case "total duration" -> duration = number("Total duration", v.replaceFirst("\\s*ms$", ""));
                case "average transfer rate" -> rate = v;
                default -> { }
            }
        }
        if (files == null || bytes == null || duration == null || rate == null) {
            throw new IllegalArgumentException("the loader's summary lacks "
                    + (files == null ? "'Total files transferred'" : bytes == null ? "'Total bytes transferred'"
                    : duration == null ? "'Total duration'" : "'Average transfer rate'"));
        }
        return new LoaderSummary(files, bytes, duration, rate, skipped);
    }

    /**
     * A size as {@code prettyPrintMemory} prints it ({@code 219.277KiB}, {@code 0B}), in bytes.
     *
     * @throws IllegalArgumentException for another form
     */
    static long size(String printed) {
        Matcher m = SIZE.matcher(printed.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("cannot read the size '" + printed + "' of the loader's summary");
        }
        int shift = switch (m.group(2)) {
            case "B" -> 0;
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            case "TiB" -> 40;
            default -> 50;
        };
        return new java.math.BigDecimal(m.group(1)).multiply(java.math.BigDecimal.valueOf(1L << shift))
                .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    private static long number(String field, String v) {
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot read '" + field + "' of the loader's summary: " + v);
        }
    }
}
