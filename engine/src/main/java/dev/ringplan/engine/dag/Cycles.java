package dev.ringplan.engine.dag;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cycle detection with Tarjan's strongly connected components algorithm (iterative, so a
 * long chain of tens of thousands of vertices does not overflow the stack).
 */
public final class Cycles {
    private Cycles() {
    }

    /**
     * The strongly connected components of the graph, each as its vertex names in insertion
     * order, components in the order Tarjan's algorithm completes them (dependents before their
     * dependencies). Every vertex is in exactly one component.
     */
    public static <V> List<List<String>> stronglyConnectedComponents(Graph<V> graph) {
        List<String> names = new ArrayList<>(graph.vertices());
        int n = names.size();
        int[][] succ = new int[n][];
        for (int i = 0; i < n; i++) {
            succ[i] = graph.dependents(names.get(i)).stream().mapToInt(graph::indexOf).toArray();
        }
        int[] index = new int[n];
        int[] low = new int[n];
        boolean[] onStack = new boolean[n];
        Arrays.fill(index, -1);
        int[] stack = new int[n];
        int sp = 0;
        int[] callStack = new int[n];
        int[] nextChild = new int[n];
        int counter = 0;
        List<List<String>> out = new ArrayList<>();
        for (int root = 0; root < n; root++) {
            if (index[root] >= 0) {
                continue;
            }
            int csp = 0;
            callStack[csp++] = root;
            index[root] = low[root] = counter++;
            stack[sp++] = root;
            onStack[root] = true;
            while (csp > 0) {
                int v = callStack[csp - 1];
                if (nextChild[v] < succ[v].length) {
                    int w = succ[v][nextChild[v]++];
                    if (index[w] < 0) {
                        index[w] = low[w] = counter++;
                        stack[sp++] = w;
                        onStack[w] = true;
                        callStack[csp++] = w;
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                    continue;
                }
                csp--;
                if (csp > 0) {
                    int parent = callStack[csp - 1];
                    low[parent] = Math.min(low[parent], low[v]);
                }
                if (low[v] == index[v]) {
                    List<Integer> comp = new ArrayList<>();
                    int w;
                    do {
                        w = stack[--sp];
                        onStack[w] = false;
                        comp.add(w);
                    } while (w != v);
                    Collections.sort(comp);
                    List<String> names2 = new ArrayList<>(comp.size());
                    for (int c : comp) {
                        names2.add(names.get(c));
                    }
                    out.add(List.copyOf(names2));
                }
            }
        }
        return out;
    }

    /**
     * Every cycle of the graph, at most one per strongly connected component: a component of
     * two or more vertices, or a vertex with an edge to itself. Each cycle is given as the
     * vertex names along the edges ({@code [a, b, c]} means {@code a → b → c → a}), starting
     * at the alphabetically smallest name of the component and following the shortest way back
     * to it (ties broken by edge insertion order). Cycles are sorted by their first name.
     * An acyclic graph gives an empty list.
     */
    public static <V> List<List<String>> findCycles(Graph<V> graph) {
        List<List<String>> cycles = new ArrayList<>();
        for (List<String> scc : stronglyConnectedComponents(graph)) {
            if (scc.size() == 1) {
                String only = scc.get(0);
                if (graph.dependents(only).contains(only)) {
                    cycles.add(List.of(only));
                }
                continue;
            }
            cycles.add(shortestCycle(graph, scc));
        }
        cycles.sort(Comparator.comparing(c -> c.get(0)));
        return cycles;
    }

    /** Whether the graph has no cycle (self-loops count as cycles). */
    public static <V> boolean isAcyclic(Graph<V> graph) {
        return findCycles(graph).isEmpty();
    }

    /**
     * A cycle in human form: {@code "a -> b -> c -> a"}.
     *
     * @param cycle a cycle as returned by {@link #findCycles(Graph)}, not empty
     */
    public static String format(List<String> cycle) {
        return String.join(" -> ", cycle) + " -> " + cycle.get(0);
    }

    private static <V> List<String> shortestCycle(Graph<V> graph, List<String> scc) {
        Set<String> members = new HashSet<>(scc);
        String start = Collections.min(scc);
        Map<String, String> parent = new HashMap<>();
        ArrayDeque<String> queue = new ArrayDeque<>();
        queue.add(start);
        parent.put(start, null);
        String last = null;
        while (!queue.isEmpty() && last == null) {
            String v = queue.poll();
            for (String w : graph.dependents(v)) {
                if (!members.contains(w)) {
                    continue;
                }
                if (w.equals(start)) {
                    last = v;
                    break;
                }
                if (!parent.containsKey(w)) {
                    parent.put(w, v);
                    queue.add(w);
                }
            }
        }
        // A strongly connected component always has a way back to its start.
        List<String> path = new ArrayList<>();
        for (String v = last; v != null; v = parent.get(v)) {
            path.add(v);
        }
        Collections.reverse(path);
        return List.copyOf(path);
    }
}
