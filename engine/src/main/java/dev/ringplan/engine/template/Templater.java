package dev.ringplan.engine.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.UnknownTokenException;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.tree.ExpressionNode;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TextNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import dev.ringplan.engine.diag.Suggest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders Jinja2 templates the way Ansible does, with HubSpot's Jinjava
 * (https://github.com/HubSpot/jinjava) as the engine. One instance is thread-safe and meant
 * to be shared: each call gets its own interpreter.
 *
 * <p><b>Values.</b> {@link #render(Object, Map)} walks strings, lists and maps (map values
 * only; keys are kept as they are, as in Ansible). A string without <code>{{</code>, <code>{%</code> or
 * <code>{#</code> is returned untouched. A string that is exactly one expression, blanks around it
 * allowed ({@code "{{ nodes }}"}), keeps the type of its value (list, map, number, boolean),
 * as Ansible does; Jinjava's own list and map classes are copied into {@link ArrayList} and
 * {@link LinkedHashMap}. Any other template renders to a string.
 *
 * <p><b>Printing values inside strings</b> follows Python, as in Ansible: {@code True} /
 * {@code False}, {@code None}, {@code ['a', 'b']}, {@code {'k': 1}} (Jinjava alone would
 * print {@code true} and {@code [a, b]}). Filters {@code string} and {@code join} print the
 * same way. {@code True} and {@code False} are also accepted as literals (Jinjava knows
 * {@code true}, {@code false} and {@code null}); {@code None} is not, write {@code null} or
 * test with {@code is none}.
 *
 * <p><b>Undefined variables are errors</b> ({@link TemplateException} naming the variable,
 * e.g. {@code 'tag' is undefined}, or the first missing step of a path, e.g.
 * {@code 'hostvars['n2']' is undefined}), found two ways: (1) before rendering, every
 * unguarded root name the template refers to ({@link VariableReferences}) must be a variable,
 * so {@code x or 'z'} and {@code x == 'a'} fail for an undefined {@code x}, as in Ansible;
 * (2) while rendering, Jinjava's {@code failOnUnknownTokens} fails any expression or
 * {@code if}/{@code for} condition whose value is undefined (a missing key or attribute such
 * as {@code hostvars['n2'].ring}). {@code x | default('y')}, {@code x | d('y')},
 * {@code x is defined} and {@code {% if x is defined %}...{{ x }}...} work when {@code x} is
 * undefined. Limits: a variable whose value is null counts as undefined when an expression
 * yields it (use {@code default} or {@code is none}); a missing key inside a larger
 * expression that still has a value ({@code hostvars['n2'].x == 1}) is not reported.
 * Variables given as {@link LazyVars} are rendered on first use, strictly: a variable whose
 * value refers to an undefined name fails the template that uses it (unless the use is guarded),
 * with the variable's position; the map is read on demand, never copied.
 *
 * <p><b>Jinjava syntax differences.</b> Jinjava ends an expression at the first <code>}}</code>,
 * so a nested dict literal needs a blank: {@code {{ {'a': {'b': 1} } }}}. Number literals
 * are integers or doubles; integer results that fit an int are returned as {@link Integer}.
 *
 * <p><b>Filters.</b> Jinjava's built-ins (join, length, lower, upper, replace, int, list,
 * first, last, map, select, reject, selectattr, rejectattr, unique, sort, tojson, ...) plus
 * Ansible's: {@code default}/{@code d} (keeping the value's type), {@code bool},
 * {@code string}, {@code to_json}, {@code to_nice_json}, {@code from_json}, {@code to_yaml},
 * {@code to_nice_yaml}, {@code from_yaml}, {@code basename}, {@code dirname},
 * {@code regex_replace} (Python replacement syntax), {@code quote} (shell), {@code ternary},
 * {@code combine}. {@code include}, {@code import} and {@code extends} cannot load anything.
 * Function: {@code lookup('env', 'NAME')} ({@link Lookups}).
 */
public final class Templater {

    private static final int MAX_MESSAGE_TEMPLATE = 120;

    private final Jinjava jinjava;
    private final JinjavaConfig config;

    private static final class Holder {
        static final Templater SHARED = new Templater();
    }

    /** The process-wide templater (Jinjava set-up is costly; every call is independent). */
    public static Templater shared() {
        return Holder.SHARED;
    }

    /** A templater with Ansible's filters and settings (trim_blocks on, as Ansible). */
    public Templater() {
        config = JinjavaConfig.newBuilder()
                .withFailOnUnknownTokens(true)
                .withNestedInterpretationEnabled(false)
                .withTrimBlocks(true)
                .withMaxOutputSize(16L * 1024 * 1024)
                .build();
        jinjava = new Jinjava(config);
        jinjava.setResourceLocator((name, encoding, interpreter) -> {
            throw new IOException("templates cannot load other files ('" + name + "')");
        });
        for (Filter f : AnsibleFilters.all()) {
            jinjava.getGlobalContext().registerFilter(f);
        }
        jinjava.getGlobalContext().registerFunction(Lookups.definition());
        jinjava.getGlobalContext().put("True", Boolean.TRUE);
        jinjava.getGlobalContext().put("False", Boolean.FALSE);
    }

    /**
     * Whether a string holds template markup (<code>{{</code>, <code>{%</code> or <code>{#</code>); strings
     * without it are never rendered.
     */
    public static boolean isTemplate(String s) {
        return s != null && (s.contains("{{") || s.contains("{%") || s.contains("{#"));
    }

    /**
     * Whether a value holds a template anywhere: a string as {@link #isTemplate(String)}, a
     * list or map value (not key) recursively. The one rule for deciding what is rendered.
     */
    public static boolean isTemplated(Object value) {
        if (value instanceof String s) {
            return isTemplate(s);
        }
        if (value instanceof Collection<?> c) {
            for (Object o : c) {
                if (isTemplated(o)) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof Map<?, ?> m) {
            for (Object o : m.values()) {
                if (isTemplated(o)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Renders a value: strings as {@link #renderValue}, lists and map values recursively,
     * anything else returned as is. Returns new lists and maps; the input is not modified.
     *
     * @param value a string, list, map, number, boolean or null
     * @param vars  the variables visible to the templates
     * @return the rendered value
     * @throws TemplateException on the first template that fails (undefined variable, syntax
     *                           error, unknown filter, filter error)
     */
    public Object render(Object value, Map<String, ?> vars) throws TemplateException {
        if (value instanceof String s) {
            return renderValue(s, vars);
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(e.getKey(), render(e.getValue(), vars));
            }
            return out;
        }
        if (value instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) {
                out.add(render(o, vars));
            }
            return out;
        }
        return value;
    }

    /**
     * Renders one string: untouched without markup; the typed value when it is exactly one
     * {@code {{ expression }}}; a string otherwise.
     *
     * @throws TemplateException if rendering fails
     */
    public Object renderValue(String template, Map<String, ?> vars) throws TemplateException {
        if (!isTemplate(template)) {
            return template;
        }
        precheck(VariableReferences.inTemplate(template), template, vars);
        return run(template, vars, in -> {
            Node root = in.parse(template);
            check(in, template, vars);
            ExpressionToken single = singleExpression(root);
            if (single != null) {
                return Python.plain(in.resolveELExpression(single.getExpr(), single.getLineNumber()));
            }
            return in.render(root);
        });
    }

    /**
     * Renders one string to a string, whatever it holds ({@code "{{ 1 }}"} gives {@code "1"},
     * {@code "{{ [1] }}"} gives {@code "[1]"}).
     *
     * @throws TemplateException if rendering fails
     */
    public String renderString(String template, Map<String, ?> vars) throws TemplateException {
        if (!isTemplate(template)) {
            return template;
        }
        precheck(VariableReferences.inTemplate(template), template, vars);
        return run(template, vars, in -> {
            Node root = in.parse(template);
            check(in, template, vars);
            return in.render(root);
        });
    }

    /**
     * Evaluates a bare expression, as written in Ansible's {@code when:} ({@code "x is defined
     * and x > 2"}). A string that is exactly one {@code {{ expression }}} is accepted too; text
     * mixed with markup is refused, because rendering it and then evaluating the result would
     * let variable values inject expressions.
     *
     * @return the typed value (plain Java lists and maps)
     * @throws TemplateException if evaluation fails or the expression mixes text and markup
     */
    public Object evaluate(String expression, Map<String, ?> vars) throws TemplateException {
        if (isTemplate(expression)) {
            precheck(VariableReferences.inTemplate(expression), expression, vars);
            return run(expression, vars, in -> {
                Node root = in.parse(expression);
                check(in, expression, vars);
                ExpressionToken single = singleExpression(root);
                if (single == null) {
                    throw new TemplateException("a condition must be a bare expression such as"
                            + " \"x is defined\" or one {{ expression }}" + where(expression),
                            expression, null, null);
                }
                return Python.plain(in.resolveELExpression(single.getExpr(), single.getLineNumber()));
            });
        }
        precheck(VariableReferences.inExpression(expression), expression, vars);
        return run(expression, vars, in -> Python.plain(in.resolveELExpression(expression, 1)));
    }

    /**
     * Evaluates a bare expression as a condition, its result read with the one truthiness rule
     * ({@link Truth}: booleans, yes/no-like strings, 1/0, null).
     *
     * @throws TemplateException if evaluation fails or the result is not a boolean (a list, a
     *                           string such as 'maybe')
     */
    public boolean isTrue(String expression, Map<String, ?> vars) throws TemplateException {
        Object value = evaluate(expression, vars);
        try {
            return Truth.of(value);
        } catch (Truth.NotBoolean e) {
            throw new TemplateException("condition \"" + expression + "\" is neither true nor false: " + e.getMessage(),
                    expression, null, e);
        }
    }

    /**
     * The problems a template has whatever the variables: syntax errors, unknown filters,
     * unknown tests, unknown tags; found without rendering, for the compiler.
     *
     * @param template   a template, or a bare expression when {@code expression} is true (as
     *                   written in {@code when:})
     * @param expression whether {@code template} is a bare expression
     * @return one message per problem, empty when there is none
     */
    public List<String> problems(String template, boolean expression) {
        if (!expression && !isTemplate(template)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Context context = new Context(jinjava.getGlobalContext(), Map.of());
        JinjavaInterpreter in = new AnsibleInterpreter(jinjava, context, config);
        JinjavaInterpreter.pushCurrent(in);
        try {
            List<String> exprs;
            if (expression && !isTemplate(template)) {
                exprs = List.of(template);
            } else {
                try {
                    in.parse(template);
                } catch (RuntimeException e) {
                    out.add("cannot parse template: " + e.getMessage());
                }
                for (TemplateError e : in.getErrors()) {
                    if (e.getSeverity() == TemplateError.ErrorType.FATAL
                            || e.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR) {
                        out.add(describe(e));
                    }
                }
                exprs = VariableReferences.expressions(template);
            }
            com.hubspot.jinjava.el.JinjavaELContext el = new com.hubspot.jinjava.el.JinjavaELContext(in,
                    new com.hubspot.jinjava.el.JinjavaInterpreterResolver(in));
            for (String expr : exprs) {
                if (expr.isBlank()) {
                    out.add("empty expression");
                    continue;
                }
                try {
                    jinjava.getExpressionFactory().createValueExpression(el, "#{" + expr + "}", Object.class);
                } catch (RuntimeException e) {
                    String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                    java.util.regex.Matcher m = java.util.regex.Pattern
                            .compile("(?s)Error parsing '#\\{.*\\}': syntax error at position (\\d+), (.*)").matcher(msg);
                    if (m.matches()) {
                        String stripped = expr.strip();
                        int off = Integer.parseInt(m.group(1)) - 2 - expr.indexOf(stripped);
                        msg = (off >= stripped.length() ? "at the end" : "at character " + (Math.max(0, off) + 1))
                                + " of '" + stripped + "': " + m.group(2);
                    }
                    out.add("syntax error " + msg);
                    continue;
                }
                for (String f : VariableReferences.filterNames(expr)) {
                    if (context.getFilter(f) == null) {
                        List<String> names = new ArrayList<>();
                        context.getAllFilters().forEach(x -> names.add(x.getName()));
                        String hint = Suggest.didYouMean(f, names);
                        out.add("no filter named '" + f + "'" + (hint == null ? "" : ", " + hint));
                    }
                }
                for (String t : VariableReferences.testNames(expr)) {
                    if (context.getExpTest(t) == null) {
                        List<String> names = new ArrayList<>();
                        context.getAllExpTests().forEach(x -> names.add(x.getName()));
                        String hint = Suggest.didYouMean(t, names);
                        out.add("no test named '" + t + "'" + (hint == null ? "" : ", " + hint));
                    }
                }
            }
        } finally {
            JinjavaInterpreter.popCurrent();
        }
        return out;
    }

    /**
     * The root variable names a template refers to (best effort, see
     * {@link VariableReferences}): {@code {{ hostvars['n1'].ring.tokens }}} gives
     * {@code hostvars}; loop variables and names set in the template are excluded.
     */
    public static Set<String> referencedRootVariables(String template) {
        return VariableReferences.rootNames(template);
    }

    // ---------------------------------------------------------------- internals

    @FunctionalInterface
    private interface Step<T> {
        T apply(JinjavaInterpreter in) throws TemplateException;
    }

    /** Python-printing interpreter: {@code True}, {@code None}, {@code ['a']}. */
    private static final class AnsibleInterpreter extends JinjavaInterpreter {
        AnsibleInterpreter(Jinjava jinjava, Context context, JinjavaConfig config) {
            super(jinjava, context, config);
        }

        @Override
        public String getAsString(Object value) {
            return Python.str(value);
        }
    }

    private <T> T run(String template, Map<String, ?> vars, Step<T> step) throws TemplateException {
        Context context = new VarsContext(jinjava.getGlobalContext(), vars, guardedOnly(template));
        JinjavaInterpreter in = new AnsibleInterpreter(jinjava, context, config);
        LazyVars.Failure outer = PENDING.get();
        PENDING.set(null);
        JinjavaInterpreter.pushCurrent(in);
        try {
            T out;
            try {
                out = step.apply(in);
                check(in, template, vars);
            } catch (TemplateException | RuntimeException e) {
                LazyVars.Failure f = PENDING.get();
                if (f != null) {
                    throw f.exception();
                }
                throw e;
            }
            LazyVars.Failure f = PENDING.get();
            if (f != null) {
                throw f.exception();
            }
            return out;
        } catch (LazyVars.Failure e) {
            throw e.exception();
        } catch (UnknownTokenException e) {
            throw undefined(e.getToken(), template, vars, in);
        } catch (AnsibleFilters.FilterFailure e) {
            throw new TemplateException(e.getMessage() + where(template), template, null, e);
        } catch (TemplateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TemplateException("cannot render template: " + e.getMessage() + where(template),
                    template, null, e);
        } finally {
            JinjavaInterpreter.popCurrent();
            PENDING.set(outer);
        }
    }

    /** The first variable that failed to render during the current render on this thread. */
    private static final ThreadLocal<LazyVars.Failure> PENDING = new ThreadLocal<>();

    /**
     * Records a variable that failed while a template was rendering, so the render fails with
     * it even where Jinjava would swallow the exception or treat the value as undefined.
     */
    static void noteFailure(LazyVars.Failure f) {
        if (PENDING.get() == null) {
            PENDING.set(f);
        }
    }

    /** Names that the template refers to only under a guard ({@code default}, {@code is defined}). */
    private static Set<String> guardedOnly(String template) {
        List<VariableReferences.VariableRef> refs = isTemplate(template)
                ? VariableReferences.inTemplate(template) : VariableReferences.inExpression(template);
        Set<String> guarded = new java.util.HashSet<>();
        Set<String> unguarded = new java.util.HashSet<>();
        for (VariableReferences.VariableRef r : refs) {
            (r.guarded() ? guarded : unguarded).add(r.name());
        }
        guarded.removeAll(unguarded);
        return guarded;
    }

    /**
     * A context that reads the variables map on demand instead of copying it (Jinjava's own
     * copies every entry, which would render every {@link LazyVars} value). A name the template
     * uses only under a guard and whose value is undefined reads as undefined, so
     * {@code x | default('y')} works when {@code x} refers to an undefined name, as in Ansible.
     */
    private static final class VarsContext extends Context {
        private final Map<String, ?> vars;
        private final Set<String> guarded;

        VarsContext(Context parent, Map<String, ?> vars, Set<String> guarded) {
            super(parent, Map.of());
            this.vars = vars;
            this.guarded = guarded;
        }

        @Override
        public Object get(Object key) {
            Object local = getScope().get(key);
            if (local != null) {
                return local;
            }
            if (key instanceof String name && vars.containsKey(name)) {
                Object v;
                if (vars instanceof LazyVars lazy) {
                    try {
                        v = lazy.resolve(name);
                    } catch (TemplateException e) {
                        if (guarded.contains(name) && e.undefinedName().isPresent()) {
                            return null;
                        }
                        LazyVars.Failure f = new LazyVars.Failure(e);
                        noteFailure(f);
                        throw f;
                    }
                } else {
                    v = vars.get(name);
                }
                if (v != null) {
                    return v;
                }
            }
            return getParent() == null ? null : getParent().get(key);
        }

        @Override
        public Set<String> keySet() {
            Set<String> keys = new java.util.HashSet<>(super.keySet());
            keys.addAll(vars.keySet());
            return keys;
        }
    }

    /**
     * Fails on the first unguarded reference to a root name that neither the variables nor
     * the templater's globals define, wherever it stands in the template.
     */
    private void precheck(List<VariableReferences.VariableRef> refs, String template, Map<String, ?> vars)
            throws TemplateException {
        for (VariableReferences.VariableRef r : refs) {
            if (!r.guarded() && !vars.containsKey(r.name()) && !jinjava.getGlobalContext().containsKey(r.name())) {
                throw undefinedError(r.name(), template);
            }
        }
        if (vars instanceof LazyVars lazy) {
            // Render what the template uses first, so a variable that fails does so with its
            // own message and position, not as a null inside a larger expression.
            for (VariableReferences.VariableRef r : refs) {
                if (!r.guarded()) {
                    lazy.resolve(r.name());
                }
            }
        }
    }

    /** Turns Jinjava's fatal errors (and syntax warnings) into an exception. */
    private void check(JinjavaInterpreter in, String template, Map<String, ?> vars) throws TemplateException {
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

    private static String describe(TemplateError e) {
        String msg = e.getMessage() == null ? e.getReason().toString() : e.getMessage();
        if (msg.equals("Unclosed token")) {
            msg = "unclosed {{ or {% (missing }} or %})";
        }
        return msg + (e.getLineno() > 1 ? " (template line " + e.getLineno() + ")" : "");
    }

    /** Names what is undefined in an expression Jinjava found to have no value. */
    private TemplateException undefined(String token, String template, Map<String, ?> vars, JinjavaInterpreter in) {
        String expr = token.trim();
        // 1. A plain path: name the first missing step.
        List<PathStep> path = simplePath(expr);
        Set<String> bound = VariableReferences.boundNames(template);
        if (path != null && !bound.contains((String) path.get(0).key())) {
            String missing = firstMissing(path, vars);
            if (missing != null) {
                return undefinedError(missing, template);
            }
            return new TemplateException("'" + expr + "' is null; a null value counts as undefined"
                    + " (use default(...) or 'is none')" + where(template), template, expr, null);
        }
        // 2. A root name that no variable holds.
        for (VariableReferences.VariableRef r : VariableReferences.inExpression(expr)) {
            if (!r.guarded() && !vars.containsKey(r.name()) && !bound.contains(r.name())
                    && !jinjava.getGlobalContext().containsKey(r.name())) {
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

    private static TemplateException undefinedError(String name, String template) {
        return new TemplateException("'" + name + "' is undefined" + where(template), template, name, null);
    }

    private static String where(String template) {
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

    /** The expression token when the tree is exactly one expression between blanks. */
    private static ExpressionToken singleExpression(Node root) {
        ExpressionToken found = null;
        for (Node child : root.getChildren()) {
            if (child instanceof ExpressionNode) {
                if (found != null) {
                    return null;
                }
                found = (ExpressionToken) child.getMaster();
            } else if (child instanceof TextNode) {
                if (!child.getMaster().getImage().isBlank()) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return found;
    }
}
