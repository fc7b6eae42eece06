package dev.ringplan.modules.nodetool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The small readers behind rebuild, decommission and setstreamthroughput, on outputs recorded on
 * Cassandra 5.0.7: getstreamthroughput, the rebuild refusal, describering's endpoint datacenters.
 */
class MigrationParsersTest {

    @Test
    void streamThroughput_everyRecordedForm() throws Exception {
        assertEquals(16.0, StreamThroughput.parse(Fixtures.read("cassandra-5.0.7__getstreamthroughput-mib.txt")));
        assertEquals(23.84185791015625,
                StreamThroughput.parse(Fixtures.read("cassandra-5.0.7__getstreamthroughput-mib-fraction.txt")));
        assertEquals(200.0, StreamThroughput.parse(Fixtures.read("cassandra-5.0.7__getstreamthroughput-megabits.txt")));
        assertEquals(0.0, StreamThroughput.parse(Fixtures.read("cassandra-5.0.7__getstreamthroughput-unlimited.txt")));
    }

    @Test
    void streamThroughput_noLine_fails() {
        NodetoolParseException e = assertThrows(NodetoolParseException.class, () -> StreamThroughput.parse("hello\n"));
        assertEquals("nodetool getstreamthroughput output has no 'Current stream throughput:' line: 'hello'",
                e.getMessage());
    }

    @Test
    void rebuildRefusal_rangesAndSelfAddress() throws Exception {
        RebuildRefusal r = RebuildRefusal.parse(Fixtures.read("cassandra-5.0.7__rebuild-refused-already-streamed.txt"))
                .orElseThrow();
        assertEquals("127.0.60.2", r.selfAddress());
        assertEquals(32, r.fullyAvailable().size());
        assertTrue(r.fullyAvailable().contains("-9029153107552703937,-8898726331591242553"), r.fullyAvailable()
                .toString());
    }

    @Test
    void rebuildRefusal_coversEveryRangeOfTheRebuiltNode() throws Exception {
        // recorded together: the refusal and describering of the same keyspace on the same node
        RebuildRefusal r = RebuildRefusal.parse(Fixtures.read("cassandra-5.0.7__rebuild-refused-already-streamed.txt"))
                .orElseThrow();
        Set<String> local = new LinkedHashSet<>();
        for (TokenRange t : DescribeRingParser.parse(Fixtures.read("cassandra-5.0.7__describering-rebuilt-node.txt"))) {
            if (t.endpoints().contains(r.selfAddress())) {
                local.add(t.startToken() + "," + t.endToken());
            }
        }
        assertEquals(32, local.size());
        assertEquals(local, r.fullyAvailable());
    }

    @Test
    void rebuildRefusal_otherErrors_empty() {
        assertEquals(Optional.empty(), RebuildRefusal.parse("nodetool: Provided datacenter 'nodc' is not a valid"
                + " datacenter, available datacenters are: datacenter1\n"));
        assertEquals(Optional.empty(), RebuildRefusal.parse(null));
    }

    @Test
    void describering_endpointDatacenters() throws Exception {
        Map<String, String> dcs = DescribeRingParser.endpointDatacenters(
                Fixtures.read("cassandra-5.0.7__describering-rebuilt-node.txt"));
        assertEquals(Map.of("127.0.60.2", "datacenter1", "127.0.60.1", "datacenter1"), dcs);
        assertEquals(List.of("127.0.60.2", "127.0.60.1"), List.copyOf(dcs.keySet()));
        assertEquals(Map.of(), DescribeRingParser.endpointDatacenters("TokenRange(start_token:1, end_token:2, "
                + "endpoints:[a])"));
    }

    @Test
    void info_decommissionedNode507() throws Exception {
        NodeInfo i = InfoParser.parse(Fixtures.read("cassandra-5.0.7__info-decommissioned.txt"));
        assertEquals("eb920c04-e29c-4cc1-a69a-ff69abb333d1", i.id());
        assertEquals(false, i.gossipActive());
        assertEquals("DECOMMISSIONED", i.fields().get("Bootstrap state"));
    }

    @Test
    void status_oneNodeDown507() throws Exception {
        NodetoolStatus s = StatusParser.parse(Fixtures.read("cassandra-5.0.7__status-one-down.txt"));
        StatusNode down = s.node("127.0.60.2").orElseThrow();
        assertEquals("DN", down.code());
        assertEquals("06bd4b04-5a02-4edc-966b-6543a3e1040c", down.hostId());
    }
}
