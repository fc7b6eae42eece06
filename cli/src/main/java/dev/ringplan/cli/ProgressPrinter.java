package dev.ringplan.cli;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.exec.NodeResult;
import dev.ringplan.engine.exec.RunListener;
import dev.ringplan.engine.exec.RunOptions;
import dev.ringplan.engine.exec.RunReport;
import dev.ringplan.engine.exec.Status;
import dev.ringplan.engine.report.Json;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The human view of a run: a header, one line as each (task, host) starts and ends, diffs when
 * asked, with {@code -v} each node's result data (what {@code register} stores) as one line of
 * JSON after its line (as {@code ansible-playbook -v} prints {@code => {...}}), and a recap per
 * host. Secrets never reach it: the executor hands every listener events
 * already masked ({@link dev.ringplan.engine.secret.Secrets#masking}).
 */
final class ProgressPrinter implements RunListener {
    private final PrintWriter out;
    private final boolean showDiffs;
    private final boolean verbose;

    /**
     * @param showDiffs print diffs and commands ({@code -D}, and always in check mode)
     * @param verbose   print each node's result data ({@code -v})
     */
    ProgressPrinter(PrintWriter out, boolean showDiffs, boolean verbose) {
        this.out = out;
        this.showDiffs = showDiffs;
        this.verbose = verbose;
    }

    @Override
    public synchronized void runStarted(CompiledPlan plan, RunOptions o) {
        Object commit = o.planFacts().get("commit");
        out.printf("%s %s (%s) — run %s%s%s, %s, forks %d%n",
                o.checkMode() ? "PLAN (check mode, nothing will be changed)" : "RUN",
                plan.plan().name(), plan.plan().file(), o.runId(),
                commit != null ? ", commit " + commit.toString().substring(0, 12) : ", not in git",
                Boolean.TRUE.equals(o.planFacts().get("dirty")) ? " (plan modified)" : "",
                nodesOnHosts(plan), o.forks());
        out.flush();
    }

    /**
     * {@code "N nodes on M hosts"}: the plan's nodes and the hosts they target (not every
     * host of the inventory), singular for one.
     */
    static String nodesOnHosts(CompiledPlan plan) {
        Set<String> hosts = new HashSet<>();
        for (TaskNode n : plan.nodes()) {
            hosts.add(n.host());
        }
        return count(plan.nodes().size(), "node") + " on " + count(hosts.size(), "host");
    }

    /** {@code "1 node"}, {@code "2 nodes"}. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    @Override
    public synchronized void nodeStarted(TaskNode node) {
        out.printf("  start    %s%n", node.name());
        out.flush();
    }

    @Override
    public synchronized void nodeLog(TaskNode node, String line) {
        out.printf("           %s: %s%n", node.name(), line);
        out.flush();
    }

    @Override
    public synchronized void nodeFinished(NodeResult r) {
        // A failure's message is the operator's diagnosis: keep it whole (up to a screenful).
        String msg = r.msg() == null ? "" : "  " + oneLine(r.msg(),
                r.status() == Status.FAILED || r.status() == Status.UNREACHABLE ? 2000 : 300);
        out.printf("  %-8s %s (%.1f s)%s%s%n", r.status().label(), r.node().name(), r.durationMs() / 1000.0,
                r.ignored() ? " [ignored]" : "", msg);
        if (showDiffs && r.diff() != null && !r.diff().isEmpty()) {
            for (String line : r.diff().split("\n")) {
                out.println("      " + line);
            }
        }
        if (showDiffs && r.status() == Status.CHANGED && !r.commands().isEmpty()) {
            for (String c : r.commands()) {
                out.println("      $ " + c);
            }
        }
        if (verbose) {
            out.println("      => " + json(r));
        }
        out.flush();
    }

    /** The node's result data as one line of JSON. */
    static String json(NodeResult result) {
        try {
            return Json.MAPPER.writeValueAsString(result.data());
        } catch (Exception e) {
            return String.valueOf(result.data());
        }
    }

    /**
     * The RECAP: per host, how many nodes ended in each status ({@link RunReport#countsByHost()}),
     * then {@code rescued=} and {@code ignored=} as Ansible's PLAY RECAP has them. A failure under
     * {@code ignore_errors} is {@code ignored=1}, not {@code failed=1}; the exit code follows
     * {@code failed} and {@code unreachable} only, so it always agrees with these counts.
     */
    @Override
    public synchronized void runFinished(RunReport report) {
        out.println("RECAP " + (report.options().checkMode() ? "(check mode) " : "") + "in "
                + String.format("%.1f s", report.durationMs() / 1000.0));
        Map<String, Integer> rescued = report.rescued();
        Map<String, Integer> ignored = report.ignored();
        for (var e : report.countsByHost().entrySet()) {
            StringBuilder sb = new StringBuilder();
            for (Status s : Status.values()) {
                sb.append(' ').append(s.label()).append('=').append(e.getValue().getOrDefault(s, 0));
            }
            sb.append(" rescued=").append(rescued.getOrDefault(e.getKey(), 0));
            sb.append(" ignored=").append(ignored.getOrDefault(e.getKey(), 0));
            out.printf("  %-20s%s%n", e.getKey(), sb);
        }
        out.flush();
    }

    private static String oneLine(String s, int max) {
        String x = s.replace('\n', ' ').strip();
        return x.length() > max ? x.substring(0, max) + "…" : x;
    }
}
