package dev.ringplan.engine.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import dev.ringplan.engine.template.JinjaLexer.Tok;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells a null that an expression legitimately yields apart from one that stands for something
 * undefined. Jinjava, set to fail on unknown tokens, fails every expression whose value is null;
 * in Jinja2 and Ansible a variable set to null ({@code x: ~}) is defined and is {@code None}, and
 * {@code none}/{@code None} are literals. An expression's null is legitimate when it is:
 * <ul>
 * <li>a null literal: {@code none}, {@code None} (Jinja2) or {@code null} (Jinjava);</li>
 * <li>a plain path ({@code x}, {@code result.rc}, {@code hostvars['n1'].x}) whose every step
 *     exists and whose last value is null;</li>
 * <li>an expression without attribute, subscript or function-call lookups ({@code x | default(none)},
 *     {@code a if c else none}) whose unguarded names are all defined and whose filters all exist.</li>
 * </ul>
 * Anything else keeps failing as undefined: a lookup inside a larger expression may have hit a
 * missing key, which must not pass for null.
 */
final class NullValues {
    private static final Set<String> LITERALS = Set.of("none", "None", "null");
    /** Words after which {@code [} opens a list literal, not a subscript. */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "in", "is", "if", "else");

    private NullValues() {
    }

    /** Whether {@code expression}, which evaluated to null in {@code in}, is a legitimate null (see the class comment). */
    static boolean isLegitimate(String expression, JinjavaInterpreter in) {
        String expr = expression.strip();
        if (LITERALS.contains(expr)) {
            return true;
        }
        List<TemplateErrors.PathStep> path = TemplateErrors.simplePath(expr);
        if (path != null) {
            return pathEndsInNull(path, in.getContext());
        }
        return withoutLookups(expr, in);
    }

    private static boolean pathEndsInNull(List<TemplateErrors.PathStep> path, Context context) {
        Object[] root = root(context, (String) path.get(0).key());
        if (root == null) {
            return false;
        }
        Object cur = root[0];
        for (TemplateErrors.PathStep step : path.subList(1, path.size())) {
            Object key = step.key();
            if (cur instanceof Map<?, ?> m && m.containsKey(key)) {
                cur = m.get(key);
            } else if (key instanceof Integer idx && cur instanceof List<?> l && idx < l.size()) {
                cur = l.get(idx);
            } else {
                return false;
            }
        }
        return cur == null;
    }

    /**
     * The value of a root name as a one-element array (its value may be null), or null when no
     * scope of the context, from the innermost out, defines the name.
     */
    private static Object[] root(Context context, String name) {
        for (Context c = context; c != null; c = c.getParent()) {
            if (c.getScope().containsKey(name)) {
                return new Object[] {c.getScope().get(name)};
            }
            if (c instanceof VarsContext v && v.defines(name)) {
                return new Object[] {v.get(name)};
            }
        }
        return null;
    }

    private static boolean withoutLookups(String expr, JinjavaInterpreter in) {
        List<Tok> toks = JinjaLexer.tokenize(expr, 0, expr.length());
        for (int k = 0; k < toks.size(); k++) {
            Tok t = toks.get(k);
            Tok prev = k > 0 ? toks.get(k - 1) : null;
            if (t.is(".")) {
                return false;
            }
            boolean afterValue = prev != null && ((prev.ident() && !KEYWORDS.contains(prev.text()))
                    || prev.kind() == 's' || prev.is(")") || prev.is("]"));
            if (t.is("[") && afterValue) {
                return false;
            }
            boolean filterOrTest = prev != null && (prev.is("|") || prev.isWord("is") || prev.isWord("not"));
            if (t.ident() && !filterOrTest && k + 1 < toks.size() && toks.get(k + 1).is("(")) {
                return false;
            }
        }
        for (VariableReferences.VariableRef r : VariableReferences.inExpression(expr)) {
            if (!r.guarded() && root(in.getContext(), r.name()) == null) {
                return false;
            }
        }
        for (String f : VariableReferences.filterNames(expr)) {
            if (in.getContext().getFilter(f) == null) {
                return false;
            }
        }
        return true;
    }
}
