package dev.ringplan.engine.rolling;

import dev.ringplan.engine.diag.RingplanException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RollingBatchesTest {

    /** A node n1..nK at 10.0.0.N with the given tokens. */
    private static RingNode node(int n, String dc, String rack, long... tokens) {
        List<BigInteger> ts = new ArrayList<>();
        for (long t : tokens) {
            ts.add(BigInteger.valueOf(t));
        }
        return new RingNode("10.0.0." + n, "10.0.1." + n, dc, rack, true, ts);
    }

    private static Ring ring(List<RingNode> nodes, Map<String, Map<String, String>> keyspaces) {
        Map<String, String> hosts = new HashMap<>();
        for (RingNode n : nodes) {
            hosts.put("n" + n.address().substring(n.address().lastIndexOf('.') + 1), n.address());
        }
        return new Ring(nodes, keyspaces, hosts, "a test ring");
    }

    private static Map<String, String> simple(int rf) {
        return Map.of("class", "org.apache.cassandra.locator.SimpleStrategy", "replication_factor", String.valueOf(rf));
    }

    private static List<RingNode> fourSingleTokens() {
        return List.of(node(1, "dc1", "r1", 0), node(2, "dc1", "r1", 100), node(3, "dc1", "r1", 200),
                node(4, "dc1", "r1", 300));
    }

    @Test
    void replicaSets_simpleStrategy_rf2_walksTheRingClockwiseFromEachToken() throws Exception {
        Ring r = ring(fourSingleTokens(), Map.of("ks", simple(2)));
        assertEquals(List.of(Set.of("10.0.0.1", "10.0.0.2"), Set.of("10.0.0.2", "10.0.0.3"),
                Set.of("10.0.0.3", "10.0.0.4"), Set.of("10.0.0.4", "10.0.0.1")),
                ReplicaPlacement.replicaSets(r, "ks", simple(2)));
    }

    @Test
    void replicaSets_tokensOutOfNodeOrder_followTokenOrder() throws Exception {
        // n1 owns 300, n2 owns 0: the ring in token order is n2, n3, n4, n1
        Ring r = ring(List.of(node(1, "dc1", "r1", 300), node(2, "dc1", "r1", 0), node(3, "dc1", "r1", 100),
                node(4, "dc1", "r1", 200)), Map.of());
        assertEquals(Set.of("10.0.0.1", "10.0.0.2"), ReplicaPlacement.replicaSets(r, "ks", simple(2)).get(3));
    }

    @Test
    void replicaSets_vnodes_skipTheSameNodeMetTwice() throws Exception {
        Ring r = ring(List.of(node(1, "dc1", "r1", 0, 10), node(2, "dc1", "r1", 20), node(3, "dc1", "r1", 30)), Map.of());
        // from token 0: n1 (0), n1 again (10), n2 (20)
        assertEquals(Set.of("10.0.0.1", "10.0.0.2"), ReplicaPlacement.replicaSets(r, "ks", simple(2)).get(0));
    }

    @Test
    void replicaSets_rfAboveNodeCount_isEveryNode() throws Exception {
        Ring r = ring(List.of(node(1, "dc1", "r1", 0), node(2, "dc1", "r1", 100)), Map.of());
        assertEquals(Set.of("10.0.0.1", "10.0.0.2"), ReplicaPlacement.replicaSets(r, "ks", simple(3)).get(0));
    }

    @Test
    void replicaSets_nts_perDatacenter_eachDcItsOwnFactor() throws Exception {
        // dc1: n1 0, n3 200; dc2: n2 100, n4 300, n5 400
        Ring r = ring(List.of(node(1, "dc1", "r1", 0), node(2, "dc2", "r1", 100), node(3, "dc1", "r1", 200),
                node(4, "dc2", "r1", 300), node(5, "dc2", "r1", 400)), Map.of());
        Map<String, String> nts = Map.of("class", "NetworkTopologyStrategy", "dc1", "1", "dc2", "2");
        List<Set<String>> sets = ReplicaPlacement.replicaSets(r, "ks", nts);
        assertEquals(Set.of("10.0.0.1", "10.0.0.2", "10.0.0.4"), sets.get(0));   // from 0: dc1 n1; dc2 n2, n4
        assertEquals(Set.of("10.0.0.3", "10.0.0.4", "10.0.0.5"), sets.get(2));   // from 200: dc1 n3; dc2 n4, n5
        assertEquals(Set.of("10.0.0.1", "10.0.0.5", "10.0.0.2"), sets.get(4));   // from 400: n5, wrap: n1, n2
    }

    @Test
    void replicaSets_nts_racks_firstNodeOfEachRackBeforeASecondOfOne() throws Exception {
        // ring order n1 r1, n2 r1, n3 r2, n4 r2: RF 2 over 2 racks takes n1 then n3 (skips n2, same rack)
        Ring r = ring(List.of(node(1, "dc1", "r1", 0), node(2, "dc1", "r1", 100), node(3, "dc1", "r2", 200),
                node(4, "dc1", "r2", 300)), Map.of());
        Map<String, String> nts = Map.of("class", "NetworkTopologyStrategy", "dc1", "2");
        List<Set<String>> sets = ReplicaPlacement.replicaSets(r, "ks", nts);
        assertEquals(Set.of("10.0.0.1", "10.0.0.3"), sets.get(0));
        assertEquals(Set.of("10.0.0.2", "10.0.0.3"), sets.get(1));
        assertEquals(Set.of("10.0.0.3", "10.0.0.1"), sets.get(2));
        assertEquals(Set.of("10.0.0.4", "10.0.0.1"), sets.get(3));
    }

    @Test
    void replicaSets_nts_rfAboveRackCount_repeatsRacksInRingOrder() throws Exception {
        // 2 racks, RF 3: one node per rack, then the first repeat met in ring order
        Ring r = ring(List.of(node(1, "dc1", "r1", 0), node(2, "dc1", "r1", 100), node(3, "dc1", "r2", 200),
                node(4, "dc1", "r2", 300)), Map.of());
        Map<String, String> nts = Map.of("class", "NetworkTopologyStrategy", "dc1", "3");
        assertEquals(Set.of("10.0.0.1", "10.0.0.2", "10.0.0.3"), ReplicaPlacement.replicaSets(r, "ks", nts).get(0));
    }

    @Test
    void replicaSets_localStrategy_sharesNothing_unknownClassRefused() throws Exception {
        Ring r = ring(fourSingleTokens(), Map.of());
        assertTrue(ReplicaPlacement.replicaSets(r, "system", Map.of("class", "LocalStrategy")).isEmpty());
        RingplanException e = assertThrows(RingplanException.class,
                () -> ReplicaPlacement.replicaSets(r, "odd", Map.of("class", "com.example.OddStrategy")));
        assertTrue(e.getMessage().contains("'com.example.OddStrategy'"), e.getMessage());
    }

    @Test
    void topology_rf2_fourSingleTokens_twoBatchesOfNonNeighbours() throws Exception {
        Ring r = ring(fourSingleTokens(), Map.of("ks", simple(2)));
        assertEquals(List.of(List.of("n1", "n3"), List.of("n2", "n4")),
                RollingBatches.topology(List.of("n1", "n2", "n3", "n4"), r, List.of("ks")));
    }

    @Test
    void topology_batchesNeverHoldTwoReplicasOfARange_randomRings() throws Exception {
        java.util.Random rnd = new java.util.Random(42);
        for (int round = 0; round < 200; round++) {
            int count = 3 + rnd.nextInt(8);
            List<RingNode> nodes = new ArrayList<>();
            List<String> hosts = new ArrayList<>();
            for (int n = 1; n <= count; n++) {
                long[] ts = new long[1 + rnd.nextInt(3)];
                for (int i = 0; i < ts.length; i++) {
                    ts[i] = rnd.nextLong();
                }
                nodes.add(node(n, rnd.nextBoolean() ? "dc1" : "dc2", "r" + rnd.nextInt(3), ts));
                hosts.add("n" + n);
            }
            Map<String, String> repl = rnd.nextBoolean() ? simple(1 + rnd.nextInt(3))
                    : Map.of("class", "NetworkTopologyStrategy", "dc1", "" + (1 + rnd.nextInt(3)), "dc2", "2");
            Ring r = ring(nodes, Map.of("ks", repl));
            List<List<String>> batches = RollingBatches.topology(hosts, r, List.of("ks"));
            assertEquals(count, batches.stream().mapToInt(List::size).sum(), "every host exactly once");
            for (Set<String> replicas : ReplicaPlacement.replicaSets(r, "ks", repl)) {
                for (List<String> b : batches) {
                    long inBatch = b.stream().map(h -> r.hostAddress().get(h)).filter(replicas::contains).count();
                    assertTrue(inBatch <= 1, "round " + round + ": batch " + b + " holds " + inBatch
                            + " replicas of " + replicas);
                }
            }
        }
    }

    @Test
    void topology_rf1_everyHostInOneBatch_rfAll_oneHostPerBatch() throws Exception {
        Ring r = ring(fourSingleTokens(), Map.of());
        List<String> hosts = List.of("n1", "n2", "n3", "n4");
        Ring rf1 = new Ring(r.nodes(), Map.of("ks", simple(1)), r.hostAddress(), "t");
        assertEquals(List.of(hosts), RollingBatches.topology(hosts, rf1, List.of("ks")));
        Ring rf4 = new Ring(r.nodes(), Map.of("ks", simple(4)), r.hostAddress(), "t");
        assertEquals(4, RollingBatches.topology(hosts, rf4, List.of("ks")).size());
    }

    @Test
    void topology_hostNotInTheRing_isAnErrorNamingIt() {
        Ring r = ring(fourSingleTokens(), Map.of("ks", simple(2)));
        RingplanException e = assertThrows(RingplanException.class,
                () -> RollingBatches.topology(List.of("n1", "n9"), r, List.of("ks")));
        assertTrue(e.getMessage().startsWith("host n9 is not in the ring read from a test ring"), e.getMessage());
        assertTrue(e.getMessage().contains("10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4"), e.getMessage());
    }

    @Test
    void keyspaces_default_nonSystemPlusSystemAuth_askedMustExist() throws Exception {
        Map<String, Map<String, String>> ks = new LinkedHashMap<>();
        for (String k : List.of("system", "system_schema", "system_auth", "system_distributed", "system_traces", "ringplan", "shop",
                "demo")) {
            ks.put(k, simple(1));
        }
        Ring r = ring(fourSingleTokens(), ks);
        assertEquals(List.of("demo", "shop", "system_auth"), RollingBatches.keyspaces(r, List.of()));
        assertEquals(List.of("system_distributed"), RollingBatches.keyspaces(r, List.of("system_distributed")));
        RingplanException e = assertThrows(RingplanException.class, () -> RollingBatches.keyspaces(r, List.of("nope")));
        assertTrue(e.getMessage().contains("no keyspace 'nope'"), e.getMessage());
    }

    @Test
    void byPlace_rackAndDc_groupsInFirstHostOrder_sameRackNameInTwoDcsIsTwoRacks() throws Exception {
        Ring r = ring(List.of(node(1, "dc1", "r1", 0), node(2, "dc2", "r1", 100), node(3, "dc1", "r2", 200),
                node(4, "dc1", "r1", 300)), Map.of());
        List<String> hosts = List.of("n1", "n2", "n3", "n4");
        assertEquals(List.of(List.of("n1", "n4"), List.of("n2"), List.of("n3")),
                RollingBatches.byPlace(hosts, r, Map.of(), true));
        assertEquals(List.of(List.of("n1", "n3", "n4"), List.of("n2")), RollingBatches.byPlace(hosts, r, Map.of(), false));
    }

    @Test
    void byPlace_inventoryDatacenterContradictsTheRing_isAnError() {
        Ring r = ring(fourSingleTokens(), Map.of());
        RingplanException e = assertThrows(RingplanException.class, () -> RollingBatches.byPlace(List.of("n2"), r,
                Map.of("n2", Map.of("datacenter", "dc9")), false));
        assertTrue(e.getMessage().contains("host n2: the inventory says datacenter 'dc9', the ring read from a test ring"
                + " says 'dc1'"), e.getMessage());
    }

    @Test
    void downNodes_namesAddressHostAndPlace() {
        List<RingNode> nodes = new ArrayList<>(fourSingleTokens());
        RingNode n3 = nodes.get(2);
        nodes.set(2, new RingNode(n3.address(), n3.rpcAddress(), "dc1", "r1", false, n3.tokens()));
        assertEquals(List.of("10.0.0.3 (n3) in dc1/r1"), RollingBatches.downNodes(ring(nodes, Map.of())));
        assertFalse(RollingBatches.downNodes(ring(fourSingleTokens(), Map.of())).iterator().hasNext());
    }

    @Test
    void bySize_lastBatchShorter_zeroIsOneBatch() {
        assertEquals(List.of(List.of("a", "b"), List.of("c")), RollingBatches.bySize(List.of("a", "b", "c"), 2));
        assertEquals(List.of(List.of("a", "b", "c")), RollingBatches.bySize(List.of("a", "b", "c"), null));
    }
}
