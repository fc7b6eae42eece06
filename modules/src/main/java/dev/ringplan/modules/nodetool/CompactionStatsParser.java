package dev.ringplan.modules.nodetool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code nodetool compactionstats} (without {@code -V}). Two layouts, from Cassandra's
 * {@code tools/nodetool/CompactionStats.java}:
 *
 * <pre>
 * 5.0 (recorded on 5.0.7):                      2.1 to 4.1:
 * concurrent compactors            2             pending tasks: 2
 * pending tasks                    1             - mig.blobs: 2
 * mig                              blobs  1
 * compactions completed            9             id  compaction type  keyspace  table  completed  total  unit  progress
 * ...                                            ... Compaction       mig       blobs  4534377    ...    bytes 9.48%
 * compaction throughput (MiB/s)    1.0           Active compaction remaining time :   0h00m41s
 * id   compaction type  keyspace table completed total    unit  progress
 * afa8... Major compaction mig   blobs 4534377   47806993 bytes 9.48%
 * active compaction remaining time     0h00m41s
 * </pre>
 *
 * <p>Pending tasks per table are the {@code - ks.table: n} lines (3.0 to 4.1) or, in 5.0, the
 * rows right after {@code pending tasks} whose second word starts in the value column (so
 * {@code compactions completed 9}, whose second word does not, ends them). A compaction line is
 * read from both ends, because older versions right-align the columns and the compaction type may
 * hold spaces ({@code Secondary index build}): from the right the progress ({@code 9.48%},
 * {@code 3,67%} with a decimal comma, or {@code n/a}), the unit when there is one ({@code bytes},
 * {@code keys}, {@code token range parts}), total and completed (numbers, or {@code 45.59 MiB}
 * with {@code -H}); from the left an id when the line starts with a UUID; the rest is the type,
 * the keyspace and the table. The remaining time is {@code %dh%02dm%02ds} or {@code n/a}.
 */
public final class CompactionStatsParser {
    private static final Pattern PENDING = Pattern.compile("(?i)^pending tasks\\s*:?\\s*(\\S+)");
    private static final Pattern PENDING_TABLE_3X = Pattern.compile("^-\\s*(\\S+?)\\.(\\S+)\\s*:\\s*(\\d+)$");
    private static final Pattern TOKEN = Pattern.compile("\\S+");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
            + "[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern REMAINING = Pattern.compile("(\\d+)h(\\d+)m(\\d+)s");
    private static final Pattern NUMBER = Pattern.compile("\\d+([.,]\\d+)?");

    private CompactionStatsParser() {
    }

    /**
     * Parses the whole standard output.
     *
     * @throws NodetoolParseException when there is no {@code pending tasks} line, or a value or a
     *                                compaction line is not understood
     */
    public static CompactionStats parse(String output) throws NodetoolParseException {
        Long pending = null;
        List<CompactionStats.PendingTable> byTable = new ArrayList<>();
        List<CompactionStats.Active> active = new ArrayList<>();
        Long remaining = null;
        Integer compactors = null;
        Double throughput = null;
        int pendingColumn = -1;   // 5.0: where the pending count starts; -1: not in the pending block
        boolean inTable = false;
        String[] lines = output.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String s = line.strip();
            String lower = s.toLowerCase(Locale.ROOT);
            if (s.isEmpty()) {
                pendingColumn = -1;
                continue;
            }
            Matcher pm = PENDING.matcher(s);
            if (pm.find()) {
                pending = count("pending tasks", pm.group(1), i, line);
                pendingColumn = s.contains(":") ? -1 : line.indexOf(pm.group(1), line.indexOf("tasks") + 5);
                continue;
            }
            Matcher t3 = PENDING_TABLE_3X.matcher(s);
            if (t3.matches()) {
                byTable.add(new CompactionStats.PendingTable(t3.group(1), t3.group(2),
                        count("pending tasks of " + t3.group(1) + "." + t3.group(2), t3.group(3), i, line)));
                continue;
            }
            if (pendingColumn >= 0) {
                List<int[]> words = words(line);
                if (words.size() == 3 && words.get(1)[0] == pendingColumn
                        && line.substring(words.get(2)[0], words.get(2)[1]).matches("\\d+")) {
                    byTable.add(new CompactionStats.PendingTable(line.substring(words.get(0)[0], words.get(0)[1]),
                            line.substring(words.get(1)[0], words.get(1)[1]),
                            count("pending tasks", line.substring(words.get(2)[0], words.get(2)[1]), i, line)));
                    continue;
                }
                pendingColumn = -1;
            }
            if (lower.contains("compaction type") && lower.contains("progress")) {
                inTable = true;
                continue;
            }
            if (lower.startsWith("active compaction remaining time")) {
                Matcher m = REMAINING.matcher(s);
                remaining = null;
                if (m.find()) {
                    try {
                        remaining = Math.addExact(Math.addExact(Math.multiplyExact(count("hours", m.group(1), i, line),
                                3600L), count("minutes", m.group(2), i, line) * 60), count("seconds", m.group(3), i, line));
                    } catch (ArithmeticException e) {
                        throw NodetoolParseException.at("compactionstats", i + 1, line, "remaining time too large");
                    }
                }
                inTable = false;
                continue;
            }
            if (lower.startsWith("concurrent compactors")) {
                compactors = (int) count("concurrent compactors", lastWord(s), i, line);
                continue;
            }
            if (lower.startsWith("compaction throughput")) {
                throughput = decimal(lastWord(s), i, line);
                continue;
            }
            if (inTable) {
                active.add(compaction(s, i + 1, line));
            }
        }
        if (pending == null) {
            throw new NodetoolParseException("nodetool compactionstats output has no 'pending tasks' line: "
                    + StatusParser.firstLine(output));
        }
        return new CompactionStats(pending, byTable, active, remaining, compactors, throughput);
    }

    /** One line of the compaction table, read from both ends (see the class comment). */
    private static CompactionStats.Active compaction(String s, int lineNo, String line) throws NodetoolParseException {
        String[] t = s.split("\\s+");
        int end = t.length;
        if (end < 6) {
            throw NodetoolParseException.at("compactionstats", lineNo, line, "expected type, keyspace, table, completed,"
                    + " total and progress");
        }
        String p = t[--end];
        Double progress;
        try {
            progress = p.equalsIgnoreCase("n/a") ? null : NodetoolValues.parsePercent(p);
        } catch (NumberFormatException e) {
            throw NodetoolParseException.at("compactionstats", lineNo, line, "progress not understood: " + p);
        }
        String unit = null;
        if (end >= 3 && String.join(" ", Arrays.copyOfRange(t, end - 3, end)).equals("token range parts")) {
            unit = "token range parts";
            end -= 3;
        } else if (!NUMBER.matcher(t[end - 1]).matches()) {
            unit = t[--end];   // 2.1+ always print a unit column; 1.x/2.0 print none (a number here)
        }
        long[] total = amount(t, end, lineNo, line);
        end = (int) total[1];
        long[] completed = amount(t, end, lineNo, line);
        end = (int) completed[1];
        int start = UUID.matcher(t[0]).matches() ? 1 : 0;
        if (end - start < 3) {
            throw NodetoolParseException.at("compactionstats", lineNo, line, "expected compaction type, keyspace and"
                    + " table before the amounts");
        }
        String table = t[end - 1];
        String keyspace = t[end - 2];
        String type = String.join(" ", Arrays.copyOfRange(t, start, end - 2));
        return new CompactionStats.Active(start == 1 ? t[0] : null, type, keyspace, table, completed[0], total[0], unit,
                progress);
    }

    /** The amount ending before index {@code end}: a number, or {@code number unit} (-H). Returns {value, new end}. */
    private static long[] amount(String[] t, int end, int lineNo, String line) throws NodetoolParseException {
        try {
            if (end >= 2 && NodetoolValues.isSizeUnit(t[end - 1]) && NUMBER.matcher(t[end - 2]).matches()) {
                return new long[] {NodetoolValues.parseSize(t[end - 2], t[end - 1]), end - 2};
            }
            if (end >= 1 && t[end - 1].matches("\\d+")) {
                return new long[] {Long.parseLong(t[end - 1]), end - 1};
            }
        } catch (NumberFormatException e) {
            throw NodetoolParseException.at("compactionstats", lineNo, line, "amount not understood (" + e.getMessage()
                    + ")");
        }
        throw NodetoolParseException.at("compactionstats", lineNo, line, "expected a number where '"
                + (end >= 1 ? t[end - 1] : "") + "' is");
    }

    /** [start, end) of each whitespace-separated word of {@code line}. */
    private static List<int[]> words(String line) {
        List<int[]> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(line);
        while (m.find()) {
            out.add(new int[] {m.start(), m.end()});
        }
        return out;
    }

    private static String lastWord(String s) {
        String[] t = s.split("\\s+");
        return t[t.length - 1];
    }

    private static long count(String what, String v, int i, String line) throws NodetoolParseException {
        if (!v.matches("\\d{1,18}")) {
            throw NodetoolParseException.at("compactionstats", i + 1, line, what + " is not a count: " + v);
        }
        return Long.parseLong(v);
    }

    private static double decimal(String v, int i, String line) throws NodetoolParseException {
        if (!NUMBER.matcher(v).matches()) {
            throw NodetoolParseException.at("compactionstats", i + 1, line, "not a number: " + v);
        }
        return Double.parseDouble(v.replace(',', '.'));
    }
}
