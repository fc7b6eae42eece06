package dev.ringplan.engine.dag;

import java.util.StringJoiner;

/**
 * Renders a graph as plain text, one line per vertex in topological order ({@link TopoSort}),
 * each followed by what it depends on:
 * <pre>
 * flush
 * snapshot &lt;- flush
 * archive &lt;- snapshot, flush
 * </pre>
 * Labels are printed as given, except that line breaks become spaces.
 */
public final class TextListing {
    private TextListing() {
    }

    /** The listing, each vertex labelled by its name. */
    public static <V> String render(Graph<V> graph) {
        return render(graph, Labeler.byName());
    }

    /**
     * The listing.
     *
     * @param graph   the graph
     * @param labeler the label of each vertex (dependencies are labelled the same way)
     * @return one line per vertex, each ending with a newline
     * @throws CycleException if the graph has a cycle
     */
    public static <V> String render(Graph<V> graph, Labeler<V> labeler) {
        StringBuilder sb = new StringBuilder();
        for (String v : TopoSort.sort(graph)) {
            sb.append(label(graph, labeler, v));
            if (!graph.dependencies(v).isEmpty()) {
                StringJoiner deps = new StringJoiner(", ", " <- ", "");
                for (String d : graph.dependencies(v)) {
                    deps.add(label(graph, labeler, d));
                }
                sb.append(deps);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static <V> String label(Graph<V> graph, Labeler<V> labeler, String v) {
        return labeler.label(v, graph.payload(v)).replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
    }
}
