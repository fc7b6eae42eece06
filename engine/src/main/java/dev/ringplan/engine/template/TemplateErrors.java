package dev.ringplan.engine.template;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.UnknownTokenException;
import dev.ringplan.engine.diag.Suggest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns what went wrong in Jinjava into a {@link TemplateException} a user can act on: the
 * fatal errors an interpreter collected, and an expression that had no value, for which it
 * names the undefined variable or the first missing step of a path
 * ({@code 'hostvars['n2']' is undefined}), or an unknown filter with a "did you mean". Every
 * message ends with the template it comes from ({@link #where}).
 */
final class TemplateErrors {
    private static final int MAX_MESSAGE_TEMPLATE = 120;

    private final Context globals;

    /** @param globals the templater's global context (names defined whatever the variables) */
    TemplateErrors(Context globals) {
        this.globals = globals;
    }

    /** Turns Jinjava's fatal errors (and syntax warnings) into an exception. */
    void check(JinjavaInterpreter in, String template, Map<String, ?> vars) throws TemplateException {
        for (TemplateError e : in.getErrors()) {
            boolean fatal = e.getSeverity() == TemplateError.ErrorType.FATAL
                    || e.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR;
            if (!fatal) {
                continue;
            }
            Throwable cause = e.getException();
            while (cause != null && !(cause instanceof AnsibleFilters.FilterFailure)
                    && !(cause instanceof UnknownTokenException)) {
                cause = cause.getCause();
            }
            if (cause instanceof AnsibleFilters.FilterFailure f) {
                throw new TemplateException(f.getMessage() + where(template), template, null, f);
            }
            if (cause instanceof UnknownTokenException u) {
                throw undefined(u.getToken(), template, vars, in);
            }
            String msg = e.getMessage();
            String prefix = "UnknownTokenException: Unknown token found: ";
            if (msg != null && msg.startsWith(prefix)) {
                throw undefined(msg.substring(prefix.length()), template, vars, in);
            }
            throw new TemplateException(describe(e) + where(template), template, null, e.getException());
        }
    }

    /** One Jinjava error as a message: its text (an unclosed tag explained), and its line when past the first. */
    static String describe(TemplateError e) {
        String msg = e.getMessage() == null ? e.getReason().toString() : e.getMessage();
        if (msg.equals("Unclosed token")) {
            msg = "unclosed {{ or {% (missing }} or %})";
        }
        return msg + (e.getLineno() > 1 ? " (template line " + e.getLineno() + ")" : "");
    }

    /** Names what is undefined in an expression Jinjava found to have no value. */
    TemplateException undefined(String token, String template, Map<String, ?> vars, JinjavaInterpreter in) {
        String expr = token.trim();
        // 1. A plain path: name the first missing step.
        List<PathStep> path = simplePath(expr);
        Set<String> bound = VariableReferences.boundNames(template);
        if (path != null && !bound.contains((String) path.get(0).key())) {
            String missing = firstMissing(path, vars);
            if (missing != null) {
                return undefinedError(missing, template);
            }
            return new TemplateException("'" + expr + "' has no value here (null)"
                    + " (use default(...) or 'is none')" + where(template), template, expr, null);
        }
        // 2. A root name that no variable holds.
        for (VariableReferences.VariableRef r : VariableReferences.inExpression(expr)) {
            if (!r.guarded() && !vars.containsKey(r.name()) && !bound.contains(r.name())
                    && !globals.containsKey(r.name())) {
                return undefinedError(r.name(), template);
            }
        }
        // 3. An unknown filter.
        for (String f : VariableReferences.filterNames(expr)) {
            if (in.getContext().getFilter(f) == null) {
                List<String> names = new ArrayList<>();
                in.getContext().getAllFilters().forEach(x -> names.add(x.getName()));
                String hint = Suggest.didYouMean(f, names);
                return new TemplateException("no filter named '" + f + "'" + (hint == null ? "" : ", " + hint)
                        + where(template), template, null, null);
            }
        }
        return undefinedError(expr, template);
    }

    /** {@code 'NAME' is undefined in "TEMPLATE"}, naming the undefined variable. */
    static TemplateException undefinedError(String name, String template) {
        return new TemplateException("'" + name + "' is undefined" + where(template), template, name, null);
    }

    /** {@code  in "TEMPLATE"} for the end of a message, the template cut to {@value #MAX_MESSAGE_TEMPLATE} characters. */
    static String where(String template) {
        String t = template.length() > MAX_MESSAGE_TEMPLATE
                ? template.substring(0, MAX_MESSAGE_TEMPLATE) + "..." : template;
        return " in \"" + t.replace("\n", "\\n") + "\"";
    }

    /** One step of a plain path: the key (String or Integer) and how it was written. */
    record PathStep(Object key, String text) {
    }

    /**
     * Parses {@code name(.attr|['key']|["key"]|[0])*}; null when the expression is anything
     * else.
     */
    static List<PathStep> simplePath(String expr) {
        List<PathStep> out = new ArrayList<>();
        int n = expr.length();
        int i = 0;
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_')) {
            i++;
        }
        if (i == 0 || Character.isDigit(expr.charAt(0))) {
            return null;
        }
        out.add(new PathStep(expr.substring(0, i), expr.substring(0, i)));
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '.') {
                int s = ++i;
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_')) {
                    i++;
                }
                if (i == s) {
                    return null;
                }
                out.add(new PathStep(expr.substring(s, i), expr.substring(s - 1, i)));
            } else if (c == '[') {
                int close = expr.indexOf(']', i);
                if (close < 0) {
                    return null;
                }
                String inner = expr.substring(i + 1, close).trim();
                Object key;
                if (inner.length() >= 2 && (inner.charAt(0) == '\'' || inner.charAt(0) == '"')
                        && inner.indexOf(inner.charAt(0), 1) == inner.length() - 1) {
                    key = inner.substring(1, inner.length() - 1);
                } else if (inner.matches("\\d+")) {
                    key = Integer.valueOf(inner);
                } else {
                    return null;
                }
                out.add(new PathStep(key, expr.substring(i, close + 1)));
                i = close + 1;
            } else {
                return null;
            }
        }
        return out;
    }

    /** The shortest prefix of the path that has no value, as written; null if all exist. */
    private static String firstMissing(List<PathStep> path, Map<String, ?> vars) {
        String root = (String) path.get(0).key();
        StringBuilder text = new StringBuilder(root);
        if (!vars.containsKey(root)) {
            return text.toString();
        }
        Object cur = vars.get(root);
        for (PathStep step : path.subList(1, path.size())) {
            text.append(step.text());
            Object key = step.key();
            if (cur instanceof Map<?, ?> m && m.containsKey(key)) {
                cur = m.get(key);
            } else if (key instanceof Integer idx && cur instanceof List<?> l && idx < l.size()) {
                cur = l.get(idx);
            } else {
                return text.toString();
            }
        }
        return null;
    }
}
