package dev.ringplan.modules.tar;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.ModuleException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the files of one snapshot on a node, through its {@link Connection} (list and stat only,
 * nothing is read or written). Layout, as Cassandra writes it (Directories.getSnapshotDirectory;
 * checked on 5.0.7, see SANDBOX-NOTES.md): {@code <data_dir>/<ks>/<table>-<id>/snapshots/<tag>/}
 * holds the SSTable components (hard links to the live files), {@code manifest.json} and
 * {@code schema.cql}; secondary index SSTables sit in {@code .<index>/} subdirectories of it,
 * which are walked too.
 *
 * <p>Nothing inside a snapshot is skipped silently: a symlink or a special file there is an
 * error. Symlinked keyspace or table directories are refused as well; a data directory itself
 * may be a symlink (a mount point moved elsewhere).
 */
public final class SnapshotScanner {
    private final Connection conn;

    /** A scanner reading through {@code conn}. */
    public SnapshotScanner(Connection conn) {
        this.conn = conn;
    }

    /**
     * What a scan found.
     *
     * @param files             every file, by data dir then path; entry paths are unique
     * @param keyspacesWithFiles keyspace names that have at least one file in the snapshot
     */
    public record Found(List<SnapshotFile> files, Set<String> keyspacesWithFiles) {
        /** Sum of the file sizes, in bytes. */
        public long totalBytes() {
            return files.stream().mapToLong(SnapshotFile::size).sum();
        }

        /** For messages: {@code <n> files, <bytes> bytes}. */
        public String describe() {
            return files.size() + " files, " + totalBytes() + " bytes";
        }
    }

    /**
     * Lists every file of snapshot {@code tag} in {@code dataDirs}.
     *
     * @param dataDirs  the node's data directories ({@code cassandra_data_dirs}), absolute paths
     * @param tag       the snapshot tag (validated by {@link #checkTag})
     * @param keyspaces keyspaces to keep; empty keeps all
     * @throws ModuleException when a data directory is missing, a symlink or special file is met,
     *                         two data directories hold a file under the same archive path, or the
     *                         connection fails
     */
    public Found scan(List<String> dataDirs, String tag, Collection<String> keyspaces) throws ModuleException {
        Map<String, SnapshotFile> byEntry = new LinkedHashMap<>();
        Set<String> ksWithFiles = new LinkedHashSet<>();
        try {
            for (int i = 0; i < dataDirs.size(); i++) {
                String dataDir = trimSlash(dataDirs.get(i));
                Optional<FileStat> st = conn.stat(dataDir);
                if (st.isEmpty()) {
                    throw new ModuleException("data directory " + dataDir + " (cassandra_data_dirs[" + i
                            + "]) does not exist on " + conn.host());
                }
                if (!st.get().isDirectory() && st.get().type() != FileStat.Type.SYMLINK) {
                    throw new ModuleException("data directory " + dataDir + " on " + conn.host() + " is not a directory");
                }
                for (FileStat ks : conn.list(dataDir)) {
                    if (!keyspaces.isEmpty() && !keyspaces.contains(ks.name())) {
                        continue;
                    }
                    if (!isDirOrRefuse(ks, dataDir)) {
                        continue;
                    }
                    String ksPath = join(dataDir, ks.name());
                    for (FileStat table : conn.list(ksPath)) {
                        if (!isDirOrRefuse(table, ksPath)) {
                            continue;
                        }
                        String snapDir = join(join(join(ksPath, table.name()), "snapshots"), tag);
                        Optional<FileStat> sd = conn.stat(snapDir);
                        if (sd.isEmpty()) {
                            continue;
                        }
                        if (!sd.get().isDirectory()) {
                            throw new ModuleException("refusing " + snapDir + " on " + conn.host() + ": it is a "
                                    + sd.get().type().name().toLowerCase() + ", not a snapshot directory");
                        }
                        int before = byEntry.size();
                        walk(snapDir, ks.name() + "/" + table.name(), i, dataDirs, byEntry);
                        if (byEntry.size() > before) {
                            ksWithFiles.add(ks.name());
                        }
                    }
                }
            }
        } catch (ConnectionException e) {
            throw new ModuleException("cannot list snapshot '" + tag + "' on " + conn.host() + ": " + e.getMessage(), e);
        }
        return new Found(List.copyOf(byEntry.values()), ksWithFiles);
    }

    private void walk(String dir, String prefix, int dataDirIndex, List<String> dataDirs,
                      Map<String, SnapshotFile> byEntry) throws ConnectionException, ModuleException {
        for (FileStat f : conn.list(dir)) {
            String src = join(dir, f.name());
            String entry = prefix + "/" + f.name();
            switch (f.type()) {
                case FILE -> {
                    SnapshotFile prev = byEntry.putIfAbsent(entry,
                            new SnapshotFile(dataDirIndex, src, entry, f.size(), f.mtimeMillis()));
                    if (prev != null) {
                        throw new ModuleException("snapshot file " + entry + " exists in two data directories of "
                                + conn.host() + " (" + dataDirs.get(prev.dataDirIndex()) + " and "
                                + dataDirs.get(dataDirIndex) + "); one archive cannot hold both");
                    }
                }
                case DIRECTORY -> walk(src, entry, dataDirIndex, dataDirs, byEntry);
                case SYMLINK -> throw new ModuleException("refusing symlink " + src + " on " + conn.host()
                        + ": a snapshot holds only regular files and index directories");
                default -> throw new ModuleException("refusing " + src + " on " + conn.host()
                        + ": not a regular file or directory");
            }
        }
    }

    private boolean isDirOrRefuse(FileStat f, String parent) throws ModuleException {
        if (f.type() == FileStat.Type.SYMLINK) {
            throw new ModuleException("refusing symlink " + join(parent, f.name()) + " on " + conn.host()
                    + ": keyspace and table directories must be real directories");
        }
        return f.isDirectory();
    }

    /**
     * Checks a snapshot tag can be used as one path element.
     *
     * @return null when fine, else what is wrong
     */
    public static String checkTag(String tag) {
        if (tag == null || tag.isBlank()) {
            return "snapshot tag is empty";
        }
        if (tag.contains("/") || tag.equals(".") || tag.equals("..") || tag.indexOf('\0') >= 0) {
            return "snapshot tag '" + tag + "' must be a single directory name";
        }
        return null;
    }

    static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    private static String trimSlash(String p) {
        String s = p.strip();
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
