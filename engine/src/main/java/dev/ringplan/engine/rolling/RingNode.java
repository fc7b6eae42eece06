package dev.ringplan.engine.rolling;

import java.math.BigInteger;
import java.util.List;

/**
 * One node of a Cassandra ring as read when a rolling block starts.
 *
 * @param address    the node's storage (broadcast) address, as {@code nodetool status} shows it
 * @param rpcAddress its CQL (broadcast RPC) address, or null when unknown
 * @param datacenter its datacenter
 * @param rack       its rack
 * @param up         false when the node is down (DN)
 * @param tokens     its tokens (Murmur3: signed 64-bit values; RandomPartitioner: 0..2^127)
 */
public record RingNode(String address, String rpcAddress, String datacenter, String rack, boolean up,
                       List<BigInteger> tokens) {
    /** Copies the token list. */
    public RingNode {
        tokens = List.copyOf(tokens);
    }
}
