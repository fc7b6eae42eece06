package dev.ringplan.engine.template;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import dev.ringplan.engine.diag.Suggest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The static checks of {@link Templater#problems}: what is wrong with a template whatever the
 * variables (syntax errors, unknown filters, tests and tags), found by parsing it and compiling
 * each of its expressions, never by rendering.
 */
final class TemplateChecks {
    private final Jinjava jinjava;
    private final JinjavaConfig config;

    /** Checks against {@code jinjava}'s filters, tests and functions. */
    TemplateChecks(Jinjava jinjava, JinjavaConfig config) {
        this.jinjava = jinjava;
        this.config = config;
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
    List<String> problems(String template, boolean expression) {
        if (!expression && !Templater.isTemplate(template)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Context context = new Context(jinjava.getGlobalContext(), Map.of());
        JinjavaInterpreter in = new AnsibleInterpreter(jinjava, context, config);
        JinjavaInterpreter.pushCurrent(in);
        try {
            List<String> exprs;
            if (expression && !Templater.isTemplate(template)) {
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
                        out.add(TemplateErrors.describe(e));
                    }
                }
                exprs = VariableReferences.expressions(template);
            }
            com.hubspot.jinjava.el.JinjavaELContext el = new com.hubspot.jinjava.el.JinjavaELContext(in,
                    new com.hubspot.jinjava.el.JinjavaInterpreterResolver(in));
            // As rendering does (Jinjava's ExpressionResolver): the EL context knows the functions
            // of the interpreter's context ({@code lookup}) only once they are set on it.
            for (com.hubspot.jinjava.lib.fn.ELFunctionDefinition fn : context.getAllFunctions()) {
                el.setFunction(fn.getNamespace(), fn.getLocalName(), fn.getMethod());
            }
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
                for (String key : bareDictKeys(expr)) {
                    out.add("dict key " + key + " is a bare name: Jinja2 (so Ansible) reads it as the variable "
                            + key + ", this template engine as the string '" + key + "'; write '" + key
                            + "' (quoted) for the string, or build the dict with a filter such as combine");
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

    /** Literals Jinja2 reads as constants, not variables, also as dict keys. */
    private static final java.util.Set<String> CONSTANTS = java.util.Set.of("true", "false", "none", "True",
            "False", "None");

    /**
     * The bare names used as keys of dict literals in {@code expr} ({@code {old_dc: 2}}): Jinja2
     * evaluates such a key as a variable, Jinjava takes the name as a string, so the same plan
     * would build a different dict here than under Ansible.
     */
    static List<String> bareDictKeys(String expr) {
        List<JinjaLexer.Tok> toks = JinjaLexer.tokenize(expr, 0, expr.length());
        java.util.ArrayDeque<String> open = new java.util.ArrayDeque<>();
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < toks.size(); k++) {
            JinjaLexer.Tok t = toks.get(k);
            if (t.kind() == 'o' && t.depthDelta() > 0) {
                open.push(t.text());
            } else if (t.kind() == 'o' && t.depthDelta() < 0) {
                open.poll();
            } else if (t.kind() == 'i' && "{".equals(open.peek()) && k > 0 && k + 1 < toks.size()
                    && toks.get(k + 1).kind() == 'o' && toks.get(k + 1).text().equals(":")
                    && toks.get(k - 1).kind() == 'o' && (toks.get(k - 1).text().equals("{")
                    || toks.get(k - 1).text().equals(",")) && !CONSTANTS.contains(t.text())) {
                keys.add(t.text());
            }
        }
        return keys;
    }
}
