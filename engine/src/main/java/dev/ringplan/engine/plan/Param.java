package dev.ringplan.engine.plan;

import dev.ringplan.engine.diag.SourcePos;
import java.util.List;
import java.util.Map;

/**
 * A declared parameter of a role (a plan file imported with {@code import:}), from its
 * {@code params:} list: what an import must or may give, checked at validate.
 *
 * @param name        the variable name the role's tasks use
 * @param type        one of {@link #TYPES}
 * @param required    the import must give it
 * @param defaultValue value when the import does not give it (may be a template, rendered inside
 *                    the role); null when none
 * @param hasDefault  true when {@code default:} is written (a null default is a value)
 * @param description free text, for messages and docs; may be null
 * @param pos         where the declaration is written
 */
public record Param(String name, String type, boolean required, Object defaultValue, boolean hasDefault,
                    String description, SourcePos pos) {
    /** The parameter types: YAML's string, integer, boolean, sequence and mapping. */
    public static final List<String> TYPES = List.of("str", "int", "bool", "list", "dict");

    /**
     * Whether {@code value} (a plain value, not a template) has this parameter's type; null when
     * it does, else the value's kind as a message fragment. Integers are not strings and strings
     * are not booleans: a role states what it takes, the importer gives exactly that.
     */
    public String typeMismatch(Object value) {
        boolean ok = switch (type) {
            case "str" -> value instanceof String;
            case "int" -> value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger;
            case "bool" -> value instanceof Boolean;
            case "list" -> value instanceof List<?>;
            case "dict" -> value instanceof Map<?, ?>;
            default -> true;
        };
        return ok ? null : kindOf(value);
    }

    /** The type name of a plain value in this vocabulary. */
    public static String kindOf(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "str";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger) {
            return "int";
        }
        if (value instanceof Number) {
            return "float";
        }
        if (value instanceof List<?>) {
            return "list";
        }
        if (value instanceof Map<?, ?>) {
            return "dict";
        }
        return value.getClass().getSimpleName();
    }

    /**
     * A value an import gives a declared parameter, as it stands in the role's block
     * ({@link Task#params()}): rendered in the importing scope when first read, then checked
     * against the declared type (a plain value was checked at validate already).
     *
     * @param value the value as written (maybe a template)
     * @param param the declaration
     * @param role  the role's file, for messages
     */
    public record Given(Object value, Param param, String role) {
        /** Null when {@code rendered} has the declared type, else the message saying what it is. */
        public String mismatch(Object rendered) {
            if (rendered == null) {
                return null;
            }
            String kind = param.typeMismatch(rendered);
            return kind == null ? null : "parameter '" + param.name() + "' of role " + role + " is " + param.type()
                    + ", the import's value renders to " + kind + " (declared at " + param.pos() + ")";
        }
    }
}
