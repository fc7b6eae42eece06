package dev.ringplan.modules.nodetool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** describecluster, listsnapshots, info, describering and the value helpers. */
class OtherParsersTest {

    @Test
    void describecluster_cassandra507() throws Exception {
        ClusterDescription d = DescribeClusterParser.parse(Fixtures.read("cassandra-5.0.7__describecluster.txt"));
        assertEquals("feas", d.name());
        assertEquals("org.apache.cassandra.locator.SimpleSnitch", d.snitch());
        assertEquals("enabled", d.dynamicEndpointSnitch());
        assertEquals("org.apache.cassandra.dht.Murmur3Partitioner", d.partitioner());
        assertEquals(Map.of("d03783d7-b468-3c1a-82f1-8e30b2edde8b", List.of("127.0.0.1", "127.0.0.2")), d.schemaVersions());
        assertTrue(d.schemaAgreement());
        assertEquals(Map.of("nodes", 2L, "down", 0L), d.datacenters().get("datacenter1"));
        assertEquals(List.of("127.0.0.1:7000", "127.0.0.2:7000"), d.databaseVersions().get("5.0.7"));
        assertEquals("Replication class: SimpleStrategy {replication_factor=2}", d.keyspaces().get("system_traces"));
        assertEquals(5, d.keyspaces().size());
        assertEquals(Boolean.TRUE, d.toMap().get("schema_agreement"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "spotify-cstar__describecluster-2.0.txt,c2.0.13,08428c1c-086b-322c-ae61-988129270360,127.0.0.3",
        "spotify-cstar__describecluster-2.2.txt,fnorp,48fc7f6b-b59d-3ed8-bc63-6e09b575651a,3.4.5.6",
        "spotify-cstar__describecluster-3.0.txt,c3.0.13,48fc7f6b-b59d-3ed8-bc63-6e09b575651a,127.0.0.3",
        "spotify-cstar__describecluster-3.11.txt,c3111,d8210030-20a4-3f05-b2ef-ea154a6d8ef6,127.0.0.3",
        "spotify-cstar__describecluster-ipv6-3.11.txt,c3111,d8210030-20a4-3f05-b2ef-ea154a6d8ef6,127.0.0.3"})
    void describecluster_cstarVersions(String file, String name, String version, String lastEndpoint) throws Exception {
        ClusterDescription d = DescribeClusterParser.parse(Fixtures.read(file));
        assertEquals(name, d.name());
        assertEquals("org.apache.cassandra.locator.DynamicEndpointSnitch", d.snitch());
        assertNull(d.dynamicEndpointSnitch());
        List<String> eps = d.schemaVersions().get(version);
        assertEquals(3, eps.size());
        assertEquals(lastEndpoint, eps.get(2));
        assertTrue(d.datacenters().isEmpty());
    }

    @Test
    void describecluster_gpfs18Nodes() throws Exception {
        ClusterDescription d = DescribeClusterParser.parse(
                Fixtures.read("datastax-labs-Montecristo__describecluster-gpfs-18nodes.txt"));
        assertEquals("TestClusterName", d.name());
        assertEquals("org.apache.cassandra.locator.GossipingPropertyFileSnitch", d.snitch());
        assertEquals(18, d.schemaVersions().get("a865f80d-aac8-30c3-9519-74826adba113").size());
    }

    @Test
    void describecluster_schemaDisagreementWithIpv6() throws Exception {
        String out = "Cluster Information:\n\tName: c\n\tSnitch: s\n\tPartitioner: p\n\tSchema versions:\n"
                + "\t\taaaa-1: [2001:db8::1, 2001:db8::2]\n\t\tbbbb-2: [2001:db8::3]\n\t\tUNREACHABLE: [2001:db8::4]\n";
        ClusterDescription d = DescribeClusterParser.parse(out);
        assertEquals(List.of("2001:db8::1", "2001:db8::2"), d.schemaVersions().get("aaaa-1"));
        assertEquals(List.of("2001:db8::4"), d.schemaVersions().get("UNREACHABLE"));
        assertFalse(d.schemaAgreement());
    }

    @Test
    void describecluster_noName_throws() {
        assertThrows(NodetoolParseException.class, () -> DescribeClusterParser.parse("error: connection refused"));
    }

    @Test
    void listsnapshots_docsExample() throws Exception {
        SnapshotList l = ListSnapshotsParser.parse(Fixtures.read("apache-cassandra__listsnapshots-4.x-docs.txt"));
        assertEquals(9, l.entries().size());
        assertEquals(List.of("catalog-ks", "magazine", "multi-ks", "multi-table", "multi-table-2"), l.names());
        SnapshotEntry e = l.entries().get(3);
        assertEquals("multi-ks", e.name());
        assertEquals("catalogkeyspace", e.keyspace());
        assertEquals("journal", e.table());
        assertEquals(Math.round(4.9 * 1024), e.trueSizeBytes());
        assertEquals(Math.round(5.73 * 1024), e.sizeOnDiskBytes());
        assertNull(e.creationTime());
        assertEquals(Math.round(44.02 * 1024), l.totalTrueSizeBytes());
        assertEquals(2, l.byName("multi-ks").size());
    }

    @Test
    void listsnapshots_none() throws Exception {
        SnapshotList l = ListSnapshotsParser.parse("Snapshot Details: \nThere are no snapshots\n");
        assertTrue(l.entries().isEmpty());
        assertEquals(List.of(), l.toMap().get("names"));
    }

    @Test
    void listsnapshots_50ColumnsWithTimes() throws Exception {
        String out = String.join("\n",
                "Snapshot Details: ",
                "Snapshot name Keyspace name Column family name True size Size on disk Creation time            Expiration time         ",
                "nightly       ks1           t1                 0 bytes   5,7 KiB      2026-11-23T10:00:00.123Z                         ",
                "ttl1          ks1           t1                 1.5 MiB   1.5 MiB      2026-11-23T10:01:00.000Z 2026-11-24T10:01:00.000Z",
                "",
                "Total TrueDiskSpaceUsed: 1.5 MiB",
                "");
        SnapshotList l = ListSnapshotsParser.parse(out);
        assertEquals(2, l.entries().size());
        SnapshotEntry a = l.entries().get(0);
        assertEquals(0L, a.trueSizeBytes());
        assertEquals(Math.round(5.7 * 1024), a.sizeOnDiskBytes());
        assertEquals("2026-11-23T10:00:00.123Z", a.creationTime());
        assertNull(a.expirationTime());
        assertEquals("2026-11-24T10:01:00.000Z", l.entries().get(1).expirationTime());
    }

    @Test
    void listsnapshots_garbage_throws() {
        assertThrows(NodetoolParseException.class, () -> ListSnapshotsParser.parse("nodetool: command not found"));
    }

    @Test
    void info_3xSingleToken() throws Exception {
        NodeInfo i = InfoParser.parse(Fixtures.read("datastax-labs-Montecristo__info-3.x-single-token-diag.txt"));
        assertEquals("19427ed3-3637-46aa-a05c-e54f36bcdfdb", i.id());
        assertEquals(Boolean.TRUE, i.gossipActive());
        assertEquals(Boolean.TRUE, i.nativeTransportActive());
        assertEquals(Math.round(2.22 * (1L << 40)), i.loadBytes());
        assertEquals("datacenter1", i.datacenter());
        assertEquals("rack1", i.rack());
        assertEquals(1, i.tokenCount());
        assertEquals(3688807L, i.uptimeSeconds());
        assertEquals("137447753440135994638657972227406761775", i.fields().get("Token"));
        assertEquals("3889.52 / 9940.00", i.fields().get("Heap Memory (MB)"));
    }

    @Test
    void info_50Vnodes() throws Exception {
        String out = String.join("\n",
                "ID                     : c3468d5d-c5b9-4ff3-a31f-9ce30fa4c605",
                "Gossip active          : false",
                "Native Transport active: false",
                "Load                   : 119.84 KiB",
                "Uncompressed load      : 200.1 KiB",
                "Generation No          : 1763895001",
                "Uptime (seconds)       : 42",
                "Data Center            : datacenter1",
                "Rack                   : rack1",
                "Percent Repaired       : 0.0%",
                "Token                  : (invoke with -T/--tokens to see all 16 tokens)",
                "");
        NodeInfo i = InfoParser.parse(out);
        assertEquals(16, i.tokenCount());
        assertEquals(Boolean.FALSE, i.gossipActive());
        assertEquals(Math.round(119.84 * 1024), i.loadBytes());
        assertEquals(16L, i.toMap().get("token_count"));
    }

    @Test
    void info_notJoined_tokenCountNull() throws Exception {
        NodeInfo i = InfoParser.parse("ID : x\nToken                  : (node is not joined to the cluster)\n");
        assertNull(i.tokenCount());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "spotify-cstar__describering-2.0.txt,-9223372036854775808,127.0.0.2",
        "spotify-cstar__describering-2.2.txt,-9223372036854775808,1.2.3.4",
        "spotify-cstar__describering-3.0.txt,-9223372036854775807,127.0.0.2",
        "spotify-cstar__describering-3.11.txt,-9223372036854775806,127.0.0.2",
        "spotify-cstar__describering-ipv6-3.11.txt,-9223372036854775806,713c:85de:1dfa:b614:e219:1bde:28cf:d161"})
    void describering_fixtures(String file, String start, String firstEndpoint) throws Exception {
        List<TokenRange> r = DescribeRingParser.parse(Fixtures.read(file));
        assertEquals(3, r.size());
        assertEquals(start, r.get(0).startToken());
        assertEquals("-3074457345618258603", r.get(0).endToken());
        assertEquals(3, r.get(0).endpoints().size());
        assertEquals(firstEndpoint, r.get(0).endpoints().get(0));
    }

    @Test
    void snapshotOutput_docsExample_namesDirectory() {
        String out = Fixtures.read("apache-cassandra__snapshot-multi-ks-docs.txt");
        assertEquals("multi-ks", NodetoolRunner.snapshotDirectory(out));
    }

    @Test
    void values_sizesAndPercents() {
        assertEquals(1610612736L, NodetoolValues.parseSize("1,5 GB"));
        assertEquals(1610612736L, NodetoolValues.parseSize("1.5GiB"));
        assertEquals(100L, NodetoolValues.parseSize("100 bytes"));
        assertEquals(1L << 40, NodetoolValues.parseSize("1 TiB"));
        assertNull(NodetoolValues.parseSize("?"));
        assertEquals(33.33, NodetoolValues.parsePercent("33,33%"));
        assertNull(NodetoolValues.parsePercent("?"));
        assertThrows(NumberFormatException.class, () -> NodetoolValues.parseSize("12 XB"));
        assertThrows(NumberFormatException.class, () -> NodetoolValues.parsePercent("12"));
    }
}
