package dev.ringplan.modules.fsclear;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.CassandraHost;
import dev.ringplan.modules.service.NodeProbe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code fs_clear}: empties Cassandra directories (commitlog, a table's SSTables, {@code system/*})
 * of a stopped node, or sets their content aside with {@code move_to}, behind guards that keep it
 * inside the host's declared Cassandra directories ({@link CassandraHost#allDirs()}). Planning is
 * {@link ClearPlanner}'s; this class adds the running-node guard, the preview and the removal.
 */
public final class FsClearModule implements Module {
    /** How many paths the preview names. */
    static final int PREVIEW_PATHS = 20;
    /** How many paths the result registers. */
    static final int RESULT_PATHS = 100;

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg(ArgDef.of("path", ArgDef.Type.LIST, "Absolute path(s) to clear; a glob is allowed in the last "
                    + "element (<data_dir>/system/*). A directory is emptied, a file or glob match removed.").asRequired())
            .arg(ArgDef.of("keep", ArgDef.Type.LIST, "Names (globs) kept at any depth with their content, "
                    + "e.g. [snapshots, backups]."))
            .arg(ArgDef.of("move_to", ArgDef.Type.STR, "Absolute directory to move the content into (rename, "
                    + "same file system) instead of deleting; the full path is mirrored below it."))
            .arg(ArgDef.of("allow_root", ArgDef.Type.BOOL, "Allow emptying a whole data directory "
                    + "(path equal to one of cassandra_data_dirs, or a glob directly in one).").withDefault(false))
            .arg(ArgDef.of("allow_running", ArgDef.Type.BOOL, "Clear even though the node seems to run.")
                    .withDefault(false))
            .freeForm("path")
            .build();

    private static final ModuleDoc DOC = new ModuleDoc(
            "Empty Cassandra directories of a stopped node (commitlog, a table's SSTables, system/*), "
                    + "or set their content aside, inside the declared Cassandra directories only.",
            """
            Clears each path through the host's connection (stat, list, delete or rename; no shell).
              - a directory is emptied: its content goes, the directory itself stays (so clearing the
                commitlog directory, the common case, leaves an empty commitlog directory);
              - a file is removed;
              - a glob in the last element (<data_dir>/system/*) removes every match whole (a table
                directory with its content). Globs: * ? [abc] {a,b}, matched against names.
              - a path that does not exist removes nothing.
            path takes one string or a YAML list; a single string is split on commas (as every list
            argument is), so give a path that contains a comma inside a YAML list.
            Already empty (nothing to remove): ok, nothing happens. Otherwise changed.

            Guards (each refusal fails the task, in check mode too, before anything is touched):
              - the path must be absolute; empty or blank values (a template that rendered to
                nothing), '/', and any '..' element are refused (never resolved);
              - the path (for a glob: its directory) must equal or lie under one of the host's
                declared Cassandra directories: cassandra_data_dirs, cassandra_commitlog_dir,
                cassandra_hints_dir, cassandra_saved_caches_dir (defaults under /var/lib/cassandra).
                Paths are compared as normalised text: give them as the inventory spells them;
              - a declared directory is never removed, only emptied; emptying a whole data
                directory (path equal to one of cassandra_data_dirs, or a glob directly in one)
                also needs allow_root: true, since that wipes every keyspace including the system
                ones. Commitlog, hints and saved caches directories may be emptied freely. A
                declared directory nested inside a cleared one is kept;
              - no element between the declared directory and the path may be a symbolic link (the
                declared directory itself may be one). Inside, links are never followed: a link is
                removed as a link, its target untouched;
              - the node must not be running, unless allow_running: true. Running means: the PID
                in cassandra_pid_file is alive (sh -c 'kill -0 PID' on the host; a zombie is dead),
                or the JMX port (jmx_host:jmx_port) or CQL port (cql_host:cql_port) accepts a TCP
                connection from the host (Java socket on a local connection; over SSH
                'timeout 2 bash -c exec 3<>/dev/tcp/HOST/PORT' on the host). JMX is probed because
                it stays open until the JVM exits, even after nodetool drain. Either sign refuses.
                In check mode a running node is not an error (an earlier service: stopped task did
                not really run): the preview says that apply will refuse unless it is stopped.

            keep: names (globs, no '/') kept at any depth, with everything below them; directories
            holding kept entries stay. E.g. keep: [snapshots, backups] when emptying table dirs.

            move_to: sets the content aside instead of deleting it (undo by moving it back). An
            absolute directory of your choice (under a declared Cassandra directory or not); each
            removed file or directory is renamed to move_to + its full path, e.g.
            /var/lib/cassandra/aside/r1/var/lib/cassandra/commitlog/CommitLog-7-1.log. Rename, not
            copy: move_to must be on the same file system as the cleared paths (else the rename
            fails). Whole subtrees move with one rename. The task fails before moving anything if
            a target name already exists there. move_to inside a cleared directory is kept, not
            moved into itself. Do not put move_to inside a table directory: Cassandra reads
            sub-directories there as secondary indexes and snapshots.

            Check mode changes nothing and reports exactly what would go: count of entries (files,
            links and directories), bytes (sum of regular file sizes) and the first 20 paths, in
            the summary and the preview data.
            """,
            """
            - id: clear-commitlog
              fs_clear:
                path: "{{ cassandra_commitlog_dir }}"

            - id: clear-table
              fs_clear:
                path: "{{ cassandra_data_dirs[0] }}/shop/orders-{{ table_id }}"
                keep: [snapshots, backups]

            - id: set-aside-system
              fs_clear:
                path:
                  - "{{ cassandra_data_dirs[0] }}/system/*"
                  - "{{ cassandra_commitlog_dir }}"
                move_to: "/var/lib/cassandra/aside-{{ run_id }}"
            """,
            """
            removed: number of entries removed or moved (files, links, directories).
            bytes: sum of the sizes of the regular files removed or moved.
            paths: the first 100 of them, a directory before its content.
            moved_to: the move_to directory, or null when deleted.
            kept: paths left in place because of keep, move_to or a nested declared directory.
            targets: the paths cleared, globs expanded.
            node_running: false (true only with allow_running: true on a running node).
            Check mode: removed/bytes as would be, paths (first 20), node_running, running_evidence.
            """);

    /** Creates the module (used by ServiceLoader). */
    public FsClearModule() {
    }

    @Override
    public String name() {
        return "fs_clear";
    }

    @Override
    public ModuleDoc doc() {
        return DOC;
    }

    @Override
    public ArgSpec argSpec() {
        return SPEC;
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        Setup s = setup(ctx);
        ClearPlan plan = s.planner.plan(ctx.args().list("path"));
        checkMoveConflicts(s, plan);
        NodeProbe.Running running = plan.isEmpty() ? null : runningGuard(ctx, s);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("removed", plan.count());
        data.put("bytes", plan.bytes());
        data.put("paths", plan.paths(PREVIEW_PATHS));
        data.put("moved_to", s.moveTo);
        data.put("kept", plan.kept());
        data.put("targets", plan.targets());
        data.put("node_running", running != null && running.running());
        data.put("running_evidence", running == null ? null : running.evidence());
        if (plan.isEmpty()) {
            return new Preview(Preview.Change.NO, "nothing to remove in " + String.join(", ",
                    plan.targets().isEmpty() ? ctx.args().list("path") : plan.targets()), null, List.of(), data);
        }
        String verb = s.moveTo == null ? "would remove " : "would move to " + s.moveTo + " ";
        StringBuilder sum = new StringBuilder(verb).append(plan.count()).append(plan.count() == 1 ? " entry" : " entries")
                .append(" (").append(human(plan.bytes())).append("): ")
                .append(String.join(", ", plan.paths(PREVIEW_PATHS)));
        if (plan.count() > PREVIEW_PATHS) {
            sum.append(" … and ").append(plan.count() - PREVIEW_PATHS).append(" more");
        }
        if (running != null && running.running()) {
            sum.append(ctx.args().bool("allow_running", false) ? " (node is running: " + running.evidence()
                    + "; allowed by allow_running)" : " (NOTE: the node is running now: " + running.evidence()
                    + "; apply refuses unless it is stopped first)");
        }
        return new Preview(Preview.Change.YES, sum.toString(), null, List.of(), data);
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        Setup s = setup(ctx);
        ClearPlan plan = s.planner.plan(ctx.args().list("path"));  // re-read: the host may have changed since check
        checkMoveConflicts(s, plan);
        Map<String, Object> data = new LinkedHashMap<>();
        boolean running = false;
        if (!plan.isEmpty()) {
            NodeProbe.Running r = runningGuard(ctx, s);
            running = r.running();
        }
        long done = 0;
        long bytes = 0;
        List<String> paths = new ArrayList<>();
        Connection c = s.conn;
        for (ClearPlan.Unit u : plan.units()) {
            try {
                if (s.moveTo != null) {
                    String dest = s.moveTo + u.path();
                    c.mkdirs(PathGuard.parent(dest));
                    c.rename(u.path(), dest);
                    for (ClearPlan.Entry e : u.entries()) {
                        done++;
                        bytes += e.type() == FileStat.Type.FILE ? e.size() : 0;
                        addPath(paths, e.path());
                    }
                } else {
                    List<ClearPlan.Entry> es = u.entries();
                    for (int i = es.size() - 1; i >= 0; i--) {
                        c.delete(es.get(i).path());
                        done++;
                        bytes += es.get(i).type() == FileStat.Type.FILE ? es.get(i).size() : 0;
                    }
                    for (ClearPlan.Entry e : es) {
                        addPath(paths, e.path());
                    }
                }
            } catch (ConnectionException e) {
                throw new ModuleException(c.host() + ": " + (s.moveTo == null ? "removed " : "moved ") + done + " of "
                        + plan.count() + " entries, then failed at " + u.path() + ": " + e.getMessage()
                        + (s.moveTo != null ? " (move_to must be on the same file system)" : ""), e);
            }
        }
        data.put("removed", done);
        data.put("bytes", bytes);
        data.put("paths", paths);
        data.put("moved_to", s.moveTo);
        data.put("kept", plan.kept());
        data.put("targets", plan.targets());
        data.put("node_running", running);
        if (plan.isEmpty()) {
            return Result.ok("nothing to remove").withData(data);
        }
        String msg = (s.moveTo == null ? "removed " : "moved to " + s.moveTo + " ") + done
                + (done == 1 ? " entry" : " entries") + " (" + human(bytes) + ")";
        ctx.log(msg);
        return Result.changed(msg).withData(data);
    }

    private static void addPath(List<String> paths, String p) {
        if (paths.size() < RESULT_PATHS) {
            paths.add(p);
        }
    }

    /** What check and apply share: the host, the roots, the planner. */
    private record Setup(Connection conn, CassandraHost host, String moveTo, ClearPlanner planner) {
    }

    private static Setup setup(ModuleContext ctx) throws ModuleException {
        CassandraHost h = CassandraHost.of(ctx);
        Args a = ctx.args();
        List<String> roots = new ArrayList<>();
        for (String r : h.allDirs()) {
            roots.add(PathGuard.normalise(r, "host " + ctx.host() + " declared Cassandra directory"));
        }
        List<String> dataRoots = new ArrayList<>();
        for (String r : h.dataDirs()) {
            dataRoots.add(PathGuard.normalise(r, "host " + ctx.host() + " data directory"));
        }
        String moveTo = null;
        if (a.get("move_to") != null) {
            moveTo = PathGuard.normalise(a.str("move_to"), "move_to");
        }
        Connection conn;
        try {
            conn = ctx.connection();
        } catch (ConnectionException e) {
            throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
        }
        return new Setup(conn, h, moveTo,
                new ClearPlanner(conn, roots, dataRoots, a.bool("allow_root", false), a.list("keep"), moveTo));
    }

    /** Fails when move_to already holds a name a unit would be renamed to. */
    private static void checkMoveConflicts(Setup s, ClearPlan plan) throws ModuleException {
        if (s.moveTo == null) {
            return;
        }
        for (ClearPlan.Unit u : plan.units()) {
            String dest = s.moveTo + u.path();
            try {
                if (s.conn.stat(dest).isPresent()) {
                    throw new ModuleException("move_to already holds " + dest + "; refusing to overwrite (choose another "
                            + "move_to or clear it first)");
                }
            } catch (ConnectionException e) {
                throw new ModuleException(s.conn.host() + ": cannot stat " + dest + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * The running-node guard: in apply a running node fails the task unless allow_running; in
     * check mode it is reported, not fatal.
     */
    private static NodeProbe.Running runningGuard(ModuleContext ctx, Setup s) throws ModuleException {
        NodeProbe.Running r = NodeProbe.running(s.conn, s.host, NodeProbe.isLocal(s.host), true);
        if (r.running() && !ctx.args().bool("allow_running", false) && !ctx.checkMode()) {
            throw new ModuleException("the Cassandra node on " + ctx.host() + " is running (" + r.evidence()
                    + "); stop it first (service: {state: stopped}) or set allow_running: true");
        }
        return r;
    }

    /** Bytes as text with binary units, e.g. {@code 3.4 MiB}. */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
