package dev.ringplan.engine.dag;

/**
 * Gives the text shown for a vertex in a rendering ({@link Dot}, {@link Mermaid},
 * {@link TextListing}).
 *
 * @param <V> the graph's payload type
 */
@FunctionalInterface
public interface Labeler<V> {
    /**
     * The label of a vertex.
     *
     * @param name    the vertex name
     * @param payload its payload (may be null)
     * @return the label, any characters (renderers escape it)
     */
    String label(String name, V payload);

    /** A labeler that shows the vertex name. */
    static <V> Labeler<V> byName() {
        return (name, payload) -> name;
    }
}
