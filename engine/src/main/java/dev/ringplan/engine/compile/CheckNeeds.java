package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.Suggest;
import dev.ringplan.engine.plan.Task;

/** Reports each {@code needs} reference to a task id the plan does not have, with a "did you mean". */
final class CheckNeeds implements CompilePass {

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        for (Task t : s.plan.allTasks()) {
            for (Task.Need n : t.needs()) {
                if (!s.tasksById.containsKey(n.id())) {
                    String hint = Suggest.didYouMean(n.id(), s.tasksById.keySet());
                    diags.error(n.pos(), "task '" + t.id() + "' needs unknown task '" + n.id() + "'",
                            hint != null ? hint : "known tasks: " + String.join(", ", s.tasksById.keySet()));
                }
            }
        }
    }
}
