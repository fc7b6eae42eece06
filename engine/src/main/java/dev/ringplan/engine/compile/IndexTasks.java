package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.plan.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * Indexes the plan's tasks: every task by id, the names module tasks register, and the blocks
 * enclosing each task. Reports nothing (the parser already refused duplicate ids).
 */
final class IndexTasks implements CompilePass {

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        for (Task t : s.plan.allTasks()) {
            if (t.id() != null) {
                s.tasksById.putIfAbsent(t.id(), t);
            }
        }
        for (Task t : s.plan.moduleTasks()) {
            if (t.register() != null) {
                s.registeredNames.add(t.register());
            }
        }
        index(s.plan.tasks(), List.of(), s);
    }

    private static void index(List<Task> tasks, List<Task> parents, CompileState s) {
        for (Task t : tasks) {
            if (t.id() != null) {
                s.enclosingBlocks.put(t.id(), parents);
            }
            if (t.isBlock()) {
                List<Task> inner = new ArrayList<>(parents);
                inner.add(t);
                index(t.blockAndRescue(), inner, s);
            }
        }
    }
}
