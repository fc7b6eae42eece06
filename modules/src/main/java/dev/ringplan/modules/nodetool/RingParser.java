package dev.ringplan.modules.nodetool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses {@code nodetool ring}. The format (Cassandra's {@code tools/nodetool/Ring.java}, format
 * {@code %-Ns  %-12s%-7s%-8s%-16s%-20s%-44s%n} in 5.0.7):
 *
 * <pre>
 * Datacenter: datacenter1
 * ==========
 * Address         Rack        Status State   Load            Owns                Token
 *                                                                                8598971318786632289
 * 127.0.0.1       rack1       Up     Normal  119.84 KiB      100.00%             -8931506599953192644
 * </pre>
 *
 * <p>The first line under the header carries only the ring's last token (the start of the
 * wrap-around range); it is skipped, as the same token appears again on its owner's line. Lines
 * are split on whitespace and read from the right (token, owns, load, state), because addresses
 * and racks may be wider than their columns; what is left is address, rack and, when the last
 * remaining word is {@code Up}, {@code Down} or {@code ?}, the status. Variants handled, each
 * in a fixture: 2.0 to 5.0.7 output; several datacenters; trailing spaces; decimal commas
 * ({@code 14,93 MB}, {@code 33,33%}); owns {@code ?}; a missing Status column with long rack
 * names; RandomPartitioner tokens above 2^63 (kept as strings); Joining/Moving/Leaving and Down
 * nodes; the trailing {@code Warning:}/{@code Note:} text.
 */
public final class RingParser {
    private RingParser() {
    }

    /**
     * Parses the whole standard output of {@code nodetool ring}.
     *
     * @throws NodetoolParseException when there is no datacenter section or a token line's values
     *                                do not fit
     */
    public static NodetoolRing parse(String output) throws NodetoolParseException {
        List<String> dcs = new ArrayList<>();
        List<RingEntry> entries = new ArrayList<>();
        String dc = null;
        boolean inTable = false;
        String[] lines = output.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String s = line.strip();
            if (s.startsWith("Datacenter:")) {
                dc = s.substring("Datacenter:".length()).strip();
                dcs.add(dc);
                inTable = false;
                continue;
            }
            if (s.startsWith("Address") && s.contains("Token")) {
                if (dc == null) {
                    throw NodetoolParseException.at("ring", i + 1, line, "header before any 'Datacenter:' line");
                }
                inTable = true;
                continue;
            }
            if (!inTable || s.isEmpty() || Character.isWhitespace(line.charAt(0))) {
                // separators, the wrap-around token line, Warning:/Note: text (indented), trailers
                if (s.isEmpty()) {
                    inTable = false;
                }
                continue;
            }
            entries.add(entry(dc, s, i + 1, line));
        }
        if (dcs.isEmpty()) {
            throw new NodetoolParseException("nodetool ring output has no 'Datacenter:' section: "
                    + StatusParser.firstLine(output));
        }
        return new NodetoolRing(dcs, entries);
    }

    private static RingEntry entry(String dc, String s, int lineNo, String line) throws NodetoolParseException {
        String[] t = s.split("\\s+");
        int j = t.length - 1;
        if (t.length < 6) {
            throw NodetoolParseException.at("ring", lineNo, line, "expected address, rack, state, load, owns, token");
        }
        try {
            String token = t[j--];
            if (!NodetoolValues.isPercent(t[j])) {
                throw NodetoolParseException.at("ring", lineNo, line, "Owns column '" + t[j] + "' is not a percentage");
            }
            Double owns = NodetoolValues.parsePercent(t[j--]);
            Long load;
            if (t[j].equals("?")) {
                load = null;
                j--;
            } else if (NodetoolValues.isSizeUnit(t[j])) {
                load = NodetoolValues.parseSize(t[j - 1], t[j]);
                j -= 2;
            } else {
                load = NodetoolValues.parseSize(t[j--]);
            }
            NodeState state = NodeState.parse(t[j]);
            if (state == null) {
                throw NodetoolParseException.at("ring", lineNo, line, "State column '" + t[j] + "' is not one of "
                        + "Normal, Leaving, Joining, Moving");
            }
            j--;
            NodeStatus status = null;
            if (j >= 2 && NodeStatus.parse(t[j]) != null) {
                status = NodeStatus.parse(t[j]);
                j--;
            }
            if (j < 1) {
                throw NodetoolParseException.at("ring", lineNo, line, "expected an address and a rack");
            }
            String address = t[0];
            String rack = String.join(" ", Arrays.copyOfRange(t, 1, j + 1));
            return new RingEntry(dc, address, rack, status, state, load, owns, token);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw NodetoolParseException.at("ring", lineNo, line, "value not understood (" + e.getMessage() + ")");
        }
    }
}
