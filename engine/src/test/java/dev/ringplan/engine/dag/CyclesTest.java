package dev.ringplan.engine.dag;

import static dev.ringplan.engine.dag.GraphTest.graph;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CyclesTest {

    @Test
    void findCycles_noneInDag() {
        Graph<String> g = graph("a", "b", "c");
        g.addEdge("a", "b");
        g.addEdge("b", "c");
        g.addEdge("a", "c");
        assertEquals(List.of(), Cycles.findCycles(g));
        assertTrue(Cycles.isAcyclic(g));
    }

    @Test
    void findCycles_twoCycle() {
        Graph<String> g = graph("x", "b", "a");
        g.addEdge("b", "a");
        g.addEdge("a", "b");
        g.addEdge("x", "a");
        assertEquals(List.of(List.of("a", "b")), Cycles.findCycles(g));
        assertFalse(Cycles.isAcyclic(g));
    }

    @Test
    void findCycles_threeCycleStartsAtSmallestNameAndFollowsEdges() {
        Graph<String> g = graph("c", "b", "a");
        g.addEdge("c", "a");
        g.addEdge("a", "b");
        g.addEdge("b", "c");
        List<List<String>> cycles = Cycles.findCycles(g);
        assertEquals(List.of(List.of("a", "b", "c")), cycles);
        assertEquals("a -> b -> c -> a", Cycles.format(cycles.get(0)));
    }

    @Test
    void findCycles_selfLoop() {
        Graph<String> g = graph("a", "b");
        g.addEdge("a", "b");
        g.addEdge("b", "b");
        assertEquals(List.of(List.of("b")), Cycles.findCycles(g));
        assertEquals("b -> b", Cycles.format(List.of("b")));
    }

    @Test
    void findCycles_twoSeparateCyclesSortedByFirstName() {
        Graph<String> g = graph("z", "y", "q", "p", "m");
        g.addEdge("z", "y");
        g.addEdge("y", "z");
        g.addEdge("q", "p");
        g.addEdge("p", "q");
        g.addEdge("y", "m");
        g.addEdge("m", "p");
        assertEquals(List.of(List.of("p", "q"), List.of("y", "z")), Cycles.findCycles(g));
    }

    @Test
    void findCycles_shortestWayBackInComponent() {
        // a -> b -> c -> d -> a and a shortcut c -> a: the reported cycle is a, b, c.
        Graph<String> g = graph("a", "b", "c", "d");
        g.addEdge("a", "b");
        g.addEdge("b", "c");
        g.addEdge("c", "d");
        g.addEdge("d", "a");
        g.addEdge("c", "a");
        assertEquals(List.of(List.of("a", "b", "c")), Cycles.findCycles(g));
    }

    @Test
    void stronglyConnectedComponents_coverEveryVertex() {
        Graph<String> g = graph("a", "b", "c");
        g.addEdge("a", "b");
        g.addEdge("b", "a");
        List<List<String>> sccs = Cycles.stronglyConnectedComponents(g);
        assertEquals(2, sccs.size());
        assertTrue(sccs.contains(List.of("a", "b")));
        assertTrue(sccs.contains(List.of("c")));
    }

    @Test
    void findCycles_longChainDoesNotOverflowStack() {
        Graph<Void> g = new Graph<>();
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            g.addVertex("v" + i, null);
            if (i > 0) {
                g.addEdge("v" + (i - 1), "v" + i);
            }
        }
        assertTrue(Cycles.isAcyclic(g));
        g.addEdge("v" + (n - 1), "v0");
        assertEquals(n, Cycles.findCycles(g).get(0).size());
    }
}
