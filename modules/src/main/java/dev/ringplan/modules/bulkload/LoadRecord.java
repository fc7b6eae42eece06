package dev.ringplan.modules.bulkload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringplan.engine.report.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a source node has already loaded from one snapshot: the JSON record kept on the source node
 * at {@code <parent of cassandra_data_dirs[0]>/.ringplan/bulkload/<snapshot tag>.json}, e.g.
 * {@code /var/lib/cassandra/.ringplan/bulkload/migrate.json}. Immutable; {@link #with} gives a new
 * record. Format:
 *
 * <pre>{"snapshot": "migrate", "loads": [{"table": "ks.t", "data_dir": 0, "fingerprint": "&lt;sha256&gt;",
 *   "target": "Target Cluster", "table_id": "&lt;uuid&gt;", "files": 8, "bytes": 5230, "at": "2026-12-02T14:00:00Z"}]}</pre>
 *
 * A load counts as done for a (table, data directory, snapshot fingerprint, target cluster, target
 * table id): a snapshot taken again under the same tag has new SSTables, hence another
 * fingerprint, and is loaded again; so is a table dropped and created again on the target, or a
 * target cluster rebuilt under the same name (new table ids).
 *
 * @param snapshot the snapshot tag
 * @param loads    the loads done, oldest first
 */
public record LoadRecord(String snapshot, List<Load> loads) {
    /**
     * One table streamed from one data directory to one target cluster.
     *
     * @param table       {@code ks.table}
     * @param dataDir     index in {@code cassandra_data_dirs}
     * @param fingerprint {@link SnapshotTables.TableFiles#fingerprint()}
     * @param target      the target cluster ({@code cluster_name} of its {@code system.local})
     * @param tableId     id of the table on the target ({@code system_schema.tables.id})
     * @param files       files the loader reported transferred
     * @param bytes       bytes the loader reported transferred
     * @param at          ISO-8601 instant the load ended
     */
    public record Load(String table, int dataDir, String fingerprint, String target, String tableId, long files,
                       long bytes, String at) {
        boolean sameKey(Load o) {
            return table.equals(o.table) && dataDir == o.dataDir && fingerprint.equals(o.fingerprint)
                    && target.equals(o.target) && tableId.equals(o.tableId);
        }
    }

    /** Copies the list. */
    public LoadRecord {
        loads = List.copyOf(loads);
    }

    /** An empty record of {@code snapshot}. */
    public static LoadRecord empty(String snapshot) {
        return new LoadRecord(snapshot, List.of());
    }

    /** Whether {@code t} was loaded into table {@code tableId} of cluster {@code target}. */
    public boolean contains(SnapshotTables.TableFiles t, String target, String tableId) {
        Load key = new Load(t.qualified(), t.dataDirIndex(), t.fingerprint(), target, tableId, 0, 0, "");
        return loads.stream().anyMatch(l -> l.sameKey(key));
    }

    /** This record with {@code load} added, replacing an entry with the same key. */
    public LoadRecord with(Load load) {
        List<Load> out = new ArrayList<>();
        for (Load l : loads) {
            if (!l.sameKey(load)) {
                out.add(l);
            }
        }
        out.add(load);
        return new LoadRecord(snapshot, out);
    }

    /** The record as UTF-8 JSON, one load per element. */
    public byte[] toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("snapshot", snapshot);
        ArrayNode arr = root.putArray("loads");
        for (Load l : loads) {
            arr.addObject().put("table", l.table()).put("data_dir", l.dataDir()).put("fingerprint", l.fingerprint())
                    .put("target", l.target()).put("table_id", l.tableId()).put("files", l.files()).put("bytes", l.bytes()).put("at", l.at());
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a record written by {@link #toJson}.
     *
     * @throws IllegalArgumentException when the text is not such a record, or is of another snapshot
     */
    public static LoadRecord parse(byte[] json, String snapshot) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (root == null || !root.path("loads").isArray() || !snapshot.equals(root.path("snapshot").asText(null))) {
            throw new IllegalArgumentException("not a bulkload record of snapshot '" + snapshot + "'");
        }
        List<Load> loads = new ArrayList<>();
        for (JsonNode l : root.get("loads")) {
            for (String k : List.of("table", "data_dir", "fingerprint", "target", "table_id", "files", "bytes", "at")) {
                if (l.get(k) == null || l.get(k).isNull()) {
                    throw new IllegalArgumentException("a load lacks '" + k + "'");
                }
            }
            loads.add(new Load(l.get("table").asText(), l.get("data_dir").asInt(), l.get("fingerprint").asText(),
                    l.get("target").asText(), l.get("table_id").asText(), l.get("files").asLong(), l.get("bytes").asLong(), l.get("at").asText()));
        }
        return new LoadRecord(snapshot, loads);
    }
}
