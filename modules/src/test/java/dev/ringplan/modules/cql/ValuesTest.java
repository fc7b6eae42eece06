package dev.ringplan.modules.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void plain_driverTypes_becomePlainData() throws Exception {
        UUID id = UUID.fromString("59db60a0-ee5b-11f1-9556-b32545ddbb16");
        assertEquals(id.toString(), Values.plain(id));
        assertEquals("127.0.0.1", Values.plain(InetAddress.getByName("127.0.0.1")).toString().replace("/", ""));
        assertEquals("2026-12-02T14:00:00Z", Values.plain(Instant.parse("2026-12-02T14:00:00Z")));
        assertEquals("12.50", Values.plain(new BigDecimal("12.50")));
        assertEquals("123456789012345678901234567890", Values.plain(new BigInteger("123456789012345678901234567890")));
        assertEquals("0x0aff", Values.plain(ByteBuffer.wrap(new byte[] {10, -1})));
        assertEquals(7, Values.plain((short) 7));
        assertEquals(0.5, Values.plain(0.5f));
        assertEquals(List.of("a", "b"), Values.plain(new LinkedHashSet<>(List.of("a", "b"))));
        assertEquals(Map.of("k", List.of(1, 2)), Values.plain(Map.of("k", List.of(1, 2))));
        assertEquals(Map.of("1", true), Values.plain(Map.of(1, true)));
    }

    @Test
    void matches_scalarsAsText() {
        assertTrue(Values.matches(false, "false"));
        assertTrue(Values.matches(3, "3"));
        assertTrue(Values.matches("0.10", 0.1));
        assertTrue(Values.matches(864000, 864000L));
        assertTrue(Values.matches(0, "0.0"));
        assertFalse(Values.matches(3, "4"));
        assertFalse(Values.matches("x", null));
        assertTrue(Values.matches(null, null));
    }

    @Test
    void matches_mapsBySubset_listsInOrder_setsAsSets() {
        Map<String, Object> row = Map.of("keys", "ALL", "rows_per_partition", "NONE");
        assertTrue(Values.matches(Map.of("keys", "ALL"), row));
        assertFalse(Values.matches(Map.of("keys", "NONE"), row));
        assertFalse(Values.matches(Map.of("missing", "x"), row));
        assertFalse(Values.matches(Map.of("k", 1), List.of(1)));
        assertTrue(Values.matches(List.of(1, 2), List.of("1", "2")));
        assertFalse(Values.matches(List.of(1, 2), List.of(2, 1)));
        assertTrue(Values.matches(List.of("b", "a"), Set.of("a", "b")));
        assertFalse(Values.matches("x", List.of("x")));
    }

    @Test
    void matches_shortClassName_onlyUnderClass() {
        Map<String, Object> compaction = Map.of("class",
                "org.apache.cassandra.db.compaction.LeveledCompactionStrategy");
        assertTrue(Values.matches(Map.of("class", "LeveledCompactionStrategy"), compaction));
        assertFalse(Values.matches(Map.of("class", "CompactionStrategy"), compaction));
        assertFalse(Values.matches("LeveledCompactionStrategy",
                "org.apache.cassandra.db.compaction.LeveledCompactionStrategy"));
    }
}
