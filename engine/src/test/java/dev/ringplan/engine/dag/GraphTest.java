package dev.ringplan.engine.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GraphTest {

    static Graph<String> graph(String... vertices) {
        Graph<String> g = new Graph<>();
        for (String v : vertices) {
            g.addVertex(v, v.toUpperCase());
        }
        return g;
    }

    @Test
    void addEdge_recordsBothDirectionsInInsertionOrder() {
        Graph<String> g = graph("c", "a", "b");
        g.addEdge("a", "b");
        g.addEdge("c", "b");
        g.addEdge("a", "c");
        assertEquals(List.of("c", "a", "b"), List.copyOf(g.vertices()));
        assertEquals(List.of("a", "c"), List.copyOf(g.dependencies("b")));
        assertEquals(List.of("b", "c"), List.copyOf(g.dependents("a")));
        assertEquals(3, g.edgeCount());
        assertEquals(List.of(List.of("c", "b"), List.of("a", "b"), List.of("a", "c")), g.edges());
        assertEquals("A", g.payload("a"));
        assertEquals(1, g.indexOf("a"));
    }

    @Test
    void addEdge_duplicateIgnored() {
        Graph<String> g = graph("a", "b");
        g.addEdge("a", "b");
        g.addEdge("a", "b");
        assertEquals(1, g.edgeCount());
    }

    @Test
    void addEdge_unknownVertexRejected() {
        Graph<String> g = graph("a");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.addEdge("a", "zz"));
        assertTrue(e.getMessage().contains("'zz'"), e.getMessage());
    }

    @Test
    void addVertex_duplicateOrEmptyRejected() {
        Graph<String> g = graph("a");
        assertThrows(IllegalArgumentException.class, () -> g.addVertex("a", null));
        assertThrows(IllegalArgumentException.class, () -> g.addVertex("", null));
        assertTrue(g.contains("a"));
        assertFalse(g.contains("b"));
        assertEquals(1, g.size());
    }

    @Test
    void appendVertex_indexedOnFirstLookUp_duplicateThenRefused() {
        Graph<String> g = new Graph<>();
        assertEquals(0, g.appendVertex("a", "A"));
        assertEquals(1, g.appendVertex("b", "B"));
        assertEquals(1, g.indexOf("b"));
        assertEquals("A", g.payload("a"));
        g.appendVertex("a", "again");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.contains("c"));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    }

    @Test
    void indexApi_matchesNameApi_andSkipsDuplicates() {
        Graph<String> g = graph("a", "b", "c");
        g.addEdge(0, 2);
        g.addEdge(1, 2);
        g.addEdge(0, 2);
        assertEquals(2, g.edgeCount());
        assertEquals(2, g.dependencyCount(2));
        assertEquals(1, g.dependency(2, 1));
        assertEquals(2, g.dependent(0, 0));
        assertEquals("c", g.name(2));
        assertEquals(List.of("a", "b"), List.copyOf(g.dependencies("c")));
        assertTrue(g.dependencies("c").contains("b"));
        assertThrows(IndexOutOfBoundsException.class, () -> g.dependency(2, 2));
    }

    @Test
    void addEdge_manyDependencies_stillDeduplicated() {
        Graph<String> g = new Graph<>();
        for (int i = 0; i < 100; i++) {
            g.addVertex("v" + i, null);
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 1; i < 100; i++) {
                g.addEdge(i, 0);
            }
        }
        assertEquals(99, g.edgeCount());
        assertEquals(99, g.dependencyCount(0));
        assertEquals("v99", List.copyOf(g.dependencies("v0")).get(98));
    }
}
