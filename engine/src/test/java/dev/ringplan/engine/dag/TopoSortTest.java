package dev.ringplan.engine.dag;

import static dev.ringplan.engine.dag.GraphTest.graph;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopoSortTest {

    @Test
    void sort_noEdgesKeepsInsertionOrder() {
        assertEquals(List.of("c", "a", "b"), TopoSort.sort(graph("c", "a", "b")));
    }

    @Test
    void sort_dependenciesFirstTiesByInsertionOrder() {
        Graph<String> g = graph("d", "c", "b", "a");
        g.addEdge("a", "d");
        g.addEdge("b", "d");
        g.addEdge("a", "c");
        // ready at start: b, a (c and d wait); b first (inserted before a), then a, then c, d.
        assertEquals(List.of("b", "a", "d", "c"), TopoSort.sort(g));
    }

    @Test
    void sort_cycleThrowsNamingIt() {
        Graph<String> g = graph("a", "b", "c");
        g.addEdge("a", "b");
        g.addEdge("b", "a");
        CycleException e = assertThrows(CycleException.class, () -> TopoSort.sort(g));
        assertEquals(List.of(List.of("a", "b")), e.cycles());
        assertEquals("graph has cycles: a -> b -> a", e.getMessage());
    }
}
