package dev.ringplan.modules.nodetool;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.management.openmbean.TabularData;

/**
 * What {@code nodetool status}, {@code ring} and {@code listsnapshots} compute from Cassandra's
 * MBeans, as the same records their output parsers return ({@link StatusParser},
 * {@link RingParser}, {@link ListSnapshotsParser}), so a task registers the same data whichever
 * path it took. Pure functions of the MBean values; the rules are those of Cassandra 5.0.7's
 * {@code tools/nodetool/Status.java}, {@code Ring.java}, {@code ListSnapshots.java} and
 * {@code NodeTool.getOwnershipByDcWithPort}: datacenters sorted by name, a datacenter's nodes in
 * token order of {@code StorageService.TokenToEndpointMap}; status U (in {@code LiveNodes}), D
 * (in {@code UnreachableNodes}) or ?; state J, L, M (in {@code JoiningNodes}, {@code LeavingNodes},
 * {@code MovingNodes}) or N; load the {@code LoadMap} text (a size such as {@code 98.75 KiB}, or
 * ? when absent); owns the effective ownership formatted as nodetool prints it ({@code ##0.0%}
 * for status, {@code ##0.00%} for ring) or none when Cassandra refused effective ownership
 * (keyspaces with different replication, nodetool prints ?); host id from
 * {@code EndpointToHostId}; datacenter and rack from {@code EndpointSnitchInfo}. Sizes and
 * percentages go through the same text and the same {@link NodetoolValues} parsing as nodetool's
 * output, so rounding is identical.
 *
 * @param tokenToEndpoint {@code TokenToEndpointMap}: token → address, in ring order
 * @param live            {@code LiveNodes}
 * @param unreachable     {@code UnreachableNodes}
 * @param joining         {@code JoiningNodes}
 * @param leaving         {@code LeavingNodes}
 * @param moving          {@code MovingNodes}
 * @param load            {@code LoadMap}: address → size text
 * @param hostIds         {@code EndpointToHostId}: address → host id
 * @param owns            effective ownership (fraction 0..1) by address ({@link #address} of the
 *                        {@code effectiveOwnershipWithPort} keys), or null when Cassandra refused it
 * @param datacenter      address → datacenter
 * @param rack            address → rack
 */
record JmxReads(Map<String, String> tokenToEndpoint, Collection<String> live, Collection<String> unreachable,
                Collection<String> joining, Collection<String> leaving, Collection<String> moving,
                Map<String, String> load, Map<String, String> hostIds, Map<String, Float> owns,
                Map<String, String> datacenter, Map<String, String> rack) {

    /**
     * The address of an ownership key: {@code 127.0.0.1:7000}, {@code /127.0.0.1:7000},
     * {@code host/127.0.0.1}, {@code [::1]:7000} → {@code 127.0.0.1} / {@code ::1}.
     */
    static String address(String key) {
        String s = key.substring(key.indexOf('/') + 1);
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            return end < 0 ? s.substring(1) : s.substring(1, end);
        }
        int colon = s.indexOf(':');
        return colon >= 0 && colon == s.lastIndexOf(':') ? s.substring(0, colon) : s;
    }

    /** {@code keyed} with its keys reduced to addresses ({@link #address}). */
    static Map<String, Float> byAddress(Map<String, Float> keyed) {
        Map<String, Float> m = new LinkedHashMap<>();
        keyed.forEach((k, v) -> m.put(address(k), v));
        return m;
    }

    /** Datacenter → its addresses, in token order; datacenters sorted by name. */
    private Map<String, List<String>> byDc() {
        Map<String, List<String>> dcs = new TreeMap<>();
        for (String ep : tokenToEndpoint.values()) {
            List<String> l = dcs.computeIfAbsent(datacenter.get(ep), k -> new ArrayList<>());
            if (!l.contains(ep)) {
                l.add(ep);
            }
        }
        return dcs;
    }

    private NodeStatus status(String ep) {
        return live.contains(ep) ? NodeStatus.UP : unreachable.contains(ep) ? NodeStatus.DOWN : NodeStatus.UNKNOWN;
    }

    private NodeState state(String ep) {
        return joining.contains(ep) ? NodeState.JOINING : leaving.contains(ep) ? NodeState.LEAVING
                : moving.contains(ep) ? NodeState.MOVING : NodeState.NORMAL;
    }

    private Long loadBytes(String ep) {
        String l = load.get(ep);
        return l == null ? null : NodetoolValues.parseSize(l);
    }

    private Double owns(String ep, String pattern) {
        Float f = owns == null ? null : owns.get(ep);
        if (f == null) {
            return null;
        }
        return NodetoolValues.parsePercent(new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT))
                .format(f));
    }

    /** {@code nodetool status}: one entry per node, the token-per-node layout when there are no more tokens than datacenters. */
    NodetoolStatus status() {
        Map<String, List<String>> dcs = byDc();
        // nodetool: "More tokens than nodes (aka vnodes)?" compares the number of datacenters with the tokens
        boolean tokenPerNode = !(dcs.size() < tokenToEndpoint.size());
        Map<String, List<String>> tokens = new LinkedHashMap<>();
        tokenToEndpoint.forEach((t, ep) -> tokens.computeIfAbsent(ep, k -> new ArrayList<>()).add(t));
        List<StatusNode> nodes = new ArrayList<>();
        for (Map.Entry<String, List<String>> dc : dcs.entrySet()) {
            for (String ep : dc.getValue()) {
                List<String> ts = tokens.get(ep);
                nodes.add(new StatusNode(dc.getKey(), ep, status(ep), state(ep), loadBytes(ep),
                        tokenPerNode ? null : ts.size(), tokenPerNode ? ts.get(0) : null, owns(ep, "##0.0%"),
                        hostIds.get(ep), rack.get(ep)));
            }
        }
        return new NodetoolStatus(new ArrayList<>(dcs.keySet()), nodes);
    }

    /** {@code nodetool ring}: one entry per token, per datacenter in ring order. */
    NodetoolRing ring() {
        Map<String, List<String>> dcs = byDc();
        List<RingEntry> entries = new ArrayList<>();
        for (String dc : dcs.keySet()) {
            tokenToEndpoint.forEach((t, ep) -> {
                if (dc.equals(datacenter.get(ep))) {
                    entries.add(new RingEntry(dc, ep, rack.get(ep), status(ep), state(ep), loadBytes(ep),
                            owns(ep, "##0.00%"), t));
                }
            });
        }
        return new NodetoolRing(new ArrayList<>(dcs.keySet()), entries);
    }

    /**
     * {@code nodetool listsnapshots}: the rows of {@code StorageService.getSnapshotDetails} (each
     * row's index values, read by the index names of Cassandra's {@code SnapshotDetailsTabularData}:
     * Snapshot name, Keyspace name, Column family name, True size, Size on disk, Creation time,
     * Expiration time; null cells are empty, as nodetool prints them) in the order
     * nodetool prints them; the total is {@code trueSnapshotsSize} as nodetool prints it
     * ({@link #stringifyFileSize}). No snapshot: no entries and total 0.
     */
    static SnapshotList snapshots(Map<String, TabularData> details, long trueSize) {
        if (details.isEmpty()) {
            return new SnapshotList(List.of(), 0L);
        }
        List<SnapshotEntry> out = new ArrayList<>();
        for (Map.Entry<String, TabularData> e : details.entrySet()) {
            List<String> names = e.getValue().getTabularType().getIndexNames();
            int[] at = new int[COLUMNS.length];
            for (int c = 0; c < COLUMNS.length; c++) {
                at[c] = names.indexOf(COLUMNS[c]);
            }
            for (Object key : e.getValue().keySet()) {
                List<?> v = (List<?>) key;
                out.add(new SnapshotEntry(cell(v, at[0]), cell(v, at[1]), cell(v, at[2]), size(cell(v, at[3])),
                        size(cell(v, at[4])), emptyToNull(cell(v, at[5])), emptyToNull(cell(v, at[6]))));
            }
        }
        return new SnapshotList(out, NodetoolValues.parseSize(stringifyFileSize(trueSize)));
    }

    /** The index names of {@code SnapshotDetailsTabularData} read, in SnapshotEntry's order. */
    private static final String[] COLUMNS = {"Snapshot name", "Keyspace name", "Column family name", "True size",
        "Size on disk", "Creation time", "Expiration time"};

    private static String cell(List<?> v, int i) {
        return i >= 0 && i < v.size() && v.get(i) != null ? String.valueOf(v.get(i)).strip() : "";
    }

    private static Long size(String s) {
        if (s.isEmpty()) {
            return null;
        }
        try {
            return NodetoolValues.parseSize(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /**
     * A size as Cassandra's {@code FileUtils.stringifyFileSize} prints it: {@code #.##} and the
     * largest of TiB, GiB, MiB, KiB the value reaches, else bytes.
     */
    static String stringifyFileSize(double value) {
        DecimalFormat df = new DecimalFormat("#.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
        double tib = 1L << 40;
        double gib = 1L << 30;
        double mib = 1L << 20;
        double kib = 1L << 10;
        if (value >= tib) {
            return df.format(value / tib) + " TiB";
        } else if (value >= gib) {
            return df.format(value / gib) + " GiB";
        } else if (value >= mib) {
            return df.format(value / mib) + " MiB";
        } else if (value >= kib) {
            return df.format(value / kib) + " KiB";
        }
        return df.format(value) + " bytes";
    }
}
