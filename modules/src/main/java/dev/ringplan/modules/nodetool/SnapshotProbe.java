package dev.ringplan.modules.nodetool;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.FileStat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds snapshots by looking at a node's data directories through its {@link Connection}, without
 * starting nodetool. Cassandra keeps a snapshot of table {@code t} of keyspace {@code ks} under
 * {@code <data_dir>/<ks>/<t>-<table id>/snapshots/<tag>/} (hard links to the SSTables plus
 * {@code manifest.json} and, for non-system keyspaces, {@code schema.cql}; checked on a 5.0.7
 * sandbox, SANDBOX-NOTES "Snapshot layout"). Since 4.0 the directory is created even for a table
 * with no SSTables, because the manifest is always written.
 *
 * <p>Why directories rather than {@code nodetool listsnapshots}: listing costs one SFTP round
 * trip per directory instead of a JVM start (1.3–1.7 s measured), and it is exact:
 * {@code listsnapshots} hides ephemeral snapshots and, in 4.1+, expired TTL snapshots, while
 * Cassandra refuses to reuse any tag whose directory exists. CQL identifiers cannot contain
 * {@code -}, so a table directory is {@code <table>} (before 2.x+ ids) or {@code <table>-<id>}.
 */
final class SnapshotProbe {

    /**
     * One snapshot directory of one table.
     *
     * @param keyspace keyspace directory name
     * @param table    table name (directory name without the id)
     * @param tag      snapshot tag
     * @param path     the snapshot directory, or null when found through listsnapshots
     */
    record Found(String keyspace, String table, String tag, String path) {
        String qualifiedTable() {
            return keyspace + "." + table;
        }
    }

    private SnapshotProbe() {
    }

    /**
     * Finds snapshot directories.
     *
     * @param conn      the host
     * @param dataDirs  the node's data directories
     * @param tag       the tag to look for, or null for every tag
     * @param keyspaces only these keyspaces (empty: all)
     * @param tables    only these tables, as {@code ks.table} (empty: all)
     * @return what was found, or empty when none of {@code dataDirs} exists (the caller then falls
     *         back to {@code nodetool listsnapshots})
     */
    static Optional<List<Found>> find(Connection conn, List<String> dataDirs, String tag, Set<String> keyspaces,
                                      Set<String> tables) throws ConnectionException {
        List<Found> out = new ArrayList<>();
        boolean anyDir = false;
        for (String dataDir : dataDirs) {
            Optional<FileStat> st = conn.stat(dataDir);
            if (st.isEmpty() || !(st.get().isDirectory() || st.get().type() == FileStat.Type.SYMLINK)) {
                continue;
            }
            anyDir = true;
            for (FileStat ks : conn.list(dataDir)) {
                if (!ks.isDirectory() || (!keyspaces.isEmpty() && !keyspaces.contains(ks.name()))) {
                    continue;
                }
                for (FileStat td : conn.list(join(dataDir, ks.name()))) {
                    if (!td.isDirectory()) {
                        continue;
                    }
                    String table = tableName(td.name());
                    if (!tables.isEmpty() && !tables.contains(ks.name() + "." + table)) {
                        continue;
                    }
                    String snapDir = join(join(join(dataDir, ks.name()), td.name()), "snapshots");
                    if (tag != null) {
                        String p = join(snapDir, tag);
                        Optional<FileStat> s = conn.stat(p);
                        if (s.isPresent() && s.get().isDirectory()) {
                            out.add(new Found(ks.name(), table, tag, p));
                        }
                    } else {
                        for (FileStat snap : conn.list(snapDir)) {
                            if (snap.isDirectory()) {
                                out.add(new Found(ks.name(), table, snap.name(), join(snapDir, snap.name())));
                            }
                        }
                    }
                }
            }
        }
        return anyDir ? Optional.of(out) : Optional.empty();
    }

    /**
     * The same answer from parsed {@code nodetool listsnapshots} output (fallback when no data
     * directory is visible).
     */
    static List<Found> fromList(SnapshotList list, String tag, Set<String> keyspaces, Set<String> tables) {
        List<Found> out = new ArrayList<>();
        for (SnapshotEntry e : list.entries()) {
            if (tag != null && !e.name().equals(tag)) {
                continue;
            }
            if (!keyspaces.isEmpty() && !keyspaces.contains(e.keyspace())) {
                continue;
            }
            if (!tables.isEmpty() && !tables.contains(e.keyspace() + "." + e.table())) {
                continue;
            }
            out.add(new Found(e.keyspace(), e.table(), e.name(), null));
        }
        return out;
    }

    /** {@code t1-0123abcd...} → {@code t1}; {@code t1} → {@code t1}. */
    static String tableName(String dirName) {
        int dash = dirName.indexOf('-');
        return dash < 0 ? dirName : dirName.substring(0, dash);
    }

    static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
