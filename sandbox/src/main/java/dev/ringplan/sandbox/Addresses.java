package dev.ringplan.sandbox;

import java.util.Set;

/**
 * Address and JMX port allocation for sandboxes, pure functions.
 *
 * <p>Each sandbox of a work directory has an <em>address index</em> i: 0 for the sandbox named
 * {@value #DEFAULT_NAME}, 1..{@value #MAX_INDEX} for the others. Node n of sandbox i listens on
 * {@code 127.0.0.n} (i = 0) or {@code 127.0.i.n}, so sandboxes can run side by side on the same
 * storage and CQL ports; its JMX port is {@code 7199 + 100 (n - 1) + i} (7199, 7299, ... for the
 * default sandbox), distinct across all sandboxes of the work directory because i &lt; 100, and
 * below 9042 because n &le; {@value #MAX_NODES}.
 */
final class Addresses {
    /** The default sandbox name. */
    static final String DEFAULT_NAME = "default";
    /** The largest address index. */
    static final int MAX_INDEX = 99;
    /** The most nodes a sandbox may have. */
    static final int MAX_NODES = 16;
    /** The JMX port of node 1 of the default sandbox (Cassandra's usual 7199). */
    static final int JMX_BASE = 7199;

    private Addresses() {
    }

    /** The loopback address of node {@code node} (1-based) in the sandbox with address index {@code index}. */
    static String address(int index, int node) {
        checkRange(index, node);
        return index == 0 ? "127.0.0." + node : "127.0." + index + "." + node;
    }

    /** The JMX port of node {@code node} (1-based) in the sandbox with address index {@code index}. */
    static int jmxPort(int index, int node) {
        checkRange(index, node);
        return JMX_BASE + 100 * (node - 1) + index;
    }

    /**
     * Chooses the address index of a new sandbox: 0 for {@value #DEFAULT_NAME}; otherwise the first
     * index not in {@code used}, probing upwards (wrapping) from one derived from the name's hash,
     * so a name keeps the same addresses across work directories when it can.
     *
     * @param name the new sandbox's name
     * @param used indexes already taken by the other sandboxes of the work directory
     * @return the index
     * @throws IllegalStateException when every index is taken (or 0 is taken for the default)
     */
    static int allocateIndex(String name, Set<Integer> used) {
        if (DEFAULT_NAME.equals(name)) {
            if (used.contains(0)) {
                throw new IllegalStateException("address index 0 is already used by another sandbox");
            }
            return 0;
        }
        int start = 1 + Math.floorMod(name.hashCode(), MAX_INDEX);
        for (int k = 0; k < MAX_INDEX; k++) {
            int i = 1 + (start - 1 + k) % MAX_INDEX;
            if (!used.contains(i)) {
                return i;
            }
        }
        throw new IllegalStateException("all " + MAX_INDEX + " sandbox address ranges are in use in this directory");
    }

    private static void checkRange(int index, int node) {
        if (index < 0 || index > MAX_INDEX || node < 1 || node > MAX_NODES) {
            throw new IllegalArgumentException("address index " + index + " / node " + node + " out of range");
        }
    }
}
