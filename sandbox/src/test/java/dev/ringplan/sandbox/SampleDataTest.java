package dev.ringplan.sandbox;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleDataTest {

    @Test
    void schema_defaultDatacenter_simpleStrategy() {
        List<String> cql = SampleData.schema(3, "datacenter1");
        assertEquals("CREATE KEYSPACE IF NOT EXISTS ringplan_demo WITH replication = {'class': 'SimpleStrategy',"
                + " 'replication_factor': 2}", cql.get(0));
        assertTrue(SampleData.schema(1, "datacenter1").get(1).endsWith("'replication_factor': 1}"));
    }

    @Test
    void schema_namedDatacenter_networkTopologyStrategyOfThatDatacenterOnly() {
        List<String> cql = SampleData.schema(2, "dc1");
        assertEquals("CREATE KEYSPACE IF NOT EXISTS ringplan_demo WITH replication = {'class':"
                + " 'NetworkTopologyStrategy', 'dc1': 2}", cql.get(0));
        assertEquals("CREATE KEYSPACE IF NOT EXISTS ringplan_shop WITH replication = {'class':"
                + " 'NetworkTopologyStrategy', 'dc1': 2}", cql.get(1));
        assertEquals(6, cql.size());
    }
}
