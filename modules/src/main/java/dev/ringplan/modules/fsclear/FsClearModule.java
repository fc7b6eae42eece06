package dev.ringplan.modules.fsclear;

import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.DeclaredModule;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.ReturnSpec;
import dev.ringplan.modules.CassandraHost;

/**
 * {@code fs_clear}: empties Cassandra directories (commitlog, a table's SSTables, {@code system/*})
 * of a stopped node, or sets their content aside with {@code move_to}, behind guards that keep it
 * inside the host's declared Cassandra directories ({@link CassandraHost#allDirs()}), and with
 * {@code restore_from} puts back what an earlier {@code move_to} set aside.
 *
 * <p>This class declares the module (arguments, doc) and picks the mode: {@link ClearStep} (check
 * and apply without restore_from) or {@link PutBackStep} (with it; it runs the clearing step
 * first). Both start from {@link FsClearSetup} (host, roots, move_to, restore_from, the running-node
 * guard); planning is {@link ClearPlanner}'s and {@link PutBackPlanner}'s.
 */
public final class FsClearModule extends DeclaredModule {
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
        super("fs_clear", DOC, SPEC, FsClearReturns.SPEC);
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        FsClearSetup s = FsClearSetup.of(ctx);
        ClearPlan plan = s.planner().plan(ctx.args().list("path"));
        if (s.restoreFrom() != null) {
            return PutBackStep.check(ctx, s, plan);
        }
        return ClearStep.check(ctx, s, plan);
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        FsClearSetup s = FsClearSetup.of(ctx);
        ClearPlan plan = s.planner().plan(ctx.args().list("path"));  // re-read: the host may have changed since check
        if (s.restoreFrom() != null) {
            return PutBackStep.apply(ctx, s, plan);
        }
        return ClearStep.apply(ctx, s, plan);
    }
}
