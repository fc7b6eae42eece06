package dev.ringplan.engine.dag;

import java.util.HashMap;
import java.util.Map;

/**
 * Renders a graph as a Mermaid flowchart (https://mermaid.js.org/syntax/flowchart.html),
 * top to bottom. Vertex names may hold any character, so each vertex gets a safe ID
 * ({@code n0}, {@code n1}, ... in insertion order) and its label is a quoted string in which
 * {@code "} becomes {@code #quot;} (Mermaid's entity code) and a newline becomes
 * {@code <br/>}. Arrows go from dependency to dependent.
 */
public final class Mermaid {
    private Mermaid() {
    }

    /** The graph as Mermaid, each vertex labelled by its name. */
    public static <V> String render(Graph<V> graph) {
        return render(graph, Labeler.byName());
    }

    /**
     * The graph as Mermaid, for example:
     * <pre>
     * flowchart TD
     *     n0["a"]
     *     n1["b"]
     *     n0 --&gt; n1
     * </pre>
     *
     * @param graph   the graph
     * @param labeler the label of each vertex
     * @return the Mermaid text, ending with a newline
     */
    public static <V> String render(Graph<V> graph, Labeler<V> labeler) {
        StringBuilder sb = new StringBuilder("flowchart TD\n");
        Map<String, String> ids = new HashMap<>();
        for (String v : graph.vertices()) {
            String id = "n" + ids.size();
            ids.put(v, id);
            sb.append("    ").append(id).append("[\"")
                    .append(escape(labeler.label(v, graph.payload(v)))).append("\"]\n");
        }
        for (var e : graph.edges()) {
            sb.append("    ").append(ids.get(e.get(0))).append(" --> ").append(ids.get(e.get(1))).append('\n');
        }
        return sb.toString();
    }

    private static String escape(String s) {
        return s.replace("\r", "").replace("\"", "#quot;").replace("\n", "<br/>");
    }
}
