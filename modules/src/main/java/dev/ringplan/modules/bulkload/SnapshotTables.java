package dev.ringplan.modules.bulkload;

import dev.ringplan.modules.tar.SnapshotFile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SSTables of one snapshot on one node, grouped per table and data directory, from the files
 * {@link dev.ringplan.modules.tar.SnapshotScanner} found (entries {@code <ks>/<table>-<id>/<file>}).
 * Only a snapshot directory's own files are SSTable components to load: {@code manifest.json} and
 * {@code schema.cql} are not, and secondary index SSTables (in {@code .<index>/} subdirectories)
 * are left out because the receiving nodes build the indexes of the SSTables they are streamed.
 */
public final class SnapshotTables {
    /**
     * Keyspaces a default call ({@code keyspaces} and {@code tables} not given) leaves out:
     * Cassandra's own, and Ringplan's lock keyspace {@code ringplan} (its rows name the source's
     * runs, not the target's).
     */
    public static final Set<String> SYSTEM_KEYSPACES = Set.of("system", "system_schema", "system_auth",
            "system_distributed", "system_traces", "system_views", "system_virtual_schema", "system_cluster_metadata",
            dev.ringplan.modules.cql.CqlIdentifiers.RINGPLAN_KEYSPACE);

    private static final Set<String> NOT_SSTABLE = Set.of("manifest.json", "schema.cql");

    private SnapshotTables() {
    }

    /**
     * One table's snapshot files in one data directory.
     *
     * @param keyspace     keyspace name
     * @param table        table name (the directory name without its {@code -<id>})
     * @param dataDirIndex index in {@code cassandra_data_dirs}
     * @param files        absolute paths of the SSTable components, sorted
     * @param bytes        their total size
     * @param fingerprint  hex SHA-256 over the sorted {@code name size} lines: another snapshot
     *                     taken under the same tag (new SSTable generations) has another one
     */
    public record TableFiles(String keyspace, String table, int dataDirIndex, List<String> files, long bytes,
                             String fingerprint) {
        /** {@code keyspace.table}. */
        public String qualified() {
            return keyspace + "." + table;
        }
    }

    /**
     * Groups {@code found} per (table, data directory), keeping the tables asked for.
     *
     * @param found     the scanner's files of the snapshot
     * @param keyspaces keyspaces to keep; with {@code tables} also empty, every non-system keyspace
     * @param tables    {@code ks.table} names to keep (in addition to {@code keyspaces})
     * @return sorted by keyspace, table, data directory index
     */
    public static List<TableFiles> group(Collection<SnapshotFile> found, Collection<String> keyspaces,
                                         Collection<String> tables) {
        Map<String, List<SnapshotFile>> byKey = new LinkedHashMap<>();
        for (SnapshotFile f : found) {
            String[] parts = f.entryPath().split("/");
            if (parts.length != 3 || NOT_SSTABLE.contains(parts[2])) {
                continue;
            }
            String ks = parts[0];
            String table = tableName(parts[1]);
            boolean all = keyspaces.isEmpty() && tables.isEmpty();
            if (all ? SYSTEM_KEYSPACES.contains(ks) : !keyspaces.contains(ks) && !tables.contains(ks + "." + table)) {
                continue;
            }
            byKey.computeIfAbsent(ks + "\0" + table + "\0" + f.dataDirIndex(), k -> new ArrayList<>()).add(f);
        }
        List<TableFiles> out = new ArrayList<>();
        for (List<SnapshotFile> fs : byKey.values()) {
            fs.sort((a, b) -> a.sourcePath().compareTo(b.sourcePath()));
            String[] parts = fs.get(0).entryPath().split("/");
            out.add(new TableFiles(parts[0], tableName(parts[1]), fs.get(0).dataDirIndex(),
                    fs.stream().map(SnapshotFile::sourcePath).toList(),
                    fs.stream().mapToLong(SnapshotFile::size).sum(), fingerprint(fs)));
        }
        out.sort((a, b) -> a.keyspace().equals(b.keyspace())
                ? a.table().equals(b.table()) ? Integer.compare(a.dataDirIndex(), b.dataDirIndex())
                : a.table().compareTo(b.table()) : a.keyspace().compareTo(b.keyspace()));
        return out;
    }

    /** {@code users-0f3c...} → {@code users}: Cassandra table names hold no {@code -}. */
    static String tableName(String dirName) {
        int dash = dirName.lastIndexOf('-');
        return dash > 0 ? dirName.substring(0, dash) : dirName;
    }

    private static String fingerprint(List<SnapshotFile> fs) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            fs.stream().map(f -> f.entryPath().substring(f.entryPath().lastIndexOf('/') + 1) + " " + f.size() + "\n")
                    .sorted().forEach(l -> md.update(l.getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
