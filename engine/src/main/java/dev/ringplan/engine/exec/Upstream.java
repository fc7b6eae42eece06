package dev.ringplan.engine.exec;

import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.dag.Graph;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.UpstreamChange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Check mode's view of what runs before a node: its upstream nodes (every vertex it transitively
 * depends on in the plan's graph: its {@code needs} on its own host and, through barriers, on
 * other hosts) whose predicted status is {@code changed} or {@code unknown}. A preview reads the
 * hosts as they are before the run; the run's node will read them after those upstream nodes
 * applied, so a check-mode {@code ok} below a predicted change is only a guess.
 *
 * <p>Asked only for a node whose dependencies have all finished (the walker guarantees it), so
 * every upstream result is final. Whether a node has any predicted change upstream is memoized
 * per vertex (linear in the graph's edges over a whole run); the list itself is built on demand.
 * Thread-safe.
 */
final class Upstream {
    private final Graph<TaskNode> graph;
    private final Map<String, NodeResult> results;
    private final Map<String, Map<String, Object>> args = new ConcurrentHashMap<>();
    private final Map<String, Boolean> anyAbove = new ConcurrentHashMap<>();

    /** Tracks {@code graph}'s nodes through {@code results} (the run's results by vertex name, filled as nodes finish). */
    Upstream(Graph<TaskNode> graph, Map<String, NodeResult> results) {
        this.graph = graph;
        this.results = results;
    }

    /** Remembers the rendered arguments {@code node}'s check saw, for the nodes below it. */
    void checked(String node, Args a) {
        args.put(node, a.asMap());
    }

    /** True when a node upstream of {@code node} is predicted to change (or could not tell). */
    boolean any(String node) {
        Boolean known = anyAbove.get(node);
        if (known != null) {
            return known;
        }
        // Iterative post-order over the ancestors (a long chain must not overflow the stack).
        Deque<String> stack = new ArrayDeque<>();
        stack.push(node);
        while (!stack.isEmpty()) {
            String v = stack.peek();
            if (anyAbove.containsKey(v)) {
                stack.pop();
                continue;
            }
            boolean pending = false;
            boolean found = false;
            for (String d : graph.dependencies(v)) {
                if (predicted(d)) {
                    found = true;
                    continue;
                }
                Boolean above = anyAbove.get(d);
                if (above == null) {
                    stack.push(d);
                    pending = true;
                } else {
                    found |= above;
                }
            }
            if (!pending) {
                anyAbove.put(v, found);
                stack.pop();
            }
        }
        return anyAbove.get(node);
    }

    /** The upstream nodes of {@code node} predicted to change or unknown, nearest first (breadth-first). */
    List<UpstreamChange> of(String node) {
        List<UpstreamChange> out = new ArrayList<>();
        if (!any(node)) {
            return out;
        }
        Set<String> seen = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>(graph.dependencies(node));
        seen.addAll(queue);
        while (!queue.isEmpty()) {
            String v = queue.poll();
            if (predicted(v)) {
                out.add(change(v));
            }
            if (any(v)) {
                for (String d : graph.dependencies(v)) {
                    if (seen.add(d)) {
                        queue.add(d);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Why an {@code ok} preview of a node below {@code changes} (non-empty) is not known: e.g.
     * {@code "after snapshot[n1] would change"}, {@code "after a[n1], b[n1] and 3 more would change"},
     * {@code "after flush[n1] may change"} (when none is surely changed).
     */
    static String reason(List<UpstreamChange> changes) {
        int shown = Math.min(2, changes.size());
        StringBuilder sb = new StringBuilder("after ");
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(changes.get(i).node());
        }
        if (changes.size() > shown) {
            sb.append(" and ").append(changes.size() - shown).append(" more");
        }
        boolean surely = changes.stream().anyMatch(c -> c.change() == Preview.Change.YES);
        return sb.append(surely ? " would change" : " may change").toString();
    }

    private boolean predicted(String v) {
        NodeResult r = results.get(v);
        return r != null && (r.status() == Status.CHANGED || r.status() == Status.UNKNOWN);
    }

    private UpstreamChange change(String v) {
        NodeResult r = results.get(v);
        TaskNode n = r.node();
        return new UpstreamChange(v, n.task().id(), n.host(), n.module() == null ? "" : n.module().name(),
                args.getOrDefault(v, Map.of()), r.status() == Status.CHANGED ? Preview.Change.YES : Preview.Change.UNKNOWN,
                r.msg() == null ? "" : r.msg());
    }
}
