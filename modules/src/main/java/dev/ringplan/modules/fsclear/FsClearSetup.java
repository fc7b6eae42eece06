package dev.ringplan.modules.fsclear;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.modules.CassandraHost;
import dev.ringplan.modules.service.NodeLiveness;
import java.util.ArrayList;
import java.util.List;

/**
 * What check and apply of {@code fs_clear} share, in both modes ({@link ClearStep},
 * {@link PutBackStep}): the host, the roots, move_to, restore_from, the planner; and the
 * running-node guard.
 *
 * @param conn        the host's connection
 * @param host        the host's Cassandra variables
 * @param roots       the declared Cassandra directories, normalised
 * @param moveTo      move_to, normalised; null when deleting
 * @param restoreFrom restore_from, normalised; null without put-back
 * @param planner     plans the clearing step of these paths
 */
record FsClearSetup(Connection conn, CassandraHost host, List<String> roots, String moveTo, String restoreFrom,
                    ClearPlanner planner) {
    /**
     * Reads the host's declared directories and the task's move_to and restore_from, and opens the
     * host's connection.
     *
     * @throws ModuleException for a malformed directory, move_to and restore_from that overlap, or
     *                         an unreachable host
     */
    static FsClearSetup of(ModuleContext ctx) throws ModuleException {
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
        return new FsClearSetup(conn, h, roots, moveTo, restoreFrom, new ClearPlanner(conn, roots, dataRoots,
                a.bool("allow_root", false), a.list("keep"), moveTo, restoreFrom));
    }

    /**
     * The running-node guard: in apply a running node fails the task unless allow_running; in
     * check mode it is reported, not fatal.
     */
    NodeLiveness.Running runningGuard(ModuleContext ctx) throws ModuleException {
        NodeLiveness.Running r = NodeLiveness.running(conn, host, NodeLiveness.isLocal(host), true);
        if (r.running() && !ctx.args().bool("allow_running", false) && !ctx.checkMode()) {
            throw new ModuleException("the Cassandra node on " + ctx.host() + " is running (" + r.evidence()
                    + "); stop it first (service: {state: stopped}) or set allow_running: true");
        }
        return r;
    }
}
