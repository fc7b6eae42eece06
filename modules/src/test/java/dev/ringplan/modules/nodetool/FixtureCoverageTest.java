package dev.ringplan.modules.nodetool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every fixture file is listed in SOURCES.tsv and parses with the parser its name designates. */
class FixtureCoverageTest {

    private static List<String> fixtureNames() throws Exception {
        URL url = FixtureCoverageTest.class.getResource("/nodetool/SOURCES.tsv");
        assertNotNull(url);
        Path dir = Path.of(url.toURI()).getParent();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt")).sorted().toList();
        }
    }

    @Test
    void sources_listEveryFixtureWithAPermissiveLicence() throws Exception {
        Set<String> listed = new TreeSet<>();
        for (String line : Fixtures.read("SOURCES.tsv").split("\n")) {
            String[] f = line.split("\t");
            if (f[0].equals("file")) {
                continue;
            }
            listed.add(f[0]);
            String licence = f[4];
            assertTrue(licence.startsWith("Apache-2.0") || licence.startsWith("MIT") || licence.startsWith("BSD")
                    || licence.startsWith("measured on a 5.0.7 sandbox"), line);
        }
        assertEquals(new TreeSet<>(fixtureNames()), listed);
    }

    @Test
    void everyFixture_parses() throws Exception {
        int parsed = 0;
        for (String name : fixtureNames()) {
            String text = Fixtures.read(name);
            if (name.contains("compactionstats")) {
                assertTrue(CompactionStatsParser.parse(text).pendingTasks() >= 0, name);
            } else if (name.contains("netstats")) {
                assertFalse(NetstatsParser.parse(text).mode().isEmpty(), name);
            } else if (name.contains("getstreamthroughput")) {
                assertTrue(StreamThroughput.parse(text) >= 0, name);
            } else if (name.contains("rebuild-refused")) {
                assertFalse(RebuildRefusal.parse(text).orElseThrow().fullyAvailable().isEmpty(), name);
            } else if (name.contains("decommission-already")) {
                assertTrue(text.contains(RingMembership.ALREADY_DECOMMISSIONED), name);
            } else if (name.contains("describering")) {
                assertFalse(DescribeRingParser.parse(text).isEmpty(), name);
            } else if (name.contains("describecluster")) {
                assertFalse(DescribeClusterParser.parse(text).schemaVersions().isEmpty(), name);
            } else if (name.contains("ring")) {
                assertFalse(RingParser.parse(text).entries().isEmpty(), name);
            } else if (name.contains("status")) {
                assertFalse(StatusParser.parse(text).nodes().isEmpty(), name);
            } else if (name.contains("listsnapshots")) {
                assertFalse(ListSnapshotsParser.parse(text).entries().isEmpty(), name);
            } else if (name.contains("info")) {
                assertNotNull(InfoParser.parse(text).id(), name);
            } else if (name.contains("snapshot-")) {
                assertNotNull(NodetoolRunner.snapshotDirectory(text), name);
            } else {
                throw new AssertionError("no parser for fixture " + name);
            }
            parsed++;
        }
        assertEquals(62, parsed, fixtureNames().stream().collect(Collectors.joining(", ")));
    }
}
