package dev.ringplan.engine.exec;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every node's result of one run, in plan order.
 *
 * @param planName   the plan's name
 * @param planFile   the plan file
 * @param options    how it ran
 * @param results    one per node
 * @param durationMs wall time of the whole run
 */
public record RunReport(String planName, String planFile, RunOptions options, List<NodeResult> results, long durationMs) {

    /** How many nodes ended in each status. */
    public Map<Status, Integer> counts() {
        Map<Status, Integer> m = new EnumMap<>(Status.class);
        for (Status s : Status.values()) {
            m.put(s, 0);
        }
        for (NodeResult r : results) {
            m.merge(r.status(), 1, Integer::sum);
        }
        return m;
    }

    /** True when a node failed (and the failure was not ignored). */
    public boolean anyFailed() {
        return results.stream().anyMatch(r -> r.status() == Status.FAILED && !r.ignored());
    }

    /** True when a host was unreachable. */
    public boolean anyUnreachable() {
        return results.stream().anyMatch(r -> r.status() == Status.UNREACHABLE);
    }
}
