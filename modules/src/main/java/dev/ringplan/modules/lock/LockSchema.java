package dev.ringplan.modules.lock;

import dev.ringplan.modules.cql.CqlIdentifiers;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The CQL of the lock table {@code ringplan.locks}: one row per cluster (key: its
 * {@code cluster_name}), written with lightweight transactions (Paxos, SERIAL consistency) and a
 * TTL, so a lock whose run died disappears by itself.
 *
 * <p>The keyspace is created with {@code NetworkTopologyStrategy} and, per datacenter, min(3,
 * nodes in that datacenter) replicas, from the nodes the driver knows (or
 * {@code SimpleStrategy} with min(3, nodes) when no datacenter is known). The table has a fixed
 * id ({@code WITH ID}, as Cassandra's snapshot {@code schema.cql} files write it): two runs
 * creating it at once on a new cluster create the same table, not two tables of one name that the
 * nodes would disagree on.
 */
public final class LockSchema {
    /** The keyspace. */
    public static final String KEYSPACE = CqlIdentifiers.RINGPLAN_KEYSPACE;
    /** The table. */
    public static final String TABLE = "locks";
    /** The table's fixed id. */
    public static final String TABLE_ID = "5d2c1f0e-7a4b-4c3d-9e8f-72696e67706c";
    /** The most replicas per datacenter. */
    public static final int MAX_REPLICAS = 3;

    private static final String COLUMNS = "cluster, run_id, controller, os_user, pid, process, started, taken_at, plan";

    private LockSchema() {
    }

    /** {@code CREATE KEYSPACE IF NOT EXISTS ringplan ...} for a cluster with {@code nodesPerDc}. */
    public static String createKeyspace(Map<String, Integer> nodesPerDc) {
        return "CREATE KEYSPACE IF NOT EXISTS " + KEYSPACE + " WITH replication = " + replication(nodesPerDc);
    }

    /** {@code ALTER KEYSPACE ringplan ...} to the replication {@link #createKeyspace} would give. */
    public static String alterKeyspace(Map<String, Integer> nodesPerDc) {
        return "ALTER KEYSPACE " + KEYSPACE + " WITH replication = " + replication(nodesPerDc);
    }

    /**
     * The replication map literal: NetworkTopologyStrategy with min(3, nodes) per datacenter, or
     * SimpleStrategy with min(3, total) when no datacenter is named (an empty map: 1 replica).
     */
    static String replication(Map<String, Integer> nodesPerDc) {
        Map<String, Integer> dcs = new TreeMap<>();
        nodesPerDc.forEach((dc, n) -> {
            if (dc != null && !dc.isBlank() && n > 0) {
                dcs.put(dc, Math.min(MAX_REPLICAS, n));
            }
        });
        if (dcs.isEmpty()) {
            int total = nodesPerDc.values().stream().mapToInt(Integer::intValue).sum();
            return "{'class': 'SimpleStrategy', 'replication_factor': " + Math.max(1, Math.min(MAX_REPLICAS, total)) + "}";
        }
        StringBuilder sb = new StringBuilder("{'class': 'NetworkTopologyStrategy'");
        dcs.forEach((dc, n) -> sb.append(", ").append(CqlIdentifiers.literal(dc)).append(": ").append(n));
        return sb.append('}').toString();
    }

    /**
     * Whether a NetworkTopologyStrategy replication {@code current} (as
     * {@code system_schema.keyspaces} holds it) should be changed for a cluster whose datacenters
     * are {@code liveDcs}: it names a datacenter the cluster no longer has (after a datacenter
     * migration the lock would otherwise have no replica). A datacenter added is left out until
     * then: the lock works without it, and its schema is not changed while a migration runs.
     * Other strategies are left as they are.
     */
    public static boolean needsRealign(Map<String, String> current, Set<String> liveDcs) {
        if (current == null || liveDcs.isEmpty()
                || !String.valueOf(current.get("class")).endsWith("NetworkTopologyStrategy")) {
            return false;
        }
        Set<String> named = new java.util.TreeSet<>(current.keySet());
        named.remove("class");
        return !liveDcs.containsAll(named);
    }

    /** {@code CREATE TABLE IF NOT EXISTS ringplan.locks ...}. */
    public static String createTable() {
        return "CREATE TABLE IF NOT EXISTS " + KEYSPACE + "." + TABLE + " (cluster text PRIMARY KEY, run_id text,"
                + " controller text, os_user text, pid bigint, process text, started timestamp, taken_at timestamp,"
                + " plan text) WITH ID = " + TABLE_ID + " AND comment = 'Ringplan run locks, one row per cluster"
                + " (ringplan unlock CLUSTER --run RUN_ID removes a dead run''s)'";
    }

    /** Whether the table exists: {@code system_schema.tables}. */
    public static String tableExists() {
        return "SELECT table_name FROM system_schema.tables WHERE keyspace_name = '" + KEYSPACE + "' AND table_name = '"
                + TABLE + "'";
    }

    /** The keyspace's replication: {@code system_schema.keyspaces}. */
    public static String keyspaceReplication() {
        return "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = '" + KEYSPACE + "'";
    }

    /** Takes a free lock: 9 bind values (cluster, then the holder), {@code IF NOT EXISTS}, TTL seconds inline. */
    public static String insert(long ttlSeconds) {
        return "INSERT INTO " + KEYSPACE + "." + TABLE + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS"
                + " USING TTL " + ttlSeconds;
    }

    /**
     * Rewrites the row (renewal, or taking over from {@code expected}): 8 holder values, then the
     * cluster, the expected run id and process; {@code IF run_id = ? AND process = ?}.
     */
    public static String update(long ttlSeconds) {
        return "UPDATE " + KEYSPACE + "." + TABLE + " USING TTL " + ttlSeconds + " SET run_id = ?, controller = ?,"
                + " os_user = ?, pid = ?, process = ?, started = ?, taken_at = ?, plan = ? WHERE cluster = ?"
                + " IF run_id = ? AND process = ?";
    }

    /** Removes the row of run and process: cluster, run id, process. */
    public static String delete() {
        return "DELETE FROM " + KEYSPACE + "." + TABLE + " WHERE cluster = ? IF run_id = ? AND process = ?";
    }

    /** Removes the row of a run, whatever its process ({@code ringplan unlock}): cluster, run id. */
    public static String deleteRun() {
        return "DELETE FROM " + KEYSPACE + "." + TABLE + " WHERE cluster = ? IF run_id = ?";
    }

    /** Reads the row: cluster. */
    public static String select() {
        return "SELECT " + COLUMNS + " FROM " + KEYSPACE + "." + TABLE + " WHERE cluster = ?";
    }
}
