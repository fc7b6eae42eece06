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
 * @param rescue   for a node of a block's {@code rescue} section ({@link Kind#RESCUE}): the rescue
 *                 of that block on this host, with the nodes it protects; null otherwise
 */
public record TaskNode(String name, Task task, String host, Module module, Map<String, Object> args,
                       Map<String, Object> vars, List<String> whens, List<String> tags, List<Task> blocks,
                       Rescue rescue) {

    /** What a node is for. */
    public enum Kind {
        /** A task of the plan (of a block's body, or of no block): runs when its dependencies let it. */
        TASK,
        /**
         * A task of a block's {@code rescue} section: runs after the block's nodes on its host,
         * whatever happened to them, and only when the block failed there ({@link Rescue}).
         */
        RESCUE
    }

    /** {@link Kind#RESCUE} for a node of a block's {@code rescue} section, else {@link Kind#TASK}. */
    public Kind kind() {
        return rescue == null ? Kind.TASK : Kind.RESCUE;
    }

    /** True for a node of a block's {@code rescue} section. */
    public boolean isRescue() {
        return rescue != null;
    }

    /** The block whose {@code rescue} section this node belongs to (the innermost such), or null. */
    public Task rescuedBlock() {
        return rescue == null ? null : rescue.block();
    }

    /** The vertex name of task {@code taskId} on {@code host}. */
    public static String nameOf(String taskId, String host) {
        return taskId + "[" + host + "]";
    }
}
