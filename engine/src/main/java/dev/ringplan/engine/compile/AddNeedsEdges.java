package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.plan.Task;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds the edges of the {@code needs} rule: task B on host h waits for task A on h when A also
 * targets h; otherwise (or when written {@code A[*]}) it waits for every instance of A (a
 * barrier). A need on a block means every task of the block (its rescue tasks included), and a
 * block's needs are needs of each of its tasks.
 */
final class AddNeedsEdges implements CompilePass {

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        for (Task t : s.plan.moduleTasks()) {
            List<TaskNode> mine = s.nodesByTask.getOrDefault(t.id(), List.of());
            for (Task.Need need : s.effectiveNeeds(t)) {
                Task target = s.tasksById.get(need.id());
                for (Task dep : CompileState.moduleTasksOf(target)) {
                    List<TaskNode> theirs = s.nodesByTask.getOrDefault(dep.id(), List.of());
                    Map<String, TaskNode> theirsByHost = new HashMap<>();
                    for (TaskNode n : theirs) {
                        theirsByHost.put(n.host(), n);
                    }
                    for (TaskNode n : mine) {
                        TaskNode same = need.all() ? null : theirsByHost.get(n.host());
                        if (same != null) {
                            s.graph.addEdge(same.name(), n.name());
                        } else {
                            for (TaskNode other : theirs) {
                                s.graph.addEdge(other.name(), n.name());
                            }
                        }
                    }
                }
            }
        }
    }
}
