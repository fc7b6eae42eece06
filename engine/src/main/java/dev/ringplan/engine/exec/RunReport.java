package dev.ringplan.engine.exec;

import dev.ringplan.engine.plan.Task;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        Map<String, Set<Task>> ran = new LinkedHashMap<>();
        Map<String, Set<Task>> failed = new LinkedHashMap<>();
        for (NodeResult r : results) {
            Task block = r.node().rescuedBlock();
            if (block == null || r.status() == Status.SKIPPED) {
                continue;
            }
            boolean bad = (r.status() == Status.FAILED && !r.ignored()) || r.status() == Status.UNREACHABLE;
            (bad ? failed : ran).computeIfAbsent(r.node().host(), h -> Collections.newSetFromMap(new IdentityHashMap<>()))
                    .add(block);
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        ran.forEach((host, blocks) -> {
            blocks.removeAll(failed.getOrDefault(host, Set.of()));
            if (!blocks.isEmpty()) {
                out.put(host, blocks.size());
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
