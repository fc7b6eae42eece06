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
import dev.ringplan.engine.module.ReturnSpec;
import dev.ringplan.modules.CassandraHost;
import dev.ringplan.modules.service.NodeProbe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code fs_clear}: empties Cassandra directories (commitlog, a table's SSTables, {@code system/*})
 * of a stopped node, or sets their content aside with {@code move_to}, behind guards that keep it
 * inside the host's declared Cassandra directories ({@link CassandraHost#allDirs()}), and with
 * {@code restore_from} puts back what an earlier {@code move_to} set aside. Planning is
 * {@link ClearPlanner}'s and {@link PutBackPlanner}'s; this class adds the running-node guard, the
 * preview, the removal and the put-back (with its crash marker {@value #MARKER}).
 */
public final class FsClearModule implements Module {
    /** How many paths the preview names. */
    static final int PREVIEW_PATHS = 20;
    /** How many paths the result registers. */
    static final int RESULT_PATHS = 100;
    /**
     * Name prefix of the empty file renamed from each cleared directory into move_to before
     * anything moves ({@link #probeSameFileSystem}).
     */
    static final String PROBE = ".ringplan-same-fs-probe";

    /**
     * Name of the marker file written into restore_from before the first rename back and removed
     * at the end; its presence means a put-back was interrupted. Content: the paths, one a line.
     */
    static final String MARKER = ".ringplan-put-back";

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg(ArgDef.of("path", ArgDef.Type.LIST, "Absolute path(s) to clear; a glob is allowed in the last "
                    + "element (<data_dir>/system/*). A directory is emptied, a file or glob match removed.").asRequired())
            .arg(ArgDef.of("keep", ArgDef.Type.LIST, "Names (globs) kept at any depth with their content, "
                    + "e.g. [snapshots, backups]."))
            .arg(ArgDef.of("move_to", ArgDef.Type.STR, "Absolute directory to move the content into (rename, "
                    + "same file system) instead of deleting; the full path is mirrored below it."))
            .arg(ArgDef.of("restore_from", ArgDef.Type.STR, "Absolute directory an earlier fs_clear used as move_to "
                    + "for these paths: clear the paths, then rename what is set aside there back (merging into "
                    + "kept directories). Nothing set aside: nothing is cleared."))
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
                cassandra_hints_dir, cassandra_saved_caches_dir (defaults under /var/lib/cassandra),
                and cassandra_set_aside_dir, where plans set files aside (default: beside the
                commitlog directory, /var/lib/cassandra/ringplan-set-aside).
                Paths are compared as normalised text: give them as the inventory spells them;
              - a declared directory is never removed, only emptied; emptying a whole data
                directory (path equal to one of cassandra_data_dirs, or a glob directly in one)
                also needs allow_root: true, since that wipes every keyspace including the system
                ones. Commitlog, hints, saved caches and set-aside directories may be emptied freely. A
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
            copy: move_to must be on the same file system as the cleared paths. Before anything
            moves, an empty probe file (.ringplan-same-fs-probe-*) is renamed from each cleared
            declared directory into move_to and removed; if that fails (another disk), the task
            fails with nothing moved. Whole subtrees move with one rename. The task fails before
            moving anything if a target name already exists there. move_to inside a cleared
            directory is kept, not moved into itself. Do not put move_to inside a table
            directory: Cassandra reads sub-directories there as secondary indexes and snapshots;
            nor inside a data directory: at startup Cassandra checks every SSTable file it finds
            there (all but snapshots and backups directories).

            restore_from: puts back what an earlier fs_clear with move_to: DIR set aside for the same
            paths (the rollback of a failed restore). The set-aside content of a path P is DIR + P
            (a glob in the last element is expanded on the DIR side; a trailing slash as for path).
              - DIR holds nothing for any of the paths: ok, NOTHING is cleared ("nothing set aside in
                DIR for ..."). So a second run is harmless: it never clears the data put back.
              - otherwise the node must be stopped (same guard, allow_running respected); the live
                content of the paths is cleared first exactly as without restore_from (keep
                honoured; with move_to it is moved there, else deleted), then every set-aside entry
                is renamed back to its original path. Merge, never clobber: a set-aside directory
                whose live counterpart exists (a table directory kept for its snapshots) is
                descended into; an entry whose live counterpart does not exist is renamed whole
                (one rename for a subtree). A set-aside file, link or directory whose live path is
                still taken after the clearing step (e.g. by a kept entry) is a conflict: all
                conflicts are found before anything changes and the task fails naming them.
              - after the put-back the directories left empty under DIR for these paths are
                removed, and DIR itself when nothing else remains in it.
              - crash safety: before the first rename back the marker DIR/.ringplan-put-back
                (content: the paths) is written, and it is removed at the end. When the task finds
                the marker, a put-back was interrupted: the clearing step is skipped (the live
                content is partly what was put back already) and only the remaining entries are
                put back; a remaining entry whose live path holds the same entry (same type, and
                for a file the same size) counts as back (its set-aside copy is removed), a
                different one is a conflict. A marker naming other paths is refused.
              - Only put-back locations under the declared Cassandra directories are considered
                (the paths pass the same guards as without restore_from).
              - move_to equal to restore_from, or one inside the other, is refused.
              - restore_from inside a cleared directory is kept, like move_to.

            Check mode changes nothing and reports exactly what would go: count of entries (files,
            links and directories), bytes (sum of regular file sizes) and the first 20 paths, in
            the summary and the preview data; with restore_from also what would be put back (count,
            bytes, first 20 live paths), and no change at all when nothing is set aside.
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

            - id: roll-back-failed-restore   # put back what set-aside moved away; the failed
              fs_clear:                      # restore's files are set aside in their turn
                path: "{{ cassandra_data_dirs[0] }}/shop/*/"
                keep: [snapshots, backups]
                restore_from: "/var/lib/cassandra/aside-{{ run_id }}"
                move_to: "/var/lib/cassandra/failed-{{ run_id }}"
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
    public ReturnSpec returns() {
        return FsClearReturns.SPEC;
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        Setup s = setup(ctx);
        ClearPlan plan = s.planner.plan(ctx.args().list("path"));
        if (s.restoreFrom != null) {
            return checkRestore(ctx, s, plan);
        }
        checkMoveConflicts(s, plan);
        NodeProbe.Running running = plan.isEmpty() ? null : runningGuard(ctx, s);
        Map<String, Object> data = clearData(s, plan, plan.count(), plan.bytes(), plan.paths(PREVIEW_PATHS), running);
        putBackData(data, s, 0, 0, List.of(), 0, false);
        if (plan.isEmpty()) {
            return new Preview(Preview.Change.NO, "nothing to remove in " + String.join(", ",
                    plan.targets().isEmpty() ? ctx.args().list("path") : plan.targets()), null, List.of(), data);
        }
        String sum = clearSummary(s, plan) + runningNote(ctx, running);
        return new Preview(Preview.Change.YES, sum, null, List.of(), data);
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        Setup s = setup(ctx);
        ClearPlan plan = s.planner.plan(ctx.args().list("path"));  // re-read: the host may have changed since check
        if (s.restoreFrom != null) {
            return applyRestore(ctx, s, plan);
        }
        checkMoveConflicts(s, plan);
        NodeProbe.Running running = plan.isEmpty() ? null : runningGuard(ctx, s);
        Cleared done = clear(s, plan);
        Map<String, Object> data = appliedData(s, plan, done, running);
        putBackData(data, s, 0, 0, List.of(), 0, false);
        if (plan.isEmpty()) {
            return Result.ok("nothing to remove").withData(data);
        }
        String msg = clearedMessage(s, done);
        ctx.log(msg);
        return Result.changed(msg).withData(data);
    }

    // ---- restore_from ----

    /** What check and apply with restore_from share: resumed or not, the clearing step, the put-back. */
    private record RestoreState(boolean resumed, ClearPlan clear, PutBackPlan putBack) {
    }

    private static RestoreState restoreState(ModuleContext ctx, Setup s, ClearPlan plan) throws ModuleException {
        List<String> paths = ctx.args().list("path");
        String marker = markerPath(s);
        boolean resumed = HostFiles.stat(s.conn, marker).isPresent();
        if (resumed) {
            checkMarker(s, marker, paths);
        }
        ClearPlan clear = resumed ? emptyPlan(plan) : plan;
        List<String> gone = new ArrayList<>();
        for (ClearPlan.Unit u : clear.units()) {
            gone.add(u.path());
        }
        PutBackPlan pb = new PutBackPlanner(s.conn, s.restoreFrom, s.roots, gone, resumed).plan(paths);
        return new RestoreState(resumed, clear, pb);
    }

    private Preview checkRestore(ModuleContext ctx, Setup s, ClearPlan plan) throws ModuleException {
        RestoreState st = restoreState(ctx, s, plan);
        PutBackPlan pb = st.putBack;
        if (pb.isEmpty()) {
            Map<String, Object> data = clearData(s, emptyPlan(plan), 0, 0, List.of(), null);
            putBackData(data, s, 0, 0, List.of(), 0, st.resumed);
            if (st.resumed) {
                return new Preview(Preview.Change.YES, "would finish an interrupted put-back: nothing is left to put "
                        + "back in " + s.restoreFrom + "; would remove its marker " + MARKER + " and the directories "
                        + "left empty", null, List.of(), data);
            }
            return new Preview(Preview.Change.NO, nothingSetAside(ctx, s), null, List.of(), data);
        }
        if (!st.resumed) {
            checkMoveConflicts(s, st.clear);
        }
        NodeProbe.Running running = runningGuard(ctx, s);
        ClearPlan clear = st.clear;
        Map<String, Object> data = clearData(s, clear, clear.count(), clear.bytes(), clear.paths(PREVIEW_PATHS), running);
        putBackData(data, s, pb.count(), pb.bytes(), pb.paths(PREVIEW_PATHS), pb.alreadyBack().size(), st.resumed);
        StringBuilder sum = new StringBuilder();
        if (st.resumed) {
            sum.append("resuming an interrupted put-back (marker ").append(markerPath(s))
                    .append(" found): nothing is cleared");
        } else if (clear.isEmpty()) {
            sum.append("nothing to clear in ").append(String.join(", ", clear.targets()));
        } else {
            sum.append(clearSummary(s, clear));
        }
        sum.append("; then would put back from ").append(s.restoreFrom).append(' ')
                .append(listing(pb.count(), pb.bytes(), pb.paths(PREVIEW_PATHS)));
        if (!pb.alreadyBack().isEmpty()) {
            sum.append("; ").append(pb.alreadyBack().size()).append(" set-aside entries are back already (their "
                    + "copies in ").append(s.restoreFrom).append(" would be removed)");
        }
        sum.append(runningNote(ctx, running));
        return new Preview(Preview.Change.YES, sum.toString(), null, List.of(), data);
    }

    private Result applyRestore(ModuleContext ctx, Setup s, ClearPlan plan) throws ModuleException {
        RestoreState st = restoreState(ctx, s, plan);
        PutBackPlan pb = st.putBack;
        if (pb.isEmpty()) {
            Map<String, Object> data = appliedData(s, emptyPlan(plan), new Cleared(0, 0, List.of()), null);
            putBackData(data, s, 0, 0, List.of(), 0, st.resumed);
            if (st.resumed) {
                tidy(s, pb);
                String msg = "finished an interrupted put-back: nothing was left to put back in " + s.restoreFrom
                        + "; removed its marker " + MARKER + " and the directories left empty";
                ctx.log(msg);
                return Result.changed(msg).withData(data);
            }
            return Result.ok(nothingSetAside(ctx, s)).withData(data);
        }
        if (!st.resumed) {
            checkMoveConflicts(s, st.clear);
        }
        NodeProbe.Running running = runningGuard(ctx, s);
        Cleared cleared = st.resumed ? new Cleared(0, 0, List.of()) : clear(s, st.clear);
        Connection c = s.conn;
        String marker = markerPath(s);
        long count = 0;
        long bytes = 0;
        List<String> paths = new ArrayList<>();
        String at = marker;
        try {
            c.writeAll(marker, (String.join("\n", markerLines(ctx.args().list("path"))) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (PutBackPlan.Unit u : pb.units()) {
                at = u.from();
                c.mkdirs(PathGuard.parent(u.to()));
                c.rename(u.from(), u.to());
                for (ClearPlan.Entry e : u.entries()) {
                    count++;
                    bytes += e.type() == FileStat.Type.FILE ? e.size() : 0;
                    addPath(paths, e.path());
                }
            }
            for (ClearPlan.Entry e : pb.alreadyBack()) {
                at = e.path();
                c.delete(e.path());
            }
        } catch (ConnectionException e) {
            throw new ModuleException(c.host() + ": " + (st.resumed ? "" : clearedMessage(s, cleared) + ", then ")
                    + "put back " + count + " of " + pb.count() + " entries from " + s.restoreFrom + ", then failed at "
                    + at + ": " + e.getMessage() + " (restore_from must be on the same file system); the marker "
                    + marker + " stays: once the cause is fixed, run the task again to finish (the clearing step is "
                    + "skipped then)", e);
        }
        tidy(s, pb);
        Map<String, Object> data = appliedData(s, st.clear, cleared, running);
        putBackData(data, s, count, bytes, paths, pb.alreadyBack().size(), st.resumed);
        String msg = (st.resumed ? "resumed an interrupted put-back, " : st.clear.isEmpty() ? "nothing to clear, "
                : clearedMessage(s, cleared) + ", ") + "put back " + count + (count == 1 ? " entry" : " entries")
                + " (" + human(bytes) + ") from " + s.restoreFrom
                + (pb.alreadyBack().isEmpty() ? "" : " (" + pb.alreadyBack().size() + " were back already)");
        ctx.log(msg);
        return Result.changed(msg).withData(data);
    }

    private static String nothingSetAside(ModuleContext ctx, Setup s) {
        return "nothing set aside in " + s.restoreFrom + " for " + String.join(", ", ctx.args().list("path"))
                + "; nothing cleared";
    }

    /** The plan's targets with nothing to clear (for data when nothing happens). */
    private static ClearPlan emptyPlan(ClearPlan plan) {
        return new ClearPlan(plan.targets(), List.of(), List.of());
    }

    private static String markerPath(Setup s) {
        return PathGuard.join(s.restoreFrom, MARKER);
    }

    /** The paths as the marker records them: normalised, a trailing slash kept. */
    private static List<String> markerLines(List<String> rawPaths) throws ModuleException {
        List<String> out = new ArrayList<>();
        for (String raw : rawPaths) {
            out.add(PathGuard.normalise(raw, "path") + (raw.strip().endsWith("/") ? "/" : ""));
        }
        return out;
    }

    /** Refuses to resume a put-back whose marker names other paths than this task's. */
    private static void checkMarker(Setup s, String marker, List<String> rawPaths) throws ModuleException {
        String text;
        try {
            text = new String(s.conn.readAll(marker), StandardCharsets.UTF_8);
        } catch (ConnectionException e) {
            throw new ModuleException(s.conn.host() + ": cannot read " + marker + ": " + e.getMessage(), e);
        }
        Set<String> recorded = new TreeSet<>();
        for (String l : text.split("\\R")) {
            if (!l.isBlank()) {
                recorded.add(l.strip());
            }
        }
        Set<String> now = new TreeSet<>(markerLines(rawPaths));
        if (!recorded.equals(now)) {
            throw new ModuleException("restore_from " + s.restoreFrom + " holds the marker " + MARKER + " of an "
                    + "interrupted put-back of other paths (" + String.join(", ", recorded) + "; this task: "
                    + String.join(", ", now) + "); run the task with those paths to finish it, or remove " + marker
                    + " if that put-back is finished");
        }
    }

    /**
     * After a put-back: removes the directories left empty under restore_from for these paths
     * (each set-aside top and the empty directories below it, restore_from + each glob path's
     * directory, and their ancestors up to, not including, restore_from), the marker, and restore_from
     * itself when nothing else remains in it. Only empty directories and the marker are removed.
     */
    private static void tidy(Setup s, PutBackPlan pb) throws ModuleException {
        Connection c = s.conn;
        String at = s.restoreFrom;
        try {
            List<String> starts = new ArrayList<>(pb.sources());
            starts.addAll(pb.globDirs());
            for (String top : starts) {
                at = top;
                removeEmptyDirs(c, top, pb.sources().contains(top));
                for (String d = PathGuard.parent(top); PathGuard.within(d, s.restoreFrom) && !d.equals(s.restoreFrom);
                     d = PathGuard.parent(d)) {
                    at = d;
                    Optional<FileStat> st = c.stat(d);
                    if (st.isEmpty()) {
                        continue;
                    }
                    if (st.get().type() != FileStat.Type.DIRECTORY || !c.list(d).isEmpty()) {
                        break;
                    }
                    c.delete(d);
                }
            }
            at = markerPath(s);
            c.delete(markerPath(s));
            at = s.restoreFrom;
            Optional<FileStat> st = c.stat(s.restoreFrom);
            if (st.isPresent() && st.get().type() == FileStat.Type.DIRECTORY && c.list(s.restoreFrom).isEmpty()) {
                c.delete(s.restoreFrom);
            }
        } catch (ConnectionException e) {
            throw new ModuleException(c.host() + ": put back done, but the tidy-up of " + s.restoreFrom
                    + " failed at " + at + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes {@code dir} when it is (or, with {@code deep}, becomes) empty; with {@code deep} the
     * directories below it that are or become empty first. Files stay.
     */
    private static void removeEmptyDirs(Connection c, String dir, boolean deep) throws ConnectionException {
        Optional<FileStat> st = c.stat(dir);
        if (st.isEmpty() || st.get().type() != FileStat.Type.DIRECTORY) {
            return;
        }
        for (FileStat ch : deep ? c.list(dir) : List.<FileStat>of()) {
            if (ch.type() == FileStat.Type.DIRECTORY) {
                removeEmptyDirs(c, PathGuard.join(dir, ch.name()), true);
            }
        }
        if (c.list(dir).isEmpty()) {
            c.delete(dir);
        }
    }

    // ---- clearing ----

    /** What a clearing step did: entries removed or moved, their bytes, the first paths. */
    private record Cleared(long count, long bytes, List<String> paths) {
    }

    /** Deletes or moves every unit of {@code plan}; with move_to, after {@link #probeSameFileSystem}. */
    private static Cleared clear(Setup s, ClearPlan plan) throws ModuleException {
        probeSameFileSystem(s, plan);
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
        return new Cleared(done, bytes, paths);
    }

    private static String clearedMessage(Setup s, Cleared done) {
        return (s.moveTo == null ? "removed " : "moved to " + s.moveTo + " ") + done.count
                + (done.count == 1 ? " entry" : " entries") + " (" + human(done.bytes) + ")";
    }

    private static String clearSummary(Setup s, ClearPlan plan) {
        String verb = s.moveTo == null ? "would remove " : "would move to " + s.moveTo + " ";
        return verb + listing(plan.count(), plan.bytes(), plan.paths(PREVIEW_PATHS));
    }

    /** {@code N entries (size): first paths … and M more}; no colon part when there are none. */
    private static String listing(long count, long bytes, List<String> firstPaths) {
        StringBuilder sum = new StringBuilder().append(count).append(count == 1 ? " entry" : " entries")
                .append(" (").append(human(bytes)).append(")");
        if (count > 0) {
            sum.append(": ").append(String.join(", ", firstPaths));
            if (count > firstPaths.size()) {
                sum.append(" … and ").append(count - firstPaths.size()).append(" more");
            }
        }
        return sum.toString();
    }

    private static String runningNote(ModuleContext ctx, NodeProbe.Running running) {
        if (running == null || !running.running()) {
            return "";
        }
        return ctx.args().bool("allow_running", false) ? " (node is running: " + running.evidence()
                + "; allowed by allow_running)" : " (NOTE: the node is running now: " + running.evidence()
                + "; apply refuses unless it is stopped first)";
    }

    /** The clearing step's data keys after apply: what was removed, the running probe (null: not probed). */
    private static Map<String, Object> appliedData(Setup s, ClearPlan plan, Cleared done, NodeProbe.Running running) {
        return clearData(s, plan, done.count, done.bytes, done.paths, running);
    }

    /** The clearing step's data keys, with the running probe's evidence (null when not probed). */
    private static Map<String, Object> clearData(Setup s, ClearPlan plan, long count, long bytes, List<String> paths,
                                                 NodeProbe.Running running) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("removed", count);
        data.put("bytes", bytes);
        data.put("paths", paths);
        data.put("moved_to", s.moveTo);
        data.put("kept", plan.kept());
        data.put("targets", plan.targets());
        data.put("node_running", running != null && running.running());
        data.put("running_evidence", running == null ? null : running.evidence());
        return data;
    }

    /** The put-back data keys (zeros and null without restore_from). */
    private static void putBackData(Map<String, Object> data, Setup s, long count, long bytes, List<String> paths,
                                    long alreadyBack, boolean resumed) {
        data.put("restore_from", s.restoreFrom);
        data.put("put_back", count);
        data.put("put_back_bytes", bytes);
        data.put("put_back_paths", paths);
        data.put("already_back", alreadyBack);
        data.put("resumed", resumed);
    }

    private static void addPath(List<String> paths, String p) {
        if (paths.size() < RESULT_PATHS) {
            paths.add(p);
        }
    }

    /** What check and apply share: the host, the roots, move_to, restore_from, the planner. */
    private record Setup(Connection conn, CassandraHost host, List<String> roots, String moveTo, String restoreFrom,
                         ClearPlanner planner) {
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
        String restoreFrom = null;
        if (a.get("restore_from") != null) {
            restoreFrom = PathGuard.normalise(a.str("restore_from"), "restore_from");
        }
        if (moveTo != null && restoreFrom != null) {
            if (moveTo.equals(restoreFrom)) {
                throw new ModuleException("move_to and restore_from are the same directory " + moveTo + ": the current "
                        + "content would be set aside where the content to put back lies; give move_to another directory");
            }
            if (PathGuard.within(moveTo, restoreFrom) || PathGuard.within(restoreFrom, moveTo)) {
                throw new ModuleException("move_to " + moveTo + " and restore_from " + restoreFrom + " lie one inside "
                        + "the other; give them separate directories");
            }
        }
        Connection conn;
        try {
            conn = ctx.connection();
        } catch (ConnectionException e) {
            throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
        }
        return new Setup(conn, h, roots, moveTo, restoreFrom, new ClearPlanner(conn, roots, dataRoots,
                a.bool("allow_root", false), a.list("keep"), moveTo, restoreFrom));
    }

    /**
     * With move_to, before anything moves: for each declared directory the units lie in, an
     * empty probe file is written there and renamed into move_to, then removed. A rename cannot
     * cross file systems (rename(2) fails with EXDEV; an SFTP rename fails the same way), and
     * finding that out after part of a node's files had moved would leave the node half set
     * aside. So a move_to on another file system than any cleared directory (JBOD disks, a
     * commitlog disk) fails the task with nothing moved.
     *
     * @throws ModuleException naming move_to and the directory on the other file system, or when
     *                         the probe cannot be written
     */
    private static void probeSameFileSystem(Setup s, ClearPlan plan) throws ModuleException {
        if (s.moveTo == null || plan.isEmpty()) {
            return;
        }
        Connection c = s.conn;
        String name = PROBE + "-" + Long.toHexString(System.nanoTime());
        Set<String> probed = new LinkedHashSet<>();
        for (ClearPlan.Unit u : plan.units()) {
            String root = PathGuard.rootOf(u.path(), s.roots);
            String dir = root == null || root.equals(u.path()) ? PathGuard.parent(u.path()) : root;
            if (!probed.add(dir)) {
                continue;
            }
            String from = PathGuard.join(dir, name);
            String to = PathGuard.join(s.moveTo, name);
            try {
                c.mkdirs(s.moveTo);
                c.writeAll(from, new byte[0]);
                try {
                    c.rename(from, to);
                } catch (ConnectionException e) {
                    throw new ModuleException(c.host() + ": move_to " + s.moveTo + " is not on the same file system as "
                            + dir + " (renaming a probe file there failed: " + e.getMessage() + "); nothing was moved."
                            + " Files can only be set aside on their own file system: give move_to a directory there"
                            + " (the restore and clone plans use cassandra_set_aside_dir)", e);
                } finally {
                    deleteQuietly(c, from);
                    deleteQuietly(c, to);
                }
            } catch (ConnectionException e) {
                throw new ModuleException(c.host() + ": cannot probe whether move_to " + s.moveTo + " is on the file "
                        + "system of " + dir + ": " + e.getMessage() + "; nothing was moved", e);
            }
        }
    }

    private static void deleteQuietly(Connection c, String path) {
        try {
            c.delete(path);
        } catch (ConnectionException e) {
            // a probe left behind is an empty dot-file; the task's outcome does not depend on it
        }
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
