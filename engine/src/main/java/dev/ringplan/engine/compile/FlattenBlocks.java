package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.plan.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * Flattens the plan's tree of blocks into one {@link CompileState.Site} per module task, in
 * plan order (a block's tasks, then its rescue tasks), each with its enclosing blocks: the
 * passes after it work task by task. Reports only an {@code import:} left unexpanded (a caller
 * that parsed the plan without {@code dev.ringplan.engine.share.PlanLoader}).
 */
final class FlattenBlocks implements CompilePass {

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        flatten(s.plan.tasks(), List.of(), s, diags);
    }

    private static void flatten(List<Task> tasks, List<Task> blocks, CompileState s, Diagnostics diags) {
        for (Task t : tasks) {
            if (t.isImport()) {
                diags.error(t.importPos(), "import '" + t.id() + "' was not expanded: plans with imports are loaded"
                        + " with dev.ringplan.engine.share.PlanLoader");
            } else if (t.isBlock()) {
                List<Task> inner = new ArrayList<>(blocks);
                inner.add(t);
                flatten(t.block(), inner, s, diags);
                flatten(t.rescue(), inner, s, diags);
            } else {
                s.addSite(new CompileState.Site(t, blocks));
            }
        }
    }
}
