package dev.ringplan.engine.module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys a module registers (its result data, what {@code register} stores), like Ansible's
 * {@code RETURN} block: for each key its name, type, when it is present and a one-line
 * description. {@code ringplan modules NAME} prints it, and the executor checks every result
 * against it ({@link ReturnCheck}): a key not declared, or a value of another type, is a bug in
 * the module.
 *
 * <p><b>When a key is present.</b> A key is either present in every result of the calls it is
 * declared for ({@link Key#only} restricts it to some values of an argument, e.g. {@code action:
 * create}), or only sometimes ({@link Key#when}, a condition in words, e.g. "full backups").
 * Only a failed result may lack a key that is always present.
 *
 * <p><b>Check mode registers the same keys as the run.</b> For every call, check mode registers
 * exactly the keys the run of that call registers. Each value is the one the run would register
 * when the module can tell it without changing anything (from its arguments and what it reads:
 * a path, a file count, the commands it would run); a value known only after applying (the
 * output or exit status of a command, the SHA-256 of an archive not written yet, a node's state
 * after a restart, how many files a store already held) is null, like Terraform's "known after
 * apply". So in check mode any key may be null, and a plan can tell "known after apply" with
 * {@code x is none}. The same holds for the data of a preview the run registers without applying
 * (nothing to do): values the module could not read are null.
 *
 * <p>The engine adds {@code changed}, {@code failed}, {@code status} and {@code msg} to every
 * registered result (and {@code would_change} in check mode); a module does not declare them.
 */
public final class ReturnSpec {
    private final List<Key> keys;
    private final Key otherKeys;

    private ReturnSpec(List<Key> keys, Key otherKeys) {
        this.keys = List.copyOf(keys);
        this.otherKeys = otherKeys;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A module that registers no data of its own (only the engine's keys). */
    public static ReturnSpec none() {
        return new ReturnSpec(List.of(), null);
    }

    /** A key present in every result, for every call. */
    public static Key key(String name, Type type, String doc) {
        return new Key(name, null, type, doc, false, Map.of(), null);
    }

    /**
     * A key named by the value of argument {@code arg} ({@code debug}'s {@code var}: the
     * expression as written is the key).
     */
    public static Key keyNamedBy(String arg, Type type, String doc) {
        return new Key("<" + arg + ">", arg, type, doc, false, Map.of(), null);
    }

    /** The declared keys, in declaration order (a name may appear once per scope). */
    public List<Key> keys() {
        return keys;
    }

    /** The declaration covering keys not listed (any name), or null when every key is listed. */
    public Key otherKeys() {
        return otherKeys;
    }

    /** Key types, as the registered values are: Java types of plain data. */
    public enum Type {
        /** A string. */
        STR,
        /** A whole number (Integer or Long). */
        INT,
        /** A number, whole or not. */
        FLOAT,
        /** true or false. */
        BOOL,
        /** A list. */
        LIST,
        /** A mapping. */
        MAP,
        /** Any value. */
        ANY;

        /** Whether a non-null value is of this type. */
        public boolean accepts(Object v) {
            return switch (this) {
                case STR -> v instanceof String;
                case INT -> v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte;
                case FLOAT -> v instanceof Number;
                case BOOL -> v instanceof Boolean;
                case LIST -> v instanceof List;
                case MAP -> v instanceof Map;
                case ANY -> true;
            };
        }

        /** Lower-case name, as printed. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One registered key.
     *
     * @param name     the key, or {@code <arg>} when named by an argument
     * @param namedBy  the argument whose value is the key's name, or null
     * @param type     the value's type
     * @param doc      one line for {@code ringplan modules NAME}
     * @param isNullable the value may be null in a run (it always may in check mode)
     * @param only     argument values the key is declared for ({@code action -> [create]}), all
     *                 of which must hold; empty: every call
     * @param when     null when present in every result of its calls, else when it is, in words
     */
    public record Key(String name, String namedBy, Type type, String doc, boolean isNullable,
                      Map<String, List<String>> only, String when) {
        /** Copies the scope. */
        public Key {
            only = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(only));
        }

        /** A copy whose value may be null in a run. */
        public Key nullable() {
            return new Key(name, namedBy, type, doc, true, only, when);
        }

        /** A copy declared only for calls where argument {@code arg} has one of {@code values}. */
        public Key only(String arg, String... values) {
            Map<String, List<String>> m = new LinkedHashMap<>(only);
            m.put(arg, List.of(values));
            return new Key(name, namedBy, type, doc, isNullable, m, when);
        }

        /** A copy present only sometimes: {@code condition} says when, e.g. "full backups". */
        public Key when(String condition) {
            return new Key(name, namedBy, type, doc, isNullable, only, condition);
        }

        /** Whether the key is declared for a call with these (validated) arguments. */
        public boolean appliesTo(Args args) {
            for (Map.Entry<String, List<String>> e : only.entrySet()) {
                Object v = args.get(e.getKey());
                if (v == null || !e.getValue().contains(String.valueOf(v))) {
                    return false;
                }
            }
            return true;
        }

        /** The key's name in a call's data: its name, or the value of the naming argument. */
        public String nameIn(Args args) {
            if (namedBy == null) {
                return name;
            }
            Object v = args.get(namedBy);
            return v == null ? null : String.valueOf(v).strip();
        }

        /** The scope in words, e.g. "action create, verify", or "" for every call. */
        public String scope() {
            List<String> parts = new ArrayList<>();
            only.forEach((a, vs) -> parts.add(a + " " + String.join(", ", vs)));
            return String.join("; ", parts);
        }
    }

    /** Builds a {@link ReturnSpec}. */
    public static final class Builder {
        private final List<Key> keys = new ArrayList<>();
        private Key otherKeys;

        /** Declares a key. */
        public Builder key(Key k) {
            keys.add(k);
            return this;
        }

        /**
         * Declares that keys not listed may appear, of {@code type}: for a module whose keys depend
         * on what it reads. None of the built-in modules needs it.
         */
        public Builder otherKeys(Type type, String doc) {
            otherKeys = new Key("*", null, type, doc, true, Map.of(), "other keys");
            return this;
        }

        /**
         * The spec.
         *
         * @throws IllegalStateException when a name is declared twice for the same scope
         */
        public ReturnSpec build() {
            for (int i = 0; i < keys.size(); i++) {
                for (int j = i + 1; j < keys.size(); j++) {
                    Key a = keys.get(i);
                    Key b = keys.get(j);
                    if (a.name().equals(b.name()) && a.only().equals(b.only())) {
                        throw new IllegalStateException("return key '" + a.name() + "' declared twice"
                                + (a.only().isEmpty() ? "" : " for " + a.scope()));
                    }
                }
            }
            return new ReturnSpec(keys, otherKeys);
        }
    }
}
