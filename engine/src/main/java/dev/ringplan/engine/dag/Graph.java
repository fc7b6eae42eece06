package dev.ringplan.engine.dag;

import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
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
 * <p><b>Indices.</b> Each vertex has a 0-based insertion index ({@link #indexOf}); the
 * index-based methods ({@link #addEdge(int, int)}, {@link #dependencyCount},
 * {@link #dependency}, ...) skip the name look-ups, for graphs of millions of vertices (a plan of
 * 20 tasks on 100,000 hosts). Adjacency is kept as int arrays per vertex; a vertex with many
 * dependencies gets a hash set of them so that a repeated edge is still found in constant time.
 *
 * <p>Not thread-safe while being built; once built it may be read from many threads (the
 * {@link Walker} only reads it).
 *
 * @param <V> the payload type (use {@link Void} and {@code null} payloads when there is none)
 */
public final class Graph<V> {

    /** Above this many dependencies a vertex gets a hash set of them (a linear scan below). */
    private static final int SCAN_LIMIT = 16;

    private String[] names = new String[16];
    private Object[] payloads = new Object[16];
    private final Adjacency deps = new Adjacency(16);
    private final Adjacency dents = new Adjacency(16);
    private IntSet[] depSets = new IntSet[16];
    private int size;
    private int edgeCount;
    /**
     * Open-addressing table of the vertices by name: each slot the scattered hash of a name in
     * its high 32 bits and its vertex index + 1 in its low 32 bits (0: empty). It holds the
     * vertices below {@link #indexed}; {@link #index()} adds the others on the first look-up by
     * name after {@link #appendVertex}.
     */
    private long[] table = new long[32];
    private volatile int indexed;

    /** An empty graph. */
    public Graph() {
    }

    /**
     * Adds a vertex.
     *
     * @param name    its unique, non-empty name
     * @param payload what it carries; may be null
     * @return its 0-based insertion index
     * @throws IllegalArgumentException if the name is empty or already present
     */
    public int addVertex(String name, V payload) {
        checkName(name);
        index();
        synchronized (this) {
            if (table[slot(name)] != 0) {
                throw new IllegalArgumentException("duplicate vertex '" + name + "'");
            }
            int v = append(name, payload);
            insert(v);
            indexed = size;
            return v;
        }
    }

    /**
     * Adds a vertex whose name the caller knows to be new (a compiled plan's {@code task[host]},
     * unique by construction), without looking it up: a graph of millions of vertices is built
     * without a name look-up per vertex. The name index is made on the first look-up by name
     * ({@link #contains}, {@link #indexOf}, ...), which throws {@link IllegalStateException}
     * if a duplicate was appended after all.
     *
     * @param name    its unique, non-empty name
     * @param payload what it carries; may be null
     * @return its 0-based insertion index
     * @throws IllegalArgumentException if the name is empty
     */
    public int appendVertex(String name, V payload) {
        checkName(name);
        return append(name, payload);
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("vertex name must not be empty");
        }
    }

    private int append(String name, V payload) {
        if (size == names.length) {
            grow();
        }
        int index = size++;
        names[index] = name;
        payloads[index] = payload;
        return index;
    }

    /** Puts every vertex into the name table (once per batch of appended vertices; thread-safe). */
    private void index() {
        if (indexed == size) {
            return;
        }
        synchronized (this) {
            int length = table.length;
            while (length < 2L * size) {
                length *= 2;
            }
            if (length > table.length) {
                rehash(length);
            }
            for (int v = indexed; v < size; v++) {
                if (table[slot(names[v])] != 0) {
                    throw new IllegalStateException("duplicate vertex '" + names[v] + "'");
                }
                insert(v);
            }
            indexed = size;
        }
    }

    /** Puts vertex {@code v}, known to be absent, into the name table (growing it as needed). */
    private void insert(int v) {
        if ((size + 1) * 2L > table.length) {
            rehash(table.length * 2);
        }
        table[slot(names[v])] = ((long) spread(names[v].hashCode()) << 32) | (v + 1);
    }

    /**
     * Records that {@code dependent} depends on {@code dependency} (an edge
     * {@code dependency → dependent}). Adding the same edge twice has no effect. A self-loop
     * ({@code dependency.equals(dependent)}) is accepted so that {@link Cycles} can report it.
     *
     * @throws IllegalArgumentException if either vertex is unknown
     */
    public void addEdge(String dependency, String dependent) {
        addEdge(require(dependency), require(dependent));
    }

    /**
     * {@link #addEdge(String, String)} by vertex indices.
     *
     * @throws IndexOutOfBoundsException if either index is not a vertex's
     */
    public void addEdge(int dependency, int dependent) {
        Objects.checkIndex(dependency, size);
        Objects.checkIndex(dependent, size);
        if (hasDependency(dependent, dependency)) {
            return;
        }
        deps.add(dependent, dependency);
        int n = deps.count(dependent);
        if (depSets[dependent] != null) {
            depSets[dependent].add(dependency);
        } else if (n > SCAN_LIMIT) {
            IntSet set = new IntSet();
            for (int k = 0; k < n; k++) {
                set.add(deps.get(dependent, k));
            }
            depSets[dependent] = set;
        }
        dents.add(dependency, dependent);
        edgeCount++;
    }

    private boolean hasDependency(int v, int d) {
        return depSets[v] != null ? depSets[v].contains(d) : deps.contains(v, d);
    }

    /** Whether a vertex of this name exists. */
    public boolean contains(String name) {
        if (name == null) {
            return false;
        }
        index();
        return table[slot(name)] != 0;
    }

    /**
     * The payload of a vertex (may be null).
     *
     * @throws IllegalArgumentException if the vertex is unknown
     */
    public V payload(String name) {
        return payload(require(name));
    }

    /**
     * The payload of the vertex of index {@code index} (may be null).
     *
     * @throws IndexOutOfBoundsException if no vertex has this index
     */
    @SuppressWarnings("unchecked")
    public V payload(int index) {
        return (V) payloads[Objects.checkIndex(index, size)];
    }

    /**
     * The name of the vertex of index {@code index}.
     *
     * @throws IndexOutOfBoundsException if no vertex has this index
     */
    public String name(int index) {
        return names[Objects.checkIndex(index, size)];
    }

    /**
     * The 0-based insertion index of a vertex (the tie-breaker of every ordering here).
     *
     * @throws IllegalArgumentException if the vertex is unknown
     */
    public int indexOf(String name) {
        return require(name);
    }

    /** All vertex names, in insertion order (an unmodifiable view). */
    public Set<String> vertices() {
        return new AbstractSet<>() {
            @Override
            public Iterator<String> iterator() {
                return names(null, size);
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public boolean contains(Object o) {
                return o instanceof String s && Graph.this.contains(s);
            }
        };
    }

    /**
     * The vertices {@code name} depends on (its predecessors), in edge insertion order (an
     * unmodifiable view).
     *
     * @throws IllegalArgumentException if the vertex is unknown
     */
    public Set<String> dependencies(String name) {
        int v = require(name);
        return new AbstractSet<>() {
            @Override
            public Iterator<String> iterator() {
                return names(deps, v);
            }

            @Override
            public int size() {
                return deps.count(v);
            }

            @Override
            public boolean contains(Object o) {
                return o instanceof String s && Graph.this.contains(s) && hasDependency(v, require(s));
            }
        };
    }

    /**
     * The vertices that depend on {@code name} (its successors), in edge insertion order (an
     * unmodifiable view).
     *
     * @throws IllegalArgumentException if the vertex is unknown
     */
    public Set<String> dependents(String name) {
        int v = require(name);
        return new AbstractSet<>() {
            @Override
            public Iterator<String> iterator() {
                return names(dents, v);
            }

            @Override
            public int size() {
                return dents.count(v);
            }

            @Override
            public boolean contains(Object o) {
                return o instanceof String s && Graph.this.contains(s) && hasDependency(require(s), v);
            }
        };
    }

    /** The number of vertices the vertex of index {@code v} depends on. */
    public int dependencyCount(int v) {
        return deps.count(Objects.checkIndex(v, size));
    }

    /** The index of the {@code k}-th (0-based, edge insertion order) vertex that vertex {@code v} depends on. */
    public int dependency(int v, int k) {
        return deps.get(v, Objects.checkIndex(k, dependencyCount(v)));
    }

    /** The number of vertices depending on the vertex of index {@code v}. */
    public int dependentCount(int v) {
        return dents.count(Objects.checkIndex(v, size));
    }

    /** The index of the {@code k}-th (0-based, edge insertion order) vertex depending on vertex {@code v}. */
    public int dependent(int v, int k) {
        return dents.get(v, Objects.checkIndex(k, dependentCount(v)));
    }

    /** Number of vertices. */
    public int size() {
        return size;
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
        for (int v = 0; v < size; v++) {
            for (int k = 0; k < dents.count(v); k++) {
                out.add(List.of(names[v], names[dents.get(v, k)]));
            }
        }
        return out;
    }

    /** The names of the list of {@code v} in {@code adj} (of the first {@code v} vertices when {@code adj} is null). */
    private Iterator<String> names(Adjacency adj, int v) {
        int to = adj == null ? v : adj.count(v);
        return new Iterator<>() {
            private int k;

            @Override
            public boolean hasNext() {
                return k < to;
            }

            @Override
            public String next() {
                if (k >= to) {
                    throw new NoSuchElementException();
                }
                int w = adj == null ? k : adj.get(v, k);
                k++;
                return names[w];
            }
        };
    }

    private int require(String name) {
        if (name != null) {
            index();
        }
        int i = name == null ? 0 : (int) table[slot(name)];
        if (i == 0) {
            throw new IllegalArgumentException("unknown vertex '" + name + "'");
        }
        return i - 1;
    }

    /** The table slot holding {@code name}, or the empty slot where it would go. */
    private int slot(String name) {
        int mask = table.length - 1;
        int h = spread(name.hashCode());
        int s = h & mask;
        for (long e = table[s]; e != 0; e = table[s]) {
            if ((int) (e >>> 32) == h && names[(int) e - 1].equals(name)) {
                break;
            }
            s = (s + 1) & mask;
        }
        return s;
    }

    private void rehash(int length) {
        long[] old = table;
        table = new long[length];
        int mask = table.length - 1;
        for (long e : old) {
            if (e != 0) {
                int s = (int) (e >>> 32) & mask;
                while (table[s] != 0) {
                    s = (s + 1) & mask;
                }
                table[s] = e;
            }
        }
    }

    /** Scatters hash codes (names like {@code t1[h000001]}, {@code t1[h000002]} have neighbouring ones). */
    private static int spread(int h) {
        int x = h * 0x9E3779B9;
        return x ^ (x >>> 15);
    }

    /**
     * Makes room for {@code vertices} vertices in all, so that adding them copies no array
     * (a hint: the graph grows past it when needed).
     */
    public void ensureCapacity(int vertices) {
        if (vertices > names.length) {
            resize(vertices);
        }
    }

    private void grow() {
        resize(names.length * 2);
    }

    private void resize(int n) {
        names = Arrays.copyOf(names, n);
        payloads = Arrays.copyOf(payloads, n);
        deps.grow(n);
        dents.grow(n);
        depSets = Arrays.copyOf(depSets, n);
    }

    /** A set of non-negative ints (open addressing, linear probing). */
    private static final class IntSet {
        private int[] slots = new int[64];
        private int count;

        boolean contains(int v) {
            int mask = slots.length - 1;
            for (int s = spread(v) & mask; slots[s] != 0; s = (s + 1) & mask) {
                if (slots[s] == v + 1) {
                    return true;
                }
            }
            return false;
        }

        void add(int v) {
            if ((count + 1) * 2 > slots.length) {
                int[] old = slots;
                slots = new int[old.length * 2];
                count = 0;
                for (int e : old) {
                    if (e != 0) {
                        add(e - 1);
                    }
                }
            }
            int mask = slots.length - 1;
            int s = spread(v) & mask;
            while (slots[s] != 0) {
                if (slots[s] == v + 1) {
                    return;
                }
                s = (s + 1) & mask;
            }
            slots[s] = v + 1;
            count++;
        }
    }
}
