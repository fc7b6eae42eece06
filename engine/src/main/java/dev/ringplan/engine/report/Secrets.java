package dev.ringplan.engine.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Masks secrets before anything reaches a log, a report or the journal: values of keys whose
 * name says secret ({@code password}, {@code passwd}, {@code secret}, {@code token} but not
 * Cassandra's {@code tokens}/{@code initial_token}/{@code num_tokens}, {@code private_key},
 * {@code api_key}, {@code credentials}) become {@code "********"}.
 */
public final class Secrets {
    /** What a masked value prints as. */
    public static final String MASK = "********";
    private static final Pattern SECRET = Pattern.compile(
            "(?i).*(password|passwd|secret|private_key|api_key|apikey|credential|auth_token|access_token|_pass$).*");

    private Secrets() {
    }

    /** True when a variable or argument named {@code key} holds a secret. */
    public static boolean isSecretKey(String key) {
        return key != null && SECRET.matcher(key).matches();
    }

    /** A deep copy of {@code value} with secret-named keys masked. */
    public static Object mask(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), isSecretKey(String.valueOf(k)) && v != null ? MASK : mask(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(mask(v)));
            return out;
        }
        return value;
    }
}
