package dev.ringplan.modules.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CqlScriptTest {

    @Test
    void split_semicolonsInsideLiteralsAndComments_areText() throws Exception {
        String script = """
                ALTER TABLE ks.t WITH comment = 'a; b' AND compaction = {'class': 'X'};
                -- a comment; with a semicolon
                CREATE FUNCTION ks.f(a int) RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS $$ return a; $$;
                /* block; comment */ INSERT INTO "we;ird"."t" (k) VALUES ('x''; y')
                """;
        assertEquals(List.of(
                "ALTER TABLE ks.t WITH comment = 'a; b' AND compaction = {'class': 'X'}",
                "-- a comment; with a semicolon\nCREATE FUNCTION ks.f(a int) RETURNS NULL ON NULL INPUT RETURNS int"
                        + " LANGUAGE java AS $$ return a; $$",
                "/* block; comment */ INSERT INTO \"we;ird\".\"t\" (k) VALUES ('x''; y')"), CqlScript.split(script, false));
    }

    @Test
    void split_commentsAndBlanksOnly_noStatement() throws Exception {
        assertEquals(List.of(), CqlScript.split(" ;\n-- nothing\n;/* x */;", false));
    }

    @Test
    void split_blankLineInsideAStatement_keptForPeoplesScripts() throws Exception {
        assertEquals(List.of("CREATE TABLE ks.t (\n\n  k int PRIMARY KEY)"),
                CqlScript.split("CREATE TABLE ks.t (\n\n  k int PRIMARY KEY);", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"probe_ks-plain", "probe_ks-pretty"})
    void split_describeOutput_oneStatementPerObject_customIndexWithoutSemicolon(String fixture) throws Exception {
        List<String> s = CqlScript.split(Fixtures.read("describe-cassandra-5.0.7-driver-4.19.0-" + fixture + ".cql"),
                true);
        assertEquals(11, s.size(), String.join("\n---\n", s));
        assertTrue(s.get(0).startsWith("CREATE KEYSPACE \"Probe_KS\""), s.get(0));
        // the driver writes this one without its ';' (Cassandra 5.0.7, driver 4.19.0): a blank line ends it
        assertTrue(s.get(5).startsWith("CREATE CUSTOM INDEX") && s.get(5).endsWith("USING 'sai'"), s.get(5));
        assertTrue(s.get(6).startsWith("CREATE INDEX"), s.get(6));
        assertTrue(s.get(3).contains("comment = 'it''s a ; test'"), s.get(3));
        assertTrue(s.get(8).startsWith("CREATE MATERIALIZED VIEW"), s.get(8));
        assertTrue(s.get(10).startsWith("CREATE AGGREGATE"), s.get(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"'open", "\"open", "$$ open", "/* open", "a = 'x'' "})
    void split_unclosed_refusedWithLine(String text) {
        ModuleException e = assertThrows(ModuleException.class, () -> CqlScript.split("SELECT 1;\n" + text, false));
        assertTrue(e.getMessage().contains("opened on line 2 is not closed"), e.getMessage());
    }

    @Test
    void renameKeyspace_qualifiersOnly_quotedOrNot() throws Exception {
        String in = "CREATE TABLE \"Probe_KS\".t (a frozen<\"Probe_KS\".addr>, \"Probe_KS\" int, probe_ks text)"
                + " WITH comment = '\"Probe_KS\".t'";
        assertEquals("CREATE TABLE \"copy\".t (a frozen<\"copy\".addr>, \"Probe_KS\" int, probe_ks text)"
                + " WITH comment = '\"Probe_KS\".t'", CqlScript.renameKeyspace(in, "Probe_KS", "copy"));
        assertEquals("CREATE INDEX i ON \"dst\" . t (v)", CqlScript.renameKeyspace("CREATE INDEX i ON SRC . t (v)",
                "src", "dst"));
    }

    @Test
    void renameKeyspace_numbersAndLiterals_untouched() throws Exception {
        String in = "CREATE TABLE ks.t (k int PRIMARY KEY) WITH bloom_filter_fp_chance = 0.01 AND comment = 'ks.x'"
                + " AND x = $$ks.y$$";
        assertEquals(in.replaceFirst("ks\\.t", "\"k2\".t"), CqlScript.renameKeyspace(in, "ks", "k2"));
    }

    @Test
    void firstKeyword_skipsComments() throws Exception {
        assertEquals("SELECT", CqlScript.firstKeyword("/* why */ -- x\n select * from t"));
        assertEquals("", CqlScript.firstKeyword("-- only"));
    }
}
