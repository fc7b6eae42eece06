package dev.ringplan.engine.rolling;

import dev.ringplan.engine.diag.RingplanException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which nodes hold each token range of a keyspace: Cassandra's replica placement, computed from
 * the ring's tokens, datacenters and racks and the keyspace's replication options.
 *
 * <p>The range ending at token t (exclusive of the previous token, inclusive of t) is replicated
 * by walking the ring clockwise from t:
 * <ul>
 *   <li>{@code SimpleStrategy}: the first {@code replication_factor} distinct nodes
 *       ({@code SimpleStrategy.calculateNaturalReplicas});</li>
 *   <li>{@code NetworkTopologyStrategy}: per datacenter with a factor RF, the first node met of
 *       each rack of that datacenter, plus, when RF exceeds the datacenter's rack count, the first
 *       {@code RF - racks} nodes met from racks already used; at most the datacenter's node count
 *       ({@code NetworkTopologyStrategy.calculateNaturalReplicas}, Cassandra 4.0 and later; 3.x
 *       picks the same set);</li>
 *   <li>{@code LocalStrategy} (system, system_schema): nothing shared between nodes, no range;</li>
 *   <li>{@code EverywhereStrategy}: every node holds every range.</li>
 * </ul>
 * A transient factor ({@code "3/1"}) counts all its replicas. Other classes are refused.
 */
public final class ReplicaPlacement {
    private ReplicaPlacement() {
    }

    /**
     * The replica set (node addresses) of every token range of a keyspace, one set per token of
     * the ring in token order; empty for {@code LocalStrategy}.
     *
     * @param ring        the ring
     * @param keyspace    the keyspace name, for messages
     * @param replication its replication options ({@code class} and factors)
     * @throws RingplanException for an unknown strategy class or a factor that is no number
     */
    public static List<Set<String>> replicaSets(Ring ring, String keyspace, Map<String, String> replication)
            throws RingplanException {
        String cls = replication.getOrDefault("class", "");
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        TreeMap<BigInteger, RingNode> owners = new TreeMap<>();
        for (RingNode n : ring.nodes()) {
            for (BigInteger t : n.tokens()) {
                owners.put(t, n);
            }
        }
        List<RingNode> walk = new ArrayList<>(owners.values());
        List<Set<String>> out = new ArrayList<>();
        switch (simple) {
            case "LocalStrategy" -> {
                return out;
            }
            case "EverywhereStrategy" -> {
                Set<String> all = new LinkedHashSet<>();
                ring.nodes().forEach(n -> all.add(n.address()));
                for (int i = 0; i < walk.size(); i++) {
                    out.add(all);
                }
                return out;
            }
            case "SimpleStrategy" -> {
                int rf = factor(keyspace, "replication_factor", replication.get("replication_factor"));
                for (int i = 0; i < walk.size(); i++) {
                    Set<String> set = new LinkedHashSet<>();
                    for (int j = 0; j < walk.size() && set.size() < rf; j++) {
                        set.add(walk.get((i + j) % walk.size()).address());
                    }
                    out.add(set);
                }
                return out;
            }
            case "NetworkTopologyStrategy" -> {
                Map<String, Integer> factors = new HashMap<>();
                for (Map.Entry<String, String> e : replication.entrySet()) {
                    if (!e.getKey().equals("class")) {
                        factors.put(e.getKey(), factor(keyspace, e.getKey(), e.getValue()));
                    }
                }
                for (int i = 0; i < walk.size(); i++) {
                    Set<String> set = new LinkedHashSet<>();
                    for (Map.Entry<String, Integer> f : factors.entrySet()) {
                        set.addAll(inDatacenter(walk, i, f.getKey(), f.getValue()));
                    }
                    out.add(set);
                }
                return out;
            }
            default -> throw new RingplanException("keyspace '" + keyspace + "': replication class '" + cls
                    + "' is not one Ringplan can place replicas for (SimpleStrategy, NetworkTopologyStrategy, "
                    + "LocalStrategy, EverywhereStrategy); name the keyspaces to consider with 'keyspaces:'");
        }
    }

    /** The replicas in datacenter {@code dc} of the range ending at the token at {@code start} of {@code walk}. */
    private static List<String> inDatacenter(List<RingNode> walk, int start, String dc, int rf) {
        Set<String> racks = new HashSet<>();
        Set<String> nodes = new HashSet<>();
        for (RingNode n : walk) {
            if (n.datacenter().equals(dc)) {
                racks.add(n.rack());
                nodes.add(n.address());
            }
        }
        int want = Math.min(rf, nodes.size());
        int rackRepeats = rf - racks.size();
        List<String> replicas = new ArrayList<>();
        Set<String> seenRacks = new HashSet<>();
        for (int j = 0; j < walk.size() && replicas.size() < want; j++) {
            RingNode n = walk.get((start + j) % walk.size());
            if (!n.datacenter().equals(dc) || replicas.contains(n.address())) {
                continue;
            }
            if (seenRacks.add(n.rack())) {
                replicas.add(n.address());
            } else if (rackRepeats > 0) {
                replicas.add(n.address());
                rackRepeats--;
            }
        }
        return replicas;
    }

    private static int factor(String keyspace, String key, String value) throws RingplanException {
        String v = value == null ? "" : value.strip();
        int slash = v.indexOf('/');
        String all = slash >= 0 ? v.substring(0, slash) : v;
        try {
            int n = Integer.parseInt(all.strip());
            if (n < 0) {
                throw new NumberFormatException(v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new RingplanException("keyspace '" + keyspace + "': replication factor " + key + " = '" + value
                    + "' is not a number");
        }
    }
}
