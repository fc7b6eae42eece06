package dev.ringplan.engine.connection;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resources that live as long as one {@link Connection} (a JMX connector of its node, a forwarded
 * port): created on first use by {@link Connection#shared}, kept per connection and key, closed in
 * reverse order of creation when the connection closes ({@link #closeAll}). The executor opens one
 * connection per host per run, so a shared resource is one per host per run. Thread-safe: two
 * threads asking for the same key get the same instance, created once.
 */
public final class ConnectionResources {
    private static final Map<Connection, Map<String, AutoCloseable>> BY_CONNECTION = new IdentityHashMap<>();

    private ConnectionResources() {
    }

    /**
     * Creates a resource for {@link Connection#shared}.
     *
     * @param <T> the resource's type
     */
    @FunctionalInterface
    public interface Factory<T extends AutoCloseable> {
        /**
         * Creates the resource.
         *
         * @throws ConnectionException when it cannot be created (nothing is kept; the next call tries again)
         */
        T create() throws ConnectionException;
    }

    /**
     * The resource {@code key} of {@code c}, created by {@code factory} when absent. Creation runs
     * under a per-connection lock, so concurrent callers wait for one creation.
     *
     * @throws ConnectionException what {@code factory} threw
     * @throws ClassCastException  when {@code key} holds a resource of another type
     */
    static <T extends AutoCloseable> T get(Connection c, String key, Class<T> type, Factory<T> factory)
            throws ConnectionException {
        Map<String, AutoCloseable> m;
        synchronized (BY_CONNECTION) {
            m = BY_CONNECTION.computeIfAbsent(c, k -> new LinkedHashMap<>());
        }
        synchronized (m) {
            AutoCloseable have = m.get(key);
            if (have != null) {
                return type.cast(have);
            }
            T made = factory.create();
            m.put(key, made);
            return made;
        }
    }

    /** Removes (without closing) resource {@code key} of {@code c} if it is {@code r}, e.g. one found broken. */
    static void forget(Connection c, String key, AutoCloseable r) {
        Map<String, AutoCloseable> m;
        synchronized (BY_CONNECTION) {
            m = BY_CONNECTION.get(c);
        }
        if (m != null) {
            synchronized (m) {
                m.remove(key, r);
            }
        }
    }

    /**
     * Closes every resource of {@code c}, newest first, ignoring errors; called by the connections'
     * {@code close()}. Idempotent.
     */
    public static void closeAll(Connection c) {
        Map<String, AutoCloseable> m;
        synchronized (BY_CONNECTION) {
            m = BY_CONNECTION.remove(c);
        }
        if (m == null) {
            return;
        }
        List<AutoCloseable> all;
        synchronized (m) {
            all = new ArrayList<>(m.values());
            m.clear();
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            ConnectionSupport.closeQuietly(all.get(i));
        }
    }
}
