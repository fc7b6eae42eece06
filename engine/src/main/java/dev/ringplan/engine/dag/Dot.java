package dev.ringplan.engine.dag;

/**
 * Renders a graph in the Graphviz DOT language (https://graphviz.org/doc/info/lang.html):
 * every ID is a double-quoted string with {@code "} and {@code \} escaped, and newlines in
 * labels written as {@code \n}. Vertices come in insertion order, then edges grouped by
 * dependency; arrows go from dependency to dependent.
 */
public final class Dot {
    private Dot() {
    }

    /** The graph in DOT, each vertex labelled by its name. */
    public static <V> String render(Graph<V> graph) {
        return render(graph, Labeler.byName());
    }

    /**
     * The graph in DOT, for example:
     * <pre>
     * digraph {
     *   "a" [label="A"];
     *   "b" [label="B"];
     *   "a" -&gt; "b";
     * }
     * </pre>
     *
     * @param graph   the graph
     * @param labeler the label of each vertex
     * @return the DOT text, ending with a newline
     */
    public static <V> String render(Graph<V> graph, Labeler<V> labeler) {
        StringBuilder sb = new StringBuilder("digraph {\n");
        for (String v : graph.vertices()) {
            sb.append("  ").append(quote(v)).append(" [label=")
                    .append(quote(labeler.label(v, graph.payload(v)))).append("];\n");
        }
        for (var e : graph.edges()) {
            sb.append("  ").append(quote(e.get(0))).append(" -> ").append(quote(e.get(1))).append(";\n");
        }
        return sb.append("}\n").toString();
    }

    /** A DOT double-quoted string. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> { }
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
