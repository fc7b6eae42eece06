package dev.ringplan.modules.nodetool;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code nodetool status}. The format (Cassandra's {@code tools/nodetool/Status.java},
 * unchanged in shape from 1.2 to 5.0.7):
 *
 * <pre>
 * Datacenter: datacenter1
 * =======================
 * Status=Up/Down
 * |/ State=Normal/Leaving/Joining/Moving
 * --  Address    Load        Tokens  Owns (effective)  Host ID                               Rack
 * UN  127.0.0.2  30.89 KiB   16      100.0%            add0c91d-06bb-4bc2-94ff-5124926da7b3  rack1
 * </pre>
 *
 * <p>Variants handled, each seen in a fixture: several datacenter sections (1.2, 2.2, 3.x, 5.0);
 * the token-per-node layout of 1.2 whose header is {@code Load Owns Host ID Token Rack} (no
 * Tokens column, the single token after the host id); {@code Owns} instead of
 * {@code Owns (effective)} with {@code ?} values (no keyspace given and keyspaces with different
 * replication, then a trailing {@code Note:} line); load {@code ?} (unknown) and units
 * {@code bytes/KB/KiB/MB/MiB/GB/GiB/TB/TiB/PB} with a decimal point or comma
 * ({@link NodetoolValues}); status {@code U/D/?}, state {@code N/L/J/M}; IPv4, IPv6 and host
 * names ({@code -r}) as addresses; trailing text such as {@code nodetool rc=0} from captured logs.
 * Columns are found by the order of the header's names, and values by splitting on whitespace
 * (the load's number and unit are two words; the rack is the rest of the line), because older
 * versions do not align data under the header.
 */
public final class StatusParser {
    private static final Pattern CODE = Pattern.compile("[UD?][NLJM]");
    private static final Pattern COLUMN = Pattern.compile("\\bTokens\\b|\\bToken\\b|\\bOwns\\b|\\bHost ID\\b|\\bRack\\b");

    private StatusParser() {
    }

    /**
     * Parses the whole standard output of {@code nodetool status}.
     *
     * @throws NodetoolParseException when no datacenter section is found, a node line comes
     *                                before a header, or a node line's values do not fit
     */
    public static NodetoolStatus parse(String output) throws NodetoolParseException {
        List<String> dcs = new ArrayList<>();
        List<StatusNode> nodes = new ArrayList<>();
        String dc = null;
        List<String> columns = null;
        String[] lines = output.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String s = line.strip();
            if (s.startsWith("Datacenter:")) {
                dc = s.substring("Datacenter:".length()).strip();
                dcs.add(dc);
                columns = null;
                continue;
            }
            if (s.startsWith("--")) {
                if (dc == null) {
                    throw NodetoolParseException.at("status", i + 1, line, "header before any 'Datacenter:' line");
                }
                columns = columns(s);
                if (columns.isEmpty() || !columns.get(columns.size() - 1).equals("Rack")) {
                    throw NodetoolParseException.at("status", i + 1, line, "header without the Rack column");
                }
                continue;
            }
            String[] t = s.split("\\s+");
            if (t.length < 2 || !CODE.matcher(t[0]).matches()) {
                continue;  // separators, legend, Note:, blank lines, captured-log trailers
            }
            if (columns == null) {
                throw NodetoolParseException.at("status", i + 1, line, "node line before a '--  Address' header");
            }
            nodes.add(node(dc, columns, t, i + 1, line));
        }
        if (dcs.isEmpty()) {
            throw new NodetoolParseException("nodetool status output has no 'Datacenter:' section: "
                    + firstLine(output));
        }
        return new NodetoolStatus(dcs, nodes);
    }

    /** Column names after Load, in header order, e.g. [Tokens, Owns, Host ID, Rack]. */
    private static List<String> columns(String header) {
        List<int[]> found = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Matcher m = COLUMN.matcher(header);
        while (m.find()) {
            names.add(m.group());
            found.add(new int[] {m.start(), names.size() - 1});
        }
        found.sort(Comparator.comparingInt(a -> a[0]));
        List<String> out = new ArrayList<>();
        for (int[] f : found) {
            out.add(names.get(f[1]));
        }
        return out;
    }

    private static StatusNode node(String dc, List<String> columns, String[] t, int lineNo, String line)
            throws NodetoolParseException {
        try {
            NodeStatus status = NodeStatus.parse(t[0].substring(0, 1));
            NodeState state = NodeState.parse(t[0].substring(1, 2));
            String address = t[1];
            int i = 2;
            Long load;
            if (t[i].equals("?")) {
                load = null;
                i++;
            } else if (i + 1 < t.length && NodetoolValues.isSizeUnit(t[i + 1])) {
                load = NodetoolValues.parseSize(t[i], t[i + 1]);
                i += 2;
            } else {
                load = NodetoolValues.parseSize(t[i]);
                i++;
            }
            Integer tokenCount = null;
            String token = null;
            Double owns = null;
            String hostId = null;
            String rack = null;
            for (String col : columns) {
                if (col.equals("Rack")) {
                    if (i < t.length) {
                        rack = String.join(" ", java.util.Arrays.copyOfRange(t, i, t.length));
                    }
                    i = t.length;
                    break;
                }
                if (i >= t.length) {
                    throw NodetoolParseException.at("status", lineNo, line, "missing value for column " + col);
                }
                String v = t[i++];
                switch (col) {
                    case "Tokens":
                        tokenCount = Integer.valueOf(v);
                        break;
                    case "Token":
                        token = v;
                        break;
                    case "Owns":
                        owns = NodetoolValues.parsePercent(v);
                        break;
                    default:
                        hostId = v;
                        break;
                }
            }
            return new StatusNode(dc, address, status, state, load, tokenCount, token, owns, hostId, rack);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw NodetoolParseException.at("status", lineNo, line, "value not understood (" + e.getMessage() + ")");
        }
    }

    static String firstLine(String output) {
        String s = output.strip();
        int nl = s.indexOf('\n');
        String first = nl < 0 ? s : s.substring(0, nl);
        return first.isEmpty() ? "(empty output)" : "'" + first.strip() + "'";
    }
}
