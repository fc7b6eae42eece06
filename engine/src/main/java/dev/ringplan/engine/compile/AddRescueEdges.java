package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;

/**
 * Makes every {@link TaskNode.Kind#RESCUE} node wait for each node its {@link Rescue} protects,
 * through edges that let a failure through ({@link CompiledPlan#toleratesFailure}): the rescue
 * runs after its block on the host, whatever happened there.
 */
final class AddRescueEdges implements CompilePass {

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        for (TaskNode n : s.nodes) {
            if (n.isRescue()) {
                for (String body : n.rescue().protectedNodes()) {
                    s.graph.addEdge(body, n.name());
                }
            }
        }
    }
}
