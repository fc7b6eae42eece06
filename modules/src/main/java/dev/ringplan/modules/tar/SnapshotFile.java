package dev.ringplan.modules.tar;

/**
 * One file of a snapshot on the node.
 *
 * @param dataDirIndex index of the data directory in {@code cassandra_data_dirs} it lives in
 * @param sourcePath   absolute path on the node
 * @param entryPath    path inside the archive: {@code <ks>/<table>-<id>/<path under snapshots/<tag>/>}
 * @param size         size in bytes, as listed
 * @param mtimeMillis  modification time, milliseconds since the epoch
 */
public record SnapshotFile(int dataDirIndex, String sourcePath, String entryPath, long size, long mtimeMillis) {
}
