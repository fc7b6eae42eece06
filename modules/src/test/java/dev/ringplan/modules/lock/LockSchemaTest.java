package dev.ringplan.modules.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LockSchemaTest {
    @Test
    void createKeyspace_minOfThreeAndNodesPerDatacenter_sortedByName() {
        Map<String, Integer> nodes = new LinkedHashMap<>();
        nodes.put("dc2", 5);
        nodes.put("dc1", 2);
        assertEquals("CREATE KEYSPACE IF NOT EXISTS ringplan WITH replication = {'class': 'NetworkTopologyStrategy',"
                + " 'dc1': 2, 'dc2': 3}", LockSchema.createKeyspace(nodes));
    }

    @Test
    void createKeyspace_noDatacenterKnown_simpleStrategy() {
        assertEquals("{'class': 'SimpleStrategy', 'replication_factor': 1}", LockSchema.replication(Map.of()));
        assertEquals("{'class': 'SimpleStrategy', 'replication_factor': 3}", LockSchema.replication(Map.of(" ", 4)));
    }

    @Test
    void createKeyspace_datacenterNameQuoted() {
        assertEquals("{'class': 'NetworkTopologyStrategy', 'it''s': 1}", LockSchema.replication(Map.of("it's", 1)));
    }

    @Test
    void needsRealign_onlyWhenADatacenterIsGone() {
        Map<String, String> oldOnly = Map.of("class", "org.apache.cassandra.locator.NetworkTopologyStrategy", "old", "2");
        assertTrue(LockSchema.needsRealign(oldOnly, Set.of("new")), "after a datacenter migration");
        assertFalse(LockSchema.needsRealign(oldOnly, Set.of("old", "new")), "a datacenter added: left as it is");
        assertTrue(LockSchema.needsRealign(Map.of("class", "NetworkTopologyStrategy", "old", "2", "new", "2"),
                Set.of("new")), "one of two datacenters gone");
        assertFalse(LockSchema.needsRealign(oldOnly, Set.of("old")));
        assertFalse(LockSchema.needsRealign(Map.of("class", "org.apache.cassandra.locator.SimpleStrategy",
                "replication_factor", "1"), Set.of("dc1")), "other strategies are left alone");
        assertFalse(LockSchema.needsRealign(null, Set.of("dc1")));
        assertFalse(LockSchema.needsRealign(oldOnly, Set.of()), "no datacenter known: nothing to compare with");
    }

    @Test
    void statements_conditionalAndWithTtl() {
        assertEquals("INSERT INTO ringplan.locks (cluster, run_id, controller, os_user, pid, process, started, taken_at,"
                + " plan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS USING TTL 300", LockSchema.insert(300));
        assertTrue(LockSchema.update(300).startsWith("UPDATE ringplan.locks USING TTL 300 SET run_id = ?"));
        assertTrue(LockSchema.update(300).endsWith("WHERE cluster = ? IF run_id = ? AND process = ?"));
        assertEquals("DELETE FROM ringplan.locks WHERE cluster = ? IF run_id = ?", LockSchema.deleteRun());
        assertTrue(LockSchema.createTable().contains("WITH ID = " + LockSchema.TABLE_ID), LockSchema.createTable());
    }
}
