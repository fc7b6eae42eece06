package dev.ringplan.engine.plan;

import dev.ringplan.engine.diag.SourcePos;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A parsed plan file: typed, with source positions, templates not rendered.
 *
 * @param file        the plan file as named by the user
 * @param name        plan name (defaults to the file's base name)
 * @param description free text
 * @param hosts       default host pattern for tasks
 * @param hostsPos    where {@code hosts} is written
 * @param vars        plan variables (raw)
 * @param tasks       top-level tasks and blocks, in file order
 * @param varsRequired variables the plan cannot run without ({@code vars_required:}), in file order
 * @param varsSecret  names of variables whose values are secret wherever they come from
 *                    ({@code vars_secret:}), besides the names that look secret
 *                    (see {@code dev.ringplan.engine.secret.Secrets})
 * @param params      the parameters the file declares ({@code params:}) when imported as a role;
 *                    empty when none; null for a task list file (a YAML list of tasks)
 */
public record Plan(String file, String name, String description, String hosts, SourcePos hostsPos,
                   Map<String, Object> vars, List<Task> tasks, List<RequiredVar> varsRequired,
                   List<String> varsSecret, List<Param> params) {

    /** A plan without declared parameters. */
    public Plan(String file, String name, String description, String hosts, SourcePos hostsPos,
                Map<String, Object> vars, List<Task> tasks, List<RequiredVar> varsRequired, List<String> varsSecret) {
        this(file, name, description, hosts, hostsPos, vars, tasks, varsRequired, varsSecret, List.of());
    }

    /** True for a file that is a plain list of tasks (imported as Ansible's import_tasks). */
    public boolean isTaskList() {
        return params == null;
    }

    /** This plan with other top-level tasks (imports expanded), other vars and required variables. */
    public Plan withTasks(List<Task> newTasks, Map<String, Object> newVars, List<RequiredVar> newRequired) {
        return new Plan(file, name, description, hosts, hostsPos, newVars, List.copyOf(newTasks),
                List.copyOf(newRequired), varsSecret, params);
    }

    /** A plan without required variables. */
    public Plan(String file, String name, String description, String hosts, SourcePos hostsPos,
                Map<String, Object> vars, List<Task> tasks) {
        this(file, name, description, hosts, hostsPos, vars, tasks, List.of(), List.of());
    }

    /**
     * A variable the plan requires ({@code vars_required:}): validate, plan and run fail when no
     * level (inventory, plan vars, -e) defines it.
     *
     * @param name        the variable
     * @param description what to give, for the message; may be null
     * @param pos         where the requirement is written
     */
    public record RequiredVar(String name, String description, SourcePos pos) {
    }

    /** Every module task, blocks flattened (a block's tasks, then its rescue tasks), in file order. */
    public List<Task> moduleTasks() {
        List<Task> out = new ArrayList<>();
        flatten(tasks, out);
        return out;
    }

    /** Every task including blocks, in file order (a block before its children). */
    public List<Task> allTasks() {
        List<Task> out = new ArrayList<>();
        all(tasks, out);
        return out;
    }

    private static void flatten(List<Task> ts, List<Task> out) {
        for (Task t : ts) {
            if (t.isBlock()) {
                flatten(t.blockAndRescue(), out);
            } else {
                out.add(t);
            }
        }
    }

    private static void all(List<Task> ts, List<Task> out) {
        for (Task t : ts) {
            out.add(t);
            if (t.isBlock()) {
                all(t.blockAndRescue(), out);
            }
        }
    }
}
