package dev.ringplan.engine.template;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one truthiness rule of Ringplan, used by {@code when}, {@code changed_when},
 * {@code until}, the {@code bool} filter and boolean module arguments.
 *
 * <p>It follows Ansible's boolean conversion
 * ({@code ansible.module_utils.parsing.convert_bool.boolean}, which module arguments use):
 * <ul>
 * <li>{@code true}/{@code false} are themselves; null (YAML {@code ~}, Jinja {@code none}) is false;</li>
 * <li>the numbers 1 and 0 are true and false;</li>
 * <li>strings, compared case-insensitively after stripping blanks: {@code yes}, {@code on},
 *     {@code true}, {@code 1}, {@code y}, {@code t} are true; {@code no}, {@code off},
 *     {@code false}, {@code 0}, {@code n}, {@code f} and the empty string are false.</li>
 * </ul>
 * Anything else (another string such as {@code "maybe"} or {@code "none"}, another number, a
 * list, a mapping) is <em>not a boolean</em> and an error ({@link NotBoolean}). Ansible is
 * laxer, and not consistent with itself: its {@code bool} filter turns an unknown string into
 * false (with a deprecation warning since ansible-core 2.19), {@code when:} before 2.19 used
 * Python's truth (the string {@code "no"} was true), and since 2.19 refuses any condition
 * whose result is not a boolean. Ringplan accepts the boolean-like strings above in conditions
 * (so {@code -e rolling=false} and {@code when: rolling} mean what they say) and refuses
 * everything else, so no plan runs or skips a step on a value nobody meant as a boolean.
 *
 * <p>Inside an expression Jinja's own operators ({@code and}, {@code or}, {@code not},
 * {@code x if c else y}) keep Python's truth, as in Ansible: the non-empty string
 * {@code "false"} is true there; write {@code x | bool}.
 */
public final class Truth {
    private static final Set<String> TRUE = Set.of("yes", "on", "true", "1", "y", "t");
    private static final Set<String> FALSE = Set.of("no", "off", "false", "0", "n", "f", "");

    private Truth() {
    }

    /** A value that is not one of the booleans {@link Truth} accepts. */
    public static final class NotBoolean extends Exception {
        private static final long serialVersionUID = 1L;

        NotBoolean(String message) {
            super(message);
        }
    }

    /**
     * The boolean a value stands for.
     *
     * @param value a rendered value (Boolean, Number, String, null, List, Map, ...)
     * @return true or false
     * @throws NotBoolean naming the value when it is not boolean-like (see the class comment)
     */
    public static boolean of(Object value) throws NotBoolean {
        Boolean b = parse(value);
        if (b == null) {
            throw new NotBoolean(describe(value) + " is not a boolean (expected true/false, yes/no, on/off,"
                    + " 1/0, y/n, t/f)" + hint(value));
        }
        return b;
    }

    /**
     * The boolean a value stands for, or null when it stands for none (see the class comment).
     */
    public static Boolean parse(Object value) {
        if (value == null) {
            return Boolean.FALSE;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return d == 1 ? Boolean.TRUE : d == 0 ? Boolean.FALSE : null;
        }
        if (value instanceof CharSequence s) {
            String x = s.toString().strip().toLowerCase(Locale.ROOT);
            if (TRUE.contains(x)) {
                return Boolean.TRUE;
            }
            if (FALSE.contains(x)) {
                return Boolean.FALSE;
            }
        }
        return null;
    }

    private static String describe(Object value) {
        if (value instanceof CharSequence s) {
            String t = s.toString();
            return "'" + (t.length() > 60 ? t.substring(0, 60) + "..." : t) + "'";
        }
        if (value instanceof Collection<?>) {
            return "a list";
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        return "'" + Python.str(value) + "'";
    }

    private static String hint(Object value) {
        if (value instanceof Collection<?> || value instanceof Map<?, ?> || value instanceof CharSequence) {
            return "; to test for content write '... | length > 0'";
        }
        return "";
    }
}
