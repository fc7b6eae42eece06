package dev.ringplan.engine.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.UnknownTokenException;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.tree.ExpressionNode;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TextNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
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
 * {@code true}, {@code false} and {@code null}), and so are Jinja2's {@code none} and
 * {@code None}.
 *
 * <p><b>Null is a value</b>, as in Ansible: a variable set to null ({@code x: ~}) is not undefined; a
 * string that is exactly {@code {{ x }}} gives null, {@code "a{{ x }}"} gives {@code aNone}
 * (ansible-core 2.19 and later), and a condition reads it as false ({@link Truth}). Guards are
 * the exception: {@code x | default(...)} and {@code x is defined} take a null value for an
 * undefined one (Jinjava passes them no difference).
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
 * undefined. Limit: a missing key inside a larger expression that still has a value
 * ({@code hostvars['n2'].x == 1}) is not reported; an expression that yields null through a
 * lookup other than a plain path ({@code (m | default({})).b}) is reported as undefined, since
 * the null may come from a missing key ({@link NullValues}).
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
 * {@code combine}, {@code product}. {@code include}, {@code import} and {@code extends} cannot
 * load anything. Function: {@code lookup('env', 'NAME')} ({@link Lookups}).
 *
 * <p>This class runs renders; {@link VarsContext} reads the variables, {@link TemplateErrors}
 * words the failures and {@link TemplateChecks} does the static checks of {@link #problems}.
 */
public final class Templater {

    private final Jinjava jinjava;
    private final JinjavaConfig config;
    private final TemplateErrors errors;
    private final TemplateChecks checks;

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
        errors = new TemplateErrors(jinjava.getGlobalContext());
        checks = new TemplateChecks(jinjava, config);
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
            errors.check(in, template, vars);
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
            errors.check(in, template, vars);
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
                errors.check(in, expression, vars);
                ExpressionToken single = singleExpression(root);
                if (single == null) {
                    throw new TemplateException("a condition must be a bare expression such as"
                            + " \"x is defined\" or one {{ expression }}" + TemplateErrors.where(expression),
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
        return checks.problems(template, expression);
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

    private <T> T run(String template, Map<String, ?> vars, Step<T> step) throws TemplateException {
        Context context = new VarsContext(jinjava.getGlobalContext(), vars, guardedOnly(template));
        JinjavaInterpreter in = new AnsibleInterpreter(jinjava, context, config);
        LazyVars.Failure outer = RenderFailures.begin();
        JinjavaInterpreter.pushCurrent(in);
        try {
            T out;
            try {
                out = step.apply(in);
                errors.check(in, template, vars);
            } catch (TemplateException | RuntimeException e) {
                LazyVars.Failure f = RenderFailures.pending();
                if (f != null) {
                    throw f.exception();
                }
                throw e;
            }
            LazyVars.Failure f = RenderFailures.pending();
            if (f != null) {
                throw f.exception();
            }
            return out;
        } catch (LazyVars.Failure e) {
            throw e.exception();
        } catch (UnknownTokenException e) {
            throw errors.undefined(e.getToken(), template, vars, in);
        } catch (AnsibleFilters.FilterFailure e) {
            throw new TemplateException(e.getMessage() + TemplateErrors.where(template), template, null, e);
        } catch (TemplateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TemplateException("cannot render template: " + e.getMessage() + TemplateErrors.where(template),
                    template, null, e);
        } finally {
            JinjavaInterpreter.popCurrent();
            RenderFailures.end(outer);
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
     * Fails on the first unguarded reference to a root name that neither the variables nor
     * the templater's globals define, wherever it stands in the template.
     */
    private void precheck(List<VariableReferences.VariableRef> refs, String template, Map<String, ?> vars)
            throws TemplateException {
        for (VariableReferences.VariableRef r : refs) {
            if (!r.guarded() && !vars.containsKey(r.name()) && !jinjava.getGlobalContext().containsKey(r.name())) {
                throw TemplateErrors.undefinedError(r.name(), template);
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
