package dev.ringplan.modules.cql;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of one keyspace the {@code alter_keyspace} module manages, with the statements
 * that set them and their before/after rendering.
 *
 * @param replication   the replication
 * @param durableWrites whether writes go through the commitlog
 */
public record KeyspaceSettings(Replication replication, boolean durableWrites) {

    /**
     * What the keyspace must become: {@code desired} replication and durable_writes where given,
     * else those of {@code current}.
     *
     * @param current the keyspace as it is, or null when it does not exist (durable_writes then
     *                defaults to true, Cassandra's default)
     * @param replication the asked replication, or null to keep the current one
     * @param durableWrites the asked durable_writes, or null to keep the current one
     * @throws IllegalArgumentException when the keyspace does not exist and no replication is asked
     */
    public static KeyspaceSettings target(KeyspaceSettings current, Replication replication, Boolean durableWrites) {
        if (current == null && replication == null) {
            throw new IllegalArgumentException("a keyspace to create needs a replication");
        }
        return new KeyspaceSettings(replication != null ? replication : current.replication(),
                durableWrites != null ? durableWrites : current == null || current.durableWrites());
    }

    /**
     * The statement that turns {@code current} into these settings: {@code CREATE KEYSPACE} when
     * current is null, else {@code ALTER KEYSPACE} with the clauses that differ; null when equal.
     * The keyspace name must be valid ({@link CqlIdentifiers#name}); it is quoted.
     */
    public String statementFrom(KeyspaceSettings current, String keyspace) {
        String ks = CqlIdentifiers.quote(keyspace);
        if (current == null) {
            return "CREATE KEYSPACE " + ks + " WITH replication = " + replication.toCql()
                    + (durableWrites ? "" : " AND durable_writes = false");
        }
        List<String> clauses = new ArrayList<>();
        if (!current.replication().equals(replication)) {
            clauses.add("replication = " + replication.toCql());
        }
        if (current.durableWrites() != durableWrites) {
            clauses.add("durable_writes = " + durableWrites);
        }
        return clauses.isEmpty() ? null : "ALTER KEYSPACE " + ks + " WITH " + String.join(" AND ", clauses);
    }

    /** Registered data: {@code {replication: {class: ..., dc1: 3}, durable_writes: true}}. */
    public Map<String, Object> toData() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("replication", replication.toData());
        m.put("durable_writes", durableWrites);
        return m;
    }

    /**
     * The settings as YAML-like lines, one option per line, for a diff:
     * <pre>
     * replication:
     *   class: NetworkTopologyStrategy
     *   dc1: 3
     * durable_writes: true
     * </pre>
     */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add("replication:");
        out.add("  class: " + replication.shortStrategy());
        replication.options().forEach((k, v) -> out.add("  " + k + ": " + v));
        out.add("durable_writes: " + durableWrites);
        return out;
    }

    /**
     * The unified diff from {@code before} (null: the keyspace does not exist) to {@code after}
     * for keyspace {@code keyspace}, with the whole rendering as context; null when they are equal.
     */
    public static String diff(String keyspace, KeyspaceSettings before, KeyspaceSettings after) {
        List<String> a = before == null ? List.of() : before.lines();
        List<String> b = after.lines();
        if (a.equals(b)) {
            return null;
        }
        String label = "keyspace " + keyspace;
        List<String> u = UnifiedDiffUtils.generateUnifiedDiff(label + (before == null ? " (absent)" : " (before)"),
                label + " (after)", a, DiffUtils.diff(a, b), Math.max(a.size(), b.size()));
        return String.join("\n", u) + "\n";
    }
}
