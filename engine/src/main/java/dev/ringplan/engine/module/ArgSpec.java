package dev.ringplan.engine.module;

import dev.ringplan.engine.diag.Suggest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments a module accepts, like Ansible's {@code argument_spec}: names, types, required,
 * defaults, choices, doc. A module may name one {@linkplain #freeForm() free-form} argument,
 * which a task can give as a bare scalar ({@code nodetool: flush} means
 * {@code nodetool: {command: flush}}).
 */
public final class ArgSpec {
    private final Map<String, ArgDef> args;
    private final String freeForm;

    private ArgSpec(Map<String, ArgDef> args, String freeForm) {
        this.args = Collections.unmodifiableMap(args);
        this.freeForm = freeForm;
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

    /**
     * Static check of raw (unrendered) arguments, as the compiler does: unknown names (with a
     * "did you mean"), missing required ones. Values that contain a template ({@code {{ }}})
     * are not type-checked here. Returns one message per problem, keyed by argument name
     * (null key: the whole mapping).
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
        return problems;
    }

    /**
     * Validates rendered arguments and returns them with defaults filled in and values coerced
     * to their declared types.
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

    /** Builds an {@link ArgSpec}. */
    public static final class Builder {
        private final Map<String, ArgDef> args = new LinkedHashMap<>();
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

        /** The spec. */
        public ArgSpec build() {
            if (freeForm != null && !args.containsKey(freeForm)) {
                throw new IllegalStateException("free-form argument not declared: " + freeForm);
            }
            return new ArgSpec(new LinkedHashMap<>(args), freeForm);
        }
    }
}
