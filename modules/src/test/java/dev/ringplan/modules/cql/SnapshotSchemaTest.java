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

/** Parsing a snapshot's schema.cql and comparing it with a live table's columns. */
class SnapshotSchemaTest {
    /** As Cassandra 5.0.7 wrote it into a snapshot of the sandbox's ringplan_demo.users (options shortened). */
    static final String USERS = """
            CREATE TABLE IF NOT EXISTS ringplan_demo.users (
                user_id int PRIMARY KEY,
                country text,
                created_at timestamp,
                email text,
                name text
            ) WITH ID = 08c83650-ee71-11f1-ae83-b9314a284dda
                AND additional_write_policy = '99p'
                AND comment = 'it''s; a comment'
                AND compaction = {'class': 'org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy', 'max_threshold': '32', 'min_threshold': '4'}
                AND speculative_retry = '99p';
            """;

    /** A compound key, a static column, collections, a quoted name, a UDT, a dropped column and an index. */
    static final String EVENTS = """
            CREATE TYPE IF NOT EXISTS shop.address (
                street text,
                city text
            );

            CREATE TABLE IF NOT EXISTS shop."Events" (
                tenant int,
                day date,
                at timeuuid,
                seq int,
                "Kind" text,
                owner text static,
                tags map<text, frozen<list<int>>>,
                home frozen<address>,
                old_col int,
                PRIMARY KEY ((tenant, day), at, seq)
            ) WITH ID = 5a1c395e-b41f-11e5-9f22-ba0be0483c18
                AND CLUSTERING ORDER BY (at DESC, seq ASC)
                AND comment = '';
            ALTER TABLE shop."Events" DROP old_col USING TIMESTAMP 1700000000000000;
            CREATE INDEX IF NOT EXISTS events_kind ON shop."Events" ("Kind");
            """;

    @Test
    void parse_inlinePrimaryKey_columnsKindsAndId() throws Exception {
        SnapshotSchema s = SnapshotSchema.parse(USERS, "users");
        assertEquals("ringplan_demo", s.keyspace());
        assertEquals("users", s.table());
        assertEquals(List.of("user_id", "country", "created_at", "email", "name"), List.copyOf(s.columns().keySet()));
        assertEquals(new SnapshotSchema.Column("user_id", "int", "partition_key"), s.columns().get("user_id"));
        assertEquals(new SnapshotSchema.Column("email", "text", "regular"), s.columns().get("email"));
        assertEquals("08c83650ee7111f1ae83b9314a284dda", s.id());
        assertEquals(1, s.statements().size(), "the ; inside a string literal does not split");
    }

    @Test
    void parse_compoundKeyStaticCollectionsQuotedNamesDroppedColumn() throws Exception {
        SnapshotSchema s = SnapshotSchema.parse(EVENTS, "events");
        assertEquals("shop", s.keyspace());
        assertEquals("Events", s.table());
        assertEquals(4, s.statements().size());
        assertTrue(s.statements().get(0).startsWith("CREATE TYPE"));
        Map<String, SnapshotSchema.Column> c = s.columns();
        assertEquals("partition_key", c.get("tenant").kind());
        assertEquals("partition_key", c.get("day").kind());
        assertEquals("clustering", c.get("at").kind());
        assertEquals("clustering", c.get("seq").kind());
        assertEquals(new SnapshotSchema.Column("Kind", "text", "regular"), c.get("Kind"));
        assertEquals("static", c.get("owner").kind());
        assertEquals("map<text,frozen<list<int>>>", c.get("tags").type());
        assertEquals("frozen<address>", c.get("home").type());
        assertNull(c.get("old_col"), "dropped before the backup");
        assertEquals("5a1c395eb41f11e59f22ba0be0483c18", s.id());
    }

    @Test
    void differences_sameColumnsNone_addedDroppedRetypedNamed() throws Exception {
        SnapshotSchema s = SnapshotSchema.parse(USERS, "users");
        Map<String, SnapshotSchema.Column> live = new LinkedHashMap<>(s.columns());
        assertEquals(List.of(), s.differences(live));

        live.put("nickname", new SnapshotSchema.Column("nickname", "text", "regular"));
        live.remove("country");
        live.put("email", new SnapshotSchema.Column("email", "ascii", "regular"));
        live.put("name", new SnapshotSchema.Column("name", "text", "static"));
        assertEquals(List.of(
                "column country (text) is in the backup, not in the live table",
                "column email is text in the backup, ascii in the live table",
                "column name is regular in the backup, static in the live table",
                "column nickname (text) is in the live table, not in the backup"), s.differences(live));
    }

    @Test
    void normType_blanksAndCaseIgnoredOutsideQuotes() {
        assertEquals("map<text,int>", SnapshotSchema.normType(" MAP<text, int> "));
        assertEquals("frozen<\"My Type\">", SnapshotSchema.normType("frozen<\"My Type\">"));
    }

    @Test
    void split_commentsAndQuotes() {
        assertEquals(List.of("CREATE TABLE a.b (x int PRIMARY KEY)", "ALTER TABLE a.b ADD y 'text;'"),
                SnapshotSchema.split("-- header\nCREATE TABLE a.b (x int PRIMARY KEY);\n/* note; */"
                        + "ALTER TABLE a.b ADD y 'text;';\n"));
    }

    @Test
    void parse_noCreateTableOrUnknownKeyColumn_fails() {
        ModuleException e = assertThrows(ModuleException.class, () -> SnapshotSchema.parse("CREATE TYPE a.t (x int);", "f"));
        assertTrue(e.getMessage().contains("no CREATE TABLE"), e.getMessage());
        e = assertThrows(ModuleException.class,
                () -> SnapshotSchema.parse("CREATE TABLE a.b (x int, PRIMARY KEY (y))", "f"));
        assertTrue(e.getMessage().contains("PRIMARY KEY names column y"), e.getMessage());
    }
}
