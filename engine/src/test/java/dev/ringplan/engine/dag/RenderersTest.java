package dev.ringplan.engine.dag;

import static dev.ringplan.engine.dag.GraphTest.graph;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Golden output of {@link Dot}, {@link Mermaid} and {@link TextListing}. */
class RenderersTest {

    static Graph<String> sample() {
        Graph<String> g = graph("flush", "snapshot", "archive");
        g.addVertex("say \"hi\"\\now", "quoted");
        g.addEdge("flush", "snapshot");
        g.addEdge("snapshot", "archive");
        g.addEdge("flush", "archive");
        g.addEdge("flush", "say \"hi\"\\now");
        return g;
    }

    @Test
    void dot_render_quotesIdsAndLabels() {
        String expected = """
                digraph {
                  "flush" [label="FLUSH"];
                  "snapshot" [label="SNAPSHOT"];
                  "archive" [label="ARCHIVE"];
                  "say \\"hi\\"\\\\now" [label="quoted"];
                  "flush" -> "snapshot";
                  "flush" -> "archive";
                  "flush" -> "say \\"hi\\"\\\\now";
                  "snapshot" -> "archive";
                }
                """;
        assertEquals(expected, Dot.render(sample(), (name, payload) -> payload));
    }

    @Test
    void dot_render_multilineLabel() {
        Graph<String> g = graph("a");
        assertEquals("digraph {\n  \"a\" [label=\"task\\nhost\"];\n}\n",
                Dot.render(g, (n, p) -> "task\nhost"));
    }

    @Test
    void mermaid_render_usesSafeIdsAndEscapedLabels() {
        String expected = """
                flowchart TD
                    n0["flush"]
                    n1["snapshot"]
                    n2["archive"]
                    n3["say #quot;hi#quot;\\now"]
                    n0 --> n1
                    n0 --> n2
                    n0 --> n3
                    n1 --> n2
                """;
        assertEquals(expected, Mermaid.render(sample()));
    }

    @Test
    void textListing_render_topoOrderWithDependencies() {
        String expected = """
                FLUSH
                SNAPSHOT <- FLUSH
                ARCHIVE <- SNAPSHOT, FLUSH
                quoted <- FLUSH
                """;
        assertEquals(expected, TextListing.render(sample(), (name, payload) -> payload));
    }

    @Test
    void textListing_render_cycleRejected() {
        Graph<String> g = graph("a");
        g.addEdge("a", "a");
        assertThrows(CycleException.class, () -> TextListing.render(g));
    }
}
