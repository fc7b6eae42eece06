package dev.ringplan.engine.rolling;

import java.util.List;
import java.util.Map;

/**
 * A Cassandra cluster's ring as a rolling block reads it when it starts: every node with its
 * tokens, place and state, the replication options of every keyspace, and which node each
 * inventory host of the block is.
 *
 * @param nodes        every node of the cluster
 * @param replication  keyspace name → its replication options as in {@code system_schema.keyspaces}
 *                     ({@code class} plus {@code replication_factor} or one factor per datacenter);
 *                     virtual keyspaces are left out
 * @param hostAddress  inventory host → the {@link RingNode#address()} of its node; a host of the
 *                     block that matches no node of the ring has no entry
 * @param source       where this was read, for messages (e.g. "java-driver-core metadata via 127.0.50.1:9042")
 */
public record Ring(List<RingNode> nodes, Map<String, Map<String, String>> replication, Map<String, String> hostAddress,
                   String source) {
    /** Copies the collections. */
    public Ring {
        nodes = List.copyOf(nodes);
        replication = Map.copyOf(replication);
        hostAddress = Map.copyOf(hostAddress);
    }

    /** The node with storage address {@code address}, or null. */
    public RingNode node(String address) {
        for (RingNode n : nodes) {
            if (n.address().equals(address)) {
                return n;
            }
        }
        return null;
    }
}
