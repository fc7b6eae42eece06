package dev.ringplan.engine.exec;

import dev.ringplan.engine.compile.TaskNode;
import java.util.List;
import java.util.Map;

/**
 * What happened to one node.
 *
 * @param node       the node
 * @param status     outcome
 * @param msg        one line for humans (failure reason, skip reason, module message)
 * @param diff       unified diff, or null
 * @param commands   commands run (or, in check mode, that would run)
 * @param data       registered data (module-specific keys plus changed/failed/msg/status)
 * @param ignored    a failure tolerated by {@code ignore_errors}
 * @param durationMs wall time in milliseconds
 */
public record NodeResult(TaskNode node, Status status, String msg, String diff, List<String> commands,
                         Map<String, Object> data, boolean ignored, long durationMs) {

    /** A result not ignored, timed from {@code startNanos} ({@link System#nanoTime()}) to now. */
    static NodeResult timed(TaskNode node, Status status, String msg, String diff, List<String> commands,
                            Map<String, Object> data, long startNanos) {
        return new NodeResult(node, status, msg, diff, commands, data, false, (System.nanoTime() - startNanos) / 1_000_000);
    }

    /** True when the host was (or in check mode would be) changed. */
    public boolean changed() {
        return status == Status.CHANGED;
    }
}
