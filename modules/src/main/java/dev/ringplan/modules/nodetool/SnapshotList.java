package dev.ringplan.modules.nodetool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Parsed {@code nodetool listsnapshots}.
 *
 * @param entries             one row per snapshot and table, in printed order (empty for
 *                            "There are no snapshots")
 * @param totalTrueSizeBytes  the "Total TrueDiskSpaceUsed" line in bytes, null when absent
 */
public record SnapshotList(List<SnapshotEntry> entries, Long totalTrueSizeBytes) {

    /** Copies the list. */
    public SnapshotList {
        entries = List.copyOf(entries);
    }

    /** The distinct snapshot names, sorted. */
    public List<String> names() {
        return new ArrayList<>(new TreeSet<>(entries.stream().map(SnapshotEntry::name).toList()));
    }

    /** The rows of snapshot {@code name}. */
    public List<SnapshotEntry> byName(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).toList();
    }

    /**
     * Plain map: {@code snapshots} (list of {@link SnapshotEntry#toMap}), {@code names} (distinct
     * tags, sorted), {@code total_true_size_bytes}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> l = new ArrayList<>();
        for (SnapshotEntry e : entries) {
            l.add(e.toMap());
        }
        m.put("snapshots", l);
        m.put("names", names());
        m.put("total_true_size_bytes", totalTrueSizeBytes);
        return m;
    }
}
