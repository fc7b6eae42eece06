package dev.ringplan.engine.compile;

import dev.ringplan.engine.dag.Cycles;
import dev.ringplan.engine.dag.Graph;
import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.plan.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * Rejects cycles, found at task level (one vertex per module task, whatever its hosts) and
 * reported by task ids at the first task of each cycle: the edges are the {@code needs} (a
 * block's included, a need on a block meaning each of its tasks) and the edges from a block's
 * tasks to its rescue tasks. Unknown needs are left to {@link CheckNeeds}.
 */
final class CheckCycles implements CompilePass {

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        Graph<Task> g = new Graph<>();
        for (Task t : s.plan.moduleTasks()) {
            if (t.id() != null) {
                g.addVertex(t.id(), t);
            }
        }
        for (Task t : s.plan.moduleTasks()) {
            if (t.id() == null) {
                continue;
            }
            for (Task.Need n : s.effectiveNeeds(t)) {
                Task target = s.tasksById.get(n.id());
                if (target == null) {
                    continue;
                }
                for (Task dep : CompileState.moduleTasksOf(target)) {
                    if (dep.id() != null && g.contains(dep.id())) {
                        g.addEdge(dep.id(), t.id());
                    }
                }
            }
        }
        for (Task b : s.plan.allTasks()) {
            for (Task r : b.rescue()) {
                for (Task body : CompileState.bodyTasksOf(b)) {
                    if (body.id() != null && r.id() != null && g.contains(body.id()) && g.contains(r.id())) {
                        g.addEdge(body.id(), r.id());
                    }
                }
            }
        }
        for (List<String> cycle : Cycles.findCycles(g)) {
            Task first = s.tasksById.get(cycle.get(0));
            List<String> path = new ArrayList<>(cycle);
            path.add(cycle.get(0));
            diags.error(first.pos(), "dependency cycle between tasks: " + String.join(" -> ", path),
                    "remove one of these 'needs' so the tasks can be ordered");
        }
    }
}
