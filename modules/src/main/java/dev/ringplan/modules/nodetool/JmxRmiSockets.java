package dev.ringplan.modules.nodetool;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMISocketFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where RMI connects when a node is reached through an SSH port forward.
 *
 * <p>Cassandra serves JMX's RMI registry and its RMI server objects on one port, and the stubs it
 * hands out carry the host and port the node sees ({@code java.rmi.server.hostname}, by default
 * 127.0.0.1 when JMX is local-only, and the JMX port). Through a forward, those must be redirected
 * to the forward's local end. Stubs without a client socket factory of their own (JMX without TLS)
 * open their sockets through the JVM-wide {@link RMISocketFactory}; this class installs one (once,
 * only if no other is installed) that maps a registered stub endpoint {@code host:port} to its
 * forward and connects anything else directly, with a connect timeout. RMI pools its connections
 * per stub endpoint, so one endpoint can be mapped to one forward only: a second SSH host whose
 * node hands out the same endpoint (every node 127.0.0.1:7199, the default) cannot be told apart
 * and is refused here ({@link #map} returns false), so its tasks use the nodetool program; setting
 * {@code -Djava.rmi.server.hostname=<the node's address>} in cassandra-env.sh makes endpoints
 * distinct. TLS stubs carry their own factory and connect directly, so JMX over TLS is only
 * used where the node's endpoint is reachable as is (connection local).
 */
final class JmxRmiSockets extends RMISocketFactory implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Connect timeout of every RMI socket, milliseconds. */
    static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final Map<String, InetSocketAddress> MAP = new ConcurrentHashMap<>();
    private static final Map<String, Object> OWNER = new ConcurrentHashMap<>();
    /** The sockets opened through each owner's forward, closed when it is unmapped. */
    private static final Map<Object, java.util.Set<Socket>> SOCKETS = new ConcurrentHashMap<>();
    private static volatile Boolean installed;

    private JmxRmiSockets() {
    }

    /** Installs the JVM-wide factory if none is; true when it is (now or before) ours. */
    static synchronized boolean install() {
        if (installed == null) {
            RMISocketFactory current = RMISocketFactory.getSocketFactory();
            if (current instanceof JmxRmiSockets) {
                installed = true;
            } else if (current != null) {
                installed = false;
            } else {
                try {
                    RMISocketFactory.setSocketFactory(new JmxRmiSockets());
                    installed = true;
                } catch (IOException | SecurityException e) {
                    installed = false;
                }
            }
        }
        return installed;
    }

    /**
     * Maps stub endpoint {@code host:port} to {@code to} for {@code owner} (a JMX connection).
     *
     * @return false when the endpoint is already mapped for another owner (ambiguous)
     */
    static synchronized boolean map(String host, int port, InetSocketAddress to, Object owner) {
        String key = key(host, port);
        Object have = OWNER.get(key);
        if (have != null && have != owner) {
            return false;
        }
        OWNER.put(key, owner);
        MAP.put(key, to);
        return true;
    }

    /** True when {@code host:port} is mapped to a forward (a direct connection there would be redirected). */
    static boolean mapped(String host, int port) {
        return MAP.containsKey(key(host, port));
    }

    /**
     * Removes the mappings of {@code owner} and closes the sockets opened through them: RMI keeps
     * idle connections per endpoint for reuse, and one through a closed forward must not serve the
     * endpoint's next owner (a closed socket fails RMI's liveness check, so it opens a new one).
     */
    static synchronized void unmap(Object owner) {
        OWNER.entrySet().removeIf(e -> {
            if (e.getValue() == owner) {
                MAP.remove(e.getKey());
                return true;
            }
            return false;
        });
        java.util.Set<Socket> open = SOCKETS.remove(owner);
        if (open != null) {
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    private static String key(String host, int port) {
        return host + ":" + port;
    }

    /** A socket to {@code host:port}, or to its forward when mapped, with {@link #CONNECT_TIMEOUT_MS}. */
    @Override
    public Socket createSocket(String host, int port) throws IOException {
        String key = key(host, port);
        InetSocketAddress to;
        Object owner;
        synchronized (JmxRmiSockets.class) {
            to = MAP.get(key);
            owner = OWNER.get(key);
        }
        if (to == null) {
            return connect(new InetSocketAddress(host, port));
        }
        Socket s = connect(to);
        synchronized (JmxRmiSockets.class) {
            if (OWNER.get(key) != owner) {
                s.close(); // unmapped meanwhile
                throw new IOException("the SSH forward to " + key + " was closed");
            }
            java.util.Set<Socket> set = SOCKETS.computeIfAbsent(owner, o -> ConcurrentHashMap.newKeySet());
            set.removeIf(Socket::isClosed);
            set.add(s);
        }
        return s;
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return new ServerSocket(port);
    }

    static Socket connect(InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(to, CONNECT_TIMEOUT_MS);
            s.setTcpNoDelay(true);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** The client factory of the registry lookup: always the given address (the forward or the node). */
    record Fixed(String host, int port) implements RMIClientSocketFactory, Serializable {
        @Override
        public Socket createSocket(String ignoredHost, int ignoredPort) throws IOException {
            return connect(new InetSocketAddress(host, port));
        }
    }
}
