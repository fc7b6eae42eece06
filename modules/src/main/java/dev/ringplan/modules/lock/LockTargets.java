package dev.ringplan.modules.lock;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.Node;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.modules.cql.CqlSessions;
import dev.ringplan.modules.cql.CqlSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Which clusters a set of hosts belongs to, connecting as few times as it can: a session is
 * opened to the first host not placed yet (its CQL settings: {@code cql_host}, {@code cql_port},
 * credentials, TLS), its cluster named by {@code cluster_name} from {@code system.local}, and
 * every host whose address and port is one of the nodes that session knows
 * ({@code system.local} and {@code system.peers_v2}, down nodes included) is placed in that
 * cluster without a connection of its own. A host that does not answer and is no known node of a
 * cluster that did is left unplaced, with the reason. Hosts whose CQL port accepts no TCP
 * connection are found first, all at once ({@link #probe}), so the driver starts only when a
 * node listens.
 */
public final class LockTargets {
    /** How long {@link #probe} waits for a host's CQL port to accept a TCP connection. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private LockTargets() {
    }

    /**
     * One cluster found.
     *
     * @param name     its {@code cluster_name}
     * @param session  the open session (the caller closes it)
     * @param hosts    the inventory hosts in it, in the order given
     * @param contacts their CQL settings, same order (to open a session again)
     */
    public record Found(String name, CqlSession session, List<String> hosts, List<CqlSettings> contacts) { }

    /**
     * What {@link #discover} gave.
     *
     * @param clusters   the clusters, in the order of their first host
     * @param unanswered hosts in no cluster found, with why
     */
    public record Discovery(List<Found> clusters, Map<String, String> unanswered) { }

    /** Places {@code hosts} (inventory name to CQL settings, in order) in clusters (class doc). */
    public static Discovery discover(Map<String, CqlSettings> hosts) {
        Map<String, Set<InetSocketAddress>> addresses = new LinkedHashMap<>();
        Map<String, String> unanswered = new LinkedHashMap<>();
        hosts.forEach((h, s) -> {
            try {
                Set<InetSocketAddress> a = new HashSet<>();
                for (InetAddress ia : InetAddress.getAllByName(s.host())) {
                    a.add(new InetSocketAddress(ia, s.port()));
                }
                addresses.put(h, a);
            } catch (UnknownHostException | SecurityException e) {
                unanswered.put(h, "CQL address " + s.endpoint() + " does not resolve");
            }
        });
        unanswered.putAll(probe(hosts, addresses));
        List<Found> clusters = new ArrayList<>();
        Map<String, Found> placed = new LinkedHashMap<>();
        for (String h : addresses.keySet()) {
            if (placed.containsKey(h) || unanswered.containsKey(h)) {
                continue;
            }
            CqlSettings s = hosts.get(h);
            CqlSession session;
            String name;
            try {
                session = CqlSessions.open(s);
            } catch (ModuleException e) {
                unanswered.put(h, e.getMessage());
                continue;
            }
            try {
                Row r = session.execute("SELECT cluster_name FROM system.local").one();
                name = r == null ? null : r.getString("cluster_name");
            } catch (DriverException e) {
                session.closeAsync();
                unanswered.put(h, "CQL " + s.endpoint() + ": cannot read system.local: " + e.getMessage());
                continue;
            }
            if (name == null) {
                session.closeAsync();
                unanswered.put(h, "CQL " + s.endpoint() + ": system.local has no cluster_name");
                continue;
            }
            Set<SocketAddress> members = members(session);
            List<String> in = new ArrayList<>();
            List<CqlSettings> contacts = new ArrayList<>();
            for (Map.Entry<String, Set<InetSocketAddress>> e : addresses.entrySet()) {
                boolean member = e.getKey().equals(h) || e.getValue().stream().anyMatch(members::contains);
                if (member && !placed.containsKey(e.getKey())) {
                    in.add(e.getKey());
                    contacts.add(hosts.get(e.getKey()));
                }
            }
            Found f = new Found(name, session, List.copyOf(in), List.copyOf(contacts));
            in.forEach(x -> {
                placed.put(x, f);
                unanswered.remove(x);
            });
            clusters.add(f);
        }
        return new Discovery(List.copyOf(clusters), unanswered);
    }

    /**
     * Hosts whose CQL port accepts no TCP connection on any of their addresses within
     * {@link #PROBE_TIMEOUT}, with why; probed all at once. A session is opened only to a host
     * that accepted: starting the driver (its classes, Netty's event loops) to learn that
     * nothing listens cost 0.5-5 s per host on every run (bench/tasks.py, hosts without Cassandra).
     */
    static Map<String, String> probe(Map<String, CqlSettings> hosts, Map<String, Set<InetSocketAddress>> addresses) {
        Map<String, String> out = new LinkedHashMap<>();
        if (addresses.isEmpty()) {
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(16, addresses.size()), r -> {
            Thread t = new Thread(r, "ringplan-lock-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Future<String>> why = new LinkedHashMap<>();
            addresses.forEach((h, a) -> why.put(h, pool.submit(() -> refusal(hosts.get(h), a))));
            for (Map.Entry<String, Future<String>> e : why.entrySet()) {
                String w;
                try {
                    w = e.getValue().get();
                } catch (ExecutionException ex) {
                    w = null; // let the driver tell
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return out;
                }
                if (w != null) {
                    out.put(e.getKey(), w);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Null when one of {@code addresses} accepts a TCP connection, else why none did. */
    private static String refusal(CqlSettings s, Set<InetSocketAddress> addresses) {
        String why = "no address";
        for (InetSocketAddress a : addresses) {
            try (Socket socket = new Socket()) {
                socket.connect(a, (int) PROBE_TIMEOUT.toMillis());
                return null;
            } catch (SocketTimeoutException e) {
                why = "no answer within " + PROBE_TIMEOUT.toSeconds() + " s";
            } catch (IOException e) {
                why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().toLowerCase(Locale.ROOT);
            }
        }
        return "CQL " + s.endpoint() + ": cannot connect: " + why;
    }

    /** The CQL addresses of the nodes the session knows. */
    private static Set<SocketAddress> members(CqlSession session) {
        Set<SocketAddress> out = new HashSet<>();
        for (Node n : session.getMetadata().getNodes().values()) {
            out.add(n.getEndPoint().resolve());
            n.getBroadcastRpcAddress().ifPresent(out::add);
        }
        return out;
    }
}
