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

class StatusParserTest {

    @Test
    void parse_cassandra507TwoNodes() throws Exception {
        NodetoolStatus s = StatusParser.parse(Fixtures.read("cassandra-5.0.7__status.txt"));
        assertEquals(List.of("datacenter1"), s.datacenters());
        assertEquals(2, s.nodes().size());
        StatusNode n = s.nodes().get(0);
        assertEquals("127.0.0.2", n.address());
        assertEquals("UN", n.code());
        assertTrue(n.isUpNormal());
        assertEquals(Math.round(30.89 * 1024), n.loadBytes());
        assertEquals(16, n.tokenCount());
        assertEquals(100.0, n.owns());
        assertEquals("add0c91d-06bb-4bc2-94ff-5124926da7b3", n.hostId());
        assertEquals("rack1", n.rack());
        assertEquals("datacenter1", n.datacenter());
        assertEquals(Math.round(119.84 * 1024), s.node("127.0.0.1").orElseThrow().loadBytes());
    }

    @Test
    void parse_dataDogMultiDcVnodesWithDownNode() throws Exception {
        NodetoolStatus s = StatusParser.parse(Fixtures.read("DataDog-integrations-core__status-multidc-vnodes.txt"));
        assertEquals(List.of("dc1", "dc2"), s.datacenters());
        assertEquals(5, s.nodes().size());
        assertEquals(3, s.nodesIn("dc1").size());
        StatusNode down = s.nodes().get(0);
        assertEquals(NodeStatus.DOWN, down.status());
        assertEquals("DN", down.code());
        assertEquals(Math.round(178.43 * 1024), down.loadBytes());
        assertEquals(35.4, down.owns());
        assertEquals(256, down.tokenCount());
        StatusNode last = s.nodes().get(4);
        assertEquals("172.21.0.4", last.address());
        assertEquals("dc2", last.datacenter());
        assertEquals("RAC1", last.rack());
    }

    @Test
    void parse_dataDogTokenPerNode12Layout() throws Exception {
        NodetoolStatus s = StatusParser.parse(Fixtures.read("DataDog-integrations-core__status-multidc-1.2-single-token.txt"));
        assertEquals(List.of("dc1", "dc2"), s.datacenters());
        assertEquals(5, s.nodes().size());
        StatusNode n = s.nodes().get(2);
        assertEquals("172.21.0.2", n.address());
        assertNull(n.tokenCount());
        assertEquals("-432345564227567616", n.token());
        assertEquals("fa859fcc-5e76-44ce-9609-1f314bdf21c1", n.hostId());
        assertEquals("RAC1", n.rack());
        assertEquals(33.5, n.owns());
    }

    @ParameterizedTest
    @CsvSource({"datastax-labs-Montecristo__status-1dc-16-vnodes.txt,16",
        "datastax-labs-Montecristo__status-1dc-64-vnodes.txt,64",
        "datastax-labs-Montecristo__status-1dc-256-vnodes.txt,256"})
    void parse_montecristoUnknownOwns(String file, int tokens) throws Exception {
        NodetoolStatus s = StatusParser.parse(Fixtures.read(file));
        assertEquals(List.of("ld6"), s.datacenters());
        assertEquals(5, s.nodes().size());
        for (StatusNode n : s.nodes()) {
            assertNull(n.owns());
            assertEquals(tokens, n.tokenCount());
        }
        assertEquals(Math.round(10.5 * (1L << 40)), s.nodes().get(4).loadBytes());
        assertEquals("23", s.nodes().get(4).rack());
    }

    @Test
    void parse_unitsFromKbToPb() throws Exception {
        NodetoolStatus s = StatusParser.parse(Fixtures.read("datastax-labs-Montecristo__status-units-KB-MB-GB-TB-PB.txt"));
        assertEquals("DC1", s.datacenters().get(0));
        List<StatusNode> n = s.nodes();
        assertEquals(Math.round(7.59 * (1L << 40)), n.get(0).loadBytes());
        assertEquals(Math.round(8.46 * (1L << 30)), n.get(1).loadBytes());
        assertEquals(Math.round(7.08 * (1L << 20)), n.get(2).loadBytes());
        assertEquals(Math.round(7.42 * 1024), n.get(3).loadBytes());
        assertEquals(Math.round(10.5 * (1L << 50)), n.get(4).loadBytes());
    }

    @Test
    void parse_multiDcMixedVnodes() throws Exception {
        NodetoolStatus s = StatusParser.parse(
                Fixtures.read("datastax-labs-Montecristo__status-multidc-mixed-vnodes-owns-unknown.txt"));
        assertEquals(List.of("dcA", "dcB"), s.datacenters());
        assertEquals(10, s.nodes().size());
        assertEquals(1, s.nodesIn("dcA").get(0).tokenCount());
        assertEquals(256, s.nodesIn("dcB").get(0).tokenCount());
        assertEquals(Math.round(106.61 * (1L << 30)), s.node("10.0.0.3").orElseThrow().loadBytes());
        assertTrue(s.nodes().stream().allMatch(n -> n.owns() == null));
    }

    @Test
    void parse_cstar22ThreeDatacenters() throws Exception {
        NodetoolStatus s = StatusParser.parse(Fixtures.read("spotify-cstar__status-2.2.txt"));
        assertEquals(List.of("dc1", "dc2", "dc3"), s.datacenters());
        assertEquals(9, s.nodes().size());
        assertEquals(NodeStatus.DOWN, s.node("11.111.111.115").orElseThrow().status());
        assertEquals(520L * (1L << 20), s.node("11.111.111.119").orElseThrow().loadBytes());
        assertEquals("rac2", s.node("11.111.111.112").orElseThrow().rack());
    }

    @Test
    void parse_ipv6UnknownLoadJoiningAndDecimalComma() throws Exception {
        String out = String.join("\n",
                "Datacenter: dc-east",
                "===================",
                "Status=Up/Down",
                "|/ State=Normal/Leaving/Joining/Moving",
                "--  Address                  Load       Tokens  Owns (effective)  Host ID                               Rack",
                "UN  2001:db8::1              1,5 GB     16      66,7%             11111111-1111-1111-1111-111111111111  r1",
                "UJ  2001:db8::2              ?          16      ?                 22222222-2222-2222-2222-222222222222  r1",
                "?N  node3.example.com        512 bytes  16      33.3%             33333333-3333-3333-3333-333333333333  r2",
                "");
        NodetoolStatus s = StatusParser.parse(out);
        StatusNode a = s.node("2001:db8::1").orElseThrow();
        assertEquals(1610612736L, a.loadBytes());
        assertEquals(66.7, a.owns());
        StatusNode b = s.node("2001:db8::2").orElseThrow();
        assertNull(b.loadBytes());
        assertNull(b.owns());
        assertEquals(NodeState.JOINING, b.state());
        assertFalse(b.isUpNormal());
        StatusNode c = s.node("node3.example.com").orElseThrow();
        assertEquals(NodeStatus.UNKNOWN, c.status());
        assertEquals(512L, c.loadBytes());
    }

    @Test
    void toMap_hasPlainValues() throws Exception {
        Map<String, Object> m = StatusParser.parse(Fixtures.read("cassandra-5.0.7__status.txt")).toMap();
        assertEquals(List.of("datacenter1"), m.get("datacenters"));
        @SuppressWarnings("unchecked")
        Map<String, Object> n = ((List<Map<String, Object>>) m.get("nodes")).get(0);
        assertEquals("up", n.get("status"));
        assertEquals("normal", n.get("state"));
        assertEquals(16L, n.get("tokens"));
        assertEquals(31631L, n.get("load_bytes"));
    }

    @Test
    void parse_garbage_throwsWithFirstLine() {
        NodetoolParseException e = assertThrows(NodetoolParseException.class,
                () -> StatusParser.parse("nodetool: Failed to connect to '127.0.0.1:7199'\n"));
        assertTrue(e.getMessage().contains("Failed to connect"), e.getMessage());
    }

    @Test
    void parse_badLoad_namesLine() {
        String out = "Datacenter: dc1\n--  Address  Load  Tokens  Owns  Host ID  Rack\nUN  10.0.0.1  12 XB  16  ?  id  r1\n";
        NodetoolParseException e = assertThrows(NodetoolParseException.class, () -> StatusParser.parse(out));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }
}
