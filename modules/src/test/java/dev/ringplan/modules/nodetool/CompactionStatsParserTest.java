package dev.ringplan.modules.nodetool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link CompactionStatsParser} on outputs recorded on Cassandra 5.0.7, and on texts written in
 * the 2.1 to 4.1 layouts (no such output was available to record: they follow the format strings
 * of those versions' {@code CompactionStats.java}, as the class comment shows).
 */
class CompactionStatsParserTest {

    @Test
    void parse_idle507_summaryOnly() throws Exception {
        CompactionStats cs = CompactionStatsParser.parse(Fixtures.read("cassandra-5.0.7__compactionstats-idle.txt"));
        assertEquals(0, cs.pendingTasks());
        assertEquals(List.of(), cs.pendingByTable());
        assertEquals(List.of(), cs.active());
        assertNull(cs.remainingSeconds());
        assertEquals(2, cs.concurrentCompactors());
        assertEquals(64.0, cs.throughputMibPerSecond());
    }

    @Test
    void parse_majorCompaction507_pendingTableAndRunningCompaction() throws Exception {
        CompactionStats cs = CompactionStatsParser.parse(
                Fixtures.read("cassandra-5.0.7__compactionstats-major-compaction.txt"));
        assertEquals(1, cs.pendingTasks());
        assertEquals(List.of(new CompactionStats.PendingTable("mig", "blobs", 1)), cs.pendingByTable(),
                "'compactions completed 9' right after the pending rows is not a table");
        assertEquals(List.of(new CompactionStats.Active("afa86780-ee5b-11f1-9064-29748bf36336", "Major compaction",
                "mig", "blobs", 4534377, 47806993, "bytes", 9.48)), cs.active());
        assertEquals(41L, cs.remainingSeconds());
        assertEquals(1.0, cs.throughputMibPerSecond());
    }

    @Test
    void parse_humanReadable507_sizesInBytes() throws Exception {
        CompactionStats cs = CompactionStatsParser.parse(
                Fixtures.read("cassandra-5.0.7__compactionstats-major-compaction-human-readable.txt"));
        CompactionStats.Active a = cs.active().get(0);
        assertEquals(Math.round(6.21 * 1024 * 1024), a.completed());
        assertEquals(Math.round(45.59 * 1024 * 1024), a.total());
        assertEquals("bytes", a.unit());
        assertEquals(13.61, a.progress());
        assertEquals(39L, cs.remainingSeconds());
    }

    @Test
    void toMap_plainDataForRegister() throws Exception {
        Map<String, Object> m = CompactionStatsParser.parse(
                Fixtures.read("cassandra-5.0.7__compactionstats-major-compaction.txt")).toMap();
        assertEquals(1L, m.get("pending_tasks"));
        assertEquals(List.of(Map.of("keyspace", "mig", "table", "blobs", "tasks", 1L)), m.get("pending_by_table"));
        @SuppressWarnings("unchecked")
        Map<String, Object> c = ((List<Map<String, Object>>) m.get("compactions")).get(0);
        assertEquals("Major compaction", c.get("type"));
        assertEquals(47806993L, c.get("total"));
        assertEquals(41L, m.get("remaining_seconds"));
        assertEquals(2L, m.get("concurrent_compactors"));
    }

    @Test
    void parse_layout30to41_dashTablesAndIdColumn() throws Exception {
        CompactionStats cs = CompactionStatsParser.parse("""
                pending tasks: 6
                - system_schema.tables: 1
                - keyspace1.standard1: 5

                id                                   compaction type keyspace  table     completed total    unit  progress
                8e1f2d90-a252-11ee-a7f4-1bf9ae4e6ffd Compaction      keyspace1 standard1 1048576   4194304  bytes 25.00%
                6e9a1b20-7c2e-11ef-9c2b-4e8d2d1b2c3d Cleanup         keyspace1 standard1 10        20       keys  50.00%
                Active compaction remaining time :   0h01m03s
                """);
        assertEquals(6, cs.pendingTasks());
        assertEquals(List.of(new CompactionStats.PendingTable("system_schema", "tables", 1),
                new CompactionStats.PendingTable("keyspace1", "standard1", 5)), cs.pendingByTable());
        assertEquals(2, cs.active().size());
        assertEquals(new CompactionStats.Active("6e9a1b20-7c2e-11ef-9c2b-4e8d2d1b2c3d", "Cleanup", "keyspace1",
                "standard1", 10, 20, "keys", 50.0), cs.active().get(1));
        assertEquals(63L, cs.remainingSeconds());
        assertNull(cs.concurrentCompactors());
        assertNull(cs.throughputMibPerSecond());
    }

    @Test
    void parse_layout21_rightAlignedTypeWithSpacesDecimalCommaNoId() throws Exception {
        CompactionStats cs = CompactionStatsParser.parse("""
                pending tasks: 10
                          compaction type   keyspace      table   completed      total    unit   progress
                    Secondary index build     lastfm   playlist     3468894   94640715   bytes      3,67%
                               Compaction     lastfm   playlist      206700   96656079   bytes      0,21%
                Active compaction remaining time :        n/a
                """);
        assertEquals(10, cs.pendingTasks());
        assertEquals(new CompactionStats.Active(null, "Secondary index build", "lastfm", "playlist", 3468894, 94640715,
                "bytes", 3.67), cs.active().get(0));
        assertEquals(0.21, cs.active().get(1).progress());
        assertNull(cs.remainingSeconds(), "n/a: unthrottled");
    }

    @Test
    void parse_tokenRangePartsUnitAndNoUnitColumn() throws Exception {
        CompactionStats parts = CompactionStatsParser.parse("""
                pending tasks: 1
                id                                   compaction type keyspace table completed total unit              progress
                8e1f2d90-a252-11ee-a7f4-1bf9ae4e6ffd View build      ks       mv    3         12    token range parts 25.00%
                """);
        assertEquals("token range parts", parts.active().get(0).unit());
        assertEquals(12, parts.active().get(0).total());
        CompactionStats old = CompactionStatsParser.parse("""
                pending tasks: 1
                compaction type  keyspace   column family  bytes compacted  bytes total  progress
                Validation       ks         cf             761009279707     1826902206   41.66%
                """);
        assertEquals(new CompactionStats.Active(null, "Validation", "ks", "cf", 761009279707L, 1826902206L, null, 41.66),
                old.active().get(0));
    }

    @Test
    void parse_noPendingLine_failsNamingTheOutput() {
        NodetoolParseException e = assertThrows(NodetoolParseException.class,
                () -> CompactionStatsParser.parse("nodetool: Failed to connect\n"));
        assertEquals("nodetool compactionstats output has no 'pending tasks' line: 'nodetool: Failed to connect'",
                e.getMessage());
    }

    @Test
    void parse_compactionLineNotUnderstood_failsWithTheLine() {
        NodetoolParseException e = assertThrows(NodetoolParseException.class, () -> CompactionStatsParser.parse("""
                pending tasks: 1
                id compaction type keyspace table completed total unit progress
                abc Compaction ks t many lots bytes 1.00%
                """));
        assertTrue(e.getMessage().startsWith("nodetool compactionstats output, line 3: expected a number where 'lots'"),
                e.getMessage());
    }
}
