package dev.ringplan.modules.nodetool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link NetstatsParser} on outputs recorded on Cassandra 5.0.7 (and one summary line in the 3.x form). */
class NetstatsParserTest {
    private static final String PLAN = "e93d7670-ee5b-11f1-a796-c7d324b9e371";

    @ParameterizedTest(name = "{0}")
    @CsvSource({"idle, NORMAL", "joining, JOINING", "leaving, LEAVING", "decommissioned, DECOMMISSIONED"})
    void parse_modes_noStreams(String fixture, String mode) throws Exception {
        NetStats n = NetstatsParser.parse(Fixtures.read("cassandra-5.0.7__netstats-" + fixture + ".txt"));
        assertEquals(mode, n.mode());
        assertEquals(List.of(), n.plans());
        assertEquals(List.of(), n.streams());
        assertEquals(false, n.toMap().get("streaming"));
    }

    @Test
    void parse_rebuildReceiving_planPeerAndSummary() throws Exception {
        NetStats n = NetstatsParser.parse(Fixtures.read("cassandra-5.0.7__netstats-rebuild-receiving.txt"));
        assertEquals("NORMAL", n.mode());
        assertEquals(List.of(new NetStats.Plan("Rebuild", PLAN, List.of("127.0.60.1"))), n.plans());
        assertEquals(true, n.streaming());
        assertEquals(List.of(new NetStats.Stream("Rebuild", PLAN, "127.0.60.1", "receiving", 7, 4, 47586905, 78252)),
                n.streams());
    }

    @Test
    void parse_rebuildSending_peerWithUsingAddress() throws Exception {
        NetStats n = NetstatsParser.parse(Fixtures.read("cassandra-5.0.7__netstats-rebuild-sending.txt"));
        assertEquals(List.of(new NetStats.Stream("Rebuild", PLAN, "127.0.60.2", "sending", 7, 4, 47586905, 78252)),
                n.streams());
        Map<String, Object> m = n.toMap();
        assertEquals(true, m.get("streaming"));
        assertEquals(List.of(Map.of("operation", "Rebuild", "plan_id", PLAN, "peers", List.of("127.0.60.2"))),
                m.get("stream_plans"));
        @SuppressWarnings("unchecked")
        Map<String, Object> s = ((List<Map<String, Object>>) m.get("streams")).get(0);
        assertEquals(47586905L, s.get("bytes_total"));
        assertEquals("sending", s.get("direction"));
    }

    @Test
    void parse_humanReadable_sizesInBytes() throws Exception {
        NetStats n = NetstatsParser.parse(Fixtures.read("cassandra-5.0.7__netstats-rebuild-receiving-human-readable.txt"));
        NetStats.Stream s = n.streams().get(0);
        assertEquals(Math.round(45.38 * 1024 * 1024), s.bytesTotal());
        assertEquals(Math.round(76.42 * 1024), s.bytesDone());
        assertEquals(4, s.filesDone());
    }

    @Test
    void parse_restoreReplicaCount_planWithoutSessions_notStreaming() throws Exception {
        NetStats n = NetstatsParser.parse(Fixtures.read("cassandra-5.0.7__netstats-restore-replica-count.txt"));
        assertEquals(List.of(new NetStats.Plan("Restore replica count", "74019a20-ee5c-11f1-9064-29748bf36336",
                List.of())), n.plans());
        assertEquals(List.of(), n.streams());
        assertEquals(false, n.toMap().get("streaming"), "a plan without sessions streams nothing (5.0.7 still lists"
                + " it 20 minutes after the removenode finished)");
    }

    @Test
    void parse_summaryWithoutPercentages_as3x() throws Exception {
        NetStats n = NetstatsParser.parse("""
                Mode: LEAVING
                Unbootstrap 0b0d7f60-1c3a-11e6-8b2c-3f1e2d4c5b6a
                    /10.0.0.2
                        Sending 12 files, 1048576 bytes total. Already sent 3 files, 4096 bytes total
                Read Repair Statistics:
                Attempted: 0
                """);
        assertEquals(List.of(new NetStats.Stream("Unbootstrap", "0b0d7f60-1c3a-11e6-8b2c-3f1e2d4c5b6a", "10.0.0.2",
                "sending", 12, 3, 1048576, 4096)), n.streams());
    }

    @Test
    void parse_noModeLine_fails() {
        NodetoolParseException e = assertThrows(NodetoolParseException.class, () -> NetstatsParser.parse("\n"));
        assertEquals("nodetool netstats output has no 'Mode:' line: (empty output)", e.getMessage());
    }
}
