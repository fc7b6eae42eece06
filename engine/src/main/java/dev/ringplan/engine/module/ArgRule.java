package dev.ringplan.engine.module;

import java.util.ArrayList;
import java.util.List;

/**
 * One rule between a module's arguments, declared in its {@link ArgSpec}: Ansible's
 * {@code mutually_exclusive}, {@code required_together}, {@code required_one_of} and
 * {@code required_if} (module_utils/common/validation.py), plus {@code only_for}: arguments that
 * mean something only for some values of a selector argument ({@code tar}'s {@code target_dir}
 * only for {@code action: extract, verify}).
 *
 * <p>What counts as given follows Ansible's {@code ArgumentSpecValidator.validate}: mutual
 * exclusion is checked on the task's own arguments, before defaults; the {@code required_*}
 * rules (and the value a {@code required_if} or {@code only_for} decides on) see the arguments
 * after the non-null defaults are filled in. An argument given as null counts as absent.
 *
 * @param kind      which rule
 * @param names     the arguments the rule is about (for {@link Kind#REQUIRED_IF}: those required)
 * @param selector  {@link Kind#REQUIRED_IF}, {@link Kind#ONLY_FOR}: the argument whose value decides; else null
 * @param values    {@link Kind#REQUIRED_IF}: the one value that requires {@code names};
 *                  {@link Kind#ONLY_FOR}: the values {@code names} are for; else empty
 * @param any       {@link Kind#REQUIRED_IF}: one of {@code names} suffices (Ansible's fourth
 *                  element, {@code is_one_of}); else false
 * @param whenArg   the argument that scopes the rule ({@link ArgSpec.Builder#onlyWhen}), or null
 * @param whenValues the values of {@code whenArg} the rule holds for (empty when unscoped)
 */
public record ArgRule(Kind kind, List<String> names, String selector, List<String> values, boolean any,
                      String whenArg, List<String> whenValues) {

    /** The rule kinds. */
    public enum Kind {
        /** At most one of the names may be given. */
        MUTUALLY_EXCLUSIVE,
        /** Either none or all of the names are present. */
        REQUIRED_TOGETHER,
        /** At least one of the names is present. */
        REQUIRED_ONE_OF,
        /** When the selector has the value, all (or, with any, one) of the names are present. */
        REQUIRED_IF,
        /** The names may be given only when the selector has one of the values. */
        ONLY_FOR
    }

    /** Copies the lists. */
    public ArgRule {
        names = List.copyOf(names);
        values = List.copyOf(values);
        whenValues = whenValues == null ? List.of() : List.copyOf(whenValues);
    }

    /** A copy that holds only when {@code arg} has one of {@code vals}. */
    ArgRule scoped(String arg, List<String> vals) {
        return new ArgRule(kind, names, selector, values, any, arg, vals);
    }

    /** Every argument the rule names (names, selector, scope), for the build-time check. */
    List<String> mentioned() {
        List<String> all = new ArrayList<>(names);
        if (selector != null) {
            all.add(selector);
        }
        if (whenArg != null) {
            all.add(whenArg);
        }
        return all;
    }

    /**
     * The rule in words, for {@code ringplan modules NAME}, e.g. "msg, var: mutually exclusive"
     * or "target_dir: only for action extract, verify".
     */
    public String describe() {
        String n = String.join(", ", names);
        String text = switch (kind) {
            case MUTUALLY_EXCLUSIVE -> n + ": mutually exclusive (give at most one)";
            case REQUIRED_TOGETHER -> n + ": required together (all or none)";
            case REQUIRED_ONE_OF -> n + ": one of them is required";
            case REQUIRED_IF -> "when " + selector + " is " + values.get(0) + ": "
                    + (any ? "one of " + n + " is required" : n + (names.size() == 1 ? " is" : " are") + " required");
            case ONLY_FOR -> n + ": only for " + selector + " " + String.join(", ", values);
        };
        return whenArg == null ? text : text + " (when " + whenArg + " is " + String.join(", ", whenValues) + ")";
    }
}
