package dev.ringplan.engine.template;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import dev.ringplan.engine.template.JinjaLexer.Segment;
import dev.ringplan.engine.template.JinjaLexer.Tok;

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
 * per template, not per block. The text is cut into parts and tokens by {@link JinjaLexer}.
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
        return analyse(template, JinjaLexer.segments(template));
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
        List<Tok> toks = JinjaLexer.tokenize(expression, 0, expression.length());
        Set<String> out = new LinkedHashSet<>();
        for (int k = 1; k < toks.size(); k++) {
            if (toks.get(k).ident() && toks.get(k - 1).is("|")) {
                out.add(toks.get(k).text());
            }
        }
        return out;
    }

    /** The test names used in a bare expression ({@code x is defined}, {@code x is not none}). */
    static Set<String> testNames(String expression) {
        List<Tok> toks = JinjaLexer.tokenize(expression, 0, expression.length());
        Set<String> out = new LinkedHashSet<>();
        for (int k = 1; k < toks.size(); k++) {
            Tok prev = toks.get(k - 1);
            if (!toks.get(k).ident() || toks.get(k).isWord("not")) {
                continue;
            }
            if (prev.isWord("is") || (prev.isWord("not") && k > 1 && toks.get(k - 2).isWord("is"))) {
                out.add(toks.get(k).text());
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
        for (Segment s : JinjaLexer.segments(template)) {
            if (!s.statement()) {
                out.add(template.substring(s.start(), s.end()));
                continue;
            }
            List<Tok> toks = JinjaLexer.tokenize(template, s.start(), s.end());
            if (toks.isEmpty()) {
                continue;
            }
            String tag = toks.get(0).text();
            if ((tag.equals("if") || tag.equals("elif")) && toks.size() > 1) {
                out.add(template.substring(toks.get(1).start(), s.end()));
            } else if (tag.equals("for")) {
                int in = JinjaLexer.indexOfWord(toks, "in");
                if (in >= 0 && in + 1 < toks.size()) {
                    int end = s.end();
                    int rec = JinjaLexer.indexOfWord(toks.subList(in + 1, toks.size()), "recursive");
                    int cond = JinjaLexer.indexOfWord(toks.subList(in + 1, toks.size()), "if");
                    int cut = Math.min(rec < 0 ? Integer.MAX_VALUE : rec, cond < 0 ? Integer.MAX_VALUE : cond);
                    if (cut != Integer.MAX_VALUE) {
                        end = toks.get(in + 1 + cut).start();
                    }
                    out.add(template.substring(toks.get(in + 1).start(), end));
                }
            }
        }
        return out;
    }

    /** Names bound by statements of a template ({@code for}, {@code set}, macros). */
    static Set<String> boundNames(String template) {
        Set<String> bound = new HashSet<>();
        for (Segment s : JinjaLexer.segments(template)) {
            if (s.statement()) {
                statement(template, s, bound, null);
            }
        }
        return bound;
    }

    // ---------------------------------------------------------------- analysis

    private static List<VariableRef> analyse(String text, List<Segment> segs) {
        Set<String> bound = new HashSet<>();
        List<List<Tok>> expressions = new ArrayList<>();
        for (Segment s : segs) {
            if (s.statement()) {
                statement(text, s, bound, expressions);
            } else {
                expressions.add(JinjaLexer.tokenize(text, s.start(), s.end()));
            }
        }
        Set<String> testedDefined = new HashSet<>();
        List<Raw> raws = new ArrayList<>();
        for (List<Tok> toks : expressions) {
            references(toks, bound, raws);
        }
        for (Raw r : raws) {
            if (r.testedDefined) {
                testedDefined.add(r.tok.text());
            }
        }
        int[] lineStarts = JinjaLexer.lineStarts(text);
        List<VariableRef> out = new ArrayList<>();
        for (Raw r : raws) {
            int line = JinjaLexer.lineOf(lineStarts, r.tok.start());
            int col = text.codePointCount(lineStarts[line - 1], r.tok.start()) + 1;
            boolean guarded = r.guarded || testedDefined.contains(r.tok.text());
            out.add(new VariableRef(r.tok.text(), guarded, line, col));
        }
        return out;
    }

    /** Records names a statement binds; adds its expression parts to {@code expressions}. */
    private static void statement(String text, Segment s, Set<String> bound, List<List<Tok>> expressions) {
        List<Tok> toks = JinjaLexer.tokenize(text, s.start(), s.end());
        if (toks.isEmpty() || !toks.get(0).ident()) {
            return;
        }
        String tag = toks.get(0).text();
        List<Tok> rest = toks.subList(1, toks.size());
        switch (tag) {
            case "for" -> {
                int in = JinjaLexer.indexOfWord(rest, "in");
                List<Tok> targets = in < 0 ? rest : rest.subList(0, in);
                targets.stream().filter(Tok::ident).forEach(t -> bound.add(t.text()));
                if (expressions != null && in >= 0) {
                    expressions.add(rest.subList(in + 1, rest.size()));
                }
            }
            case "macro" -> rest.stream().filter(Tok::ident).forEach(t -> bound.add(t.text()));
            case "import", "from" -> {
                int as = JinjaLexer.indexOfWord(rest, "as");
                if (as >= 0 && as + 1 < rest.size()) {
                    bound.add(rest.get(as + 1).text());
                }
                if (tag.equals("from")) {
                    int imp = JinjaLexer.indexOfWord(rest, "import");
                    if (imp >= 0) {
                        rest.subList(imp + 1, rest.size()).stream().filter(Tok::ident)
                                .forEach(t -> bound.add(t.text()));
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
                                bound.add(rest.get(b).text());
                            }
                        }
                    }
                }
                if (tag.equals("set") && !hasAssign) {
                    rest.stream().filter(Tok::ident).forEach(t -> bound.add(t.text()));
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
            if (!t.ident() || KEYWORDS.contains(t.text()) || bound.contains(t.text())) {
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
                    && (DEFINED_TESTS.contains(b.text()) || (b.isWord("not") && c != null && DEFINED_TESTS.contains(c.text())));
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
}
