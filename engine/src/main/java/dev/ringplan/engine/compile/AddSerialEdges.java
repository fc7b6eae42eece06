package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.plan.Task;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Adds the edges of rolling batches: {@code serial: N} on a task or block (as
 * {@link ResolveSerial} decided it) splits the hosts of its nodes, in the order they first
 * appear (inventory order), into batches of N; every node of batch k+1 waits for every node of
 * batch k. A block's batches hold its rescue nodes too. A task or block whose batches are decided
 * at run time ({@link Task#rollsAtRunTime()}: {@code serial: topology|rack|dc},
 * {@code max_fail_percentage}) gets no edges here: the executor's rolling gate holds its nodes.
 */
final class AddSerialEdges implements CompilePass {

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        add(s, s.plan.tasks());
    }

    private static void add(CompileState s, List<Task> tasks) {
        for (Task t : tasks) {
            Integer serial = s.serials.get(t.id());
            if (serial != null && !t.rollsAtRunTime() && !s.serialWords.containsKey(t.id())) {
                List<TaskNode> all = new ArrayList<>();
                for (Task m : CompileState.moduleTasksOf(t)) {
                    all.addAll(s.nodesByTask.getOrDefault(m.id(), List.of()));
                }
                List<String> hostOrder = new ArrayList<>();
                for (TaskNode n : all) {
                    if (!hostOrder.contains(n.host())) {
                        hostOrder.add(n.host());
                    }
                }
                List<List<TaskNode>> batches = new ArrayList<>();
                for (int i = 0; i < hostOrder.size(); i += serial) {
                    Set<String> batchHosts = new LinkedHashSet<>(hostOrder.subList(i, Math.min(hostOrder.size(), i + serial)));
                    batches.add(all.stream().filter(n -> batchHosts.contains(n.host())).toList());
                }
                for (int b = 1; b < batches.size(); b++) {
                    for (TaskNode prev : batches.get(b - 1)) {
                        for (TaskNode next : batches.get(b)) {
                            s.graph.addEdge(prev.name(), next.name());
                        }
                    }
                }
            }
            if (t.isBlock()) {
                add(s, t.blockAndRescue());
            }
        }
    }
}
