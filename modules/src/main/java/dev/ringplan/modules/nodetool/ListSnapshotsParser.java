package dev.ringplan.modules.nodetool;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code nodetool listsnapshots} (Cassandra's {@code tools/nodetool/ListSnapshots.java}):
 *
 * <pre>
 * Snapshot Details:
 * Snapshot name Keyspace name   Column family name True size Size on disk Creation time            Expiration time
 * multi-table   cqlkeyspace     t2                 4.86 KiB  5.67 KiB     2023-01-01T10:00:00.000Z
 *
 * Total TrueDiskSpaceUsed: 44.02 KiB
 * </pre>
 *
 * or {@code Snapshot Details:} followed by {@code There are no snapshots}. The table is printed by
 * nodetool's {@code TableBuilder}, which pads every column (header included) to its widest cell
 * plus one space, so a cell starts exactly where its header name starts; column names contain
 * spaces and sizes contain a space, so rows are cut at the header's positions rather than split
 * on whitespace. Columns: 4.x ({@code Snapshot name, Keyspace name, Column family name, True
 * size, Size on disk}, as in the Cassandra documentation's example) and 4.1+/5.0.7 (the 5.0.7
 * jar adds {@code Creation time, Expiration time}). Sizes use {@link NodetoolValues#parseSize}.
 */
public final class ListSnapshotsParser {
    private static final String[] COLUMNS = {"Snapshot name", "Keyspace name", "Column family name", "True size",
        "Size on disk", "Creation time", "Expiration time"};

    private ListSnapshotsParser() {
    }

    /**
     * Parses the whole standard output of {@code nodetool listsnapshots}.
     *
     * @throws NodetoolParseException when the output is neither "There are no snapshots" nor a
     *                                table with at least the name, keyspace and table columns
     */
    public static SnapshotList parse(String output) throws NodetoolParseException {
        String[] lines = output.split("\\R");
        int[] starts = null;
        List<SnapshotEntry> entries = new ArrayList<>();
        Long total = null;
        boolean sawDetails = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String s = line.strip();
            if (s.startsWith("Snapshot Details")) {
                sawDetails = true;
                continue;
            }
            if (s.startsWith("There are no snapshots")) {
                return new SnapshotList(List.of(), 0L);
            }
            if (s.startsWith("Total TrueDiskSpaceUsed:")) {
                try {
                    total = NodetoolValues.parseSize(s.substring(s.indexOf(':') + 1));
                } catch (NumberFormatException e) {
                    throw NodetoolParseException.at("listsnapshots", i + 1, line, "total size not understood");
                }
                continue;
            }
            if (s.startsWith("Snapshot name")) {
                starts = new int[COLUMNS.length];
                for (int c = 0; c < COLUMNS.length; c++) {
                    starts[c] = line.indexOf(COLUMNS[c]);
                }
                if (starts[0] < 0 || starts[1] < 0 || starts[2] < 0) {
                    throw NodetoolParseException.at("listsnapshots", i + 1, line,
                            "header lacks Snapshot name / Keyspace name / Column family name");
                }
                continue;
            }
            if (s.isEmpty() || starts == null) {
                continue;
            }
            entries.add(row(line, starts, i + 1));
        }
        if (!sawDetails && starts == null) {
            throw new NodetoolParseException("nodetool listsnapshots output has no 'Snapshot Details:' line: "
                    + StatusParser.firstLine(output));
        }
        return new SnapshotList(entries, total);
    }

    private static SnapshotEntry row(String line, int[] starts, int lineNo) throws NodetoolParseException {
        String[] cells = new String[COLUMNS.length];
        for (int c = 0; c < COLUMNS.length; c++) {
            if (starts[c] < 0) {
                continue;
            }
            int end = line.length();
            for (int d = 0; d < COLUMNS.length; d++) {
                if (starts[d] > starts[c] && starts[d] < end) {
                    end = starts[d];
                }
            }
            cells[c] = starts[c] >= line.length() ? "" : line.substring(starts[c], Math.min(end, line.length())).strip();
        }
        if (cells[0].isEmpty() || cells[1].isEmpty() || cells[2].isEmpty()) {
            throw NodetoolParseException.at("listsnapshots", lineNo, line, "row lacks snapshot name, keyspace or table");
        }
        return new SnapshotEntry(cells[0], cells[1], cells[2], size(cells[3]), size(cells[4]),
                emptyToNull(cells[5]), emptyToNull(cells[6]));
    }

    private static Long size(String cell) {
        if (cell == null || cell.isEmpty()) {
            return null;
        }
        try {
            return NodetoolValues.parseSize(cell);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
