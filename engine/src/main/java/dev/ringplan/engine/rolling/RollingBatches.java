package dev.ringplan.engine.rolling;

import dev.ringplan.engine.diag.RingplanException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The batches of a rolling block: which of its hosts run at once, decided from the ring. Pure
 * functions of their arguments (cstar's "scheduling from an immutable topology"), tested with
 * synthetic rings.
 */
public final class RollingBatches {
    /**
     * The system keyspaces {@code serial: topology} considers by default, besides every
     * non-system keyspace: the replicated one whose unavailability clients see,
     * {@code system_auth} (logins, roles and permissions). Left out: {@code system_distributed}
     * (repair history and view build status, read by repairs and view builds only; its RF 3 would
     * make every node of a small cluster a neighbour of every other), {@code system_traces}
     * (tracing only), the node-local {@code system} and {@code system_schema}, and the virtual
     * keyspaces. Name them in {@code keyspaces:} to keep their replicas apart too.
     */
    public static final List<String> REPLICATED_SYSTEM_KEYSPACES = List.of("system_auth");

    /**
     * Ringplan's own keyspace (the cluster lock's {@code ringplan.locks}), left out by default:
     * its RF min(3, nodes) would make every node of a 4-node ring a neighbour of every other, and
     * a lock renewal tolerates a node being down.
     */
    public static final String RINGPLAN_KEYSPACE = "ringplan";

    private RollingBatches() {
    }

    /**
     * The keyspaces {@code serial: topology} keeps apart: {@code asked} when given (each must exist),
     * else every keyspace not named {@code system*} plus {@link #REPLICATED_SYSTEM_KEYSPACES}, without
     * {@link #RINGPLAN_KEYSPACE}, sorted.
     *
     * @throws RingplanException naming an asked keyspace the cluster does not have
     */
    public static List<String> keyspaces(Ring ring, List<String> asked) throws RingplanException {
        if (!asked.isEmpty()) {
            for (String k : asked) {
                if (!ring.replication().containsKey(k)) {
                    throw new RingplanException("keyspaces: the cluster has no keyspace '" + k + "' (it has "
                            + String.join(", ", new TreeSet<>(ring.replication().keySet())) + ")");
                }
            }
            return List.copyOf(asked);
        }
        return ring.replication().keySet().stream()
                .filter(k -> !k.startsWith("system") || REPLICATED_SYSTEM_KEYSPACES.contains(k))
                .filter(k -> !k.equals(RINGPLAN_KEYSPACE))
                .sorted().toList();
    }

    /**
     * Greedy batches of hosts whose nodes share no token range of {@code keyspaces} (Spotify cstar's
     * topology strategy): hosts are taken in the given order; a host joins the current batch
     * when none of the batch's nodes is in a replica set with its node; the hosts left start the
     * next batch.
     *
     * @param hosts the block's hosts in inventory order
     * @throws RingplanException when a host is not in the ring, two hosts are one node, or a
     *                           keyspace's replication cannot be placed
     */
    public static List<List<String>> topology(List<String> hosts, Ring ring, List<String> keyspaces)
            throws RingplanException {
        Map<String, String> address = addresses(hosts, ring);
        Map<String, Set<String>> shares = new HashMap<>();
        for (String ks : keyspaces) {
            for (Set<String> replicas : ReplicaPlacement.replicaSets(ring, ks, ring.replication().get(ks))) {
                for (String a : replicas) {
                    shares.computeIfAbsent(a, x -> new HashSet<>()).addAll(replicas);
                }
            }
        }
        List<List<String>> batches = new ArrayList<>();
        List<String> left = new ArrayList<>(hosts);
        while (!left.isEmpty()) {
            List<String> batch = new ArrayList<>();
            Set<String> taken = new HashSet<>();
            for (String h : left) {
                String a = address.get(h);
                Set<String> mine = shares.getOrDefault(a, Set.of());
                if (taken.stream().noneMatch(mine::contains)) {
                    batch.add(h);
                    taken.add(a);
                }
            }
            left.removeAll(batch);
            batches.add(batch);
        }
        return batches;
    }

    /**
     * One batch per datacenter ({@code rack == false}) or per rack of a datacenter (racks of the
     * same name in two datacenters are two racks), in the order their first host comes. A host's
     * place is its node's in the ring; a host variable {@code datacenter} or {@code rack} that
     * says otherwise is an error (the inventory is out of date).
     *
     * @param vars each host's variables
     * @throws RingplanException when a host is not in the ring, or its variables contradict the ring
     */
    public static List<List<String>> byPlace(List<String> hosts, Ring ring, Map<String, Map<String, Object>> vars,
                                             boolean rack) throws RingplanException {
        Map<String, String> address = addresses(hosts, ring);
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String h : hosts) {
            RingNode n = ring.node(address.get(h));
            Map<String, Object> v = vars.getOrDefault(h, Map.of());
            check(h, "datacenter", v.get("datacenter"), n.datacenter(), ring);
            check(h, "rack", v.get("rack"), n.rack(), ring);
            String key = rack ? n.datacenter() + "/" + n.rack() : n.datacenter();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(h);
        }
        return List.copyOf(groups.values());
    }

    /** Batches of {@code size} hosts in the given order; {@code size} null or 0: one batch of all. */
    public static List<List<String>> bySize(List<String> hosts, Integer size) {
        int n = size == null || size <= 0 ? Math.max(1, hosts.size()) : size;
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i += n) {
            out.add(List.copyOf(hosts.subList(i, Math.min(hosts.size(), i + n))));
        }
        return out;
    }

    /**
     * The nodes of the ring that are down, each as {@code address (host)} with the inventory host
     * when one is that node; empty when every node is up.
     */
    public static List<String> downNodes(Ring ring) {
        Map<String, String> hostOf = new HashMap<>();
        ring.hostAddress().forEach((h, a) -> hostOf.put(a, h));
        return ring.nodes().stream().filter(n -> !n.up())
                .map(n -> n.address() + (hostOf.containsKey(n.address()) ? " (" + hostOf.get(n.address()) + ")" : "")
                        + " in " + n.datacenter() + "/" + n.rack())
                .toList();
    }

    /** Batches as text: {@code [node1, node3] [node2, node4]}. */
    public static String describe(List<List<String>> batches) {
        return batches.stream().map(b -> "[" + String.join(", ", b) + "]").collect(Collectors.joining(" "));
    }

    private static Map<String, String> addresses(List<String> hosts, Ring ring) throws RingplanException {
        List<String> missing = new ArrayList<>();
        Map<String, String> byAddress = new HashMap<>();
        for (String h : hosts) {
            String a = ring.hostAddress().get(h);
            if (a == null || ring.node(a) == null) {
                missing.add(h);
            } else if (byAddress.putIfAbsent(a, h) != null) {
                throw new RingplanException("hosts '" + byAddress.get(a) + "' and '" + h + "' are the same node " + a
                        + " of the ring");
            }
        }
        if (!missing.isEmpty()) {
            throw new RingplanException("host" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " not in the ring read from " + ring.source()
                    + " (its nodes: " + ring.nodes().stream().map(RingNode::address).sorted()
                    .collect(Collectors.joining(", ")) + "); check listen_address / cql_host in the inventory");
        }
        Map<String, String> out = new HashMap<>();
        byAddress.forEach((a, h) -> out.put(h, a));
        return out;
    }

    private static void check(String host, String var, Object declared, String actual, Ring ring)
            throws RingplanException {
        if (declared != null && !String.valueOf(declared).equals(actual)) {
            throw new RingplanException("host " + host + ": the inventory says " + var + " '" + declared
                    + "', the ring read from " + ring.source() + " says '" + actual + "'; fix the inventory");
        }
    }
}
