package dev.ringplan.engine.dag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A directed graph of named vertices, each carrying an optional payload of type {@code V}.
 * It knows nothing of what the vertices mean.
 *
 * <p><b>Edge direction.</b> {@link #addEdge(String, String) addEdge(dependency, dependent)}
 * records that {@code dependent} depends on {@code dependency}: the dependency must finish
 * before the dependent starts. Arrows in the renderings point from dependency to dependent
 * (the order work flows in).
 *
 * <p><b>Determinism.</b> Vertices iterate in insertion order; the dependencies and dependents
 * of a vertex iterate in the order their edges were added. Every algorithm of this package
 * breaks ties by these orders, so the same graph always gives the same output.
 *
 * <p>Not thread-safe while being built; once built it may be read from many threads (the
 * {@link Walker} only reads it).
 *
 * @param <V> the payload type (use {@link Void} and {@code null} payloads when there is none)
 */
public final class Graph<V> {

    private static final class Vertex<V> {
        final String name;
        final int index;
        final V payload;
        final Set<String> dependencies = new LinkedHashSet<>();
        final Set<String> dependents = new LinkedHashSet<>();

        Vertex(String name, int index, V payload) {
            this.name = name;
            this.index = index;
            this.payload = payload;
        }
    }

    private final Map<String, Vertex<V>> vertices = new LinkedHashMap<>();
    private int edgeCount;

    /** An empty graph. */
    public Graph() {
    }

    /**
     * Adds a vertex.
     *
     * @param name    its unique, non-empty name
     * @param payload what it carries; may be null
     * @throws IllegalArgumentException if the name is empty or already present
     */
    public void addVertex(String name, V payload) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("vertex name must not be empty");
        }
        if (vertices.containsKey(name)) {
            throw new IllegalArgumentException("duplicate vertex '" + name + "'");
        }
        vertices.put(name, new Vertex<>(name, vertices.size(), payload));
    }

    /**
     * Records that {@code dependent} depends on {@code dependency} (an edge
     * {@code dependency → dependent}). Adding the same edge twice has no effect. A self-loop
     * ({@code dependency.equals(dependent)}) is accepted so that {@link Cycles} can report it.
     *
     * @throws IllegalArgumentException if either vertex is unknown
     */
    public void addEdge(String dependency, String dependent) {
        Vertex<V> from = require(dependency);
        Vertex<V> to = require(dependent);
        if (from.dependents.add(to.name)) {
            to.dependencies.add(from.name);
            edgeCount++;
        }
    }

    /** Whether a vertex of this name exists. */
    public boolean contains(String name) {
        return vertices.containsKey(name);
    }

    /**
     * The payload of a vertex (may be null).
     *
     * @throws IllegalArgumentException if the vertex is unknown
     */
    public V payload(String name) {
        return require(name).payload;
    }

    /**
     * The 0-based insertion index of a vertex (the tie-breaker of every ordering here).
     *
     * @throws IllegalArgumentException if the vertex is unknown
     */
    public int indexOf(String name) {
        return require(name).index;
    }

    /** All vertex names, in insertion order (an unmodifiable view). */
    public Set<String> vertices() {
        return Collections.unmodifiableSet(vertices.keySet());
    }

    /**
     * The vertices {@code name} depends on (its predecessors), in edge insertion order.
     *
     * @throws IllegalArgumentException if the vertex is unknown
     */
    public Set<String> dependencies(String name) {
        return Collections.unmodifiableSet(require(name).dependencies);
    }

    /**
     * The vertices that depend on {@code name} (its successors), in edge insertion order.
     *
     * @throws IllegalArgumentException if the vertex is unknown
     */
    public Set<String> dependents(String name) {
        return Collections.unmodifiableSet(require(name).dependents);
    }

    /** Number of vertices. */
    public int size() {
        return vertices.size();
    }

    /** Number of distinct edges. */
    public int edgeCount() {
        return edgeCount;
    }

    /**
     * All edges as {@code [dependency, dependent]} pairs, grouped by dependency in vertex
     * insertion order, then in edge insertion order.
     */
    public List<List<String>> edges() {
        List<List<String>> out = new ArrayList<>(edgeCount);
        for (Vertex<V> v : vertices.values()) {
            for (String d : v.dependents) {
                out.add(List.of(v.name, d));
            }
        }
        return out;
    }

    private Vertex<V> require(String name) {
        Vertex<V> v = vertices.get(name);
        if (v == null) {
            throw new IllegalArgumentException("unknown vertex '" + name + "'");
        }
        return v;
    }
}
