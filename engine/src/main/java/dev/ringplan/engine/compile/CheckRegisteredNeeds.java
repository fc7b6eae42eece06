package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.plan.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reports each task that uses a variable registered by another task (as {@link CheckVariables}
 * recorded) without needing, directly or not, one of the tasks that register it: without the
 * edge, whether the value exists when the task runs depends on timing. A rescue task counts as
 * needing its block's tasks. Runs on a plan whose needs are known and acyclic.
 */
final class CheckRegisteredNeeds implements CompilePass {

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        Map<String, List<String>> registrars = new LinkedHashMap<>();
        for (Task t : s.plan.moduleTasks()) {
            if (t.register() != null && t.id() != null) {
                registrars.computeIfAbsent(t.register(), k -> new ArrayList<>()).add(t.id());
            }
        }
        Map<String, Set<String>> direct = directNeeds(s);
        for (Map.Entry<String, Map<String, SourcePos>> e : s.registeredUses.entrySet()) {
            String task = e.getKey();
            Set<String> ancestors = null;
            for (Map.Entry<String, SourcePos> use : e.getValue().entrySet()) {
                List<String> regs = registrars.getOrDefault(use.getKey(), List.of());
                if (regs.isEmpty() || regs.contains(task)) {
                    continue;
                }
                if (ancestors == null) {
                    ancestors = ancestors(task, direct);
                }
                if (regs.stream().noneMatch(ancestors::contains)) {
                    String by = regs.size() == 1 ? "task '" + regs.get(0) + "'"
                            : "tasks '" + String.join("', '", regs) + "'";
                    diags.error(use.getValue(), "task '" + task + "' uses '" + use.getKey() + "' registered by " + by
                                    + " but does not need it: add needs: [" + regs.get(0) + "]",
                            "without the need, whether '" + use.getKey() + "' is set when '" + task
                                    + "' runs depends on timing");
                }
            }
        }
    }

    /** Module task id → the module tasks it waits for directly (needs, and a rescue's block). */
    private static Map<String, Set<String>> directNeeds(CompileState s) {
        Map<String, Set<String>> direct = new HashMap<>();
        for (Task t : s.plan.moduleTasks()) {
            Set<String> d = direct.computeIfAbsent(t.id(), k -> new LinkedHashSet<>());
            for (Task.Need n : s.effectiveNeeds(t)) {
                Task target = s.tasksById.get(n.id());
                if (target != null) {
                    CompileState.moduleTasksOf(target).forEach(x -> d.add(x.id()));
                }
            }
        }
        for (Task b : s.plan.allTasks()) {
            for (Task r : b.rescue()) {
                for (Task rt : CompileState.moduleTasksOf(r)) {
                    CompileState.bodyTasksOf(b).forEach(x -> direct.computeIfAbsent(rt.id(), k -> new LinkedHashSet<>()).add(x.id()));
                }
            }
        }
        return direct;
    }

    private static Set<String> ancestors(String task, Map<String, Set<String>> direct) {
        Set<String> seen = new HashSet<>();
        List<String> stack = new ArrayList<>(direct.getOrDefault(task, Set.of()));
        while (!stack.isEmpty()) {
            String x = stack.remove(stack.size() - 1);
            if (seen.add(x)) {
                stack.addAll(direct.getOrDefault(x, Set.of()));
            }
        }
        return seen;
    }
}
