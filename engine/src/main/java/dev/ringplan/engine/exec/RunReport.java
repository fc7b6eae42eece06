package dev.ringplan.engine.exec;

import dev.ringplan.engine.plan.Task;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
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

    /**
     * Per host, how many blocks were rescued: their {@code rescue} tasks ran there (at least one
     * was {@code ok} or {@code changed}) and none failed or was unreachable. Ansible's
     * {@code rescued=} of the PLAY RECAP. The block's failure still counts as {@code failed}.
     * Hosts without any rescued block are absent.
     */
    public Map<String, Integer> rescued() {
        Map<String, Map<Task, Boolean>> ranClean = new LinkedHashMap<>();
        for (NodeResult r : results) {
            Task block = r.node().rescuedBlock();
            if (block == null) {
                continue;
            }
            Map<Task, Boolean> blocks = ranClean.computeIfAbsent(r.node().host(), h -> new IdentityHashMap<>());
            boolean bad = (r.status() == Status.FAILED && !r.ignored()) || r.status() == Status.UNREACHABLE;
            boolean ran = r.status() == Status.OK || r.status() == Status.CHANGED || r.status() == Status.FAILED;
            Boolean before = blocks.get(block);
            if (bad || Boolean.FALSE.equals(before)) {
                blocks.put(block, false);
            } else if (ran) {
                blocks.put(block, true);
            }
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        ranClean.forEach((host, blocks) -> {
            int n = (int) blocks.values().stream().filter(Boolean::booleanValue).count();
            if (n > 0) {
                out.put(host, n);
            }
        });
        return out;
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
