package dev.ringplan.engine.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The lexical layer of {@link VariableReferences}: cuts a Jinja template into the bodies of its
 * {@code {{ }}} and {@code {% %}} parts (skipping comments and {@code {% raw %}} blocks, and
 * string literals when looking for the closing braces), and an expression into tokens. Knows
 * nothing of what the tokens mean.
 */
final class JinjaLexer {
    private JinjaLexer() {
    }

    /** A {@code {{ }}} (statement=false) or {@code {% %}} (statement=true) body: {@code [start, end)} of the text. */
    record Segment(boolean statement, int start, int end) {
    }

    /** The bodies of the {@code {{ }}} and {@code {% %}} parts of a template, in text order; comments and raw blocks skipped. */
    static List<Segment> segments(String t) {
        List<Segment> out = new ArrayList<>();
        int i = 0;
        int n = t.length();
        while (i < n - 1) {
            int open = nextOpen(t, i);
            if (open < 0) {
                break;
            }
            char kind = t.charAt(open + 1);
            if (kind == '#') {
                int close = t.indexOf("#}", open + 2);
                i = close < 0 ? n : close + 2;
                continue;
            }
            String closer = kind == '{' ? "}}" : "%}";
            int close = findClose(t, open + 2, closer);
            int bodyStart = open + 2;
            int bodyEnd = close < 0 ? n : close;
            if (bodyStart < bodyEnd && "-+".indexOf(t.charAt(bodyStart)) >= 0) {
                bodyStart++;
            }
            if (bodyEnd > bodyStart && "-+".indexOf(t.charAt(bodyEnd - 1)) >= 0) {
                bodyEnd--;
            }
            i = close < 0 ? n : close + 2;
            if (kind == '%') {
                List<Tok> toks = tokenize(t, bodyStart, bodyEnd);
                if (!toks.isEmpty() && toks.get(0).text.equals("raw")) {
                    i = skipRaw(t, i);
                    continue;
                }
            }
            out.add(new Segment(kind == '%', bodyStart, bodyEnd));
        }
        return out;
    }

    private static int nextOpen(String t, int from) {
        for (int i = from; i < t.length() - 1; i++) {
            if (t.charAt(i) == '{') {
                char c = t.charAt(i + 1);
                if (c == '{' || c == '%' || c == '#') {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The index of {@code closer} after {@code from}, skipping string literals; -1 if none. */
    private static int findClose(String t, int from, String closer) {
        char quote = 0;
        for (int i = from; i < t.length(); i++) {
            char c = t.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (t.startsWith(closer, i)) {
                return i;
            }
        }
        return -1;
    }

    private static int skipRaw(String t, int from) {
        int i = from;
        while (true) {
            int open = t.indexOf("{%", i);
            if (open < 0) {
                return t.length();
            }
            int close = t.indexOf("%}", open + 2);
            if (close < 0) {
                return t.length();
            }
            String body = t.substring(open + 2, close).replace("-", "").replace("+", "").trim();
            i = close + 2;
            if (body.equals("endraw")) {
                return i;
            }
        }
    }

    /** A lexical token of an expression: kind {@code i} identifier, {@code n} number, {@code s} string, {@code o} operator. */
    record Tok(char kind, String text, int start) {
        boolean ident() {
            return kind == 'i';
        }

        boolean is(String op) {
            return kind == 'o' && text.equals(op);
        }

        boolean isWord(String w) {
            return kind == 'i' && text.equals(w);
        }

        int depthDelta() {
            if (kind != 'o') {
                return 0;
            }
            return switch (text) {
                case "(", "[", "{" -> 1;
                case ")", "]", "}" -> -1;
                default -> 0;
            };
        }
    }

    private static final Set<String> TWO_CHAR_OPS = Set.of("==", "!=", "<=", ">=", "//", "**");

    /** The tokens of {@code t} between {@code from} and {@code to}: identifiers, numbers, strings, operators. */
    static List<Tok> tokenize(String t, int from, int to) {
        List<Tok> out = new ArrayList<>();
        int i = from;
        while (i < to) {
            char c = t.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int s = i;
                while (i < to && (Character.isLetterOrDigit(t.charAt(i)) || t.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Tok('i', t.substring(s, i), s));
            } else if (Character.isDigit(c)) {
                int s = i;
                while (i < to && (Character.isLetterOrDigit(t.charAt(i)) || t.charAt(i) == '.'
                        || t.charAt(i) == '_')) {
                    i++;
                }
                out.add(new Tok('n', t.substring(s, i), s));
            } else if (c == '\'' || c == '"') {
                int s = i++;
                while (i < to && t.charAt(i) != c) {
                    i += t.charAt(i) == '\\' ? 2 : 1;
                }
                i = Math.min(i + 1, to);
                out.add(new Tok('s', t.substring(s, i), s));
            } else if (i + 1 < to && TWO_CHAR_OPS.contains(t.substring(i, i + 2))) {
                out.add(new Tok('o', t.substring(i, i + 2), i));
                i += 2;
            } else {
                out.add(new Tok('o', String.valueOf(c), i));
                i++;
            }
        }
        return out;
    }

    /** The index of the first identifier {@code word} outside brackets, or -1. */
    static int indexOfWord(List<Tok> toks, String word) {
        int depth = 0;
        for (int k = 0; k < toks.size(); k++) {
            if (depth == 0 && toks.get(k).isWord(word)) {
                return k;
            }
            depth += toks.get(k).depthDelta();
        }
        return -1;
    }

    /** The offset of each line's first character; {@code [0]} is 0. */
    static int[] lineStarts(String t) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The 1-based line of {@code offset}, given {@link #lineStarts}. */
    static int lineOf(int[] starts, int offset) {
        int lo = 0;
        int hi = starts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo + 1;
    }
}
