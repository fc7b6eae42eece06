package dev.ringplan.engine.compile;

import dev.ringplan.engine.dag.Graph;
import dev.ringplan.engine.inventory.Inventory;
import dev.ringplan.engine.plan.Plan;
import java.util.List;
import java.util.Map;

/**
 * The result of compiling a plan against an inventory: one vertex per (task, target host) with
 * the edges of the {@code needs} rule, of {@code serial} batches and of rescues (a block's
 * {@code rescue} nodes, {@link TaskNode.Kind#RESCUE}, wait for the nodes their {@link Rescue}
 * protects). Pure data; contacts nothing.
 *
 * @param plan      the parsed plan
 * @param inventory the inventory, limited by {@code --limit}
 * @param graph     vertices named {@code task[host]} carrying {@link TaskNode}s
 * @param nodes     every node in plan order, then inventory host order
 * @param extraVars {@code -e} variables
 * @param hostDefaults variables of every host below the inventory's (see {@link CompileOptions})
 * @param serials   by task id, what each task's or block's {@code serial} template rendered to or
 *                  its literal number: an Integer batch size, or a strategy word (String:
 *                  {@code topology}, {@code rack}, {@code dc}) of a template
 */
public record CompiledPlan(Plan plan, Inventory inventory, Graph<TaskNode> graph, List<TaskNode> nodes,
                           Map<String, Object> extraVars, Map<String, Object> hostDefaults,
                           Map<String, Object> serials) {

    /** The batching strategy of a task or block: its literal {@code serial} word, else its rendered template's, else null. */
    public String serialStrategy(dev.ringplan.engine.plan.Task t) {
        if (t.rolling() != null && t.rolling().strategy() != null) {
            return t.rolling().strategy();
        }
        return serials.get(t.id()) instanceof String word ? word : null;
    }

    /** Whether a task's or block's batches are decided at run time (a strategy, {@code max_fail_percentage}, a down-node guard). */
    public boolean rollsAtRunTime(dev.ringplan.engine.plan.Task t) {
        return t.rollsAtRunTime() || serialStrategy(t) != null;
    }

    /**
     * Whether the edge {@code dependency -> dependent} lets the dependent run after the
     * dependency failed: true only for the edges from the nodes a {@link Rescue} protects to its
     * rescue nodes (for {@link dev.ringplan.engine.dag.Walker}'s failure-tolerant edges).
     */
    public boolean toleratesFailure(String dependency, String dependent) {
        TaskNode n = graph.contains(dependent) ? graph.payload(dependent) : null;
        return n != null && n.isRescue() && n.rescue().protects(dependency);
    }
}
