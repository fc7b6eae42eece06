package dev.ringplan.modules.nodetool;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code nodetool netstats} (Cassandra's {@code tools/nodetool/NetStats.java}); recorded on
 * 5.0.7 while idle, joining, leaving, decommissioned, rebuilding (both ends) and restoring the
 * replica count after a removenode:
 *
 * <pre>
 * Mode: NORMAL
 * Rebuild e93d7670-ee5b-11f1-a796-c7d324b9e371
 *     /127.0.60.2 (using /127.0.0.1)
 *         Sending 7 files, 47586905 bytes total. Already sent 4 files (57.14%), 78252 bytes total (0.16%)
 *             /path/nb-4-big-Index.db 54776/54776 bytes (100%) sent to idx:0/127.0.60.2
 * Read Repair Statistics:
 * ...
 * </pre>
 *
 * <p>Without stream plans the second line is {@code Not sending any streams.}. A plan line is an
 * operation followed by a UUID; a peer line (a session) is an address under it, indented by 4; a
 * summary line is
 * {@code Receiving|Sending <n> files, <size> total. Already received|sent <n> files[ (<pct>%)],
 * <size> total[ (<pct>%)]} where a size is {@code <n> bytes} or, with {@code -H}, {@code 45.38 MiB}
 * (the percentages are 4.0+). File lines and everything from {@code Read Repair Statistics:} on
 * are not kept.
 */
public final class NetstatsParser {
    private static final Pattern MODE = Pattern.compile("^Mode:\\s*(\\S+)");
    private static final Pattern PLAN = Pattern.compile("^(\\S.*?)\\s+([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
            + "[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\\s*$");
    private static final Pattern SUMMARY = Pattern.compile("^(Receiving|Sending) (\\d+) files, (.+?) total\\. "
            + "Already (?:received|sent) (\\d+) files(?: \\([^)]*\\))?, (.+?) total(?: \\([^)]*\\))?\\s*$");

    private NetstatsParser() {
    }

    /**
     * Parses the whole standard output.
     *
     * @throws NodetoolParseException when there is no {@code Mode:} line, or a summary line's
     *                                sizes are not understood
     */
    public static NetStats parse(String output) throws NodetoolParseException {
        String mode = null;
        List<String[]> plans = new ArrayList<>();          // {operation, plan id}
        List<List<String>> peers = new ArrayList<>();      // the peers of each plan
        List<NetStats.Stream> streams = new ArrayList<>();
        String[] plan = null;
        String peer = null;
        String[] lines = output.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String s = line.strip();
            if (s.startsWith("Read Repair Statistics")) {
                break;
            }
            Matcher m = MODE.matcher(s);
            if (m.find() && mode == null) {
                mode = m.group(1);
                continue;
            }
            if (mode == null || s.isEmpty()) {
                continue;
            }
            Matcher pm = PLAN.matcher(line);
            if (pm.matches()) {
                plan = new String[] {pm.group(1).strip(), pm.group(2).toLowerCase(java.util.Locale.ROOT)};
                plans.add(plan);
                peers.add(new ArrayList<>());
                peer = null;
                continue;
            }
            Matcher sm = SUMMARY.matcher(s);
            if (sm.matches() && plan != null) {
                try {
                    streams.add(new NetStats.Stream(plan[0], plan[1], peer == null ? "" : peer,
                            sm.group(1).equals("Receiving") ? "receiving" : "sending", Long.parseLong(sm.group(2)),
                            Long.parseLong(sm.group(4)), size(sm.group(3)), size(sm.group(5))));
                } catch (NumberFormatException e) {
                    throw NodetoolParseException.at("netstats", i + 1, line, "size not understood (" + e.getMessage()
                            + ")");
                }
                continue;
            }
            if (plan != null && indent(line) > 0 && indent(line) <= 4 && !s.contains(" files")) {
                String first = s.split("\\s+")[0];
                peer = first.startsWith("/") ? first.substring(1) : first;
                peers.get(peers.size() - 1).add(peer);
            }
        }
        if (mode == null) {
            throw new NodetoolParseException("nodetool netstats output has no 'Mode:' line: "
                    + StatusParser.firstLine(output));
        }
        List<NetStats.Plan> out = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            out.add(new NetStats.Plan(plans.get(i)[0], plans.get(i)[1], peers.get(i)));
        }
        return new NetStats(mode, out, streams);
    }

    private static long size(String text) {
        Long b = NodetoolValues.parseSize(text);
        if (b == null) {
            throw new NumberFormatException("unknown size '" + text + "'");
        }
        return b;
    }

    private static int indent(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
