package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.plan.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
                List<Integer> vertices = new ArrayList<>();
                for (Task m : CompileState.moduleTasksOf(t)) {
                    List<TaskNode> nodes = s.nodesByTask.getOrDefault(m.id(), List.of());
                    all.addAll(nodes);
                    for (int k = 0; k < nodes.size(); k++) {
                        vertices.add(s.firstVertexByTask.get(m.id()) + k);
                    }
                }
                Map<String, Integer> batchOf = new HashMap<>();
                for (TaskNode n : all) {
                    batchOf.putIfAbsent(n.host(), batchOf.size() / serial);
                }
                int count = batchOf.isEmpty() ? 0 : (batchOf.size() - 1) / serial + 1;
                List<List<Integer>> batches = new ArrayList<>();
                for (int b = 0; b < count; b++) {
                    batches.add(new ArrayList<>());
                }
                for (int i = 0; i < all.size(); i++) {
                    batches.get(batchOf.get(all.get(i).host())).add(vertices.get(i));
                }
                for (int b = 1; b < batches.size(); b++) {
                    for (int prev : batches.get(b - 1)) {
                        for (int next : batches.get(b)) {
                            s.graph.addEdge(prev, next);
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
