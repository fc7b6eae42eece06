package dev.ringplan.engine.exec;

import dev.ringplan.engine.plan.Task;
import java.util.ArrayList;
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

    /**
     * How many nodes ended in each status, as the RECAP counts them: a failure tolerated by
     * {@code ignore_errors} is not counted as {@code failed} but in {@link #ignored()} (Ansible's
     * {@code ignored=}), so the counts plus the ignored ones add up to the number of results.
     */
    public Map<Status, Integer> counts() {
        return count(results);
    }

    /** {@link #counts()} per host, hosts in the order of their first result. */
    public Map<String, Map<Status, Integer>> countsByHost() {
        Map<String, List<NodeResult>> byHost = new LinkedHashMap<>();
        for (NodeResult r : results) {
            byHost.computeIfAbsent(r.node().host(), h -> new ArrayList<>()).add(r);
        }
        Map<String, Map<Status, Integer>> out = new LinkedHashMap<>();
        byHost.forEach((host, rs) -> out.put(host, count(rs)));
        return out;
    }

    /**
     * Per host, how many failures {@code ignore_errors} tolerated (Ansible's {@code ignored=} of
     * the PLAY RECAP; they are not in {@code failed}). Hosts without any are absent.
     */
    public Map<String, Integer> ignored() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (NodeResult r : results) {
            if (isIgnoredFailure(r)) {
                out.merge(r.node().host(), 1, Integer::sum);
            }
        }
        return out;
    }

    private static Map<Status, Integer> count(List<NodeResult> rs) {
        Map<Status, Integer> m = new EnumMap<>(Status.class);
        for (Status s : Status.values()) {
            m.put(s, 0);
        }
        for (NodeResult r : rs) {
            if (!isIgnoredFailure(r)) {
                m.merge(r.status(), 1, Integer::sum);
            }
        }
        return m;
    }

    private static boolean isIgnoredFailure(NodeResult r) {
        return r.status() == Status.FAILED && r.ignored();
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

    /**
     * True when a node failed and the failure was not ignored: exactly when {@link #counts()}
     * (the RECAP's {@code failed=}) is not zero.
     */
    public boolean anyFailed() {
        return counts().get(Status.FAILED) > 0;
    }

    /** True when a host was unreachable. */
    public boolean anyUnreachable() {
        return results.stream().anyMatch(r -> r.status() == Status.UNREACHABLE);
    }
}
