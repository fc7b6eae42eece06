package dev.ringplan.modules.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyspaceSettingsTest {
    private static final Replication SIMPLE = Replication.fromSchema(Map.of("class",
            "org.apache.cassandra.locator.SimpleStrategy", "replication_factor", "1"));
    private static final Replication TWO_DCS = Replication.fromSchema(Map.of("class", "NetworkTopologyStrategy",
            "old", "3", "new", "3"));

    @Test
    void statementFrom_replicationDiffers_alterWithTheWholeMap() {
        KeyspaceSettings now = new KeyspaceSettings(SIMPLE, true);
        KeyspaceSettings want = KeyspaceSettings.target(now, TWO_DCS, null);
        assertEquals("ALTER KEYSPACE \"shop\" WITH replication = {'class': 'NetworkTopologyStrategy', 'new': 3,"
                + " 'old': 3}", want.statementFrom(now, "shop"));
    }

    @Test
    void statementFrom_onlyDurableWritesDiffers_alterOnlyThat() {
        KeyspaceSettings now = new KeyspaceSettings(SIMPLE, true);
        KeyspaceSettings want = KeyspaceSettings.target(now, null, false);
        assertEquals("ALTER KEYSPACE \"Shop\" WITH durable_writes = false", want.statementFrom(now, "Shop"));
    }

    @Test
    void statementFrom_equal_null() {
        KeyspaceSettings now = new KeyspaceSettings(TWO_DCS, true);
        assertNull(KeyspaceSettings.target(now, TWO_DCS, true).statementFrom(now, "ks"));
        assertNull(KeyspaceSettings.diff("ks", now, now));
    }

    @Test
    void statementFrom_absent_create() {
        KeyspaceSettings want = KeyspaceSettings.target(null, SIMPLE, null);
        assertEquals("CREATE KEYSPACE \"ks\" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
                want.statementFrom(null, "ks"));
        assertEquals("CREATE KEYSPACE \"ks\" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"
                + " AND durable_writes = false", KeyspaceSettings.target(null, SIMPLE, false).statementFrom(null, "ks"));
        assertThrows(IllegalArgumentException.class, () -> KeyspaceSettings.target(null, null, true));
    }

    @Test
    void diff_dropOldDatacenter_showsTheRemovedLine() {
        Replication newOnly = Replication.fromSchema(Map.of("class", "NetworkTopologyStrategy", "new", "3"));
        String d = KeyspaceSettings.diff("shop", new KeyspaceSettings(TWO_DCS, true),
                new KeyspaceSettings(newOnly, true));
        assertEquals("""
                --- keyspace shop (before)
                +++ keyspace shop (after)
                @@ -1,5 +1,4 @@
                 replication:
                   class: NetworkTopologyStrategy
                   new: 3
                -  old: 3
                 durable_writes: true
                """, d);
    }

    @Test
    void diff_absentKeyspace_everyLineAdded() {
        String d = KeyspaceSettings.diff("ks", null, new KeyspaceSettings(SIMPLE, true));
        assertEquals("""
                --- keyspace ks (absent)
                +++ keyspace ks (after)
                @@ -1,0 +1,4 @@
                +replication:
                +  class: SimpleStrategy
                +  replication_factor: 1
                +durable_writes: true
                """, d);
    }

    @Test
    void toData_nested() {
        assertEquals(Map.of("replication", Map.of("class", "SimpleStrategy", "replication_factor", 1L),
                "durable_writes", true), new KeyspaceSettings(SIMPLE, true).toData());
    }
}
