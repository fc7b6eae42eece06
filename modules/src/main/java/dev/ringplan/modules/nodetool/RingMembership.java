package dev.ringplan.modules.nodetool;

import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.UpstreamChange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code nodetool removenode} and {@code decommission}: taking a node out of the ring, each made
 * idempotent by reading the ring first.
 *
 * <p>removenode (run on a live node, naming a dead one by host id): {@code nodetool status} first;
 * the host id absent from every datacenter → {@code ok} (already removed, or never there); present
 * and down ({@code DN}, {@code DL}) → YES; present and up, or of unknown state ({@code ?}) → the
 * task fails before running anything: Cassandra itself refuses a live node ("Node /x is alive and
 * owns this ID. Use decommission command to remove it from the ring", 5.0.7), and the remedy is
 * to decommission it or to stop it first.
 *
 * <p>decommission (run on the node that leaves): {@code nodetool netstats} first; {@code Mode:
 * DECOMMISSIONED} → {@code ok} (5.0.7 keeps the process running in that mode, and a second
 * {@code nodetool decommission} prints "Node was already decommissioned." and exits 0, also
 * reported {@code ok}); {@code NORMAL} → YES; {@code DECOMMISSION_FAILED} (an earlier decommission
 * failed; 5.0.7 keeps the node in the ring and takes a new decommission as a retry) → YES; {@code LEAVING} (a decommission already running) and
 * other modes → the task fails. A node that does not answer (stopped after its decommission, or
 * down) cannot tell whether it left: the task fails with nodetool's message; plans guard it with
 * {@code when:} on a status registered from another node.
 *
 * <p>In check mode, when a task upstream is predicted to change something (stopping the node that
 * is still up, starting the one that does not answer), what the run will find is unknown: the
 * preview says UNKNOWN instead of failing.
 */
final class RingMembership {
    /** nodetool's answer on a node that already left (5.0.7, exit 0). */
    static final String ALREADY_DECOMMISSIONED = "Node was already decommissioned";

    private RingMembership() {
    }

    /** removenode's check: reads nodetool status for the host id (see the class comment). */
    static Preview checkRemove(ModuleContext ctx, Invocation inv) throws ModuleException {
        ExecResult r = NodetoolRunner.run(ctx, inv.read("status"), "status", inv.timeout());
        NodetoolStatus status;
        try {
            status = StatusParser.parse(r.stdout() == null ? "" : r.stdout());
        } catch (NodetoolParseException e) {
            throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
        }
        Optional<StatusNode> found = status.nodes().stream()
                .filter(n -> inv.hostId().equalsIgnoreCase(n.hostId() == null ? "" : n.hostId())).findFirst();
        String display = NodetoolRunner.display(inv.argv());
        if (found.isEmpty()) {
            Map<String, Object> data = NodetoolRunner.baseData(inv.argv(), null);
            data.putAll(removeData(inv, false, null));
            return new Preview(Preview.Change.NO, "host id " + inv.hostId() + " is not in the ring (nodetool status"
                    + " on " + ctx.host() + "): nothing to remove", null, List.of(), data);
        }
        StatusNode n = found.get();
        Map<String, Object> data = NodetoolRunner.wouldRun(inv.argv());
        data.putAll(removeData(inv, true, n.toMap()));
        String who = "node " + n.address() + " (" + n.code() + ", datacenter " + n.datacenter() + ", host id "
                + inv.hostId() + ")";
        if (n.status() == NodeStatus.DOWN) {
            return Preview.willChange("would remove " + who + ": the remaining replicas stream its ranges among"
                    + " themselves", List.of(display)).withData(data);
        }
        Optional<UpstreamChange> before = ctx.upstreamChanges().stream().findFirst();
        if (before.isPresent()) {
            return Preview.unknown("after " + before.get().node() + " " + (before.get().change() == Preview.Change.YES
                    ? "changes" : "may change") + " the cluster: " + who + " is up now; removenode runs if it is"
                    + " down by then", List.of(display)).withData(data);
        }
        throw new ModuleException(ctx.host() + ": refusing to remove " + who + ": nodetool status shows it "
                + (n.status() == NodeStatus.UP ? "up" : "in an unknown state ('?', not yet seen by gossip)")
                + "; removenode is for a dead node: run 'nodetool decommission' on that node, or stop it and wait"
                + " until it shows DN");
    }

    /** removenode's apply: runs it; "Host ID not found" (removed meanwhile) is ok. */
    static Result applyRemove(ModuleContext ctx, Invocation inv, Preview p) throws ModuleException {
        ExecResult r = NodetoolRunner.tryRun(ctx, inv.argv(), "removenode", inv.timeout());
        Map<String, Object> data = NodetoolRunner.baseData(inv.argv(), r);
        Object node = p.data().get("node");
        data.putAll(removeData(inv, true, node));
        List<String> cmds = List.of(NodetoolRunner.display(inv.argv()));
        if (!r.ok()) {
            String line = NodetoolRunner.errorLine(r);
            if (line.contains("Host ID not found")) {
                return Result.ok("host id " + inv.hostId() + " left the ring meanwhile (" + line + ")")
                        .withCommands(cmds).withData(data);
            }
            throw new ModuleException(ctx.host() + ": nodetool removenode failed (" + NodetoolRunner.exit(r) + "): "
                    + line);
        }
        return Result.changed(p.summary().replaceFirst("^would remove", "removed")).withCommands(cmds).withData(data);
    }

    /** decommission's check: reads nodetool netstats for the mode (see the class comment). */
    static Preview checkDecommission(ModuleContext ctx, Invocation inv, boolean force) throws ModuleException {
        ExecResult r = NodetoolRunner.tryRun(ctx, inv.read("netstats"), "netstats", inv.timeout());
        String display = NodetoolRunner.display(inv.argv());
        Optional<UpstreamChange> before = ctx.upstreamChanges().stream().findFirst();
        if (!r.ok()) {
            if (before.isPresent()) {
                Map<String, Object> data = NodetoolRunner.wouldRun(inv.argv());
                data.putAll(decommissionData(null, force));
                return Preview.unknown("after " + before.get().node() + ": the node does not answer now ("
                        + NodetoolRunner.errorLine(r) + "); decommission runs if it is NORMAL by then",
                        List.of(display)).withData(data);
            }
            String line = NodetoolRunner.errorLine(r).replaceFirst("\\.+$", "");
            throw new ModuleException(ctx.host() + ": cannot read the node's mode: nodetool netstats failed ("
                    + NodetoolRunner.exit(r) + "): " + line + ". A node that was decommissioned"
                    + " and then stopped no longer answers and cannot tell that it left: guard the task with when: on"
                    + " a nodetool status registered from another node (see the module's examples)");
        }
        NetStats ns;
        try {
            ns = NetstatsParser.parse(r.stdout() == null ? "" : r.stdout());
        } catch (NodetoolParseException e) {
            throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
        }
        String mode = ns.mode();
        if (mode.equals("DECOMMISSIONED")) {
            Map<String, Object> data = NodetoolRunner.baseData(inv.argv(), null);
            data.putAll(decommissionData(mode, force));
            return new Preview(Preview.Change.NO, "already decommissioned (nodetool netstats: Mode: DECOMMISSIONED)",
                    null, List.of(), data);
        }
        Map<String, Object> data = NodetoolRunner.wouldRun(inv.argv());
        data.putAll(decommissionData(mode, force));
        if (mode.equals("NORMAL")) {
            return Preview.willChange("would decommission " + ctx.host() + ": stream its ranges to the nodes that"
                    + " take them over, then leave the ring" + (force ? " (--force: even below the replication"
                    + " factor)" : ""), List.of(display)).withData(data);
        }
        if (mode.equals("DECOMMISSION_FAILED")) {
            // 4.1+ keeps a node whose decommission failed in this mode, still in the ring; running
            // nodetool decommission again retries it.
            return Preview.willChange("would retry the decommission of " + ctx.host() + " that failed (nodetool"
                    + " netstats: Mode: DECOMMISSION_FAILED)" + (force ? " (--force: even below the replication"
                    + " factor)" : ""), List.of(display)).withData(data);
        }
        if (before.isPresent()) {
            return Preview.unknown("after " + before.get().node() + ": the node is " + mode + " now; decommission runs"
                    + " if it is NORMAL by then", List.of(display)).withData(data);
        }
        if (mode.equals("LEAVING")) {
            throw new ModuleException(ctx.host() + ": a decommission (or a move out of the ring) is already running"
                    + " (nodetool netstats: Mode: LEAVING); wait until netstats shows Mode: DECOMMISSIONED instead of"
                    + " starting another");
        }
        throw new ModuleException(ctx.host() + ": the node is in mode " + mode + " (nodetool netstats); decommission"
                + " needs a NORMAL node");
    }

    /** decommission's apply: runs it; "Node was already decommissioned." is ok. */
    static Result applyDecommission(ModuleContext ctx, Invocation inv, Preview p, boolean force)
            throws ModuleException {
        ExecResult r = NodetoolRunner.run(ctx, inv);
        Map<String, Object> data = NodetoolRunner.baseData(inv.argv(), r);
        Object mode = p.data().get("mode");
        data.putAll(decommissionData(mode instanceof String s ? s : null, force));
        List<String> cmds = List.of(NodetoolRunner.display(inv.argv()));
        if (r.stdout() != null && r.stdout().contains(ALREADY_DECOMMISSIONED)) {
            return Result.ok("already decommissioned (nodetool: " + ALREADY_DECOMMISSIONED + ".)").withCommands(cmds)
                    .withData(data);
        }
        return Result.changed("decommissioned " + ctx.host() + ": it left the ring").withCommands(cmds).withData(data);
    }

    private static Map<String, Object> removeData(Invocation inv, boolean existed, Object node) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host_id", inv.hostId());
        m.put("existed", existed);
        m.put("node", node);
        return m;
    }

    private static Map<String, Object> decommissionData(String mode, boolean force) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("force", force);
        return m;
    }
}
