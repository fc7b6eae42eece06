package dev.ringplan.engine.secret;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringplan.engine.template.Templater;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.regex.Pattern;

/**
 * The one masking authority: what counts as a secret, and how it is hidden before anything
 * reaches the console, a diff, an error message, the journal or a report.
 *
 * <p><b>Secret names.</b> A variable (or a key of registered data) is secret when its name,
 * case-insensitively, contains {@code password}, {@code passwd}, {@code passphrase},
 * {@code secret}, {@code private_key}/{@code privatekey}, {@code api_key}/{@code apikey} or
 * {@code credential}; or ends in {@code _token} (but not Cassandra's {@code initial_token}; a
 * bare {@code token}, {@code tokens} and {@code num_tokens} are ring data, not secrets); or has
 * {@code pass}, {@code pw} or {@code pwd} as a {@code _}-separated word ({@code ansible_ssh_pass},
 * {@code db_pw}). Names ending in {@code _file}, {@code _path} or {@code _dir} name where a secret
 * lives ({@code ansible_ssh_private_key_file}), not the secret, and are not secret. A plan can mark
 * more names secret with {@code vars_secret: [name, ...]}: a variable of that name from any source
 * (inventory, plan or task {@code vars}, {@code -e}, a registered result) is secret.
 *
 * <p><b>Secret values.</b> The values of secret variables (every string or number inside them,
 * after templates are rendered, so {@code db_password: "{{ lookup('env', 'DB_PW') }}"} is
 * covered), and everything a {@code no_log: true} task registers. Each value of at least
 * {@link #MIN_LENGTH} characters is replaced by {@link #MASK} wherever it appears in text: as
 * written, in the quoted forms a command line shows it ({@code 'it'"'"'s'}, {@code 'it'\''s'},
 * backslash escapes inside double quotes), JSON-escaped, and line by line for a multi-line value
 * (a diff shows each line with a prefix). Shorter values ({@code "1"}, {@code "yes"}) would mask
 * unrelated text everywhere and are masked only where they appear under their own name
 * (structured data). Booleans and nulls are never secret values.
 *
 * <p><b>no_log.</b> A node whose task (or an enclosing block) has {@code no_log: true} shows only
 * its status: message, diff, commands and data are replaced by {@link #NO_LOG_MESSAGE} (Ansible's
 * wording), and its progress lines are dropped. Its registered variable keeps the real data for
 * later tasks (as in Ansible), and its string values become secret values.
 *
 * <p>This class holds the rules and the registry; applying them to a run (its variables, its
 * results, its listener) is {@code exec.RunSecrets}. It depends only on the template package
 * (what a template looks like), so every layer above it can mask with it.
 *
 * <p>An instance is the registry of one run (or of one command-line parse); it is thread-safe.
 * Every value registered anywhere in the process is also kept in {@link #process()}, which the
 * command line's last-resort error handlers mask with.
 */
public final class Secrets {
    /** What a masked value prints as. */
    public static final String MASK = "********";
    /** Shortest value masked inside text (see the class comment). */
    public static final int MIN_LENGTH = 4;
    /** What a {@code no_log: true} task shows instead of its output, as Ansible prints it. */
    public static final String NO_LOG_MESSAGE =
            "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

    private static final Pattern SECRET = Pattern.compile(
            "password|passwd|passphrase|secret|private_?key|api_?key|credential|(?<!initial)_token$|(^|_)(pass|pwd|pw)($|_)");
    private static final Pattern NOT_SECRET = Pattern.compile("_(file|path|dir)$");
    private static final Set<String> ENGINE_KEYS = Set.of("changed", "failed", "status", "skipped", "msg",
            "would_change", "cmd", "argv", "rc", "duration_ms");
    /** Only for JSON string escaping (the report writers quote values as this does). */
    /** {@link #isSecretKey} of the keys met so far (the same few names on every host), up to {@link #SECRET_KEYS_CACHED}. */
    private static final Map<String, Boolean> SECRET_KEYS = new ConcurrentHashMap<>();
    private static final int SECRET_KEYS_CACHED = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Secrets PROCESS = new Secrets(Set.of(), null);

    private final Set<String> names;
    private final Set<String> forms = new ConcurrentSkipListSet<>(
            Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
    private final Secrets parent;

    private Secrets(Collection<String> markedNames, Secrets parent) {
        this.names = ConcurrentHashMap.newKeySet();
        this.names.addAll(markedNames);
        this.parent = parent;
    }

    /** An empty registry; {@code markedNames} are secret besides the secret-looking names. */
    public static Secrets of(Collection<String> markedNames) {
        return new Secrets(markedNames, PROCESS);
    }

    /** Every secret value any registry of this process has learned (for last-resort error handlers). */
    public static Secrets process() {
        return PROCESS;
    }

    /** True when a variable or argument named {@code key} holds a secret by its name alone. */
    public static boolean isSecretKey(String key) {
        if (key == null) {
            return false;
        }
        Boolean known = SECRET_KEYS.get(key);
        if (known == null) {
            String k = key.toLowerCase(Locale.ROOT);
            known = SECRET.matcher(k).find() && !NOT_SECRET.matcher(k).find();
            if (SECRET_KEYS.size() < SECRET_KEYS_CACHED) {
                SECRET_KEYS.put(key, known);
            }
        }
        return known;
    }

    /** True when {@code key} is secret here: by its name, or marked with {@code vars_secret}. */
    public boolean isSecretName(String key) {
        return isSecretKey(key) || key != null && names.contains(key);
    }

    /** Marks {@code name} secret. */
    public void markName(String name) {
        names.add(name);
    }

    /**
     * A deep copy of {@code value} with the values of secret-named keys replaced by {@link #MASK}
     * (by name only; see {@link #maskValue} for a run's registry).
     */
    public static Object mask(Object value) {
        return PROCESS.maskDeep(value, false);
    }

    /**
     * Adds the values of every secret-named (or marked) key in {@code vars}, at any depth (the
     * lazily built {@code hostvars} is not walked: every host's variables are collected by
     * {@link #forRun}).
     */
    public void collect(Map<String, ?> vars) {
        if (vars == null) {
            return;
        }
        for (Map.Entry<String, ?> e : vars.entrySet()) {
            if ("hostvars".equals(e.getKey())) {
                continue;
            }
            if (isSecretName(e.getKey())) {
                addValue(e.getValue());
            } else {
                collectNested(e.getValue());
            }
        }
    }

    private void collectNested(Object v) {
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (isSecretName(String.valueOf(e.getKey()))) {
                    addValue(e.getValue());
                } else {
                    collectNested(e.getValue());
                }
            }
        } else if (v instanceof List<?> l) {
            l.forEach(this::collectNested);
        }
    }

    /**
     * Registers every string and number inside {@code value} as a secret value (booleans, nulls,
     * unrendered templates and values shorter than {@link #MIN_LENGTH} are skipped).
     */
    public void addValue(Object value) {
        if (value instanceof Map<?, ?> m) {
            m.values().forEach(this::addValue);
        } else if (value instanceof Collection<?> c) {
            c.forEach(this::addValue);
        } else if (value instanceof String || value instanceof Number) {
            addString(String.valueOf(value));
        }
    }

    private void addString(String v) {
        if (v.length() < MIN_LENGTH || Templater.isTemplate(v) || v.equals(MASK)) {
            return;
        }
        List<String> variants = new ArrayList<>();
        variants.add(v);
        variants.add(v.replace("'", "'\"'\"'"));
        variants.add(v.replace("'", "'\\''"));
        variants.add(doubleQuoted(v));
        variants.add(jsonEscaped(v));
        if (v.indexOf('\n') >= 0) {
            for (String line : v.split("\r?\n")) {
                if (line.strip().length() >= MIN_LENGTH) {
                    variants.add(line);
                }
            }
        }
        for (String x : variants) {
            if (x.length() >= MIN_LENGTH) {
                forms.add(x);
            }
        }
        if (parent != null) {
            parent.addString(v);
        }
    }

    private static String doubleQuoted(String v) {
        StringBuilder sb = new StringBuilder();
        for (char c : v.toCharArray()) {
            if (c == '$' || c == '`' || c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static String jsonEscaped(String v) {
        try {
            String q = JSON.writeValueAsString(v);
            return q.substring(1, q.length() - 1);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return v;
        }
    }

    /** True when no secret value is known. */
    public boolean isEmpty() {
        return forms.isEmpty();
    }

    /** {@code text} with every known secret value (in each of its forms) replaced by {@link #MASK}. */
    public String maskText(String text) {
        if (text == null || text.isEmpty() || forms.isEmpty()) {
            return text;
        }
        String out = text;
        for (String f : forms) {
            if (out.contains(f)) {
                out = out.replace(f, MASK);
            }
        }
        return out;
    }

    /**
     * A deep copy of {@code value}: values of secret-named or marked keys become {@link #MASK},
     * every string has the known secret values masked ({@link #maskText}).
     */
    public Object maskValue(Object value) {
        return maskDeep(value, true);
    }

    private Object maskDeep(Object value, boolean text) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                String key = String.valueOf(k);
                out.put(key, isSecretName(key) && v != null ? MASK : maskDeep(v, text));
            });
            return out;
        }
        if (value instanceof Collection<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(maskDeep(v, text)));
            return out;
        }
        if (text && value instanceof String s) {
            return maskText(s);
        }
        return value;
    }

    /**
     * Registers as secret values every value of {@code data} except the engine's own keys
     * (changed, failed, status, ...): what a {@code no_log} node registered.
     */
    public void collectNoLog(Map<String, Object> data) {
        if (data == null) {
            return;
        }
        data.forEach((k, v) -> {
            if (!ENGINE_KEYS.contains(k)) {
                addValue(v);
            }
        });
    }
}
