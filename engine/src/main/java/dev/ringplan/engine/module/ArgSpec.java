package dev.ringplan.engine.module;

import dev.ringplan.engine.diag.Suggest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments a module accepts, like Ansible's {@code argument_spec}: names, types, required,
 * defaults, choices, doc, and the {@linkplain #rules() rules between them} (Ansible's
 * {@code mutually_exclusive}, {@code required_together}, {@code required_one_of},
 * {@code required_if}, and {@code only_for}: arguments valid only for some values of another).
 * A module may name one {@linkplain #freeForm() free-form} argument, which a task can give as a
 * bare scalar ({@code nodetool: flush} means {@code nodetool: {command: flush}}).
 *
 * <p>The same declaration is checked twice: by the compiler on the task's raw arguments
 * ({@link #checkStatic}, so {@code ringplan validate} reports a broken rule at its
 * {@code file:line:column} before any host is touched), and by the executor on the rendered
 * arguments ({@link #validate}). Statically, a value holding a template counts as given, but a
 * rule that decides on a templated value (the {@code action} a {@code required_if} compares, the
 * selector of an {@code only_for}) is left to the run. What counts as given is described in
 * {@link ArgRule}.
 */
public final class ArgSpec {
    private final Map<String, ArgDef> args;
    private final String freeForm;
    private final List<ArgRule> rules;

    private ArgSpec(Map<String, ArgDef> args, String freeForm, List<ArgRule> rules) {
        this.args = Collections.unmodifiableMap(args);
        this.freeForm = freeForm;
        this.rules = List.copyOf(rules);
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The declared arguments by name, in declaration order. */
    public Map<String, ArgDef> args() {
        return args;
    }

    /** The argument a bare scalar value stands for, or null when the module has none. */
    public String freeForm() {
        return freeForm;
    }

    /** The rules between the arguments, in declaration order. */
    public List<ArgRule> rules() {
        return rules;
    }

    /**
     * Static check of raw (unrendered) arguments, as the compiler does: unknown names (with a
     * "did you mean"), missing required ones, types and choices, then the {@link #rules()}.
     * Values that contain a template ({@code {{ }}}) are not type-checked here, and a rule that
     * decides on one is skipped. Returns one message per problem, keyed by argument name (null
     * key: the whole mapping).
     */
    public List<ArgProblem> checkStatic(Map<String, Object> raw) {
        List<ArgProblem> problems = new ArrayList<>();
        for (String name : raw.keySet()) {
            if (!args.containsKey(name)) {
                String hint = Suggest.didYouMean(name, args.keySet());
                problems.add(new ArgProblem(name, "unknown argument '" + name + "'"
                        + (hint != null ? "; " + hint : "; expected one of " + String.join(", ", args.keySet()))));
            }
        }
        for (ArgDef d : args.values()) {
            Object v = raw.get(d.name());
            if (v == null) {
                if (d.required()) {
                    problems.add(new ArgProblem(null, "missing required argument '" + d.name() + "'"));
                }
                continue;
            }
            if (isTemplated(v)) {
                continue;
            }
            String err = d.type().check(v);
            if (err == null && d.choices() != null && !d.choices().isEmpty() && !d.choices().contains(String.valueOf(v))) {
                String hint = Suggest.didYouMean(String.valueOf(v), d.choices());
                err = "must be one of " + String.join(", ", d.choices())
                        + ", got '" + v + "'" + (hint != null ? "; " + hint : "");
            }
            if (err != null) {
                problems.add(new ArgProblem(d.name(), "argument '" + d.name() + "' " + err));
            }
        }
        problems.addAll(ArgRuleCheck.check(rules, new ArgRuleCheck.Facts(args, raw, true)));
        return problems;
    }

    /**
     * Validates rendered arguments (names, required, types, choices, then the {@link #rules()})
     * and returns them with defaults filled in and values coerced to their declared types.
     *
     * @throws ModuleException naming every problem
     */
    public Args validate(String module, Map<String, Object> rendered) throws ModuleException {
        List<String> errors = new ArrayList<>();
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : rendered.keySet()) {
            if (!args.containsKey(name)) {
                errors.add("unknown argument '" + name + "'");
            }
        }
        for (ArgDef d : args.values()) {
            Object v = rendered.get(d.name());
            if (v == null) {
                if (d.required()) {
                    errors.add("missing required argument '" + d.name() + "'");
                }
                out.put(d.name(), d.defaultValue());
                continue;
            }
            String err = d.type().check(v);
            if (err != null) {
                errors.add("argument '" + d.name() + "' " + err);
                continue;
            }
            Object c = d.type().coerce(v);
            if (d.choices() != null && !d.choices().isEmpty() && !d.choices().contains(String.valueOf(c))) {
                errors.add("argument '" + d.name() + "' must be one of " + String.join(", ", d.choices()) + ", got '" + c + "'");
            }
            out.put(d.name(), c);
        }
        for (ArgProblem p : ArgRuleCheck.check(rules, new ArgRuleCheck.Facts(args, rendered, false))) {
            errors.add(p.message());
        }
        if (!errors.isEmpty()) {
            throw new ModuleException(module + ": " + String.join("; ", errors));
        }
        return new Args(out);
    }

    /** Whether a value holds a template: the one rule, {@link dev.ringplan.engine.template.Templater#isTemplated}. */
    static boolean isTemplated(Object v) {
        return dev.ringplan.engine.template.Templater.isTemplated(v);
    }

    /**
     * One problem with a task's arguments.
     *
     * @param arg     the argument concerned, or null for the mapping as a whole
     * @param message what is wrong
     */
    public record ArgProblem(String arg, String message) {
    }

    /**
     * Builds an {@link ArgSpec}. Rule methods take argument names; {@link #build()} refuses a
     * rule naming an undeclared argument.
     */
    public static final class Builder {
        private final Map<String, ArgDef> args = new LinkedHashMap<>();
        private final List<ArgRule> rules = new ArrayList<>();
        private String freeForm;

        /** Declares an argument. */
        public Builder arg(ArgDef def) {
            args.put(def.name(), def);
            return this;
        }

        /** Names the argument a bare scalar task value stands for. */
        public Builder freeForm(String name) {
            this.freeForm = name;
            return this;
        }

        /** At most one of {@code names} may be given (Ansible's {@code mutually_exclusive}). */
        public Builder mutuallyExclusive(String... names) {
            return rule(ArgRule.Kind.MUTUALLY_EXCLUSIVE, names, null, List.of(), false);
        }

        /** Either none or all of {@code names} are present (Ansible's {@code required_together}). */
        public Builder requiredTogether(String... names) {
            return rule(ArgRule.Kind.REQUIRED_TOGETHER, names, null, List.of(), false);
        }

        /** At least one of {@code names} is present (Ansible's {@code required_one_of}). */
        public Builder requiredOneOf(String... names) {
            return rule(ArgRule.Kind.REQUIRED_ONE_OF, names, null, List.of(), false);
        }

        /**
         * When {@code arg} equals {@code value} (its default counts), every one of {@code required}
         * is present (Ansible's {@code required_if}). A boolean's value is written "true"/"false".
         */
        public Builder requiredIf(String arg, String value, String... required) {
            return rule(ArgRule.Kind.REQUIRED_IF, required, arg, List.of(value), false);
        }

        /** When {@code arg} equals {@code value}, at least one of {@code required} is present (Ansible's "any" form). */
        public Builder requiredIfAny(String arg, String value, String... required) {
            return rule(ArgRule.Kind.REQUIRED_IF, required, arg, List.of(value), true);
        }

        /**
         * {@code names} may be given only when {@code selector} (its default counts) has one of
         * {@code choices}, e.g. {@code onlyFor("action", List.of("extract", "verify"), "target_dir")}.
         * A rule whose selector does not apply to a call (it is itself only for other values of
         * another argument) restricts nothing in that call.
         */
        public Builder onlyFor(String selector, List<String> choices, String... names) {
            return rule(ArgRule.Kind.ONLY_FOR, names, selector, choices, false);
        }

        /**
         * Scopes the rule declared last: it holds only when {@code arg} has one of {@code values},
         * e.g. {@code mutuallyExclusive("keyspaces", "tables").onlyWhen("command", "snapshot")}.
         *
         * @throws IllegalStateException when no rule was declared yet, or the last one is scoped
         */
        public Builder onlyWhen(String arg, String... values) {
            if (rules.isEmpty() || rules.get(rules.size() - 1).whenArg() != null) {
                throw new IllegalStateException("onlyWhen(" + arg + ") must follow an unscoped rule");
            }
            rules.set(rules.size() - 1, rules.get(rules.size() - 1).scoped(arg, List.of(values)));
            return this;
        }

        private Builder rule(ArgRule.Kind kind, String[] names, String selector, List<String> values, boolean any) {
            if (names.length == 0 || kind != ArgRule.Kind.REQUIRED_IF && kind != ArgRule.Kind.ONLY_FOR && names.length < 2) {
                throw new IllegalStateException(kind + " needs " + (names.length == 0 ? "an argument" : "two arguments"));
            }
            rules.add(new ArgRule(kind, Arrays.asList(names), selector, values, any, null, List.of()));
            return this;
        }

        /**
         * The spec.
         *
         * @throws IllegalStateException when the free-form argument or an argument a rule names is
         *                               not declared, a rule compares a value its argument cannot
         *                               take (not among its choices, or not true/false for a
         *                               boolean), or only_for rules form a cycle
         */
        public ArgSpec build() {
            if (freeForm != null && !args.containsKey(freeForm)) {
                throw new IllegalStateException("free-form argument not declared: " + freeForm);
            }
            for (ArgRule r : rules) {
                for (String n : r.mentioned()) {
                    if (!args.containsKey(n)) {
                        throw new IllegalStateException("rule '" + r.describe() + "' names an undeclared argument '" + n + "'");
                    }
                }
                checkValues(r, r.selector(), r.values());
                checkValues(r, r.whenArg(), r.whenValues());
            }
            for (String n : args.keySet()) {
                selectorsOf(n, new HashSet<>());
            }
            return new ArgSpec(new LinkedHashMap<>(args), freeForm, rules);
        }

        private void checkValues(ArgRule r, String arg, List<String> values) {
            if (arg == null) {
                return;
            }
            ArgDef d = args.get(arg);
            for (String v : values) {
                boolean ok = d.type() == ArgDef.Type.BOOL ? v.equals("true") || v.equals("false")
                        : d.choices().isEmpty() || d.choices().contains(v);
                if (!ok) {
                    throw new IllegalStateException("rule '" + r.describe() + "' compares " + arg + " with '" + v
                            + "', a value it cannot take");
                }
            }
        }

        /** Walks the arguments that decide whether {@code name} applies, refusing a cycle. */
        private void selectorsOf(String name, Set<String> path) {
            if (!path.add(name)) {
                throw new IllegalStateException("only_for rules form a cycle through " + path);
            }
            for (ArgRule r : rules) {
                if (r.kind() == ArgRule.Kind.ONLY_FOR && r.names().contains(name)) {
                    selectorsOf(r.selector(), path);
                    if (r.whenArg() != null) {
                        selectorsOf(r.whenArg(), path);
                    }
                }
            }
            path.remove(name);
        }
    }
}
