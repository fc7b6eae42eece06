package dev.ringplan.modules.nodetool;

import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.UpstreamChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code nodetool rebuild -ks <keyspace> -- <source_dc>}, one call per keyspace: streams this
 * node's ranges of the keyspace from replicas in the source datacenter (adding a datacenter).
 *
 * <p><b>check</b> reads {@code nodetool describering <keyspace>} per keyspace and refuses, before
 * anything streams, the two mistakes that make a rebuild stream nothing while exiting 0: a
 * keyspace with no replica at this node's {@code listen_address} (its replication does not name
 * this node's datacenter yet: ALTER KEYSPACE first), and a source datacenter holding no replica of
 * it. Whether the rebuild will stream is known only when it runs (below), so the preview says
 * UNKNOWN. When a task upstream is predicted to change something (an ALTER KEYSPACE), a failed
 * guard makes the preview UNKNOWN instead of an error.
 *
 * <p><b>apply</b> runs the calls in order. Cassandra 4.1+ records the ranges each bootstrap and
 * rebuild streamed and refuses to stream them again ({@link RebuildRefusal}; measured on 5.0.7: a
 * second rebuild of a keyspace, or a rebuild of a keyspace the node bootstrapped, exits 1 with
 * "Discovered existing bootstrap data ..."). The task then reads describering again: when every
 * range of this node is among the fully available ones, the keyspace was already rebuilt and
 * counts as done ({@code already_rebuilt}); when some are missing (an earlier rebuild that did not
 * finish), the task fails naming them, since Cassandra will not stream them until the node
 * restarts with {@code -Dcassandra.reset_bootstrap_progress=true}. Older versions skip the ranges
 * they already hold and exit 0, which this task reports as {@code changed}. A task is
 * {@code changed} when any keyspace streamed, {@code ok} when every keyspace was already rebuilt.
 */
final class RebuildRun {
    private RebuildRun() {
    }

    /**
     * The replicas of one keyspace as describering prints them.
     *
     * @param localRanges  the ranges with {@code address} among their endpoints, as {@code start,end}
     * @param endpoints    every endpoint, in first-seen order
     * @param datacenters  the endpoints' datacenters (empty when describering prints none)
     */
    record Replicas(Set<String> localRanges, Set<String> endpoints, Set<String> datacenters) {
    }

    /** check: the guards, then UNKNOWN with the calls (see the class comment). */
    static Preview check(ModuleContext ctx, Invocation inv) throws ModuleException {
        List<String> displays = new ArrayList<>();
        for (List<String> argv : inv.calls()) {
            displays.add(NodetoolRunner.display(argv));
        }
        Map<String, Object> data = NodetoolRunner.wouldRun(inv.calls().get(inv.calls().size() - 1));
        data.putAll(rebuildData(inv, inv.calls(), null, null));
        Optional<UpstreamChange> before = ctx.upstreamChanges().stream().findFirst();
        for (String ks : inv.callKeyspaces()) {
            String problem;
            try {
                problem = problem(ks, inv, replicas(ctx, inv, ks, inv.host().listenAddress()));
            } catch (ModuleException e) {
                if (before.isEmpty() || e.getCause() instanceof ConnectionException) {
                    throw e;
                }
                problem = e.getMessage();
            }
            if (problem != null) {
                if (before.isPresent()) {
                    return Preview.unknown("after " + before.get().node() + ": " + problem, displays).withData(data);
                }
                throw new ModuleException(ctx.host() + ": " + problem);
            }
        }
        String what = inv.callKeyspaces().isEmpty() ? "every keyspace" : String.join(", ", inv.callKeyspaces());
        return Preview.unknown("would rebuild " + what + " from datacenter " + inv.sourceDc() + " (streams this node's"
                + " ranges; a keyspace whose ranges the node already streamed, by bootstrap or an earlier rebuild,"
                + " is refused by Cassandra 4.1+ and reported ok: known when it runs)", displays).withData(data);
    }

    /** Why rebuilding {@code ks} would stream nothing, or null when it would stream. */
    private static String problem(String ks, Invocation inv, Replicas r) {
        if (r.localRanges().isEmpty()) {
            return "keyspace " + ks + " has no replica at this node's listen_address " + inv.host().listenAddress()
                    + " (nodetool describering " + ks + " lists " + (r.endpoints().isEmpty() ? "no endpoint"
                    : "endpoints " + String.join(", ", r.endpoints())) + "): a rebuild would stream nothing; add this"
                    + " node's datacenter to the keyspace's replication first (ALTER KEYSPACE), or set listen_address"
                    + " to the address Cassandra uses for this node";
        }
        if (!r.datacenters().isEmpty() && !r.datacenters().contains(inv.sourceDc())) {
            return "keyspace " + ks + " has no replica in datacenter " + inv.sourceDc() + " (nodetool describering "
                    + ks + " lists datacenters " + String.join(", ", r.datacenters()) + "): nothing to stream from there";
        }
        return null;
    }

    /** apply: the calls in order, telling a refusal of already streamed ranges from a failure. */
    static Result apply(ModuleContext ctx, Invocation inv) throws ModuleException {
        List<String> rebuilt = new ArrayList<>();
        List<String> already = new ArrayList<>();
        List<String> displays = new ArrayList<>();
        List<List<String>> ran = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        ExecResult last = null;
        for (int i = 0; i < inv.calls().size(); i++) {
            List<String> argv = inv.calls().get(i);
            String ks = inv.callKeyspaces().isEmpty() ? null : inv.callKeyspaces().get(i);
            String of = ks == null ? "" : " of keyspace " + ks;
            String progress = ks == null ? "" : "; already done: " + (i == 0 ? "none"
                    : String.join(", ", inv.callKeyspaces().subList(0, i))) + (i + 1 < inv.callKeyspaces().size()
                    ? "; not run: " + String.join(", ", inv.callKeyspaces().subList(i + 1, inv.callKeyspaces().size()))
                    : "");
            ExecResult r = NodetoolRunner.tryRun(ctx, argv, "rebuild" + of, inv.timeout());
            displays.add(NodetoolRunner.display(argv));
            ran.add(new ArrayList<>(argv));
            out.append(r.stdout() == null ? "" : r.stdout());
            err.append(r.stderr() == null ? "" : r.stderr());
            last = r;
            if (r.ok()) {
                rebuilt.add(ks == null ? "*" : ks);
                continue;
            }
            Optional<RebuildRefusal> refusal = RebuildRefusal.parse(nullToEmpty(r.stdout()) + "\n"
                    + nullToEmpty(r.stderr()));
            if (refusal.isEmpty()) {
                throw new ModuleException(ctx.host() + ": nodetool rebuild" + of + " failed (" + NodetoolRunner.exit(r)
                        + "): " + NodetoolRunner.errorLine(r) + progress);
            }
            if (ks == null) {
                throw new ModuleException(ctx.host() + ": Cassandra refuses to rebuild: this node already streamed some"
                        + " of its ranges (by bootstrap or an earlier rebuild). Name the keyspaces (keyspaces: [...])"
                        + " so that the task can tell, per keyspace, whether that earlier streaming was complete");
            }
            String self = refusal.get().selfAddress() != null ? refusal.get().selfAddress()
                    : inv.host().listenAddress();
            Replicas rep = replicas(ctx, inv, ks, self);
            Set<String> missing = new LinkedHashSet<>(rep.localRanges());
            missing.removeAll(refusal.get().fullyAvailable());
            if (!rep.localRanges().isEmpty() && missing.isEmpty()) {
                already.add(ks);
                ctx.log("keyspace " + ks + ": all " + rep.localRanges().size() + " ranges of this node were already"
                        + " streamed (Cassandra refused to stream them again)");
                continue;
            }
            throw new ModuleException(ctx.host() + ": Cassandra refuses to rebuild keyspace " + ks + ": this node already"
                    + " streamed " + (rep.localRanges().size() - missing.size()) + " of its " + rep.localRanges().size()
                    + " ranges (by bootstrap or an earlier rebuild that did not finish), and will not stream the "
                    + missing.size() + " missing ones (" + String.join(" ", sample(missing)) + ") until the node"
                    + " restarts with -Dcassandra.reset_bootstrap_progress=true (Cassandra asks to clean up the"
                    + " partly streamed data first)" + progress);
        }
        Map<String, Object> data = NodetoolRunner.baseData(inv.calls().get(inv.calls().size() - 1), last);
        data.put("stdout", out.toString());
        data.put("stderr", err.toString());
        data.putAll(rebuildData(inv, ran, rebuilt.contains("*") ? List.of() : rebuilt, already));
        String from = " from datacenter " + inv.sourceDc();
        if (rebuilt.isEmpty()) {
            return Result.ok("already rebuilt" + from + ": " + String.join(", ", already) + " (Cassandra had streamed"
                    + " every range of this node)").withCommands(displays).withData(data);
        }
        String msg = "rebuilt " + (rebuilt.contains("*") ? "every keyspace" : String.join(", ", rebuilt)) + from
                + (already.isEmpty() ? "" : "; already rebuilt: " + String.join(", ", already));
        return Result.changed(msg).withCommands(displays).withData(data);
    }

    /** describering of {@code ks}: the ranges whose endpoints include {@code address}, and the datacenters. */
    private static Replicas replicas(ModuleContext ctx, Invocation inv, String ks, String address)
            throws ModuleException {
        ExecResult r = NodetoolRunner.run(ctx, inv.read("describering", ks), "describering", inv.timeout());
        String text = nullToEmpty(r.stdout());
        List<TokenRange> ranges;
        try {
            ranges = DescribeRingParser.parse(text);
        } catch (NodetoolParseException e) {
            throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
        }
        Set<String> local = new LinkedHashSet<>();
        Set<String> endpoints = new LinkedHashSet<>();
        for (TokenRange t : ranges) {
            endpoints.addAll(t.endpoints());
            if (t.endpoints().contains(address)) {
                local.add(t.startToken() + "," + t.endToken());
            }
        }
        return new Replicas(local, endpoints,
                new LinkedHashSet<>(DescribeRingParser.endpointDatacenters(text).values()));
    }

    /** rebuild's data beside cmd/rc/stdout/stderr (rebuilt and already_rebuilt null in a preview). */
    private static Map<String, Object> rebuildData(Invocation inv, List<List<String>> cmds, List<String> rebuilt,
                                                   List<String> already) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> copy = new ArrayList<>();
        cmds.forEach(c -> copy.add(new ArrayList<>(c)));
        m.put("cmds", copy);
        m.put("keyspaces", new ArrayList<>(inv.callKeyspaces()));
        m.put("source_dc", inv.sourceDc());
        m.put("rebuilt", rebuilt == null ? null : new ArrayList<>(rebuilt));
        m.put("already_rebuilt", already == null ? null : new ArrayList<>(already));
        return m;
    }

    /** At most three ranges, as (start,end], for a message. */
    private static List<String> sample(Set<String> ranges) {
        List<String> out = new ArrayList<>();
        for (String r : ranges) {
            if (out.size() == 3) {
                out.add("and " + (ranges.size() - 3) + " more");
                break;
            }
            out.add("(" + r + "]");
        }
        return out;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
