package dev.ringplan.modules.nodetool;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of {@code nodetool listsnapshots}: one table of one snapshot.
 *
 * @param name            snapshot name (tag)
 * @param keyspace        keyspace name
 * @param table           table ("Column family name")
 * @param trueSizeBytes   "True size": bytes only the snapshot holds (approximate), null when not parsable
 * @param sizeOnDiskBytes "Size on disk" (approximate), null when not parsable
 * @param creationTime    "Creation time" as printed (4.1+), null when absent
 * @param expirationTime  "Expiration time" as printed (4.1+, TTL snapshots), null when absent or empty
 */
public record SnapshotEntry(String name, String keyspace, String table, Long trueSizeBytes, Long sizeOnDiskBytes,
                            String creationTime, String expirationTime) {

    /**
     * Plain map: {@code name, keyspace, table, true_size_bytes, size_on_disk_bytes,
     * creation_time, expiration_time}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("keyspace", keyspace);
        m.put("table", table);
        m.put("true_size_bytes", trueSizeBytes);
        m.put("size_on_disk_bytes", sizeOnDiskBytes);
        m.put("creation_time", creationTime);
        m.put("expiration_time", expirationTime);
        return m;
    }
}
