package dev.ringplan.engine.exec;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.dag.VertexState;
import dev.ringplan.engine.dag.Walker;
import dev.ringplan.engine.diag.RingplanException;
import dev.ringplan.engine.plan.Rolling;
import dev.ringplan.engine.plan.Task;
import dev.ringplan.engine.rolling.Ring;
import dev.ringplan.engine.rolling.RingReader;
import dev.ringplan.engine.rolling.RollingBatches;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The walker's {@link Walker.Admission} for the tasks and blocks rolled at run time
 * ({@link Task#rollsAtRunTime()}): when the first node of such a block is ready, its batches are
 * decided (the ring read through the {@link RingReader} for {@code serial: topology|rack|dc} and
 * for the down-node guard; {@link RollingBatches}); a node starts only when its host's batch is
 * the current one, and the next batch becomes current once every node of the block on the
 * current batch's hosts has settled.
 *
 * <ul>
 *   <li><b>Refusal.</b> A block whose ring cannot be read, whose hosts are not in the ring, or
 *       (unless {@code ignore_down_nodes: true}) whose cluster has a node down is refused: each of
 *       its nodes fails with the reason, naming the down nodes.</li>
 *   <li><b>Failures.</b> With {@code max_fail_percentage: P}, as soon as more than P % of the
 *       current batch's hosts have failed (strictly more, as in Ansible) the rest of the block is
 *       aborted: its nodes not started yet are not run. Without it, a failure in a batch lets the
 *       batch finish and aborts the later batches (what {@code serial: N}'s edges do).</li>
 * </ul>
 * {@link #admit} and {@link #finished} run on the walker's coordinating thread; {@link #verdict}
 * on the threads that run nodes.
 */
final class RollingGate implements Walker.Admission {

    /** Why a node of a rolled block does not run: refused (it fails) or aborted (it is not started). */
    record Verdict(boolean refused, String message) {
    }

    private final Map<String, List<Block>> blocksOf = new HashMap<>();
    private final RingReader reader;
    private final RunOptions options;
    private final Function<String, Map<String, Object>> hostVars;
    private final CompiledPlan plan;
    private final RunListener listener;

    /**
     * @param hostVars the variables of a host, rendered when read (its addresses, CQL settings)
     * @param listener receives one log line per block with its batches
     */
    RollingGate(CompiledPlan plan, RunOptions options, RingReader reader, Function<String, Map<String, Object>> hostVars,
                RunListener listener) {
        this.plan = plan;
        this.reader = reader;
        this.options = options;
        this.hostVars = hostVars;
        this.listener = listener;
        for (Task t : plan.plan().allTasks()) {
            if (!plan.rollsAtRunTime(t)) {
                continue;
            }
            Block b = new Block(t);
            for (TaskNode n : plan.nodes()) {
                if (n.task() == t || n.blocks().stream().anyMatch(x -> x == t)) {
                    b.add(n);
                }
            }
            if (!b.nodes.isEmpty()) {
                b.nodes.keySet().forEach(name -> blocksOf.computeIfAbsent(name, k -> new ArrayList<>()).add(b));
            }
        }
    }

    @Override
    public boolean admit(String name) {
        for (Block b : blocksOf.getOrDefault(name, List.of())) {
            if (!b.admit(name)) {
                return false;
            }
        }
        return true;
    }

    /** A vertex settled: counts it for its blocks' batches. */
    void finished(Walker.VertexResult v) {
        for (Block b : blocksOf.getOrDefault(v.name(), List.of())) {
            b.finished(v.name(), v.state());
        }
    }

    /** Why node {@code name} must not run, or null when it may. */
    Verdict verdict(String name) {
        for (Block b : blocksOf.getOrDefault(name, List.of())) {
            if (b.refusal != null) {
                return new Verdict(true, b.refusal);
            }
            if (b.aborted != null) {
                return new Verdict(false, b.aborted);
            }
        }
        return null;
    }

    /** One rolled task or block, its nodes by host and the progress through its batches. */
    private final class Block {
        final Task task;
        final Rolling rolling;
        final String strategy;
        final Map<String, TaskNode> nodes = new LinkedHashMap<>();
        final Map<String, Integer> unsettled = new HashMap<>();
        final Set<String> failedHosts = new LinkedHashSet<>();
        List<String> hosts = new ArrayList<>();
        List<List<String>> batches;
        int current;
        volatile String refusal;
        volatile String aborted;

        Block(Task task) {
            this.task = task;
            this.rolling = task.rolling() != null ? task.rolling()
                    : new Rolling(null, null, List.of(), null, null, task.pos());
            this.strategy = plan.serialStrategy(task);
        }

        void add(TaskNode n) {
            nodes.put(n.name(), n);
            if (!hosts.contains(n.host())) {
                hosts.add(n.host());
            }
            unsettled.merge(n.host(), 1, Integer::sum);
        }

        String what() {
            return (task.isBlock() ? "block '" : "task '") + task.id() + "' (" + task.pos() + ")";
        }

        boolean admit(String name) {
            if (batches == null && refusal == null) {
                decide(nodes.get(name));
            }
            if (refusal != null || aborted != null) {
                return true;
            }
            String host = nodes.get(name).host();
            for (int i = 0; i < batches.size(); i++) {
                if (batches.get(i).contains(host)) {
                    return i <= current;
                }
            }
            return true;
        }

        private void decide(TaskNode first) {
            Integer size = plan.serials().get(task.id()) instanceof Integer n ? n : null;
            boolean guard = rolling.ignoreDownNodes() != null ? !rolling.ignoreDownNodes() : strategy != null;
            String how = strategy != null ? "serial: " + strategy : size != null ? "serial: " + size : "one batch";
            try {
                Ring ring = null;
                if (strategy != null || guard) {
                    List<RingReader.Host> rh = new ArrayList<>();
                    for (String h : hosts) {
                        rh.add(new RingReader.Host(h, hostVars.apply(h)));
                    }
                    ring = reader.read(rh, options.workDir());
                }
                if (guard) {
                    List<String> down = RollingBatches.downNodes(ring);
                    if (!down.isEmpty()) {
                        refusal = what() + " refuses to start: " + (down.size() == 1 ? "a node is" : down.size()
                                + " nodes are") + " down in the ring read from " + ring.source() + ": "
                                + String.join(", ", down) + "; bring " + (down.size() == 1 ? "it" : "them")
                                + " up, or set ignore_down_nodes: true";
                        return;
                    }
                }
                if ("topology".equals(strategy)) {
                    List<String> ks = RollingBatches.keyspaces(ring, rolling.keyspaces());
                    batches = RollingBatches.topology(hosts, ring, ks);
                    how += " (keyspaces " + String.join(", ", ks) + ")";
                } else if (strategy != null) {
                    Map<String, Map<String, Object>> vars = new HashMap<>();
                    for (String h : hosts) {
                        vars.put(h, hostVars.apply(h));
                    }
                    batches = RollingBatches.byPlace(hosts, ring, vars, "rack".equals(strategy));
                } else {
                    batches = RollingBatches.bySize(hosts, size);
                }
                String from = ring == null ? "" : " from the ring read from " + ring.source();
                listener.nodeLog(first, what() + ", " + how + ": " + batches.size() + " batch"
                        + (batches.size() == 1 ? "" : "es") + from + ": " + RollingBatches.describe(batches)
                        + (options.checkMode() ? "; decided again at run time, from the ring as it is then" : ""));
            } catch (RingplanException e) {
                refusal = what() + " cannot decide its batches (" + how + "): " + e.getMessage();
            } catch (RuntimeException e) {
                refusal = what() + " cannot decide its batches (" + how + "): " + e;
            }
        }

        void finished(String name, VertexState state) {
            String host = nodes.get(name).host();
            unsettled.merge(host, -1, Integer::sum);
            if (state == VertexState.FAILURE) {
                failedHosts.add(host);
            }
            while (batches != null && refusal == null && aborted == null && current < batches.size()) {
                List<String> batch = batches.get(current);
                List<String> failed = batch.stream().filter(failedHosts::contains).toList();
                Double max = rolling.maxFailPercentage();
                String where = "batch " + (current + 1) + " of " + batches.size() + " "
                        + RollingBatches.describe(List.of(batch));
                if (max != null && failed.size() * 100.0 > max * batch.size()) {
                    aborted = what() + ": max_fail_percentage " + fmt(max) + " exceeded in " + where + ": "
                            + failed.size() + " of " + batch.size() + " hosts failed (" + String.join(", ", failed)
                            + "); the rest of the block is not run";
                    return;
                }
                if (!batch.stream().allMatch(h -> unsettled.getOrDefault(h, 0) <= 0)) {
                    return;
                }
                if (max == null && !failed.isEmpty()) {
                    aborted = what() + ": " + where + " failed on " + String.join(", ", failed)
                            + "; the later batches are not run (max_fail_percentage tolerates failures)";
                    return;
                }
                current++;
            }
        }

        private static String fmt(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }
}
