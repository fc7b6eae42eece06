package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.plan.Task;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds the edges of the {@code needs} rule: task B on host h waits for task A on h when A also
 * targets h; otherwise (or when written {@code A[*]}) it waits for every instance of A (a
 * barrier). A need on a block means every task of the block (its rescue tasks included), and a
 * block's needs are needs of each of its tasks.
 *
 * <p>Works on vertex indices: a task's nodes have consecutive indices
 * ({@link CompileState#firstVertexByTask}), and the node of a task on a host is found through
 * the host's inventory position, so a need costs one step per node (plus its edges).
 */
final class AddNeedsEdges implements CompilePass {

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        Map<String, Integer> hostOrdinals = new HashMap<>(s.hostOrdinals());
        Map<String, int[]> ordinals = new HashMap<>();
        List<TaskNode> previous = List.of();
        int[] previousOrdinals = new int[0];
        for (Map.Entry<String, List<TaskNode>> e : s.nodesByTask.entrySet()) {
            List<TaskNode> nodes = e.getValue();
            if (!sameHosts(nodes, previous)) {  // tasks on the same hosts share one array
                previousOrdinals = ordinalsOf(hostOrdinals, nodes);
                previous = nodes;
            }
            ordinals.put(e.getKey(), previousOrdinals);
        }
        int[] vertexByHost = new int[hostOrdinals.size()];
        Arrays.fill(vertexByHost, -1);
        for (Task t : s.plan.moduleTasks()) {
            List<TaskNode> mine = s.nodesByTask.getOrDefault(t.id(), List.of());
            if (mine.isEmpty()) {
                continue;
            }
            int mineFirst = s.firstVertexByTask.get(t.id());
            int[] mineHosts = ordinals.get(t.id());
            for (Task.Need need : s.effectiveNeeds(t)) {
                Task target = s.tasksById.get(need.id());
                for (Task dep : CompileState.moduleTasksOf(target)) {
                    List<TaskNode> theirs = s.nodesByTask.getOrDefault(dep.id(), List.of());
                    if (theirs.isEmpty()) {
                        continue;
                    }
                    int theirsFirst = s.firstVertexByTask.get(dep.id());
                    int[] theirHosts = ordinals.get(dep.id());
                    if (!need.all()) {
                        for (int k = 0; k < theirHosts.length; k++) {
                            vertexByHost[theirHosts[k]] = theirsFirst + k;
                        }
                    }
                    for (int i = 0; i < mineHosts.length; i++) {
                        int same = need.all() ? -1 : vertexByHost[mineHosts[i]];
                        if (same >= 0) {
                            s.graph.addEdge(same, mineFirst + i);
                        } else {
                            for (int k = 0; k < theirHosts.length; k++) {
                                s.graph.addEdge(theirsFirst + k, mineFirst + i);
                            }
                        }
                    }
                    if (!need.all()) {
                        for (int h : theirHosts) {
                            vertexByHost[h] = -1;
                        }
                    }
                }
            }
        }
    }

    /** Whether two tasks' nodes are on the same hosts in the same order (the same host strings, as resolved). */
    private static boolean sameHosts(List<TaskNode> a, List<TaskNode> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).host() != b.get(i).host() && !a.get(i).host().equals(b.get(i).host())) {
                return false;
            }
        }
        return true;
    }

    /** The inventory position of each node's host (a host outside the inventory gets the next free one). */
    private static int[] ordinalsOf(Map<String, Integer> byHost, List<TaskNode> nodes) {
        int[] out = new int[nodes.size()];
        for (int i = 0; i < out.length; i++) {
            Integer o = byHost.get(nodes.get(i).host());
            if (o == null) {
                o = byHost.size();
                byHost.put(nodes.get(i).host(), o);
            }
            out[i] = o;
        }
        return out;
    }
}
