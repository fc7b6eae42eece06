package dev.ringplan.modules.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckSpecTest {
    private static final String Q = "SELECT compaction FROM system_schema.tables WHERE keyspace_name = 'ks'"
            + " AND table_name = 't'";
    /** system_schema.tables.compaction of an LCS table on Cassandra 5.0.7, as the driver returns it. */
    private static final Map<String, Object> LCS_ROW = Map.of("compaction", Map.of(
            "class", "org.apache.cassandra.db.compaction.LeveledCompactionStrategy", "max_threshold", "32",
            "min_threshold", "4", "sstable_size_in_mb", "160"));

    private static Map<String, Object> m(Object... kv) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put((String) kv[i], kv[i + 1]);
        }
        return out;
    }

    @Test
    void mismatch_partialMapWithShortClass_holds() throws Exception {
        CheckSpec c = CheckSpec.parse(m("query", Q + ";", "expect", m("compaction",
                m("class", "LeveledCompactionStrategy", "sstable_size_in_mb", 160))));
        assertEquals(Q, c.query());
        assertNull(c.mismatch(List.of(LCS_ROW), List.of("compaction")));
    }

    @Test
    void mismatch_otherValue_saysWhat() throws Exception {
        CheckSpec c = CheckSpec.parse(m("query", Q, "expect", m("compaction", m("sstable_size_in_mb", 64))));
        String why = c.mismatch(List.of(LCS_ROW), List.of("compaction"));
        assertTrue(why.startsWith("compaction is {"), why);
        assertTrue(why.contains("'sstable_size_in_mb': '160'"), why);
        assertTrue(why.endsWith("}, expected {'sstable_size_in_mb': 64}"), why);
    }

    @Test
    void mismatch_noRow_orRowCount() throws Exception {
        assertEquals("the query returned no row", CheckSpec.parse(m("query", Q, "expect", m("compaction", m())))
                .mismatch(List.of(), List.of("compaction")));
        CheckSpec rows = CheckSpec.parse(m("query", Q, "rows", 0));
        assertNull(rows.mismatch(List.of(), List.of("compaction")));
        assertEquals("the query returned 1 row, expected 0", rows.mismatch(List.of(LCS_ROW), List.of("compaction")));
    }

    @Test
    void mismatch_expectNamesAColumnNotReturned_isAnError() throws Exception {
        CheckSpec c = CheckSpec.parse(m("query", Q, "expect", m("compression", m())));
        ModuleException e = assertThrows(ModuleException.class, () -> c.mismatch(List.of(LCS_ROW), List.of("compaction")));
        assertTrue(e.getMessage().contains("names column 'compression', which the query does not return"),
                e.getMessage());
    }

    @Test
    void parse_refusals() {
        assertRefused(m("query", "UPDATE ks.t SET v = 1 WHERE k = 1", "rows", 1), "one SELECT statement");
        assertRefused(m("query", "SELECT 1 FROM system.local; DROP TABLE ks.t", "rows", 1), "one SELECT statement");
        assertRefused(m("query", Q), "give 'expect'");
        assertRefused(m("rows", 1), "'query' must be a SELECT");
        assertRefused(m("query", Q, "expected", m("a", 1)), "did you mean 'expect'");
        assertRefused(m("query", Q, "rows", "many"), "'rows' must be a whole number");
        assertRefused(m("query", Q, "rows", -1), "must not be negative");
        assertRefused(m("query", Q, "expect", List.of("a")), "mapping of column to value");
    }

    private static void assertRefused(Map<String, Object> raw, String part) {
        ModuleException e = assertThrows(ModuleException.class, () -> CheckSpec.parse(raw));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
