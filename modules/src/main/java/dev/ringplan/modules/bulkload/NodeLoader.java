package dev.ringplan.modules.bulkload;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ExecOptions;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.module.ModuleException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code bulkload} does on the source node, through its {@link Connection}: reads and writes
 * the {@link LoadRecord}, stages a table's snapshot files as hard links under
 * {@code <data_dir>/.ringplan-bulkload/<tag>/<ks>/<table>/} ({@code ln}: same file system as the
 * snapshot, no data copied), runs the loader on that directory and removes the staging directory
 * again ({@code rm -rf}, only ever on {@code <data_dir>/.ringplan-bulkload/<tag>}, then
 * {@code rmdir} of {@code .ringplan-bulkload} when empty; also before
 * staging, so what an interrupted run left is not loaded twice). The path does not depend on the
 * run, so check mode shows the exact command lines the run will use.
 */
final class NodeLoader {
    /** Files per {@code ln} call, well below any ARG_MAX. */
    private static final int LINK_BATCH = 200;
    private static final String STAGE_DIR = ".ringplan-bulkload";

    private final Connection conn;
    private final List<String> dataDirs;

    NodeLoader(Connection conn, List<String> dataDirs) {
        this.conn = conn;
        this.dataDirs = dataDirs.stream().map(NodeLoader::trimSlash).toList();
    }

    /** The record's path: {@code <parent of data_dirs[0]>/.ringplan/bulkload/<tag>.json}. */
    String recordPath(String tag) {
        String d = dataDirs.get(0);
        int slash = d.lastIndexOf('/');
        String parent = slash <= 0 ? "" : d.substring(0, slash);
        return parent + "/.ringplan/bulkload/" + tag + ".json";
    }

    /** The record of {@code tag}, empty when there is none; a file that is not a record is an error. */
    LoadRecord readRecord(String tag) throws ModuleException {
        String path = recordPath(tag);
        try {
            if (conn.stat(path).isEmpty()) {
                return LoadRecord.empty(tag);
            }
            return LoadRecord.parse(conn.readAll(path), tag);
        } catch (ConnectionException e) {
            throw new ModuleException("cannot read the bulkload record " + path + " on " + conn.host() + ": "
                    + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ModuleException("bulkload record " + path + " on " + conn.host() + " is unreadable ("
                    + e.getMessage() + "); remove it to load again");
        }
    }

    /** Writes {@code record}: a temporary file, then renamed in place of the old one. */
    void writeRecord(LoadRecord record) throws ModuleException {
        String path = recordPath(record.snapshot());
        try {
            conn.mkdirs(path.substring(0, path.lastIndexOf('/')));
            conn.writeAll(path + ".tmp", record.toJson());
            if (conn.stat(path).isPresent()) {
                conn.delete(path);  // rename does not replace a file
            }
            conn.rename(path + ".tmp", path);
        } catch (ConnectionException e) {
            throw new ModuleException("cannot write the bulkload record " + path + " on " + conn.host() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Where {@code t} of snapshot {@code tag} is staged: {@code <data_dir>/.ringplan-bulkload/<tag>/<ks>/<table>}. */
    String stageDir(SnapshotTables.TableFiles t, String tag) {
        return stageRoot(t.dataDirIndex(), tag) + "/" + t.keyspace() + "/" + t.table();
    }

    private String stageRoot(int dataDirIndex, String tag) {
        return dataDirs.get(dataDirIndex) + "/" + STAGE_DIR + "/" + tag;
    }

    /**
     * Stages {@code t}, runs {@code argv} on it and removes the staging directory, whatever happened.
     *
     * @param display the command as shown to the user (password hidden), for messages
     * @return the loader's parsed summary
     * @throws ModuleException when staging fails, the loader fails or times out, its summary cannot be
     *                         read, or it skipped files (a table missing on the target)
     */
    LoaderSummary load(SnapshotTables.TableFiles t, String tag, List<String> argv, String display, Duration timeout)
            throws ModuleException {
        String root = stageRoot(t.dataDirIndex(), tag);
        String dir = stageDir(t, tag);
        try {
            removeStage(root);
            try {
                conn.mkdirs(dir);
                for (int i = 0; i < t.files().size(); i += LINK_BATCH) {
                    List<String> ln = new ArrayList<>(List.of("ln", "--"));
                    ln.addAll(t.files().subList(i, Math.min(t.files().size(), i + LINK_BATCH)));
                    ln.add(dir + "/");
                    ExecResult r = conn.exec(ln, ExecOptions.defaults().withTimeout(Duration.ofMinutes(10)));
                    if (!r.ok()) {
                        throw new ModuleException("cannot stage " + t.qualified() + " in " + dir + " on " + conn.host()
                                + " (hard links): " + r.failureSummary());
                    }
                }
                ExecResult r = conn.exec(argv, ExecOptions.defaults().withTimeout(timeout));
                if (!r.ok()) {
                    throw new ModuleException("sstableloader failed for " + t.qualified() + " on " + conn.host()
                            + " (exit " + r.exitStatus() + "): " + (r.stderr().isBlank() ? tail(r.stdout()) : head(r.stderr()))
                            + "\n  command: " + display);
                }
                LoaderSummary s;
                try {
                    s = LoaderSummary.parse(r.stdout());
                } catch (IllegalArgumentException e) {
                    throw new ModuleException("sstableloader for " + t.qualified() + " on " + conn.host() + ": "
                            + e.getMessage() + "; output ends: " + tail(r.stdout()));
                }
                if (!s.skippedFiles().isEmpty()) {
                    throw new ModuleException("sstableloader skipped files of " + t.qualified() + " on " + conn.host()
                            + ": " + s.skippedFiles().get(0) + " (create the schema on the target first)");
                }
                return s;
            } finally {
                removeStage(root);
            }
        } catch (ConnectionException e) {
            throw new ModuleException("bulkload of " + t.qualified() + " on " + conn.host() + ": " + e.getMessage(), e);
        }
    }

    private void removeStage(String root) throws ConnectionException, ModuleException {
        Optional<String> under = dataDirs.stream().filter(d -> root.startsWith(d + "/" + STAGE_DIR + "/")).findFirst();
        if (under.isEmpty() || root.substring(under.get().length() + STAGE_DIR.length() + 2).contains("/")) {
            throw new IllegalStateException("not a staging directory: " + root);
        }
        ExecResult r = conn.exec(List.of("rm", "-rf", "--", root), ExecOptions.defaults().withTimeout(Duration.ofMinutes(10)));
        if (!r.ok()) {
            throw new ModuleException("cannot remove the staging directory " + root + " on " + conn.host() + ": "
                    + r.failureSummary());
        }
        // .ringplan-bulkload itself too, unless another tag's load uses it (rmdir leaves a non-empty one)
        conn.exec(List.of("rmdir", "--", under.get() + "/" + STAGE_DIR), ExecOptions.defaults().withTimeout(Duration.ofMinutes(1)));
    }

    /** The first lines of an error output (a Java exception's message comes first), for a message. */
    static String head(String out) {
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        return String.join("\n    ", lines.subList(0, Math.min(3, lines.size()))).strip();
    }

    /** The last lines of a command's output, for a message. */
    static String tail(String out) {
        List<String> lines = out.replace("\r", "\n").lines().filter(l -> !l.isBlank()).toList();
        return String.join("\n    ", lines.subList(Math.max(0, lines.size() - 5), lines.size())).strip();
    }

    private static String trimSlash(String p) {
        String s = p.strip();
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
