package dev.ringplan.modules.nodetool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parsed {@code nodetool compactionstats} ({@link CompactionStatsParser}).
 *
 * @param pendingTasks          the {@code pending tasks} count (it includes the running ones)
 * @param pendingByTable        pending tasks per table, in printed order (3.0+; empty when none)
 * @param active                the compactions running, in printed order
 * @param remainingSeconds      {@code Active compaction remaining time} in seconds; null when not
 *                              printed (no active compaction) or {@code n/a} (throughput unlimited)
 * @param concurrentCompactors  {@code concurrent compactors} (5.0), else null
 * @param throughputMibPerSecond {@code compaction throughput (MiB/s)} (5.0; 0 is unthrottled), else null
 */
public record CompactionStats(long pendingTasks, List<PendingTable> pendingByTable, List<Active> active,
                              Long remainingSeconds, Integer concurrentCompactors, Double throughputMibPerSecond) {

    /** Copies the lists. */
    public CompactionStats {
        pendingByTable = List.copyOf(pendingByTable);
        active = List.copyOf(active);
    }

    /**
     * Pending tasks of one table.
     *
     * @param keyspace the keyspace
     * @param table    the table
     * @param tasks    pending tasks
     */
    public record PendingTable(String keyspace, String table, long tasks) {
    }

    /**
     * One running compaction (a line of the table under {@code compaction type}).
     *
     * @param id        the compaction id (3.0+), else null
     * @param type      e.g. {@code Compaction}, {@code Major compaction}, {@code Cleanup},
     *                  {@code Validation}, {@code Secondary index build}
     * @param keyspace  the keyspace
     * @param table     the table
     * @param completed done so far, in {@code unit}
     * @param total     to do, in {@code unit}
     * @param unit      {@code bytes}, {@code keys}, {@code token range parts}..., or null when the
     *                  version prints no unit column
     * @param progress  percent done (9.48), null when printed {@code n/a}
     */
    public record Active(String id, String type, String keyspace, String table, long completed, long total,
                         String unit, Double progress) {
        /** Plain map: {@code id, type, keyspace, table, completed, total, unit, progress}. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            m.put("type", type);
            m.put("keyspace", keyspace);
            m.put("table", table);
            m.put("completed", completed);
            m.put("total", total);
            m.put("unit", unit);
            m.put("progress", progress);
            return m;
        }
    }

    /**
     * Plain map for registered data: {@code pending_tasks}, {@code pending_by_table} ({keyspace,
     * table, tasks}), {@code compactions} ({@link Active#toMap}), {@code remaining_seconds},
     * {@code concurrent_compactors}, {@code throughput_mib}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pending_tasks", pendingTasks);
        List<Object> byTable = new ArrayList<>();
        for (PendingTable p : pendingByTable) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("keyspace", p.keyspace());
            t.put("table", p.table());
            t.put("tasks", p.tasks());
            byTable.add(t);
        }
        m.put("pending_by_table", byTable);
        List<Object> running = new ArrayList<>();
        for (Active a : active) {
            running.add(a.toMap());
        }
        m.put("compactions", running);
        m.put("remaining_seconds", remainingSeconds);
        m.put("concurrent_compactors", concurrentCompactors == null ? null : concurrentCompactors.longValue());
        m.put("throughput_mib", throughputMibPerSecond);
        return m;
    }
}
