package dev.ringplan.modules.cql;

import dev.ringplan.engine.module.ModuleException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CQL text read as tokens (CQL's lexical rules, {@code Lexer.g} of Cassandra): string literals
 * {@code '...'} with {@code ''} inside, {@code $$...$$} blocks, quoted identifiers
 * {@code "..."} with {@code ""} inside, comments ({@code --}, {@code //}, {@code /* *\/}), words,
 * blanks, and single punctuation characters. A {@code ;} or a blank line inside a literal or a
 * comment is text, not a boundary.
 *
 * <p>Used to split a script into statements ({@link #split}), to find what a {@code CREATE}
 * statement creates ({@link SchemaStatement#parse}) and to rename a keyspace in the driver's
 * {@code describe} output ({@link #renameKeyspace}).
 */
public final class CqlScript {
    /** Token kinds. */
    enum Kind { WORD, QUOTED, STRING, DOLLAR, COMMENT, SPACE, PUNCT }

    /** One token: its kind and its exact text. */
    record Token(Kind kind, String text) {
        /** Not blank and not a comment. */
        boolean significant() {
            return kind != Kind.SPACE && kind != Kind.COMMENT;
        }

        /** An identifier: a word starting with a letter, or a quoted identifier. */
        boolean isIdentifier() {
            return kind == Kind.QUOTED || kind == Kind.WORD && Character.isLetter(text.charAt(0));
        }

        /** The identifier's name: unquoted words are case-insensitive (lower case), quoted ones exact. */
        String name() {
            return kind == Kind.QUOTED ? text.substring(1, text.length() - 1).replace("\"\"", "\"")
                    : text.toLowerCase(Locale.ROOT);
        }

        /** A keyword test, case-insensitive. */
        boolean is(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }
    }

    private CqlScript() {
    }

    /**
     * The tokens of {@code text}; concatenated, their texts are {@code text}.
     *
     * @throws ModuleException when a literal, quoted identifier or comment is not closed
     */
    static List<Token> tokens(String text) throws ModuleException {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            int end;
            Kind kind;
            if (c == '\'') {
                end = closing(text, i, '\'', "string literal");
                kind = Kind.STRING;
            } else if (c == '"') {
                end = closing(text, i, '"', "quoted identifier");
                kind = Kind.QUOTED;
            } else if (text.startsWith("$$", i)) {
                int j = text.indexOf("$$", i + 2);
                end = need(j, "$$ block", text, i) + 2;
                kind = Kind.DOLLAR;
            } else if (text.startsWith("--", i) || text.startsWith("//", i)) {
                int j = text.indexOf('\n', i);
                end = j < 0 ? n : j;
                kind = Kind.COMMENT;
            } else if (text.startsWith("/*", i)) {
                int j = text.indexOf("*/", i + 2);
                end = need(j, "comment", text, i) + 2;
                kind = Kind.COMMENT;
            } else if (Character.isWhitespace(c)) {
                end = i;
                while (end < n && Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
                kind = Kind.SPACE;
            } else if (Character.isLetterOrDigit(c) || c == '_') {
                end = i;
                while (end < n && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                    end++;
                }
                kind = Kind.WORD;
            } else {
                end = i + 1;
                kind = Kind.PUNCT;
            }
            out.add(new Token(kind, text.substring(i, end)));
            i = end;
        }
        return out;
    }

    /** End (exclusive) of the literal opened at {@code start}: the next lone {@code q}. */
    private static int closing(String text, int start, char q, String what) throws ModuleException {
        int i = start + 1;
        while (i < text.length()) {
            if (text.charAt(i) == q) {
                if (i + 1 < text.length() && text.charAt(i + 1) == q) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        throw unclosed(what, text, start);
    }

    private static int need(int j, String what, String text, int start) throws ModuleException {
        if (j < 0) {
            throw unclosed(what, text, start);
        }
        return j;
    }

    private static ModuleException unclosed(String what, String text, int start) {
        int line = 1;
        for (int k = 0; k < start; k++) {
            if (text.charAt(k) == '\n') {
                line++;
            }
        }
        return new ModuleException("CQL: " + what + " opened on line " + line + " is not closed");
    }

    /**
     * The statements of a script, each trimmed and without its final {@code ;}; parts holding
     * only blanks and comments are dropped.
     *
     * @param blankLineEnds also end a statement at a blank line (outside literals and comments):
     *                      the layout of the driver's {@code describeWithChildren}, which ends
     *                      most statements with {@code ;} but not a {@code CREATE CUSTOM INDEX}
     *                      (seen with driver 4.19 on Cassandra 5.0: {@code ... USING 'sai'}
     *                      followed by a blank line). Off for scripts people write, where a
     *                      blank line may sit inside a statement.
     * @throws ModuleException when a literal or comment is not closed
     */
    public static List<String> split(String text, boolean blankLineEnds) throws ModuleException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean significant = false;
        for (Token t : tokens(text)) {
            boolean boundary = t.kind() == Kind.PUNCT && t.text().equals(";")
                    || blankLineEnds && t.kind() == Kind.SPACE && t.text().chars().filter(ch -> ch == '\n').count() >= 2;
            if (boundary) {
                if (significant) {
                    out.add(cur.toString().strip());
                }
                cur.setLength(0);
                significant = false;
                continue;
            }
            cur.append(t.text());
            significant |= t.significant();
        }
        if (significant) {
            out.add(cur.toString().strip());
        }
        return out;
    }

    /**
     * {@code statement} with every keyspace qualifier {@code from.} replaced by {@code "to".}
     * (an identifier naming keyspace {@code from}, as the driver writes it, quoted or not, and
     * followed by a dot). Literals, {@code $$} blocks and comments are left as they are.
     *
     * @throws ModuleException when a literal or comment is not closed
     */
    public static String renameKeyspace(String statement, String from, String to) throws ModuleException {
        List<Token> ts = tokens(statement);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ts.size(); i++) {
            Token t = ts.get(i);
            if (t.isIdentifier() && t.name().equals(from) && nextIsDot(ts, i)) {
                sb.append(CqlIdentifiers.quote(to));
            } else {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    private static boolean nextIsDot(List<Token> ts, int i) {
        for (int j = i + 1; j < ts.size(); j++) {
            if (ts.get(j).kind() != Kind.SPACE) {
                return ts.get(j).kind() == Kind.PUNCT && ts.get(j).text().equals(".");
            }
        }
        return false;
    }

    /** The significant tokens of {@code statement} (no blanks, no comments). */
    static List<Token> significant(String statement) throws ModuleException {
        return tokens(statement).stream().filter(Token::significant).toList();
    }

    /** The statement's first word in upper case (e.g. {@code SELECT}), or "" when it has none. */
    public static String firstKeyword(String statement) throws ModuleException {
        List<Token> ts = significant(statement);
        return ts.isEmpty() || ts.get(0).kind() != Kind.WORD ? "" : ts.get(0).text().toUpperCase(Locale.ROOT);
    }
}
