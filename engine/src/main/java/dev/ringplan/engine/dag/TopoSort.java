package dev.ringplan.engine.dag;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/** Topological ordering (Kahn's algorithm). */
public final class TopoSort {
    private TopoSort() {
    }

    /**
     * The vertices ordered so that every vertex comes after all its dependencies. Among
     * vertices whose dependencies are all placed, the one inserted first comes first, so the
     * order is stable: an edge-free graph keeps insertion order.
     *
     * @throws CycleException if the graph has a cycle (self-loops included)
     */
    public static <V> List<String> sort(Graph<V> graph) {
        List<String> names = new ArrayList<>(graph.vertices());
        int n = names.size();
        int[] remaining = new int[n];
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            remaining[i] = graph.dependencies(names.get(i)).size();
            if (remaining[i] == 0) {
                ready.add(i);
            }
        }
        List<String> out = new ArrayList<>(n);
        while (!ready.isEmpty()) {
            String v = names.get(ready.poll());
            out.add(v);
            for (String d : graph.dependents(v)) {
                int di = graph.indexOf(d);
                if (--remaining[di] == 0) {
                    ready.add(di);
                }
            }
        }
        if (out.size() != n) {
            throw new CycleException(Cycles.findCycles(graph));
        }
        return out;
    }
}
