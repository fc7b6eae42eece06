package dev.ringplan.modules.cql;

import dev.ringplan.engine.module.ModuleException;
import java.util.List;
import java.util.Locale;

/**
 * One {@code CREATE} statement of a schema, with what it creates: {@code CREATE KEYSPACE ks},
 * {@code CREATE TYPE ks.t}, {@code CREATE TABLE ks.t}, {@code CREATE [CUSTOM] INDEX name ON ks.t},
 * {@code CREATE MATERIALIZED VIEW ks.v}, {@code CREATE FUNCTION ks.f}, {@code CREATE AGGREGATE ks.a}
 * ({@code IF NOT EXISTS} and {@code OR REPLACE} allowed), as the driver's {@code describe} writes
 * them.
 *
 * @param kind     what it creates
 * @param keyspace the keyspace it names (the qualifier; for a keyspace, its name)
 * @param name     the created object's name (an index's own name; a keyspace's name)
 * @param cql      the statement, without a final {@code ;}
 */
public record SchemaStatement(Kind kind, String keyspace, String name, String cql) {

    /** Schema object kinds, in the words of {@code CREATE}. */
    public enum Kind {
        /** CREATE KEYSPACE. */
        KEYSPACE,
        /** CREATE TYPE (a user-defined type). */
        TYPE,
        /** CREATE TABLE. */
        TABLE,
        /** CREATE [CUSTOM] INDEX. */
        INDEX,
        /** CREATE MATERIALIZED VIEW. */
        VIEW,
        /** CREATE FUNCTION. */
        FUNCTION,
        /** CREATE AGGREGATE. */
        AGGREGATE;

        /** Lower-case word, e.g. "table", "view". */
        public String label() {
            return this == VIEW ? "materialized view" : name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Reads what {@code cql} creates.
     *
     * @throws ModuleException when it is not a CREATE statement of one of the kinds above, or its
     *                         name is missing or unqualified (except a keyspace)
     */
    public static SchemaStatement parse(String cql) throws ModuleException {
        List<CqlScript.Token> ts = CqlScript.significant(cql);
        Cursor c = new Cursor(ts, cql);
        c.expect("CREATE");
        if (c.accept("OR")) {
            c.expect("REPLACE");
        }
        boolean custom = c.accept("CUSTOM");
        Kind kind;
        if (c.accept("KEYSPACE")) {
            kind = Kind.KEYSPACE;
        } else if (c.accept("TYPE")) {
            kind = Kind.TYPE;
        } else if (c.accept("TABLE") || c.accept("COLUMNFAMILY")) {
            kind = Kind.TABLE;
        } else if (c.accept("INDEX")) {
            kind = Kind.INDEX;
        } else if (c.accept("MATERIALIZED")) {
            c.expect("VIEW");
            kind = Kind.VIEW;
        } else if (c.accept("FUNCTION")) {
            kind = Kind.FUNCTION;
        } else if (c.accept("AGGREGATE")) {
            kind = Kind.AGGREGATE;
        } else {
            throw c.error("a schema object kind (KEYSPACE, TYPE, TABLE, INDEX, MATERIALIZED VIEW, FUNCTION, AGGREGATE)");
        }
        if (custom && kind != Kind.INDEX) {
            throw c.error("INDEX after CUSTOM");
        }
        if (c.accept("IF")) {
            c.expect("NOT");
            c.expect("EXISTS");
        }
        if (kind == Kind.KEYSPACE) {
            String ks = c.identifier();
            return new SchemaStatement(kind, ks, ks, cql);
        }
        if (kind == Kind.INDEX) {
            if (c.peek("ON")) {
                throw c.error("an index name (an unnamed index cannot be matched with an existing one)");
            }
            String name = c.identifier();
            c.expect("ON");
            String ks = c.identifier();
            if (!c.acceptPunct(".")) {
                throw c.error("a keyspace-qualified table after ON");
            }
            c.identifier();
            return new SchemaStatement(kind, ks, name, cql);
        }
        String first = c.identifier();
        if (!c.acceptPunct(".")) {
            throw c.error("a keyspace-qualified name (ks.name)");
        }
        return new SchemaStatement(kind, first, c.identifier(), cql);
    }

    /** "table ks.events", "index ks.events_idx", "keyspace ks": for reports. */
    public String describe() {
        return kind.label() + " " + (kind == Kind.KEYSPACE ? name : keyspace + "." + name);
    }

    /** Walks significant tokens with errors naming the statement. */
    private static final class Cursor {
        private final List<CqlScript.Token> ts;
        private final String cql;
        private int i;

        Cursor(List<CqlScript.Token> ts, String cql) {
            this.ts = ts;
            this.cql = cql;
        }

        boolean peek(String keyword) {
            return i < ts.size() && ts.get(i).is(keyword);
        }

        boolean accept(String keyword) {
            if (peek(keyword)) {
                i++;
                return true;
            }
            return false;
        }

        boolean acceptPunct(String p) {
            if (i < ts.size() && ts.get(i).kind() == CqlScript.Kind.PUNCT && ts.get(i).text().equals(p)) {
                i++;
                return true;
            }
            return false;
        }

        void expect(String keyword) throws ModuleException {
            if (!accept(keyword)) {
                throw error(keyword);
            }
        }

        String identifier() throws ModuleException {
            if (i < ts.size() && ts.get(i).isIdentifier()) {
                return ts.get(i++).name();
            }
            throw error("a name");
        }

        ModuleException error(String expected) {
            String got = i < ts.size() ? "'" + ts.get(i).text() + "'" : "the end";
            String head = cql.length() > 120 ? cql.substring(0, 120) + "..." : cql;
            return new ModuleException("cannot read schema statement: expected " + expected + ", got " + got
                    + " in: " + CqlIdentifiers.printable(head.replaceAll("\\s+", " ")));
        }
    }
}
