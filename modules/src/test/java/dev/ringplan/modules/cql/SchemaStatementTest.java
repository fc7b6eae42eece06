package dev.ringplan.modules.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemaStatementTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "CREATE KEYSPACE \"Probe_KS\" WITH replication = {'class': 'SimpleStrategy'}|keyspace Probe_KS",
        "CREATE KEYSPACE IF NOT EXISTS Shop WITH x = 1|keyspace shop",
        "CREATE TYPE \"Probe_KS\".address ( street text )|type Probe_KS.address",
        "CREATE TABLE ks.\"Events\" (k int PRIMARY KEY)|table ks.Events",
        "CREATE COLUMNFAMILY IF NOT EXISTS ks.t (k int PRIMARY KEY)|table ks.t",
        "CREATE INDEX \"Events_m_idx\" ON \"Probe_KS\".\"Events\" (keys(m))|index Probe_KS.Events_m_idx",
        "CREATE CUSTOM INDEX events_s_sai ON ks.t (s)\tUSING 'sai'|index ks.events_s_sai",
        "CREATE MATERIALIZED VIEW ks.v AS SELECT * FROM ks.t WHERE k IS NOT NULL PRIMARY KEY (k)|materialized view ks.v",
        "CREATE OR REPLACE FUNCTION ks.plus(a int, b int) RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS"
                + " ' return a + b; '|function ks.plus",
        "CREATE AGGREGATE \"ks\".\"total\"(int) SFUNC \"plus\" STYPE int INITCOND 0|aggregate ks.total",
        "/* c */ create table /* x */\t ks.t (k int primary key)|table ks.t"})
    void parse_everyKind(String cql, String described) throws Exception {
        assertEquals(described, SchemaStatement.parse(cql).describe());
    }

    @Test
    void parse_realDescribeOutput_everyStatementRead() throws Exception {
        for (String s : CqlScript.split(Fixtures.read("describe-cassandra-5.0.7-driver-4.19.0-probe_ks-pretty.cql"),
                true)) {
            SchemaStatement st = SchemaStatement.parse(s);
            assertEquals("Probe_KS", st.keyspace(), s);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "DROP TABLE ks.t|expected CREATE, got 'DROP'",
        "CREATE ROLE r|expected a schema object kind",
        "CREATE TABLE t (k int PRIMARY KEY)|expected a keyspace-qualified name",
        "CREATE INDEX ON ks.t (v)|an index name",
        "CREATE CUSTOM TABLE ks.t (k int)|INDEX after CUSTOM",
        "CREATE TABLE|expected a name, got the end"})
    void parse_refused_naming_what_was_expected(String cql, String part) {
        ModuleException e = assertThrows(ModuleException.class, () -> SchemaStatement.parse(cql));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().startsWith("cannot read schema statement"), e.getMessage());
    }
}
