package dev.ringplan.modules.cql;

import dev.ringplan.engine.module.ModuleException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table a snapshot's {@code schema.cql} defines, and how it differs from a live table.
 *
 * <p>Cassandra writes {@code schema.cql} into every table snapshot (3.0+; {@code
 * SchemaCQLHelper} / {@code TableMetadata.toCqlString}): optional {@code CREATE TYPE IF NOT
 * EXISTS} statements for the types the table uses, then {@code CREATE TABLE IF NOT EXISTS ks.t
 * (<column> <type> [static], ..., PRIMARY KEY (...)) WITH ID = <uuid> AND ...}, then for each
 * dropped column {@code ALTER TABLE ks.t DROP <column> USING TIMESTAMP <n>} (the column was listed
 * in the CREATE, so the table keeps its drop time) and re-added ones {@code ALTER TABLE ks.t ADD
 * <column> <type>}, and the table's indexes ({@code CREATE INDEX/CUSTOM INDEX}). Checked against
 * the files Cassandra 5.0.7 writes. A single-column key may be written inline
 * ({@code id int PRIMARY KEY}). Names are quoted where CQL needs it; an unquoted name is lower case.
 *
 * @param statements every statement of the file, in order, without the final {@code ;}
 * @param keyspace   the CREATE TABLE's keyspace
 * @param table      its table
 * @param columns    column name to definition, in the order of the CREATE, dropped columns removed
 */
record SnapshotSchema(List<String> statements, String keyspace, String table, Map<String, Column> columns) {
    /** A column: its CQL type as Cassandra prints it and its kind as {@code system_schema.columns} names it. */
    record Column(String name, String type, String kind) {
    }

    private static final String IDENT = "(\"(?:[^\"]|\"\")+\"|\\w+)";
    private static final Pattern CREATE = Pattern.compile("(?is)^CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?"
            + IDENT + "\\." + IDENT + "\\s*\\((.*)$");
    private static final Pattern ALTER = Pattern.compile("(?is)^ALTER\\s+TABLE\\s+" + IDENT + "\\." + IDENT
            + "\\s+(DROP|ADD)\\s+" + IDENT + "(.*)$");
    private static final Pattern PRIMARY_KEY = Pattern.compile("(?is)^PRIMARY\\s+KEY\\s*\\((.*)\\)$");
    private static final Pattern COLUMN = Pattern.compile("(?is)^" + IDENT + "\\s+(.+?)(\\s+static)?(\\s+PRIMARY\\s+KEY)?$");

    /**
     * Parses a snapshot's schema.cql.
     *
     * @param text  the file's content
     * @param where how the file is named in messages
     * @throws ModuleException when it holds no CREATE TABLE, or one this parser cannot read
     */
    static SnapshotSchema parse(String text, String where) throws ModuleException {
        List<String> statements = split(text);
        String ks = null;
        String table = null;
        Map<String, Column> columns = new LinkedHashMap<>();
        for (String st : statements) {
            Matcher c = CREATE.matcher(st);
            if (c.matches() && ks == null) {
                ks = name(c.group(1));
                table = name(c.group(2));
                String rest = c.group(3);
                int close = closing(rest);
                if (close < 0) {
                    throw new ModuleException(where + ": unbalanced parentheses in CREATE TABLE " + ks + "." + table);
                }
                List<String> partition = new ArrayList<>();
                List<String> clustering = new ArrayList<>();
                for (String el : splitTop(rest.substring(0, close))) {
                    Matcher pk = PRIMARY_KEY.matcher(el);
                    if (pk.matches()) {
                        primaryKey(pk.group(1), partition, clustering);
                        continue;
                    }
                    Matcher col = COLUMN.matcher(el);
                    if (!col.matches()) {
                        throw new ModuleException(where + ": cannot read column definition '" + el + "'");
                    }
                    String n = name(col.group(1));
                    columns.put(n, new Column(n, normType(col.group(2)), col.group(3) != null ? "static" : "regular"));
                    if (col.group(4) != null) {
                        partition.add(n);
                    }
                }
                setKinds(columns, partition, "partition_key", where);
                setKinds(columns, clustering, "clustering", where);
                continue;
            }
            Matcher a = ALTER.matcher(st);
            if (a.matches() && ks != null && name(a.group(1)).equals(ks) && name(a.group(2)).equals(table)) {
                String n = name(a.group(4));
                if (a.group(3).equalsIgnoreCase("DROP")) {
                    columns.remove(n);
                } else {
                    String rest = a.group(5).strip();
                    boolean isStatic = rest.toLowerCase(Locale.ROOT).endsWith(" static");
                    String type = isStatic ? rest.substring(0, rest.length() - " static".length()) : rest;
                    columns.put(n, new Column(n, normType(type), isStatic ? "static" : "regular"));
                }
            }
        }
        if (ks == null) {
            throw new ModuleException(where + " holds no CREATE TABLE statement");
        }
        return new SnapshotSchema(List.copyOf(statements), ks, table, columns);
    }

    /**
     * How the live table's columns differ from this definition, one sentence each; empty when
     * they are the same (names, types, kinds).
     *
     * @param live column name to its definition, as {@code system_schema.columns} holds it
     */
    List<String> differences(Map<String, Column> live) {
        List<String> out = new ArrayList<>();
        for (Column b : columns.values()) {
            Column l = live.get(b.name());
            if (l == null) {
                out.add("column " + b.name() + " (" + b.type() + ") is in the backup, not in the live table");
            } else if (!l.type().equals(b.type())) {
                out.add("column " + b.name() + " is " + b.type() + " in the backup, " + l.type() + " in the live table");
            } else if (!l.kind().equals(b.kind())) {
                out.add("column " + b.name() + " is " + b.kind() + " in the backup, " + l.kind() + " in the live table");
            }
        }
        for (Column l : live.values()) {
            if (!columns.containsKey(l.name())) {
                out.add("column " + l.name() + " (" + l.type() + ") is in the live table, not in the backup");
            }
        }
        return out;
    }

    /** The {@code WITH ID} of the CREATE TABLE, 32 lower-case hex digits, or null when it has none. */
    String id() {
        Matcher m = Pattern.compile("(?i)\\bWITH\\s+ID\\s*=\\s*([0-9a-f-]{36})").matcher(String.join("\n", statements));
        return m.find() ? m.group(1).replace("-", "").toLowerCase(Locale.ROOT) : null;
    }

    /** A type as written, normalised for comparison: no blanks, lower case outside double quotes. */
    static String normType(String t) {
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        for (char c : t.strip().toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (!quoted && Character.isWhitespace(c)) {
                continue;
            }
            sb.append(quoted ? c : Character.toLowerCase(c));
        }
        return sb.toString();
    }

    /** A CQL name: quoted ones unquoted ({@code ""} → {@code "}), others lower-cased. */
    static String name(String ident) {
        if (ident.startsWith("\"")) {
            return ident.substring(1, ident.length() - 1).replace("\"\"", "\"");
        }
        return ident.toLowerCase(Locale.ROOT);
    }

    private static void primaryKey(String inner, List<String> partition, List<String> clustering) {
        List<String> parts = splitTop(inner);
        if (parts.isEmpty()) {
            return;
        }
        String first = parts.get(0);
        if (first.startsWith("(") && first.endsWith(")")) {
            for (String p : splitTop(first.substring(1, first.length() - 1))) {
                partition.add(name(p));
            }
        } else {
            partition.add(name(first));
        }
        for (String p : parts.subList(1, parts.size())) {
            clustering.add(name(p));
        }
    }

    private static void setKinds(Map<String, Column> columns, List<String> names, String kind, String where)
            throws ModuleException {
        for (String n : names) {
            Column c = columns.get(n);
            if (c == null) {
                throw new ModuleException(where + ": PRIMARY KEY names column " + n + ", which is not defined");
            }
            columns.put(n, new Column(n, c.type(), kind));
        }
    }

    /** Index of the parenthesis closing an opening one just before {@code s}, or -1. */
    private static int closing(String s) {
        int depth = 1;
        boolean dq = false;
        boolean sq = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && !sq) {
                dq = !dq;
            } else if (c == '\'' && !dq) {
                sq = !sq;
            } else if (!dq && !sq) {
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Splits on commas outside quotes, parentheses and angle brackets; parts trimmed, empty ones dropped. */
    static List<String> splitTop(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean dq = false;
        boolean sq = false;
        StringBuilder cur = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' && !sq) {
                dq = !dq;
            } else if (c == '\'' && !dq) {
                sq = !sq;
            } else if (!dq && !sq) {
                if (c == '(' || c == '<') {
                    depth++;
                } else if (c == ')' || c == '>') {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    add(out, cur);
                    continue;
                }
            }
            cur.append(c);
        }
        add(out, cur);
        return out;
    }

    private static void add(List<String> out, StringBuilder cur) {
        String t = cur.toString().strip();
        if (!t.isEmpty()) {
            out.add(t);
        }
        cur.setLength(0);
    }

    /**
     * The statements of a CQL file: split on {@code ;} outside quotes, {@code --} / {@code //}
     * line comments and {@code /* *}{@code /} block comments removed, blank ones dropped.
     */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean dq = false;
        boolean sq = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (!dq && !sq) {
                if ((c == '-' || c == '/') && i + 1 < n && text.charAt(i + 1) == c) {
                    while (i < n && text.charAt(i) != '\n') {
                        i++;
                    }
                    cur.append('\n');
                    continue;
                }
                if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                    int end = text.indexOf("*/", i + 2);
                    i = end < 0 ? n : end + 1;
                    cur.append(' ');
                    continue;
                }
                if (c == ';') {
                    add(out, cur);
                    continue;
                }
            }
            if (c == '"' && !sq) {
                dq = !dq;
            } else if (c == '\'' && !dq) {
                sq = !sq;
            }
            cur.append(c);
        }
        add(out, cur);
        return out;
    }
}
