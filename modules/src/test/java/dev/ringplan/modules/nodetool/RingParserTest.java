package dev.ringplan.modules.nodetool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RingParserTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "cassandra-5.0.7__ring.txt,1,32,2,-8931506599953192644,8598971318786632289",
        "datastax-labs-Montecristo__ring-1dc-singlenode-vnodes.txt,1,128,1,-9198952872782734770,9158348418547117170",
        "datastax-labs-Montecristo__ring-1dc-vnodes.txt,1,32,4,-8147499604599799463,9094156319939373708",
        "datastax-labs-Montecristo__ring-fqdn-racks-missing-status-col.txt,1,1792,7,-9208227753398822647,9213033672315829864",
        "datastax-labs-Montecristo__ring-multidc-vnodes.txt,4,2072,19,-9201113874763842887,8771493070214529336",
        "datastax-labs-Montecristo__ring-randompartitioner-2dc.txt,2,12,12,0,141784319550391026443072753096570088105",
        "datastax-labs-Montecristo__ring-trailing-spaces.txt,2,1536,6,-9219867446818796469,9215379575935564501",
        "spotify-cstar__nodetool_ring-2.0.txt,1,3,3,-9223372036854775808,3074457345618258602",
        "spotify-cstar__nodetool_ring-2.2.txt,3,9,9,-9223372036854775806,3074457345618258606",
        "spotify-cstar__nodetool_ring-3.0.txt,1,3,3,-9223372036854775808,3074457345618258602",
        "spotify-cstar__nodetool_ring-3.11.txt,1,3,3,-9223372036854775808,3074457345618258602",
        "spotify-cstar__ring-vnodes-racks.txt,1,1536,6,-9220405148763025228,9160353659556275854",
        "spotify-cstar__ring_state_changes.txt,3,9,9,-9223372036854775806,3074457345618258606",
        "spotify-cstar__ring_vnodes.txt,1,1536,6,-9216215100174709479,9223137214867942609"})
    void parse_everyFixture(String file, int dcs, int entries, int addresses, String first, String last) throws Exception {
        NodetoolRing r = RingParser.parse(Fixtures.read(file));
        assertEquals(dcs, r.datacenters().size());
        assertEquals(entries, r.entries().size());
        assertEquals(addresses, r.tokensByAddress().size());
        assertEquals(first, r.entries().get(0).token());
        assertEquals(last, r.entries().get(entries - 1).token());
        int total = r.tokensByAddress().values().stream().mapToInt(List::size).sum();
        assertEquals(entries, total);
    }

    @Test
    void parse_cassandra507_tokensPerAddress() throws Exception {
        NodetoolRing r = RingParser.parse(Fixtures.read("cassandra-5.0.7__ring.txt"));
        List<String> t1 = r.tokensOf("127.0.0.1");
        assertEquals(16, t1.size());
        assertEquals("-8931506599953192644", t1.get(0));
        assertEquals("7736603172932771843", t1.get(15));
        assertEquals(16, r.tokensOf("127.0.0.2").size());
        assertEquals(List.of(), r.tokensOf("10.9.9.9"));
        RingEntry e = r.entries().get(0);
        assertEquals(NodeStatus.UP, e.status());
        assertEquals(NodeState.NORMAL, e.state());
        assertEquals(Math.round(119.84 * 1024), e.loadBytes());
        assertEquals(100.0, e.owns());
        assertEquals("rack1", e.rack());
    }

    @Test
    void parse_randomPartitionerTokensExceedLong() throws Exception {
        NodetoolRing r = RingParser.parse(Fixtures.read("datastax-labs-Montecristo__ring-randompartitioner-2dc.txt"));
        assertEquals(List.of("DC1", "DC2"), r.datacenters());
        String big = r.tokensOf("22.102.6.88").get(0);
        assertEquals("141784319550391026443072753096570088005", big);
        assertTrue(new BigInteger(big).compareTo(BigInteger.valueOf(Long.MAX_VALUE)) > 0);
        assertNull(r.entries().get(0).owns());
        assertEquals(Math.round(10.51 * (1L << 40)), r.entries().get(0).loadBytes());
    }

    @Test
    void parse_missingStatusColumnWithFqdnRacks() throws Exception {
        NodetoolRing r = RingParser.parse(Fixtures.read("datastax-labs-Montecristo__ring-fqdn-racks-missing-status-col.txt"));
        RingEntry e = r.entries().get(0);
        assertEquals("1.22.4.157", e.address());
        assertEquals("rack22.somedomain.com", e.rack());
        assertNull(e.status());
        assertEquals(NodeState.NORMAL, e.state());
        assertEquals(Math.round(12.13 * (1L << 40)), e.loadBytes());
        assertNull(e.owns());
        assertEquals(256, r.tokensOf("1.22.4.157").size());
    }

    @Test
    void parse_decimalCommas() throws Exception {
        NodetoolRing r = RingParser.parse(Fixtures.read("spotify-cstar__nodetool_ring-2.0.txt"));
        RingEntry e = r.entries().get(0);
        assertEquals(Math.round(14.93 * (1L << 20)), e.loadBytes());
        assertEquals(33.33, e.owns());
        assertEquals(NodeStatus.DOWN, r.entries().get(2).status());
        RingEntry v = RingParser.parse(Fixtures.read("spotify-cstar__ring-vnodes-racks.txt")).entries().get(0);
        assertEquals(Math.round(291.65 * 1024), v.loadBytes());
        assertEquals(50.28, v.owns());
    }

    @Test
    void parse_stateChangesAndDownNodes() throws Exception {
        NodetoolRing r = RingParser.parse(Fixtures.read("spotify-cstar__ring_state_changes.txt"));
        assertEquals(List.of("dc1", "dc2", "dc3"), r.datacenters());
        assertEquals(NodeState.JOINING, r.entries().get(0).state());
        assertEquals(NodeState.MOVING, r.entries().get(1).state());
        assertEquals(NodeState.LEAVING, r.entries().get(2).state());
        RingEntry down = r.entries().get(8);
        assertEquals("1.146.20.131", down.address());
        assertEquals(NodeStatus.DOWN, down.status());
        assertEquals("dc3", down.datacenter());
    }

    @Test
    void parse_multiDc_datacenterNames() throws Exception {
        NodetoolRing r = RingParser.parse(Fixtures.read("datastax-labs-Montecristo__ring-multidc-vnodes.txt"));
        assertEquals(List.of("first_dc", "second_dc", "third_dc", "last_dc"), r.datacenters());
        assertEquals(Math.round(342.9 * (1L << 30)), r.entries().get(0).loadBytes());
    }

    @Test
    void parse_ipv6AndUnknownLoad() throws Exception {
        String out = String.join("\n", "",
                "Datacenter: dc1",
                "==========",
                "Address        Rack        Status State   Load            Owns                Token",
                "                                                          100",
                "2001:db8::1    r1          Up     Normal  1,5 GiB         50,00%              -100",
                "2001:db8::2    r1          ?      Joining ?               ?                   100",
                "");
        NodetoolRing r = RingParser.parse(out);
        assertEquals(List.of("-100"), r.tokensOf("2001:db8::1"));
        RingEntry e = r.entries().get(1);
        assertEquals(NodeStatus.UNKNOWN, e.status());
        assertNull(e.loadBytes());
        assertNull(e.owns());
        assertEquals(1610612736L, r.entries().get(0).loadBytes());
    }

    @Test
    void toMap_tokensByAddressAndNodes() throws Exception {
        Map<String, Object> m = RingParser.parse(Fixtures.read("spotify-cstar__nodetool_ring-3.11.txt")).toMap();
        @SuppressWarnings("unchecked")
        Map<String, List<String>> by = (Map<String, List<String>>) m.get("tokens_by_address");
        assertEquals(List.of("-9223372036854775808"), by.get("127.0.0.1"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) m.get("nodes");
        assertEquals(3, nodes.size());
        assertEquals("down", nodes.get(2).get("status"));
        assertEquals(List.of("3074457345618258602"), nodes.get(2).get("tokens"));
    }

    @Test
    void parse_badOwns_namesLine() {
        String out = "Datacenter: dc1\nAddress Rack Status State Load Owns Token\n10.0.0.1 r1 Up Normal 1 KB 12 -5\n";
        NodetoolParseException e = assertThrows(NodetoolParseException.class, () -> RingParser.parse(out));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }
}
