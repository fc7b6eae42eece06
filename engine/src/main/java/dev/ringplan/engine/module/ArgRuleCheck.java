package dev.ringplan.engine.module;

import dev.ringplan.engine.diag.Suggest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a task's arguments against the {@link ArgRule}s of an {@link ArgSpec}, statically (raw
 * values, where a templated value is not known yet) or at run time (rendered values).
 *
 * <p>Three-valued: a fact the rule needs that only the run knows (the value of a templated
 * selector) makes the rule undecided, and an undecided rule reports nothing. A rule whose
 * selector (or {@code onlyWhen} argument) does not apply to the call (it is itself
 * {@link ArgRule.Kind#ONLY_FOR only for} other values of another argument) is skipped: {@code tar}'s
 * "store only for mode differential" says nothing about {@code action: purge}, where mode means
 * nothing.
 */
final class ArgRuleCheck {
    private ArgRuleCheck() {
    }

    /** Yes, no, or not known before the run. */
    enum Tri { YES, NO, UNKNOWN }

    /**
     * What the rules see of one task's arguments.
     *
     * @param defs   the declared arguments
     * @param values the task's arguments (raw when static, rendered at run time)
     * @param early  true for the static check: templated values are not known
     */
    record Facts(Map<String, ArgDef> defs, Map<String, Object> values, boolean early) {
        /** Given in the task with a non-null value (before defaults). */
        Tri given(String name) {
            return values.get(name) != null ? Tri.YES : Tri.NO;
        }

        /** Given, or filled in by a non-null default (Ansible's parameters after defaults). */
        Tri present(String name) {
            return values.get(name) != null || defs.get(name).defaultValue() != null ? Tri.YES : Tri.NO;
        }

        /** Whether {@link #value} is known: not templated (statically) and of the declared type. */
        boolean known(String name) {
            Object v = values.get(name);
            if (v == null) {
                return true;
            }
            if (early && ArgSpec.isTemplated(v)) {
                return false;
            }
            return defs.get(name).type().check(v) == null;
        }

        /** The value as text after coercion (the default when not given), or null when absent. */
        String value(String name) {
            Object v = values.get(name);
            ArgDef d = defs.get(name);
            if (v == null) {
                return d.defaultValue() == null ? null : String.valueOf(d.defaultValue());
            }
            return String.valueOf(d.type().coerce(v));
        }

        /** Keys of the task that are not declared arguments. */
        Set<String> unknownKeys() {
            Set<String> out = new LinkedHashSet<>(values.keySet());
            out.removeAll(defs.keySet());
            return out;
        }
    }

    /** Every rule the facts break, in declaration order. */
    static List<ArgSpec.ArgProblem> check(List<ArgRule> rules, Facts f) {
        Applicability app = new Applicability(rules, f);
        List<ArgSpec.ArgProblem> out = new ArrayList<>();
        for (ArgRule r : rules) {
            if (app.scope(r) != Tri.YES) {
                continue;
            }
            switch (r.kind()) {
                case MUTUALLY_EXCLUSIVE -> mutuallyExclusive(r, f, out);
                case REQUIRED_TOGETHER -> requiredTogether(r, f, out);
                case REQUIRED_ONE_OF -> {
                    if (r.names().stream().allMatch(n -> f.present(n) == Tri.NO)) {
                        out.add(new ArgSpec.ArgProblem(null, "one of the arguments " + quoted(r.names()) + " is required"
                                + scopeText(r, f) + misspelt(r.names(), f)));
                    }
                }
                case REQUIRED_IF -> requiredIf(r, f, app, out);
                case ONLY_FOR -> onlyFor(r, f, app, out);
            }
        }
        return out;
    }

    private static void mutuallyExclusive(ArgRule r, Facts f, List<ArgSpec.ArgProblem> out) {
        List<String> given = r.names().stream().filter(n -> f.given(n) == Tri.YES).toList();
        if (given.size() < 2) {
            return;
        }
        String msg = given.size() == 2 && r.names().size() == 2
                ? "arguments '" + given.get(0) + "' and '" + given.get(1) + "' are mutually exclusive"
                : "arguments " + quoted(given) + " are mutually exclusive (give at most one of "
                        + String.join(", ", r.names()) + ")";
        out.add(new ArgSpec.ArgProblem(given.get(1), msg + scopeText(r, f)));
    }

    private static void requiredTogether(ArgRule r, Facts f, List<ArgSpec.ArgProblem> out) {
        List<String> present = r.names().stream().filter(n -> f.present(n) == Tri.YES).toList();
        List<String> missing = r.names().stream().filter(n -> f.present(n) == Tri.NO).toList();
        if (present.isEmpty() || missing.isEmpty()) {
            return;
        }
        String at = present.stream().filter(n -> f.given(n) == Tri.YES).findFirst().orElse(null);
        out.add(new ArgSpec.ArgProblem(at, "arguments " + quoted(r.names()) + " are required together; missing "
                + quoted(missing) + scopeText(r, f) + misspelt(missing, f)));
    }

    private static void requiredIf(ArgRule r, Facts f, Applicability app, List<ArgSpec.ArgProblem> out) {
        String sel = r.selector();
        if (app.applies(sel) != Tri.YES || !f.known(sel) || !r.values().get(0).equals(f.value(sel))) {
            return;
        }
        List<String> missing = r.names().stream().filter(n -> f.present(n) == Tri.NO).toList();
        String when = " when " + sel + " is " + f.value(sel) + (f.given(sel) == Tri.NO ? " (the default)" : "")
                + scopeText(r, f);
        String at = f.given(sel) == Tri.YES ? sel : null;
        if (r.any() && missing.size() == r.names().size()) {
            out.add(new ArgSpec.ArgProblem(at, "one of the arguments " + quoted(r.names()) + " is required" + when
                    + misspelt(missing, f)));
        } else if (!r.any() && !missing.isEmpty()) {
            out.add(new ArgSpec.ArgProblem(at, "missing argument" + (missing.size() == 1 ? " " : "s ") + quoted(missing)
                    + ", required" + when + misspelt(missing, f)));
        }
    }

    private static void onlyFor(ArgRule r, Facts f, Applicability app, List<ArgSpec.ArgProblem> out) {
        if (app.holds(r) != Tri.NO) {
            return;
        }
        String sel = r.selector();
        String v = f.value(sel);
        String now = v == null ? sel + " is not given" : sel + " is " + v + (f.given(sel) == Tri.NO ? ", the default" : "");
        String hint = "";
        ArgDef selDef = f.defs().get(sel);
        if (v != null && selDef.choices().isEmpty()) {
            String h = Suggest.didYouMean(v, r.values());
            hint = h == null ? "" : "; " + h;
        }
        for (String n : r.names()) {
            if (f.given(n) == Tri.YES) {
                out.add(new ArgSpec.ArgProblem(n, "argument '" + n + "' is only for " + sel + " "
                        + String.join(", ", r.values()) + " (" + now + ")" + scopeText(r, f) + hint));
            }
        }
    }

    /** " for command snapshot" when the rule is scoped, else "". */
    private static String scopeText(ArgRule r, Facts f) {
        return r.whenArg() == null ? "" : " for " + r.whenArg() + " " + f.value(r.whenArg());
    }

    /** "; did you mean 'argv' (given as 'agrv')?" when an unknown key of the task is close to a missing name. */
    private static String misspelt(List<String> missing, Facts f) {
        List<String> hints = new ArrayList<>();
        for (String k : f.unknownKeys()) {
            Suggest.closest(k, f.defs().keySet()).filter(missing::contains)
                    .ifPresent(m -> hints.add("'" + m + "' (given as '" + k + "')"));
        }
        return hints.isEmpty() ? "" : "; did you mean " + String.join(", ", hints) + "?";
    }

    private static String quoted(List<String> names) {
        return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }

    /**
     * Whether an argument applies to the call: every {@link ArgRule.Kind#ONLY_FOR} rule naming it
     * holds. A rule whose selector does not apply itself restricts nothing.
     */
    private static final class Applicability {
        private final List<ArgRule> rules;
        private final Facts f;

        Applicability(List<ArgRule> rules, Facts f) {
            this.rules = rules;
            this.f = f;
        }

        Tri applies(String name) {
            Tri result = Tri.YES;
            for (ArgRule r : rules) {
                if (r.kind() == ArgRule.Kind.ONLY_FOR && r.names().contains(name)) {
                    Tri h = holds(r);
                    if (h == Tri.NO) {
                        return Tri.NO;
                    }
                    if (h == Tri.UNKNOWN) {
                        result = Tri.UNKNOWN;
                    }
                }
            }
            return result;
        }

        /** Whether an only_for rule lets its names be given (yes when it says nothing here). */
        Tri holds(ArgRule r) {
            Tri scope = scope(r);
            if (scope != Tri.YES) {
                return scope == Tri.NO ? Tri.YES : Tri.UNKNOWN;
            }
            Tri sel = applies(r.selector());
            if (sel != Tri.YES) {
                return sel == Tri.NO ? Tri.YES : Tri.UNKNOWN;
            }
            if (!f.known(r.selector())) {
                return Tri.UNKNOWN;
            }
            String v = f.value(r.selector());
            return v != null && r.values().contains(v) ? Tri.YES : Tri.NO;
        }

        /** Whether a rule's onlyWhen scope holds (yes for an unscoped rule). */
        Tri scope(ArgRule r) {
            if (r.whenArg() == null) {
                return Tri.YES;
            }
            Tri a = applies(r.whenArg());
            if (a != Tri.YES) {
                return a;
            }
            if (!f.known(r.whenArg())) {
                return Tri.UNKNOWN;
            }
            String v = f.value(r.whenArg());
            return v != null && r.whenValues().contains(v) ? Tri.YES : Tri.NO;
        }
    }
}
