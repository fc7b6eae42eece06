package dev.ringplan.modules.fsclear;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.service.NodeLiveness;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The clearing step of {@code fs_clear}: deletes, or renames into move_to, what a
 * {@link ClearPlan} holds, after the running-node guard, the move_to conflict check and the
 * same-file-system probe. Its {@link #check}/{@link #apply} are the module's without
 * restore_from; {@link PutBackStep} runs the same step before putting back.
 */
final class ClearStep {
    /**
     * Name prefix of the empty file renamed from each cleared directory into move_to before
     * anything moves ({@link #probeSameFileSystem}).
     */
    static final String PROBE = ".ringplan-same-fs-probe";

    private ClearStep() {
    }

    /** Check mode of fs_clear without restore_from: what the clearing step would remove or move. */
    static Preview check(ModuleContext ctx, FsClearSetup s, ClearPlan plan) throws ModuleException {
        checkMoveConflicts(s, plan);
        NodeLiveness.Running running = plan.isEmpty() ? null : s.runningGuard(ctx);
        Map<String, Object> data = clearData(s, plan, plan.count(), plan.bytes(),
                plan.paths(FsClearReport.PREVIEW_PATHS), running);
        FsClearReport.putBackData(data, s, 0, 0, List.of(), 0, false);
        if (plan.isEmpty()) {
            return new Preview(Preview.Change.NO, "nothing to remove in " + String.join(", ",
                    plan.targets().isEmpty() ? ctx.args().list("path") : plan.targets()), null, List.of(), data);
        }
        String sum = clearSummary(s, plan) + FsClearReport.runningNote(ctx, running);
        return new Preview(Preview.Change.YES, sum, null, List.of(), data);
    }

    /** fs_clear without restore_from: removes or moves what {@code plan} holds. */
    static Result apply(ModuleContext ctx, FsClearSetup s, ClearPlan plan) throws ModuleException {
        checkMoveConflicts(s, plan);
        NodeLiveness.Running running = plan.isEmpty() ? null : s.runningGuard(ctx);
        Cleared done = clear(s, plan);
        Map<String, Object> data = appliedData(s, plan, done, running);
        FsClearReport.putBackData(data, s, 0, 0, List.of(), 0, false);
        if (plan.isEmpty()) {
            return Result.ok("nothing to remove").withData(data);
        }
        String msg = clearedMessage(s, done);
        ctx.log(msg);
        return Result.changed(msg).withData(data);
    }

    /** What a clearing step did: entries removed or moved, their bytes, the first paths. */
    record Cleared(long count, long bytes, List<String> paths) {
    }

    /** Deletes or moves every unit of {@code plan}; with move_to, after {@link #probeSameFileSystem}. */
    static Cleared clear(FsClearSetup s, ClearPlan plan) throws ModuleException {
        probeSameFileSystem(s, plan);
        long done = 0;
        long bytes = 0;
        List<String> paths = new ArrayList<>();
        Connection c = s.conn();
        for (ClearPlan.Unit u : plan.units()) {
            try {
                if (s.moveTo() != null) {
                    String dest = s.moveTo() + u.path();
                    c.mkdirs(PathGuard.parent(dest));
                    c.rename(u.path(), dest);
                    for (ClearPlan.Entry e : u.entries()) {
                        done++;
                        bytes += e.type() == FileStat.Type.FILE ? e.size() : 0;
                        FsClearReport.addPath(paths, e.path());
                    }
                } else {
                    List<ClearPlan.Entry> es = u.entries();
                    for (int i = es.size() - 1; i >= 0; i--) {
                        c.delete(es.get(i).path());
                        done++;
                        bytes += es.get(i).type() == FileStat.Type.FILE ? es.get(i).size() : 0;
                    }
                    for (ClearPlan.Entry e : es) {
                        FsClearReport.addPath(paths, e.path());
                    }
                }
            } catch (ConnectionException e) {
                throw new ModuleException(c.host() + ": " + (s.moveTo() == null ? "removed " : "moved ") + done + " of "
                        + plan.count() + " entries, then failed at " + u.path() + ": " + e.getMessage()
                        + (s.moveTo() != null ? " (move_to must be on the same file system)" : ""), e);
            }
        }
        return new Cleared(done, bytes, paths);
    }

    /** The result message of a clearing step: {@code removed N entries (size)} or {@code moved to DIR ...}. */
    static String clearedMessage(FsClearSetup s, Cleared done) {
        return (s.moveTo() == null ? "removed " : "moved to " + s.moveTo() + " ") + done.count
                + (done.count == 1 ? " entry" : " entries") + " (" + FsClearReport.human(done.bytes) + ")";
    }

    /** The preview summary of a clearing step: {@code would remove N entries (size): paths}. */
    static String clearSummary(FsClearSetup s, ClearPlan plan) {
        String verb = s.moveTo() == null ? "would remove " : "would move to " + s.moveTo() + " ";
        return verb + FsClearReport.listing(plan.count(), plan.bytes(), plan.paths(FsClearReport.PREVIEW_PATHS));
    }

    /** The clearing step's data keys after apply: what was removed, the running probe (null: not probed). */
    static Map<String, Object> appliedData(FsClearSetup s, ClearPlan plan, Cleared done, NodeLiveness.Running running) {
        return clearData(s, plan, done.count, done.bytes, done.paths, running);
    }

    /** The clearing step's data keys, with the running probe's evidence (null when not probed). */
    static Map<String, Object> clearData(FsClearSetup s, ClearPlan plan, long count, long bytes, List<String> paths,
                                                 NodeLiveness.Running running) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("removed", count);
        data.put("bytes", bytes);
        data.put("paths", paths);
        data.put("moved_to", s.moveTo());
        data.put("kept", plan.kept());
        data.put("targets", plan.targets());
        data.put("node_running", running != null && running.running());
        data.put("running_evidence", running == null ? null : running.evidence());
        return data;
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
    private static void probeSameFileSystem(FsClearSetup s, ClearPlan plan) throws ModuleException {
        if (s.moveTo() == null || plan.isEmpty()) {
            return;
        }
        Connection c = s.conn();
        String name = PROBE + "-" + Long.toHexString(System.nanoTime());
        Set<String> probed = new LinkedHashSet<>();
        for (ClearPlan.Unit u : plan.units()) {
            String root = PathGuard.rootOf(u.path(), s.roots());
            String dir = root == null || root.equals(u.path()) ? PathGuard.parent(u.path()) : root;
            if (!probed.add(dir)) {
                continue;
            }
            String from = PathGuard.join(dir, name);
            String to = PathGuard.join(s.moveTo(), name);
            try {
                c.mkdirs(s.moveTo());
                c.writeAll(from, new byte[0]);
                try {
                    c.rename(from, to);
                } catch (ConnectionException e) {
                    throw new ModuleException(c.host() + ": move_to " + s.moveTo() + " is not on the same file system"
                            + " as " + dir + " (renaming a probe file there failed: " + e.getMessage() + ");"
                            + " nothing was moved."
                            + " Files can only be set aside on their own file system: give move_to a directory there"
                            + " (the restore and clone plans use cassandra_set_aside_dir)", e);
                } finally {
                    deleteQuietly(c, from);
                    deleteQuietly(c, to);
                }
            } catch (ConnectionException e) {
                throw new ModuleException(c.host() + ": cannot probe whether move_to " + s.moveTo() + " is on the file "
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
    static void checkMoveConflicts(FsClearSetup s, ClearPlan plan) throws ModuleException {
        if (s.moveTo() == null) {
            return;
        }
        for (ClearPlan.Unit u : plan.units()) {
            String dest = s.moveTo() + u.path();
            try {
                if (s.conn().stat(dest).isPresent()) {
                    throw new ModuleException("move_to already holds " + dest + "; refusing to overwrite (choose another "
                            + "move_to or clear it first)");
                }
            } catch (ConnectionException e) {
                throw new ModuleException(s.conn().host() + ": cannot stat " + dest + ": " + e.getMessage(), e);
            }
        }
    }
}
