package dev.ringplan.engine.dag;

import java.util.Arrays;

/**
 * One direction of a {@link Graph}'s edges: for each vertex index, the vertex indices it is
 * joined to, in the order they were added. The first one is kept inline in an int array (most
 * vertices of a compiled plan have one dependency and one dependent), the others in a per-vertex
 * int array made when a second comes. No duplicate check here: {@link Graph} does it.
 */
final class Adjacency {
    private int[] first;
    private int[][] more;
    private int[] count;

    /** Room for {@code capacity} vertices. */
    Adjacency(int capacity) {
        first = new int[capacity];
        more = new int[capacity][];
        count = new int[capacity];
    }

    /** Makes room for {@code capacity} vertices. */
    void grow(int capacity) {
        if (capacity > count.length) {
            first = Arrays.copyOf(first, capacity);
            more = Arrays.copyOf(more, capacity);
            count = Arrays.copyOf(count, capacity);
        }
    }

    /** Appends {@code w} to the list of {@code v}. */
    void add(int v, int w) {
        int n = count[v];
        if (n == 0) {
            first[v] = w;
        } else {
            int[] m = more[v];
            if (m == null) {
                m = new int[2];
            } else if (n - 1 == m.length) {
                m = Arrays.copyOf(m, m.length * 2);
            }
            m[n - 1] = w;
            more[v] = m;
        }
        count[v] = n + 1;
    }

    /** The length of the list of {@code v}. */
    int count(int v) {
        return count[v];
    }

    /** The {@code k}-th entry of the list of {@code v} ({@code k < count(v)}, unchecked). */
    int get(int v, int k) {
        return k == 0 ? first[v] : more[v][k - 1];
    }

    /** Whether the list of {@code v} holds {@code w} (a linear scan, from the newest entry). */
    boolean contains(int v, int w) {
        for (int k = count[v] - 1; k >= 0; k--) {
            if (get(v, k) == w) {
                return true;
            }
        }
        return false;
    }
}
