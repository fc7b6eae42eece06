package dev.ringplan.modules.nodetool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularData;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;
import org.junit.jupiter.api.Test;

/**
 * The JMX path's mapping gives the records the nodetool output parsers give: the StorageService
 * values below were read over JMX from a 2-node 5.0.7 sandbox at the moment the fixtures
 * {@code cassandra-5.0.7__*-jmx-pair.txt} were printed by nodetool.
 */
class JmxReadsTest {
    private static final String N1 = "127.0.30.1";
    private static final String N2 = "127.0.30.2";
    private static final String[] TOKENS = {
        "-8742074379353243614", N1, "-7415191188290258701", N1, "-7260457370543640125", N2,
        "-7230611183380111845", N2, "-5992450524856888358", N2, "-5653679575878972314", N1,
        "-5540363339086530959", N2, "-4888612388807591793", N2, "-4045318542235186025", N1,
        "-3687078887897499270", N2, "-3430233611430401843", N2, "-2224556188592070191", N1,
        "-1893102441330118230", N1, "-1843650667973519797", N2, "-962080433020696878", N2,
        "-499697213182372604", N1, "-206210199324997582", N1, "-118065349035858201", N2,
        "904377031506829810", N1, "1641502894036251968", N2, "2530619731428367082", N1,
        "3256501162628596006", N2, "3532482536141979451", N1, "4402749041124026789", N1,
        "5156645140153705171", N1, "5219636554431963487", N1, "5756840778494094197", N2,
        "5947177266756318376", N1, "7424681549955092819", N2, "8065811384958137696", N2,
        "8538641347404988380", N2, "8845173895623255564", N1};

    private static JmxReads sandbox(Map<String, Float> owns) {
        Map<String, String> tokens = new LinkedHashMap<>();
        for (int i = 0; i < TOKENS.length; i += 2) {
            tokens.put(TOKENS[i], TOKENS[i + 1]);
        }
        return new JmxReads(tokens, List.of(N1, N2), List.of(), List.of(), List.of(), List.of(),
                Map.of(N1, "599.5 KiB", N2, "609.94 KiB"),
                Map.of(N1, "7a8c1822-25ef-4d8a-87a5-8b8acfea8b5f", N2, "ef510005-0c4e-4fbb-a82d-95b88cd8b301"),
                owns, Map.of(N1, "datacenter1", N2, "datacenter1"), Map.of(N1, "rack1", N2, "rack1"));
    }

    private static Map<String, Float> effective() {
        // effectiveOwnershipWithPort(null) as 5.0.7 returns it: keys address:storage port
        return JmxReads.byAddress(Map.of(N1 + ":7000", 1.0f, N2 + ":7000", 1.0f));
    }

    @Test
    void status_equalsTheParsedNodetoolOutput() throws Exception {
        NodetoolStatus parsed = StatusParser.parse(Fixtures.read("cassandra-5.0.7__status-jmx-pair.txt")).sorted();
        NodetoolStatus jmx = sandbox(effective()).status().sorted();
        assertEquals(parsed, jmx);
        assertEquals(parsed.toMap(), jmx.toMap());
        assertEquals(16, jmx.nodes().get(0).tokenCount());
        assertEquals(613_888L, jmx.nodes().get(0).loadBytes()); // 599.5 KiB, as nodetool prints and the parser reads
    }

    @Test
    void ring_equalsTheParsedNodetoolOutput() throws Exception {
        NodetoolRing parsed = RingParser.parse(Fixtures.read("cassandra-5.0.7__ring-jmx-pair.txt"));
        NodetoolRing jmx = sandbox(effective()).ring();
        assertEquals(parsed, jmx);
        assertEquals(parsed.toMap(), jmx.toMap());
    }

    @Test
    void ownershipRefused_ownsIsUnknown_asNodetoolPrintsQuestionMark() {
        StatusNode n = sandbox(null).status().nodes().get(0);
        assertNull(n.owns());
        assertNull(sandbox(null).ring().entries().get(0).owns());
    }

    @Test
    void ownsIsRoundedAsNodetoolPrintsIt() {
        Map<String, Float> owns = Map.of(N1, 0.54389f, N2, 0.45611f);
        assertEquals(54.4, sandbox(owns).status().node(N1).orElseThrow().owns());
        assertEquals(54.39, sandbox(owns).ring().entries().get(0).owns());
    }

    @Test
    void statusStatesAndSingleTokenLayout() {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("-100", N1);
        tokens.put("200", N2);
        tokens.put("300", "127.0.30.3");
        JmxReads r = new JmxReads(tokens, List.of(N1), List.of(N2), List.of("127.0.30.3"), List.of(), List.of(),
                Map.of(N1, "1 bytes"), Map.of(), null, Map.of(N1, "dc2", N2, "dc1", "127.0.30.3", "dc1"),
                Map.of(N1, "r", N2, "r", "127.0.30.3", "r"));
        NodetoolStatus s = r.status();
        assertEquals(List.of("dc1", "dc2"), s.datacenters());
        assertEquals("DN", s.node(N2).orElseThrow().code());
        assertEquals("?J", s.node("127.0.30.3").orElseThrow().code());
        assertEquals("UN", s.node(N1).orElseThrow().code());
        // three tokens, two datacenters: nodetool's test "datacenters < tokens" picks the vnode layout
        assertEquals(1, s.node(N1).orElseThrow().tokenCount());
        assertNull(s.node(N2).orElseThrow().loadBytes());
        Map<String, String> one = Map.of("-100", N1);
        JmxReads single = new JmxReads(one, List.of(N1), List.of(), List.of(), List.of(), List.of(), Map.of(),
                Map.of(), null, Map.of(N1, "dc1"), Map.of(N1, "r"));
        assertEquals("-100", single.status().nodes().get(0).token());
        assertNull(single.status().nodes().get(0).tokenCount());
    }

    @Test
    void ownershipKeys_reduceToAddresses() {
        assertEquals(N1, JmxReads.address("/127.0.30.1:7000"));
        assertEquals(N1, JmxReads.address("127.0.30.1:7000"));
        assertEquals(N1, JmxReads.address("node1/127.0.30.1"));
        assertEquals("::1", JmxReads.address("[::1]:7000"));
        assertEquals("fe80::1", JmxReads.address("fe80::1"));
    }

    @Test
    void listsnapshots_equalsTheParsedNodetoolOutput() throws Exception {
        String[] names = {"Column family name", "Creation time", "Ephemeral", "Expiration time", "Keyspace name",
            "Size on disk", "Snapshot name", "True size"};
        OpenType<?>[] types = new OpenType<?>[names.length];
        java.util.Arrays.fill(types, SimpleType.STRING);
        CompositeType row = new CompositeType("SnapshotDetails", "SnapshotDetails", names, names, types);
        TabularType tt = new TabularType("SnapshotDetails", "SnapshotDetails", row, new String[] {"Snapshot name",
            "Keyspace name", "Column family name", "True size", "Size on disk", "Creation time", "Expiration time",
            "Ephemeral"});
        TabularDataSupport td = new TabularDataSupport(tt);
        td.put(new CompositeDataSupport(row, names, new Object[] {"orders", "2026-12-03T06:27:54.512Z", "false", null,
            "ringplan_shop", "217.94 KiB", "fx", "1.16 KiB"}));
        td.put(new CompositeDataSupport(row, names, new Object[] {"products", "2026-12-03T06:27:54.512Z", "false",
            null, "ringplan_shop", "13.43 KiB", "fx", "1.1 KiB"}));
        Map<String, TabularData> details = Map.of("fx", td);
        SnapshotList parsed = ListSnapshotsParser.parse(Fixtures.read("cassandra-5.0.7__listsnapshots-jmx-pair.txt"));
        SnapshotList jmx = JmxReads.snapshots(details, 0);
        // row order is the TabularData's, which nodetool also prints: compare as the module registers them
        assertEquals(new java.util.HashSet<>(parsed.entries()), new java.util.HashSet<>(jmx.entries()));
        assertEquals(parsed.names(), jmx.names());
        assertEquals(parsed.totalTrueSizeBytes(), jmx.totalTrueSizeBytes());
        assertEquals(new SnapshotList(List.of(), 0L), JmxReads.snapshots(Map.of(), 5));
    }

    @Test
    void stringifyFileSize_asCassandraPrintsIt() {
        assertEquals("0 bytes", JmxReads.stringifyFileSize(0));
        assertEquals("1023 bytes", JmxReads.stringifyFileSize(1023));
        assertEquals("1 KiB", JmxReads.stringifyFileSize(1024));
        assertEquals("599.5 KiB", JmxReads.stringifyFileSize(613_888));
        assertEquals("1.5 MiB", JmxReads.stringifyFileSize(1.5 * (1 << 20)));
        assertEquals("2 GiB", JmxReads.stringifyFileSize(2.0 * (1L << 30)));
        assertEquals("1.01 TiB", JmxReads.stringifyFileSize(1.01 * (1L << 40)));
    }
}
