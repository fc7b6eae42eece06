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
 */
public record CompiledPlan(Plan plan, Inventory inventory, Graph<TaskNode> graph, List<TaskNode> nodes,
                           Map<String, Object> extraVars, Map<String, Object> hostDefaults) {

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
