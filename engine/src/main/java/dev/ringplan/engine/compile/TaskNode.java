package dev.ringplan.engine.compile;

import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.plan.Task;
import java.util.List;
import java.util.Map;

/**
 * One vertex of a compiled plan: a module task on one target host.
 *
 * @param name     vertex name, {@code taskId[host]}
 * @param task     the task as written
 * @param host     inventory hostname
 * @param module   the resolved module
 * @param args     raw (unrendered) arguments, free form mapped to the module's free-form argument
 * @param vars     task variables merged over enclosing blocks' variables (raw)
 * @param whens    conditions of enclosing blocks then the task's own (all must hold)
 * @param tags     tags of the task and its enclosing blocks
 * @param blocks   enclosing blocks, outermost first
 * @param rescueOf for a task of a block's {@code rescue}: the vertex names of that block's tasks
 *                 on the same host (it runs after them through failure-tolerant edges, and only
 *                 when the block was entered there and did not complete); empty otherwise
 */
public record TaskNode(String name, Task task, String host, Module module, Map<String, Object> args,
                       Map<String, Object> vars, List<String> whens, List<String> tags, List<Task> blocks,
                       List<String> rescueOf) {

    /** True for a task of a block's {@code rescue}. */
    public boolean isRescue() {
        return !rescueOf.isEmpty();
    }

    /** The block whose {@code rescue} this task belongs to (the innermost such), or null. */
    public Task rescuedBlock() {
        for (int i = blocks.size() - 1; i >= 0 && isRescue(); i--) {
            if (holds(blocks.get(i).rescue(), task)) {
                return blocks.get(i);
            }
        }
        return null;
    }

    private static boolean holds(List<Task> tasks, Task t) {
        for (Task c : tasks) {
            if (c == t || c.isBlock() && holds(c.blockAndRescue(), t)) {
                return true;
            }
        }
        return false;
    }

    /** The vertex name of task {@code taskId} on {@code host}. */
    public static String nameOf(String taskId, String host) {
        return taskId + "[" + host + "]";
    }
}
