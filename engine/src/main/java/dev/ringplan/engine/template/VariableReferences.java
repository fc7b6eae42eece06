package dev.ringplan.engine.template;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds, without rendering, the root variables a template refers to, so that a compiler can
 * report undefined variables with their position before any host is contacted.
 *
 * <p><b>What counts as a reference.</b> In every {@code {{ ... }}} expression and in the
 * expressions of {@code {% if/elif/for/set/print/do/call/with %}} statements, an identifier
 * is a root reference unless it is an attribute ({@code a.b}: only {@code a}), a filter name
 * ({@code | upper}), a test name ({@code is defined}), a function call ({@code range(3)}), a
 * keyword argument ({@code map(attribute='n')}), a keyword or literal ({@code and},
 * {@code true}, {@code None}, {@code loop}, ...), or a name bound in the same template
 * ({@code for} targets, {@code set}/{@code with} targets, macro names and parameters). Names
 * inside brackets are references too ({@code hostvars[inventory_hostname]} refers to both).
 * Comments and {@code {% raw %}} blocks are skipped.
 *
 * <p><b>Guarded references.</b> A reference is {@linkplain VariableRef#guarded() guarded}
 * when the value it starts is followed by {@code | default(...)} or {@code | d(...)}, or is
 * tested with {@code is defined}, {@code is undefined} or {@code is not defined}; and
 * everywhere in a template where the name is tested with {@code is defined} /
 * {@code is undefined} somewhere (the common {@code {% if x is defined %}{{ x }}{% endif %}}).
 * A guarded reference to an undefined name is not an error.
 *
 * <p>Best effort: this is a lexical analysis, not Jinja's parser; scoping of bound names is
 * per template, not per block.
 */
public final class VariableReferences {
    private VariableReferences() {
    }

    /**
     * A reference to a root variable.
     *
     * @param name    the root variable's name ({@code hostvars} for {@code hostvars['n1'].ring})
     * @param guarded whether an undefined value is handled ({@code default}, {@code is defined})
     * @param line    1-based line of the name in the template text
     * @param column  1-based column (code points) of the name in its line
     */
    public record VariableRef(String name, boolean guarded, int line, int column) {
    }

    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "is", "if", "else",
            "elif", "true", "false", "none", "null", "True", "False", "None", "recursive", "loop",
            "self", "caller", "varargs", "kwargs", "super", "empty", "div", "mod", "eq", "ne", "lt",
            "gt", "le", "ge", "instanceof", "as", "with", "without", "context", "ignore", "missing");
    private static final Set<String> EXPRESSION_TAGS = Set.of("if", "elif", "for", "set", "print",
            "do", "call", "with", "unless");
    private static final Set<String> DEFINED_TESTS = Set.of("defined", "undefined");

    /** All references of a template ({@code {{ }}} and {@code {% %}} parts), in text order. */
    public static List<VariableRef> inTemplate(String template) {
        return analyse(template, segments(template));
    }

    /**
     * All references of a bare expression, as written in a {@code when:} condition (no
     * braces), in text order.
     */
    public static List<VariableRef> inExpression(String expression) {
        List<Segment> segs = List.of(new Segment(false, 0, expression.length()));
        return analyse(expression, segs);
    }

    /** The distinct root names a template refers to (guarded or not), in first-use order. */
    public static Set<String> rootNames(String template) {
        Set<String> out = new LinkedHashSet<>();
        for (VariableRef r : inTemplate(template)) {
            out.add(r.name());
        }
        return out;
    }

    /**
     * The unguarded references of a template to names that {@code known} does not accept:
     * the undefined-variable errors a render would raise, found without rendering.
     *
     * @param template the template text
     * @param known    whether a root name is defined (variables, registered names, hostvars,
     *                 groups, ...)
     */
    public static List<VariableRef> undefined(String template, Predicate<String> known) {
        List<VariableRef> out = new ArrayList<>();
        for (VariableRef r : inTemplate(template)) {
            if (!r.guarded() && !known.test(r.name())) {
                out.add(r);
            }
        }
        return out;
    }

    /** The filter names used in a bare expression ({@code x | upper | join(',')}). */
    static Set<String> filterNames(String expression) {
        List<Tok> toks = tokenize(expression, 0, expression.length());
        Set<String> out = new LinkedHashSet<>();
        for (int k = 1; k < toks.size(); k++) {
            if (toks.get(k).ident() && toks.get(k - 1).is("|")) {
                out.add(toks.get(k).text);
            }
        }
        return out;
    }

    /** The test names used in a bare expression ({@code x is defined}, {@code x is not none}). */
    static Set<String> testNames(String expression) {
        List<Tok> toks = tokenize(expression, 0, expression.length());
        Set<String> out = new LinkedHashSet<>();
        for (int k = 1; k < toks.size(); k++) {
            Tok prev = toks.get(k - 1);
            if (!toks.get(k).ident() || toks.get(k).isWord("not")) {
                continue;
            }
            if (prev.isWord("is") || (prev.isWord("not") && k > 1 && toks.get(k - 2).isWord("is"))) {
                out.add(toks.get(k).text);
            }
        }
        return out;
    }

    /**
     * The expressions of a template, as text: every {@code {{ }}} body and the conditions of
     * {@code {% if %}} / {@code {% elif %}} and the iterables of {@code {% for x in ... %}}.
     */
    static List<String> expressions(String template) {
        List<String> out = new ArrayList<>();
        for (Segment s : segments(template)) {
            if (!s.statement) {
                out.add(template.substring(s.start, s.end));
                continue;
            }
            List<Tok> toks = tokenize(template, s.start, s.end);
            if (toks.isEmpty()) {
                continue;
            }
            String tag = toks.get(0).text;
            if ((tag.equals("if") || tag.equals("elif")) && toks.size() > 1) {
                out.add(template.substring(toks.get(1).start, s.end));
            } else if (tag.equals("for")) {
                int in = indexOfWord(toks, "in");
                if (in >= 0 && in + 1 < toks.size()) {
                    int end = s.end;
                    int rec = indexOfWord(toks.subList(in + 1, toks.size()), "recursive");
                    int cond = indexOfWord(toks.subList(in + 1, toks.size()), "if");
                    int cut = Math.min(rec < 0 ? Integer.MAX_VALUE : rec, cond < 0 ? Integer.MAX_VALUE : cond);
                    if (cut != Integer.MAX_VALUE) {
                        end = toks.get(in + 1 + cut).start;
                    }
                    out.add(template.substring(toks.get(in + 1).start, end));
                }
            }
        }
        return out;
    }

    /** Names bound by statements of a template ({@code for}, {@code set}, macros). */
    static Set<String> boundNames(String template) {
        Set<String> bound = new HashSet<>();
        for (Segment s : segments(template)) {
            if (s.statement) {
                statement(template, s, bound, null);
            }
        }
        return bound;
    }

    // ---------------------------------------------------------------- segments

    /** A {@code {{ }}} (statement=false) or {@code {% %}} (statement=true) body. */
    private record Segment(boolean statement, int start, int end) {
    }

    private static List<Segment> segments(String t) {
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

    // ---------------------------------------------------------------- analysis

    private static List<VariableRef> analyse(String text, List<Segment> segs) {
        Set<String> bound = new HashSet<>();
        List<List<Tok>> expressions = new ArrayList<>();
        for (Segment s : segs) {
            if (s.statement) {
                statement(text, s, bound, expressions);
            } else {
                expressions.add(tokenize(text, s.start, s.end));
            }
        }
        Set<String> testedDefined = new HashSet<>();
        List<Raw> raws = new ArrayList<>();
        for (List<Tok> toks : expressions) {
            references(toks, bound, raws);
        }
        for (Raw r : raws) {
            if (r.testedDefined) {
                testedDefined.add(r.tok.text);
            }
        }
        int[] lineStarts = lineStarts(text);
        List<VariableRef> out = new ArrayList<>();
        for (Raw r : raws) {
            int line = lineOf(lineStarts, r.tok.start);
            int col = text.codePointCount(lineStarts[line - 1], r.tok.start) + 1;
            boolean guarded = r.guarded || testedDefined.contains(r.tok.text);
            out.add(new VariableRef(r.tok.text, guarded, line, col));
        }
        return out;
    }

    /** Records names a statement binds; adds its expression parts to {@code expressions}. */
    private static void statement(String text, Segment s, Set<String> bound, List<List<Tok>> expressions) {
        List<Tok> toks = tokenize(text, s.start, s.end);
        if (toks.isEmpty() || !toks.get(0).ident()) {
            return;
        }
        String tag = toks.get(0).text;
        List<Tok> rest = toks.subList(1, toks.size());
        switch (tag) {
            case "for" -> {
                int in = indexOfWord(rest, "in");
                List<Tok> targets = in < 0 ? rest : rest.subList(0, in);
                targets.stream().filter(Tok::ident).forEach(t -> bound.add(t.text));
                if (expressions != null && in >= 0) {
                    expressions.add(rest.subList(in + 1, rest.size()));
                }
            }
            case "macro" -> rest.stream().filter(Tok::ident).forEach(t -> bound.add(t.text));
            case "import", "from" -> {
                int as = indexOfWord(rest, "as");
                if (as >= 0 && as + 1 < rest.size()) {
                    bound.add(rest.get(as + 1).text);
                }
                if (tag.equals("from")) {
                    int imp = indexOfWord(rest, "import");
                    if (imp >= 0) {
                        rest.subList(imp + 1, rest.size()).stream().filter(Tok::ident)
                                .forEach(t -> bound.add(t.text));
                    }
                }
            }
            default -> {
                if (!EXPRESSION_TAGS.contains(tag)) {
                    return;
                }
                // set / with targets: names directly followed by a single '=' at depth 0,
                // or the only names of a block set ({% set x %}...{% endset %}).
                int depth = 0;
                boolean hasAssign = false;
                for (int k = 0; k < rest.size(); k++) {
                    Tok t = rest.get(k);
                    depth += t.depthDelta();
                    if (depth == 0 && t.is("=")) {
                        hasAssign = true;
                        for (int b = k - 1; b >= 0 && (rest.get(b).ident() || rest.get(b).is(",")); b--) {
                            if (rest.get(b).ident()) {
                                bound.add(rest.get(b).text);
                            }
                        }
                    }
                }
                if (tag.equals("set") && !hasAssign) {
                    rest.stream().filter(Tok::ident).forEach(t -> bound.add(t.text));
                    return;
                }
                if (expressions != null) {
                    expressions.add(rest);
                }
            }
        }
    }

    private record Raw(Tok tok, boolean guarded, boolean testedDefined) {
    }

    private static void references(List<Tok> toks, Set<String> bound, List<Raw> out) {
        for (int k = 0; k < toks.size(); k++) {
            Tok t = toks.get(k);
            if (!t.ident() || KEYWORDS.contains(t.text) || bound.contains(t.text)) {
                continue;
            }
            Tok prev = k > 0 ? toks.get(k - 1) : null;
            Tok next = k + 1 < toks.size() ? toks.get(k + 1) : null;
            if (prev != null && (prev.is(".") || prev.is("|") || prev.isWord("is")
                    || (prev.isWord("not") && k > 1 && toks.get(k - 2).isWord("is")))) {
                continue;
            }
            if (next != null && (next.is("(") || next.is("="))) {
                continue;
            }
            int end = skipPostfix(toks, k + 1);
            Tok a = end < toks.size() ? toks.get(end) : null;
            Tok b = end + 1 < toks.size() ? toks.get(end + 1) : null;
            Tok c = end + 2 < toks.size() ? toks.get(end + 2) : null;
            boolean defaulted = a != null && a.is("|") && b != null && (b.isWord("default") || b.isWord("d"));
            boolean tested = a != null && a.isWord("is") && b != null
                    && (DEFINED_TESTS.contains(b.text) || (b.isWord("not") && c != null && DEFINED_TESTS.contains(c.text)));
            boolean isRoot = end == k + 1;
            out.add(new Raw(t, defaulted || tested, tested && isRoot));
        }
    }

    /** Skips {@code .name} and {@code [ ... ]} after a name; returns the next token index. */
    private static int skipPostfix(List<Tok> toks, int k) {
        while (k < toks.size()) {
            Tok t = toks.get(k);
            if (t.is(".") && k + 1 < toks.size() && toks.get(k + 1).ident()) {
                k += 2;
            } else if (t.is("[")) {
                int depth = 0;
                do {
                    depth += toks.get(k).depthDelta();
                    k++;
                } while (k < toks.size() && depth > 0);
            } else {
                break;
            }
        }
        return k;
    }

    private static int indexOfWord(List<Tok> toks, String word) {
        int depth = 0;
        for (int k = 0; k < toks.size(); k++) {
            if (depth == 0 && toks.get(k).isWord(word)) {
                return k;
            }
            depth += toks.get(k).depthDelta();
        }
        return -1;
    }

    // ---------------------------------------------------------------- tokens

    /** A lexical token of an expression. */
    private record Tok(char kind, String text, int start) {
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

    private static int[] lineStarts(String t) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int lineOf(int[] starts, int offset) {
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
