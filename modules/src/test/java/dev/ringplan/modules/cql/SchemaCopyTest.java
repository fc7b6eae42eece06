package dev.ringplan.modules.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchemaCopyTest {
    private static final String PROBE = Fixtures.read("describe-cassandra-5.0.7-driver-4.19.0-probe_ks-plain.cql");

    @Test
    void objects_realDescribe_renamedEverywhere_keyspaceStatementLeftOut() throws Exception {
        List<SchemaStatement> objs = SchemaCopy.objects(PROBE, "Probe_KS", "probe_copy");
        assertEquals(List.of("type probe_copy.address", "type probe_copy.person", "table probe_copy.Events",
                "index probe_copy.Events_m_idx", "index probe_copy.events_s_sai", "index probe_copy.events_value_idx",
                "table probe_copy.counts", "materialized view probe_copy.events_by_s", "function probe_copy.plus",
                "aggregate probe_copy.total"), objs.stream().map(SchemaStatement::describe).toList());
        for (SchemaStatement s : objs) {
            assertTrue(!s.cql().contains("Probe_KS") && !s.cql().endsWith(";"), s.cql());
        }
        assertTrue(objs.get(1).cql().contains("frozen<\"probe_copy\".\"address\">"), objs.get(1).cql());
        assertTrue(objs.get(7).cql().contains("FROM \"probe_copy\".\"Events\""), objs.get(7).cql());
    }

    @Test
    void objects_sameName_textKept() throws Exception {
        List<SchemaStatement> objs = SchemaCopy.objects(PROBE, "Probe_KS", "Probe_KS");
        assertTrue(PROBE.contains(objs.get(2).cql()), objs.get(2).cql());
    }

    @Test
    void objects_statementOfAnotherKeyspace_refused() {
        ModuleException e = assertThrows(ModuleException.class,
                () -> SchemaCopy.objects("CREATE TABLE other.t (k int PRIMARY KEY);", "ks", "ks"));
        assertTrue(e.getMessage().contains("holds table other.t of another keyspace"), e.getMessage());
    }

    private static SchemaCopy.Keyspace keyspace() throws Exception {
        return new SchemaCopy.Keyspace("Probe_KS", "probe_copy", Replication.fromSchema(Map.of("class",
                "SimpleStrategy", "replication_factor", "1")), "CREATE KEYSPACE \"probe_copy\" WITH replication ="
                + " {'class': 'SimpleStrategy', 'replication_factor': 1}",
                SchemaCopy.objects(PROBE, "Probe_KS", "probe_copy"));
    }

    @Test
    void plan_absentKeyspace_everythingCreatedInSourceOrder() throws Exception {
        SchemaCopy.Plan p = SchemaCopy.plan(List.of(keyspace()), Set.of());
        assertEquals(11, p.statements().size());
        assertTrue(p.statements().get(0).startsWith("CREATE KEYSPACE \"probe_copy\""));
        assertEquals("keyspace probe_copy", p.created().get(0));
        assertEquals(List.of(), p.existing());
    }

    @Test
    void plan_partlyThere_onlyTheMissingOnes() throws Exception {
        SchemaCopy.Plan p = SchemaCopy.plan(List.of(keyspace()), Set.of("keyspace probe_copy",
                "type probe_copy.address", "type probe_copy.person", "table probe_copy.Events",
                "index probe_copy.Events_m_idx", "table probe_copy.counts", "materialized view probe_copy.events_by_s",
                "function probe_copy.plus", "aggregate probe_copy.total"));
        assertEquals(List.of("index probe_copy.events_s_sai", "index probe_copy.events_value_idx"), p.created());
        assertEquals(List.of("CREATE CUSTOM INDEX \"events_s_sai\" ON \"probe_copy\".\"Events\" (s) USING 'sai'",
                "CREATE INDEX \"events_value_idx\" ON \"probe_copy\".\"Events\" (\"Value\")"), p.statements());
        assertEquals(9, p.existing().size());
    }

    @Test
    void rename_validated() throws Exception {
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("shop", "shop_copy");
        assertEquals(Map.of("shop", "shop_copy"), SchemaCopy.rename(ok));
        assertRenameRefused(Map.of("shop", "bad-name"), "target keyspace name");
        assertRenameRefused(Map.of("a;b", "x"), "source keyspace name");
        assertRenameRefused(Map.of("shop", "system_auth"), "a system keyspace");
        assertRenameRefused(Map.of("shop", List.of("x")), "must be a keyspace name");
        Map<String, Object> twice = new LinkedHashMap<>();
        twice.put("a", "x");
        twice.put("b", "x");
        assertRenameRefused(twice, "given twice");
    }

    private static void assertRenameRefused(Map<String, Object> raw, String part) {
        ModuleException e = assertThrows(ModuleException.class, () -> SchemaCopy.rename(raw));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
