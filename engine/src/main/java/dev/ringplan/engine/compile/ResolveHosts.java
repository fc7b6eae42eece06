package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.plan.Plan;
import dev.ringplan.engine.plan.Task;
import java.util.List;

/**
 * Resolves each task's effective {@code hosts} pattern (the task's own, else the innermost
 * enclosing block's, else the plan's) against the inventory, into every host it targets,
 * {@code --limit} not applied (variables are checked on all of them). A task without any pattern,
 * or whose pattern cannot be resolved, is reported and left out of the later passes.
 */
final class ResolveHosts implements CompilePass {

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        for (CompileState.Site site : s.sites) {
            if (site.module == null) {
                continue;
            }
            Task t = site.task;
            String pattern = effectiveHosts(t, site.blocks, s.plan);
            if (pattern == null) {
                diags.error(t.pos(), "task '" + t.id() + "' has no target: set 'hosts' on the task, its block or the plan");
                continue;
            }
            try {
                site.targets = s.inventory.resolve(pattern, effectiveHostsPos(t, site.blocks, s.plan));
            } catch (InvalidInputException e) {
                diags.addAll(e.diagnostics());
            }
        }
    }

    private static String effectiveHosts(Task t, List<Task> blocks, Plan plan) {
        if (t.hosts() != null) {
            return t.hosts();
        }
        for (int i = blocks.size() - 1; i >= 0; i--) {
            if (blocks.get(i).hosts() != null) {
                return blocks.get(i).hosts();
            }
        }
        return plan.hosts();
    }

    private static SourcePos effectiveHostsPos(Task t, List<Task> blocks, Plan plan) {
        if (t.hosts() != null) {
            return t.hostsPos();
        }
        for (int i = blocks.size() - 1; i >= 0; i--) {
            if (blocks.get(i).hosts() != null) {
                return blocks.get(i).hostsPos();
            }
        }
        return plan.hostsPos() != null ? plan.hostsPos() : t.pos();
    }
}
