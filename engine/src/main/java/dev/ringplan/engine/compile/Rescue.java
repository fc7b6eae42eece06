package dev.ringplan.engine.compile;

import dev.ringplan.engine.plan.Task;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * A block's {@code rescue} on one host, as Ansible's block/rescue: the block's nodes on that host
 * are the nodes it <em>protects</em>; the nodes of the block's {@code rescue} section on that
 * host ({@link TaskNode.Kind#RESCUE}) carry this relationship. Each rescue node waits for every
 * protected node through an edge that lets a failure through
 * ({@link CompiledPlan#toleratesFailure}), then runs only where the block was entered (a
 * protected node ran its module) and did not complete (a protected node failed, or was skipped
 * because something failed); elsewhere it is skipped with the reason {@link #nothingToRescue}
 * gives. The failure stays a failure: the run still fails, and what needs the block is still
 * skipped on that host. Rescue nodes exist only on hosts where the block has nodes.
 *
 * @param block          the block whose {@code rescue} this is
 * @param host           the inventory host
 * @param protectedNodes vertex names of the block's nodes on the host (nested blocks' and their
 *                       rescue nodes included), in plan order
 */
public record Rescue(Task block, String host, List<String> protectedNodes) {

    /** Copies the list. */
    public Rescue {
        protectedNodes = List.copyOf(protectedNodes);
    }

    /** True when {@code node} is one of the block's nodes this rescue protects. */
    public boolean protects(String node) {
        return protectedNodes.contains(node);
    }

    /**
     * Why the rescue nodes have nothing to do, or null when they must run: asked once every
     * protected node has finished (the rescue nodes wait for them).
     *
     * @param ranModule true for a protected node that ran its module, whatever came of it
     * @param failed    the protected nodes that failed, or were skipped because something failed
     *                  (failures ignored by {@code ignore_errors} are not failures)
     * @return e.g. {@code "nothing to rescue: block 'rolling' completed on h1"}, or null
     */
    public String nothingToRescue(Predicate<String> ranModule, Collection<String> failed) {
        if (protectedNodes.stream().noneMatch(ranModule)) {
            return "nothing to rescue: block '" + block.id() + "' did not start on " + host;
        }
        if (failed.isEmpty()) {
            return "nothing to rescue: block '" + block.id() + "' completed on " + host;
        }
        return null;
    }
}
