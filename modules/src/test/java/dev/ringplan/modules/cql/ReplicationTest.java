package dev.ringplan.modules.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The schema rows used here are what {@code SELECT replication FROM system_schema.keyspaces}
 * returned on a Cassandra 5.0.7 sandbox node (java-driver-core 4.19.0, {@code map<text, text>}).
 */
class ReplicationTest {
    private static final Map<String, String> SIMPLE_ROW = Map.of("class",
            "org.apache.cassandra.locator.SimpleStrategy", "replication_factor", "1");
    private static final Map<String, String> NTS_ROW = Map.of("class",
            "org.apache.cassandra.locator.NetworkTopologyStrategy", "datacenter1", "1");

    private static Map<String, Object> m(Object... kv) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put((String) kv[i], kv[i + 1]);
        }
        return out;
    }

    @Test
    void desired_shortAndFullClassNames_equalTheSchemaRow() throws Exception {
        Replication fromRow = Replication.fromSchema(NTS_ROW);
        assertEquals(fromRow, Replication.desired(m("class", "NetworkTopologyStrategy", "datacenter1", 1)));
        assertEquals(fromRow, Replication.desired(m("class", "org.apache.cassandra.locator.NetworkTopologyStrategy",
                "datacenter1", "1")));
        assertEquals(Replication.fromSchema(SIMPLE_ROW), Replication.desired(m("class", "SimpleStrategy",
                "replication_factor", 1L)));
    }

    @Test
    void desired_factorsCompareAsNumbers_zeroDatacenterIsAbsent() throws Exception {
        Replication a = Replication.desired(m("class", "NetworkTopologyStrategy", "dc1", "03", "dc2", 0));
        assertEquals(Replication.desired(m("class", "NetworkTopologyStrategy", "dc1", 3)), a);
        assertEquals(Map.of("dc1", "3"), a.options());
    }

    @Test
    void desired_differentFactorOrDatacenter_differ() throws Exception {
        Replication a = Replication.desired(m("class", "NetworkTopologyStrategy", "dc1", 3, "dc2", 3));
        assertNotEquals(a, Replication.desired(m("class", "NetworkTopologyStrategy", "dc1", 3)));
        assertNotEquals(a, Replication.desired(m("class", "NetworkTopologyStrategy", "dc1", 3, "dc2", 2)));
        assertNotEquals(Replication.fromSchema(SIMPLE_ROW), Replication.fromSchema(NTS_ROW));
    }

    @Test
    void desired_transientFactor_kept() throws Exception {
        Replication r = Replication.desired(m("class", "NetworkTopologyStrategy", "dc1", "3/1"));
        assertEquals("{'class': 'NetworkTopologyStrategy', 'dc1': '3/1'}", r.toCql());
    }

    @Test
    void desired_refusals_sayWhy() {
        assertRefused(m("dc1", 3), "needs a 'class'");
        assertRefused(m("class", "LocalStrategy"), "not supported");
        assertRefused(m("class", "com.example.MyStrategy", "dc1", 3), "not supported");
        assertRefused(m("class", "SimpleStrategy"), "needs replication_factor");
        assertRefused(m("class", "SimpleStrategy", "replication_factor", 1, "dc1", 3), "takes only replication_factor");
        assertRefused(m("class", "NetworkTopologyStrategy", "replication_factor", 3), "a factor per datacenter");
        assertRefused(m("class", "NetworkTopologyStrategy"), "at least one datacenter");
        assertRefused(m("class", "NetworkTopologyStrategy", "dc1", 0), "at least one datacenter");
        assertRefused(m("class", "NetworkTopologyStrategy", "dc1", "three"), "whole number");
        assertRefused(m("class", "NetworkTopologyStrategy", "dc1", -1), "whole number");
        assertRefused(m("class", "NetworkTopologyStrategy", "dc1", List.of(3)), "got a collection");
        assertRefused(m("class", "NetworkTopologyStrategy", "dc'1", 3), "datacenter name");
    }

    private static void assertRefused(Map<String, Object> raw, String part) {
        ModuleException e = assertThrows(ModuleException.class, () -> Replication.desired(raw));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void toCql_shortClass_sortedDatacenters_numbersBare() throws Exception {
        Replication r = Replication.desired(m("class", "org.apache.cassandra.locator.NetworkTopologyStrategy",
                "dc2", 3, "dc1", 2, "us-east-1", 1));
        assertEquals("{'class': 'NetworkTopologyStrategy', 'dc1': 2, 'dc2': 3, 'us-east-1': 1}", r.toCql());
    }

    @Test
    void fromSchema_unknownClass_keptAsIs() {
        Replication r = Replication.fromSchema(Map.of("class", "org.apache.cassandra.locator.LocalStrategy"));
        assertEquals("LocalStrategy", r.shortStrategy());
        assertEquals(Map.of("class", "LocalStrategy"), r.toData());
        assertEquals("com.example.S", Replication.fromSchema(Map.of("class", "com.example.S")).shortStrategy());
    }

    @Test
    void toData_wholeFactorsAsNumbers() throws Exception {
        Replication r = Replication.desired(m("class", "NetworkTopologyStrategy", "dc1", 3, "dc2", "3/1"));
        assertEquals(Map.of("class", "NetworkTopologyStrategy", "dc1", 3L, "dc2", "3/1"), r.toData());
    }

    @Test
    void unknownDatacenters_onlyNetworkTopology_onlyThoseMissing() throws Exception {
        Replication r = Replication.desired(m("class", "NetworkTopologyStrategy", "old", 3, "new", 3));
        assertEquals(List.of("new"), CqlSessions.unknownDatacenters(r, java.util.Set.of("old")));
        assertEquals(List.of(), CqlSessions.unknownDatacenters(r, java.util.Set.of("old", "new")));
        assertEquals(List.of(), CqlSessions.unknownDatacenters(Replication.fromSchema(SIMPLE_ROW), java.util.Set.of()));
    }
}
