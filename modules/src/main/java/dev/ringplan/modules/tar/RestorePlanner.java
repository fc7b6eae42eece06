package dev.ringplan.modules.tar;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.modules.tar.RestorePlacements.Action;
import dev.ringplan.modules.tar.RestorePlacements.Placement;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Works out where each file of a backup goes on a node and which are already there
 * ({@link #plan}, read-only: list, stat, and a hash of present files), giving the
 * {@link RestorePlacements} that {@link Restore#execute} carries out.
 *
 * <p>Table mapping ({@code target: data}): an archive entry {@code <ks>/<table>-<id>/<file>} goes
 * to the live directory of {@code <ks>.<table>} on the node, matched by keyspace and table name
 * (directory {@code <table>-<32 hex id>}, Cassandra's Directories naming), whatever its id. A
 * directory holding a {@code snapshots/dropped-*} snapshot belongs to a dropped table (Cassandra
 * names its automatic snapshot on DROP {@code dropped-<time>-<table>}, ColumnFamilyStore
 * SNAPSHOT_DROP_PREFIX) and is never chosen. Several data directories (JBOD): a file goes to the
 * data directory holding the live table directory; when several do, to data directory
 * {@code data_dir_index mod count} if it holds one, else to the holder number
 * {@code data_dir_index mod holders}.
 */
final class RestorePlanner {
    /** A Cassandra table directory name: {@code <table>-<32 hex id>}. */
    static final Pattern TABLE_DIR = Pattern.compile("^(\\w+)-([0-9a-f]{32})$");
    private static final Pattern IDENT = Pattern.compile("^\\w+$");
    private static final int BUF = 256 * 1024;

    private RestorePlanner() {
    }

    /**
     * Where and what to restore.
     *
     * @param dataDirs      the node's data directories (mode {@code target: data}), else null
     * @param targetDir     explicit directory (mode {@code target_dir}), else null
     * @param keyspaces     only these keyspaces; empty for all
     * @param tables        only these {@code ks.table}; empty for all
     * @param createMissing create {@code <ks>/<table>-<archive id>/} for tables the node lacks
     * @param overwrite     replace present files with other content
     * @param tableIds      {@code ks.table} → live table id, to pick among several directories
     * @param backupIds     every file goes to {@code <data_dirs[data_dir_index]>/<ks>/<table>-<id of the
     *                      backup>/}: no live directory is looked for (a whole-node restore, whose
     *                      schema comes back with the data)
     * @param importName    non-null: stage SSTables for {@code nodetool import} in
     *                      {@code <data_dirs[data_dir_index]>/.ringplan-import/<importName>/<ks>/<table>/}
     *                      instead (metadata and index subdirectories left out)
     */
    record Options(List<String> dataDirs, String targetDir, Set<String> keyspaces, Set<String> tables,
                   boolean createMissing, boolean overwrite, Map<String, String> tableIds, boolean backupIds,
                   String importName) {
        /** Matching live directories by name (the mode before whole-node and import restores). */
        Options(List<String> dataDirs, String targetDir, Set<String> keyspaces, Set<String> tables,
                boolean createMissing, boolean overwrite, Map<String, String> tableIds) {
            this(dataDirs, targetDir, keyspaces, tables, createMissing, overwrite, tableIds, false, null);
        }
    }

    /** The directory under a data directory where {@code target: import} stages SSTables. */
    static final String IMPORT_DIR = ".ringplan-import";

    /** {@code <dataDir>/.ringplan-import/<name>/<ks>/<table>}: where SSTables of a table are staged for import. */
    static String importDir(String dataDir, String name, String ks, String table) {
        return dataDir + "/" + IMPORT_DIR + "/" + name + "/" + ks + "/" + table;
    }

    /** An archive path split: {@code <ks>/<table>-<id>/<rel>}. */
    private record EntryRef(String ks, String table, String id, String dirName, String rel) {
        String key() {
            return ks + "." + table;
        }
    }

    /**
     * Parses a manifest path {@code <ks>/<table>-<id>/<rel>}.
     *
     * @throws ModuleException when it is unsafe or not shaped like a snapshot archive path
     */
    private static EntryRef parse(String path) throws ModuleException {
        String bad = ArchiveReader.checkEntryPath(path);
        if (bad != null) {
            throw new ModuleException("manifest lists unsafe path '" + path + "': " + bad);
        }
        String[] seg = path.split("/", 3);
        Matcher m = seg.length == 3 ? TABLE_DIR.matcher(seg[1]) : null;
        if (m == null || !IDENT.matcher(seg[0]).matches() || !m.matches()) {
            throw new ModuleException("manifest path '" + path + "' is not <keyspace>/<table>-<32 hex id>/<file>");
        }
        return new EntryRef(seg[0], m.group(1), m.group(2), seg[1], seg[2]);
    }

    /**
     * Works out where every file of {@code manifest} goes and which are already there. Reads only
     * (list, stat, and openRead of present files whose size matches, to hash them).
     *
     * @throws ModuleException for a filter naming what the archive lacks, a table the node lacks
     *                         (without create_missing), an ambiguous live directory, a present
     *                         file with other content (without overwrite), or a connection failure
     */
    static RestorePlacements plan(Connection conn, SnapshotManifest manifest, Options o) throws ModuleException {
        try {
            return planChecked(conn, manifest, o);
        } catch (ConnectionException e) {
            throw new ModuleException("cannot inspect the target on " + conn.host() + ": " + e.getMessage(), e);
        }
    }

    private static RestorePlacements planChecked(Connection conn, SnapshotManifest manifest, Options o)
            throws ModuleException, ConnectionException {
        Map<SnapshotManifest.FileEntry, EntryRef> refs = new LinkedHashMap<>();
        Set<String> archivedKs = new LinkedHashSet<>();
        Set<String> archivedTables = new LinkedHashSet<>();
        for (SnapshotManifest.FileEntry f : manifest.files()) {
            EntryRef r = parse(f.path());
            refs.put(f, r);
            archivedKs.add(r.ks);
            archivedTables.add(r.key());
        }
        checkHolds(archivedKs, archivedTables, o.keyspaces, o.tables);

        boolean data = o.targetDir == null;
        List<String> tables = new ArrayList<>();
        List<Placement> placements = new ArrayList<>();
        Set<String> missingDirs = new LinkedHashSet<>();
        Set<String> tableDirs = new LinkedHashSet<>();
        List<String> missingTables = new ArrayList<>();
        Map<String, List<String>> liveByTable = new HashMap<>();
        int metadataSkipped = 0;
        Listing listing = new Listing(conn);
        for (Map.Entry<SnapshotManifest.FileEntry, EntryRef> e : refs.entrySet()) {
            SnapshotManifest.FileEntry f = e.getKey();
            EntryRef r = e.getValue();
            if (!o.keyspaces.isEmpty() && !o.keyspaces.contains(r.ks)
                    || !o.tables.isEmpty() && !o.tables.contains(r.key())) {
                continue;
            }
            if (data && (r.rel.equals("manifest.json") || r.rel.equals("schema.cql"))
                    || o.importName != null && r.rel.contains("/")) {
                // an import takes the SSTables of the table itself; Cassandra builds its indexes
                metadataSkipped++;
                continue;
            }
            if (!tables.contains(r.key())) {
                tables.add(r.key());
            }
            String tableDir;
            String byIndex = data ? o.dataDirs.get(Math.floorMod(f.dataDirIndex(), o.dataDirs.size())) : null;
            if (!data) {
                tableDir = o.targetDir + "/" + r.ks + "/" + r.table;
            } else if (o.importName != null) {
                tableDir = importDir(byIndex, o.importName, r.ks, r.table);
            } else if (o.backupIds) {
                tableDir = byIndex + "/" + r.ks + "/" + r.dirName;
            } else {
                List<String> live = liveByTable.get(r.key());
                if (live == null) {
                    live = new ArrayList<>();
                    for (String dd : o.dataDirs) {
                        live.add(liveDir(listing, dd, r, o.tableIds.get(r.key())));
                    }
                    liveByTable.put(r.key(), live);
                }
                tableDir = chooseDir(live, f.dataDirIndex());
                if (tableDir == null) {
                    if (!o.createMissing) {
                        if (!missingTables.contains(r.key())) {
                            missingTables.add(r.key());
                        }
                        continue;
                    }
                    tableDir = byIndex + "/" + r.ks + "/" + r.dirName;
                }
            }
            tableDirs.add(tableDir);
            if (listing.stat(tableDir).isEmpty()) {
                missingDirs.add(tableDir);
            }
            placements.add(new Placement(f, r.key(), tableDir, r.rel, Action.WRITE));
        }
        if (!missingTables.isEmpty()) {
            throw new ModuleException("no live table directory on " + conn.host() + " for " + String.join(", ", missingTables)
                    + " (looked for <keyspace>/<table>-<id>/ in " + String.join(", ", o.dataDirs)
                    + "); create the schema first, or set create_missing: true to create <ks>/<table>-<id from archive>/");
        }
        List<Placement> out = new ArrayList<>(placements.size());
        List<String> conflicts = new ArrayList<>();
        for (Placement p : placements) {
            Optional<FileStat> st = listing.stat(p.target());
            Action a = Action.WRITE;
            if (st.isPresent()) {
                if (!st.get().isFile()) {
                    throw new ModuleException("cannot restore " + p.entry().path() + ": " + p.target() + " on "
                            + conn.host() + " exists and is not a regular file");
                }
                if (st.get().size() == p.entry().size() && sha256(conn, p.target()).equals(p.entry().sha256())) {
                    a = Action.SKIP;
                } else if (o.overwrite) {
                    a = Action.OVERWRITE;
                } else {
                    conflicts.add(p.target());
                }
            }
            out.add(new Placement(p.entry(), p.table(), p.tableDir(), p.rel(), a));
        }
        if (!conflicts.isEmpty()) {
            throw new ConflictException(conflicts.size() + " file(s) already exist on " + conn.host()
                    + " with other content: " + String.join(", ", conflicts.subList(0, Math.min(5, conflicts.size())))
                    + (conflicts.size() > 5 ? ", ..." : "") + "; set overwrite: true to replace them (node stopped)");
        }
        return new RestorePlacements(List.copyOf(out), List.copyOf(tables), List.copyOf(tableDirs),
                List.copyOf(missingDirs), metadataSkipped);
    }

    /**
     * Checks that a backup holds every keyspace and table a restore asks for, before anything
     * is stopped (verify runs it with the restore's filters).
     *
     * @param keyspaces keyspace names; empty: no check
     * @param tables    {@code <keyspace>.<table>} names; empty: no check
     * @throws ModuleException naming what the backup lacks and what it holds, or a malformed table name
     */
    static void checkHolds(SnapshotManifest manifest, Collection<String> keyspaces, Collection<String> tables)
            throws ModuleException {
        Set<String> archivedKs = new LinkedHashSet<>();
        Set<String> archivedTables = new LinkedHashSet<>();
        for (SnapshotManifest.FileEntry f : manifest.files()) {
            EntryRef r = parse(f.path());
            archivedKs.add(r.ks);
            archivedTables.add(r.key());
        }
        checkHolds(archivedKs, archivedTables, keyspaces, tables);
    }

    private static void checkHolds(Set<String> archivedKs, Set<String> archivedTables, Collection<String> keyspaces,
                                   Collection<String> tables) throws ModuleException {
        checkFilter("keyspace", keyspaces, archivedKs);
        for (String t : tables) {
            if (!t.matches("\\w+\\.\\w+")) {
                throw new ModuleException("tables entry '" + t + "' must be <keyspace>.<table>");
            }
        }
        checkFilter("table", tables, archivedTables);
    }

    private static void checkFilter(String what, Collection<String> wanted, Set<String> archived) throws ModuleException {
        List<String> absent = wanted.stream().filter(w -> !archived.contains(w)).toList();
        if (!absent.isEmpty()) {
            throw new ModuleException("the archive holds no " + what + " " + String.join(", ", absent) + "; it holds "
                    + String.join(", ", archived));
        }
    }

    /**
     * The live directory of table {@code r} in data directory {@code dd}, or null.
     *
     * @param wantedId the live id given by the task ({@code table_ids}), or null
     */
    private static String liveDir(Listing listing, String dd, EntryRef r, String wantedId)
            throws ConnectionException, ModuleException {
        String ksDir = dd + "/" + r.ks;
        List<String> live = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (FileStat f : listing.list(ksDir)) {
            Matcher m = TABLE_DIR.matcher(f.name());
            if (!m.matches() || !m.group(1).equals(r.table)) {
                continue;
            }
            if (f.type() == FileStat.Type.SYMLINK) {
                throw new ModuleException("refusing symlink " + ksDir + "/" + f.name() + " on " + listing.conn.host()
                        + ": table directories must be real directories");
            }
            if (!f.isDirectory()) {
                continue;
            }
            if (wantedId != null) {
                if (m.group(2).equals(wantedId)) {
                    return ksDir + "/" + f.name();
                }
                continue;
            }
            String dir = ksDir + "/" + f.name();
            boolean isDropped = listing.list(dir + "/snapshots").stream().anyMatch(s -> s.name().startsWith("dropped-"));
            (isDropped ? dropped : live).add(dir);
        }
        if (live.size() > 1) {
            throw new ModuleException("table " + r.key() + " has several directories in " + dd + " on "
                    + listing.conn.host() + ": " + String.join(", ", live) + "; cannot tell which is live: give its id"
                    + " in table_ids ({" + r.key() + ": <id>}) or remove the stale one");
        }
        return live.isEmpty() ? null : live.get(0);
    }

    /** The JBOD choice (class doc); null when no data directory holds the table. */
    private static String chooseDir(List<String> liveByDataDir, int dataDirIndex) {
        List<String> holders = liveByDataDir.stream().filter(d -> d != null).toList();
        if (holders.isEmpty()) {
            return null;
        }
        if (holders.size() == 1) {
            return holders.get(0);
        }
        String same = liveByDataDir.get(Math.floorMod(dataDirIndex, liveByDataDir.size()));
        return same != null ? same : holders.get(Math.floorMod(dataDirIndex, holders.size()));
    }

    /** SHA-256 of a file on the node, streamed. */
    private static String sha256(Connection conn, String path) throws ConnectionException, ModuleException {
        MessageDigest md = ArchiveWriter.sha256();
        byte[] buf = new byte[BUF];
        try (InputStream in = conn.openRead(path)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new ModuleException("cannot read " + path + " on " + conn.host() + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Lists each directory once. */
    private static final class Listing {
        final Connection conn;
        private final Map<String, Map<String, FileStat>> dirs = new HashMap<>();

        Listing(Connection conn) {
            this.conn = conn;
        }

        List<FileStat> list(String dir) throws ConnectionException {
            return List.copyOf(children(dir).values());
        }

        Optional<FileStat> stat(String path) throws ConnectionException {
            int i = path.lastIndexOf('/');
            if (i <= 0) {
                return conn.stat(path);
            }
            return Optional.ofNullable(children(path.substring(0, i)).get(path.substring(i + 1)));
        }

        private Map<String, FileStat> children(String dir) throws ConnectionException {
            Map<String, FileStat> c = dirs.get(dir);
            if (c == null) {
                c = new LinkedHashMap<>();
                for (FileStat f : conn.list(dir)) {
                    c.put(f.name(), f);
                }
                dirs.put(dir, c);
            }
            return c;
        }
    }

    /** Lower-case id without dashes, as in directory names; null when not 32 hex digits. */
    static String normalizeId(String id) {
        String s = id.strip().replace("-", "").toLowerCase(Locale.ROOT);
        return s.matches("[0-9a-f]{32}") ? s : null;
    }

    /**
     * Files of the archive already exist on the node with other content. In check mode this is
     * not an error of its own: an earlier task of the plan (fs_clear) may remove them first.
     */
    static final class ConflictException extends ModuleException {
        ConflictException(String message) {
            super(message);
        }
    }
}
