package dev.ringplan.engine.module;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A module's validated arguments, with defaults filled in and values coerced to their declared
 * {@link ArgDef.Type}: STR → String, INT → Long, BOOL → Boolean, LIST → List&lt;String&gt;,
 * MAP → Map&lt;String,Object&gt;.
 */
public final class Args {
    private final Map<String, Object> values;

    /** Wraps already validated values. */
    public Args(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    /** All values by name (null values for absent optional arguments). */
    public Map<String, Object> asMap() {
        return values;
    }

    /** True when the argument has a non-null value. */
    public boolean has(String name) {
        return values.get(name) != null;
    }

    /** A STR argument, or null. */
    public String str(String name) {
        Object v = values.get(name);
        return v == null ? null : String.valueOf(v);
    }

    /** An INT argument, or {@code dflt} when absent. */
    public long integer(String name, long dflt) {
        Object v = values.get(name);
        return v == null ? dflt : ((Number) v).longValue();
    }

    /** A BOOL argument, or {@code dflt} when absent. */
    public boolean bool(String name, boolean dflt) {
        Object v = values.get(name);
        return v == null ? dflt : (Boolean) v;
    }

    /** A LIST argument, or an empty list. */
    @SuppressWarnings("unchecked")
    public List<String> list(String name) {
        Object v = values.get(name);
        return v == null ? List.of() : (List<String>) v;
    }

    /** A MAP argument, or an empty map. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String name) {
        Object v = values.get(name);
        return v == null ? Map.of() : (Map<String, Object>) v;
    }

    /** Any argument as stored. */
    public Object get(String name) {
        return values.get(name);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
