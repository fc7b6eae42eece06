package dev.ringplan.engine.module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One declared module argument.
 *
 * @param name         the key in the task
 * @param type         expected type
 * @param required     must be given
 * @param defaultValue value when not given (already of {@code type}), may be null
 * @param choices      allowed values (compared as strings), or empty for any
 * @param doc          one or two lines for {@code ringplan modules NAME}
 */
public record ArgDef(String name, Type type, boolean required, Object defaultValue, List<String> choices, String doc) {

    /** An optional argument with no default. */
    public static ArgDef of(String name, Type type, String doc) {
        return new ArgDef(name, type, false, null, List.of(), doc);
    }

    /** A copy that is required. */
    public ArgDef asRequired() {
        return new ArgDef(name, type, true, defaultValue, choices, doc);
    }

    /** A copy with a default. */
    public ArgDef withDefault(Object value) {
        return new ArgDef(name, type, required, value, choices, doc);
    }

    /** A copy restricted to {@code values}. */
    public ArgDef choices(String... values) {
        return new ArgDef(name, type, required, defaultValue, List.of(values), doc);
    }

    /** Argument types, with Ansible-like leniency: "yes"/"no" are booleans, "a,b" is a list. */
    public enum Type {
        /** A string; numbers and booleans are accepted and turned into text. */
        STR,
        /** An integer (or a string of digits). */
        INT,
        /** true/false, yes/no, on/off, 1/0 (numbers or text), y/n, t/f: the one truthiness rule. */
        BOOL,
        /** A list of strings; a comma-separated string is split. */
        LIST,
        /** A mapping with string keys. */
        MAP,
        /** Any value. */
        ANY;

        /** Null when {@code v} fits, else a phrase like "must be an integer, got 'x'". */
        public String check(Object v) {
            switch (this) {
                case STR:
                    return v instanceof String || v instanceof Number || v instanceof Boolean ? null
                            : "must be a string, got " + describe(v);
                case INT:
                    if (v instanceof Integer || v instanceof Long) {
                        return null;
                    }
                    if (v instanceof String s && s.strip().matches("-?\\d+")) {
                        return null;
                    }
                    return "must be an integer, got " + describe(v);
                case BOOL:
                    return parseBool(v) != null ? null : "must be a boolean (true/false), got " + describe(v);
                case LIST:
                    return v instanceof List || v instanceof String || v instanceof Number ? null
                            : "must be a list, got " + describe(v);
                case MAP:
                    return v instanceof Map ? null : "must be a mapping, got " + describe(v);
                default:
                    return null;
            }
        }

        /** Converts a value that passed {@link #check} to its canonical Java form. */
        public Object coerce(Object v) {
            switch (this) {
                case STR:
                    return String.valueOf(v);
                case INT:
                    return v instanceof Number n ? n.longValue() : Long.parseLong(((String) v).strip());
                case BOOL:
                    return parseBool(v);
                case LIST:
                    if (v instanceof List<?> l) {
                        List<String> out = new ArrayList<>();
                        for (Object o : l) {
                            out.add(String.valueOf(o));
                        }
                        return out;
                    }
                    List<String> out = new ArrayList<>();
                    for (String part : String.valueOf(v).split(",")) {
                        if (!part.isBlank()) {
                            out.add(part.strip());
                        }
                    }
                    return out;
                case MAP:
                    Map<String, Object> m = new LinkedHashMap<>();
                    ((Map<?, ?>) v).forEach((k, x) -> m.put(String.valueOf(k), x));
                    return m;
                default:
                    return v;
            }
        }

        /**
         * A boolean argument (a boolean, a number, text) by the one truthiness rule
         * ({@link dev.ringplan.engine.template.Truth}, as Ansible's {@code boolean()}: 1 and 0
         * too); null when it is not boolean-like (an empty string is not a boolean argument, as
         * in Ansible's module arguments).
         */
        static Boolean parseBool(Object v) {
            return v instanceof String s && s.isBlank() ? null : dev.ringplan.engine.template.Truth.parse(v);
        }

        private static String describe(Object v) {
            if (v instanceof Map) {
                return "a mapping";
            }
            if (v instanceof List) {
                return "a list";
            }
            return "'" + v + "'";
        }
    }
}
