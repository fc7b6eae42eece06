package dev.ringplan.engine.template;

import dev.ringplan.engine.diag.SourcePos;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Variables whose values may themselves be templates, rendered strictly and lazily, as
 * Ansible does: a value is rendered the first time something reads it (a template, a module),
 * against the same variables, and kept. A variable that nothing reads is never rendered, so a
 * plan variable referring to an undefined name is an error only where it is used.
 *
 * <p>Rendering a value that fails (an undefined name, a syntax error, an unknown filter) fails
 * every read of the variable with a {@link TemplateException} that names the undefined name
 * and says where the variable's value is written ({@link Origin}), e.g.
 * {@code 'target_cluster' is undefined in "{{ target_cluster }}" (plan variable 'new_name' at
 * plan.yaml:3:13)}; through a chain of variables, each one is named. Variables that refer to
 * each other in a cycle ({@code a: "{{ b }}"}, {@code b: "{{ a }}"}) fail with the cycle.
 * Values defined {@linkplain #defineLiteral literally} (registered results, magic variables) are
 * never rendered: like Ansible's unsafe values, text a command printed cannot inject a
 * template.
 *
 * <p>{@link #get} throws the unchecked {@link Failure} wrapping the {@link TemplateException};
 * {@link Templater} unwraps it, and {@link #resolve} throws the checked one. Iterating the
 * map renders every value and leaves out those that fail (a copy never holds an unrendered
 * template). Thread-safe (reads of one instance are serialised).
 */
public final class LazyVars extends AbstractMap<String, Object> {

    /**
     * Where a variable's value comes from, for messages.
     *
     * @param what for example {@code plan variable 'new_name'}, {@code -e variable 'tag'}
     * @param pos  where the value is written; null when it is not in a file
     */
    public record Origin(String what, SourcePos pos) {
        @Override
        public String toString() {
            return pos == null ? what : what + " at " + pos;
        }
    }

    /** A failed read through {@link Map#get}: the {@link TemplateException} unchecked. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final TemplateException exception;

        Failure(TemplateException exception) {
            super(exception.getMessage(), exception);
            this.exception = exception;
        }

        /** The template error, with its message and position. */
        public TemplateException exception() {
            return exception;
        }
    }

    /** A cycle between variables: reported once, not wrapped by every member. */
    private static final class Cycle extends TemplateException {
        private static final long serialVersionUID = 1L;

        Cycle(String message, String template, SourcePos pos) {
            super(message, template, null, pos, null);
        }
    }

    private final Templater templater;
    private final Map<String, Object> raw = new LinkedHashMap<>();
    private final Map<String, Origin> origins = new HashMap<>();
    private final Set<String> literal = new HashSet<>();
    private final Map<String, Object> done = new HashMap<>();
    private final Map<String, TemplateException> failed = new HashMap<>();
    private final List<String> resolving = new ArrayList<>();

    /** Empty variables rendered with {@code templater}. */
    public LazyVars(Templater templater) {
        this.templater = templater;
    }

    /**
     * Defines (or overrides, as a higher precedence level does) a variable whose value is
     * rendered when read.
     *
     * @param origin where the value is written, for messages; null if unknown
     * @return this
     */
    public synchronized LazyVars define(String name, Object value, Origin origin) {
        raw.put(name, value);
        literal.remove(name);
        if (origin != null) {
            origins.put(name, origin);
        } else {
            origins.remove(name);
        }
        done.remove(name);
        failed.remove(name);
        return this;
    }

    /**
     * A value computed elsewhere when first read: a role's parameter, rendered in the scope
     * outside the role ({@code dev.ringplan.engine.exec.Variables}).
     */
    @FunctionalInterface
    public interface Deferred {
        /**
         * The value.
         *
         * @throws TemplateException when it cannot be computed
         */
        Object get() throws TemplateException;
    }

    /**
     * Defines (or overrides) a variable whose value {@code value} computes when first read; the
     * result is used as is (not rendered again).
     */
    public synchronized LazyVars defineDeferred(String name, Deferred value, Origin origin) {
        define(name, value, origin);
        return this;
    }

    /** Defines (or overrides) a variable whose value is used as is, never rendered. */
    public synchronized LazyVars defineLiteral(String name, Object value) {
        raw.put(name, value);
        literal.add(name);
        origins.remove(name);
        done.put(name, value);
        failed.remove(name);
        return this;
    }

    /**
     * A copy with more literal variables (e.g. {@code result} for {@code until}); values
     * already rendered are shared, nothing else is rendered.
     */
    public synchronized LazyVars withLiterals(Map<String, ?> more) {
        LazyVars copy = new LazyVars(templater);
        copy.raw.putAll(raw);
        copy.origins.putAll(origins);
        copy.literal.addAll(literal);
        copy.done.putAll(done);
        copy.failed.putAll(failed);
        more.forEach(copy::defineLiteral);
        return copy;
    }

    /** Where {@code name}'s value comes from, or null when unknown or not defined. */
    public synchronized Origin origin(String name) {
        return origins.get(name);
    }

    /**
     * The value of {@code name}, rendered (null when not defined).
     *
     * @throws TemplateException when its value (or a variable it refers to) cannot be rendered,
     *                           located at the variable's value
     */
    public synchronized Object resolve(String name) throws TemplateException {
        if (done.containsKey(name)) {
            return done.get(name);
        }
        TemplateException earlier = failed.get(name);
        if (earlier != null) {
            throw earlier;
        }
        if (!raw.containsKey(name)) {
            return null;
        }
        Object value = raw.get(name);
        if (value instanceof Deferred d) {
            try {
                Object out = d.get();
                done.put(name, out);
                return out;
            } catch (TemplateException e) {
                TemplateException located = locate(name, e);
                failed.put(name, located);
                throw located;
            }
        }
        if (!Templater.isTemplated(value)) {
            done.put(name, value);
            return value;
        }
        int at = resolving.indexOf(name);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(resolving.subList(at, resolving.size()));
            cycle.add(name);
            Set<String> where = new LinkedHashSet<>();
            for (String v : cycle) {
                where.add(describe(v));
            }
            Origin o = origins.get(name);
            throw new Cycle("variables refer to each other in a cycle: " + String.join(" -> ", cycle)
                    + " (" + String.join("; ", where) + ")", String.valueOf(value), o == null ? null : o.pos());
        }
        resolving.add(name);
        try {
            Object out = templater.render(value, this);
            done.put(name, out);
            return out;
        } catch (TemplateException e) {
            TemplateException located = locate(name, e);
            failed.put(name, located);
            throw located;
        } finally {
            resolving.remove(resolving.size() - 1);
        }
    }

    private String describe(String name) {
        Origin o = origins.get(name);
        return o == null ? "variable '" + name + "'" : o.toString();
    }

    /** Adds to a failure where the variable's value is written (or that it was used by it). */
    private TemplateException locate(String name, TemplateException e) {
        if (e instanceof Cycle) {
            return e;
        }
        Origin o = origins.get(name);
        if (!(e instanceof Located)) {
            return new Located(e.getMessage() + " (" + describe(name) + ")", e, o == null ? null : o.pos());
        }
        String msg = e.getMessage();
        return new Located(msg.substring(0, msg.length() - 1) + ", used by " + describe(name) + ")", e,
                e.pos().orElse(o == null ? null : o.pos()));
    }

    /** A failure already located at the variable whose value failed. */
    private static final class Located extends TemplateException {
        private static final long serialVersionUID = 1L;

        Located(String message, TemplateException e, SourcePos pos) {
            super(message, e.template(), e.undefinedName().orElse(null), pos, e);
        }
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String name)) {
            return null;
        }
        try {
            return resolve(name);
        } catch (TemplateException e) {
            Failure f = new Failure(e);
            RenderFailures.note(f);
            throw f;
        }
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return raw.containsKey(key);
    }

    @Override
    public synchronized Object put(String key, Object value) {
        Object before = raw.get(key);
        defineLiteral(key, value);
        return before;
    }

    /**
     * Every variable whose value renders, rendered (so a copy holds no unrendered template);
     * variables whose value fails are left out: read them with {@link #get} or
     * {@link #resolve} to get the error.
     */
    @Override
    public synchronized Set<Entry<String, Object>> entrySet() {
        Set<Entry<String, Object>> out = new LinkedHashSet<>();
        for (String k : new ArrayList<>(raw.keySet())) {
            try {
                out.add(new SimpleImmutableEntry<>(k, resolve(k)));
            } catch (TemplateException e) {
                // left out, see above
            }
        }
        return out;
    }

    @Override
    public synchronized Set<String> keySet() {
        return new LinkedHashSet<>(raw.keySet());
    }

    /** Identity: comparing or hashing would render every value. */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    /** The names only: printing would render every value. */
    @Override
    public synchronized String toString() {
        return "variables " + raw.keySet();
    }

    @Override
    public synchronized int size() {
        return raw.size();
    }
}
