package dev.ringplan.modules.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CqlIdentifiersTest {

    @ParameterizedTest
    @ValueSource(strings = {"ks", "Probe_KS", "ks_2", "_x", "a23456789012345678901234567890123456789012345678"})
    void name_cassandraNames_accepted(String n) throws Exception {
        assertEquals(n, CqlIdentifiers.name(n, "keyspace"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a-b", "ks\"; DROP KEYSPACE x; --", "ks.t", "a b", "é",
        "a234567890123456789012345678901234567890123456789"})
    void name_othersRefused_withTheRule(String n) {
        ModuleException e = assertThrows(ModuleException.class, () -> CqlIdentifiers.name(n, "keyspace"));
        assertTrue(e.getMessage().startsWith("keyspace name '"), e.getMessage());
        assertTrue(e.getMessage().contains("1 to 48 letters, digits or _"), e.getMessage());
    }

    @Test
    void name_controlCharacters_notEchoedRaw() {
        ModuleException e = assertThrows(ModuleException.class, () -> CqlIdentifiers.name("a\nb", "table"));
        assertTrue(e.getMessage().contains("'a?b'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dc1", "us-east-1", "eu.west", "datacenter1", "DC_2"})
    void datacenter_snitchNames_accepted(String dc) throws Exception {
        assertEquals(dc, CqlIdentifiers.datacenter(dc));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "dc'1", "dc 1", "dc1}", "dc\"1", "dc:1"})
    void datacenter_quotesAndBracesRefused(String dc) {
        ModuleException e = assertThrows(ModuleException.class, () -> CqlIdentifiers.datacenter(dc));
        assertTrue(e.getMessage().contains("letters, digits, _, - or ."), e.getMessage());
    }

    @Test
    void quote_doublesQuotes() {
        assertEquals("\"ks\"", CqlIdentifiers.quote("ks"));
        assertEquals("\"a\"\"b\"", CqlIdentifiers.quote("a\"b"));
    }

    @Test
    void literal_doublesSingleQuotes() {
        assertEquals("'it''s'", CqlIdentifiers.literal("it's"));
        assertEquals("''''", CqlIdentifiers.literal("'"));
    }

    @Test
    void isSystem_knowsCassandrasKeyspaces() {
        assertTrue(CqlIdentifiers.isSystem("system_auth"));
        assertTrue(CqlIdentifiers.isSystem("system_virtual_schema"));
        assertFalse(CqlIdentifiers.isSystem("system_foo"));
        assertFalse(CqlIdentifiers.isSystem("shop"));
    }
}
