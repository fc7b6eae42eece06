package dev.ringplan.modules.nodetool;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.LocalConnection;
import dev.ringplan.modules.CassandraHost;
import dev.ringplan.modules.JmxAccess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutput;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.rmi.Remote;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RemoteObject;
import java.rmi.server.RemoteRef;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.JMException;
import javax.management.MBeanException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import javax.management.RuntimeMBeanException;
import javax.management.remote.JMXConnector;
import javax.management.remote.rmi.RMIConnector;
import javax.management.remote.rmi.RMIServer;
import javax.rmi.ssl.SslRMIClientSocketFactory;

/**
 * One JMX connection to a node, shared by every task of its host for the run (created through
 * {@link Connection#shared}, closed with the host's connection), or the reason there is none.
 *
 * <p>Connecting is what {@code nodetool -h H -p P [-u U -pw P] [--ssl]} does (Cassandra's
 * {@code NodeProbe.connect}): look up {@code jmxrmi} in the RMI registry on the JMX port and open
 * the connector with the credentials {@code {user, password}}. The registry is reached at
 * {@link Connection#reach}: the node's address itself over a local connection, an SSH port
 * forward otherwise; in the forwarded case the RMI server's endpoint (read from its stub,
 * serialized form of {@code UnicastRef} as documented by {@link RemoteObject}'s {@code
 * writeObject}: host {@code writeUTF}, port {@code writeInt}) is mapped to the forward
 * ({@link JmxRmiSockets}). Calls are thread-safe (one {@link MBeanServerConnection}, which RMI
 * multiplexes) and bounded by a timeout; a call that times out or loses the link closes the
 * connection, and the next task connects again.
 */
final class JmxNode implements AutoCloseable {
    /** The StorageService MBean (Cassandra's {@code StorageServiceMBean.MBEAN_NAME}). */
    static final ObjectName STORAGE_SERVICE = name("org.apache.cassandra.db:type=StorageService");
    /** The EndpointSnitchInfo MBean ({@code EndpointSnitchInfoMBean}, registered by {@code EndpointSnitchInfo.create}). */
    static final ObjectName SNITCH = name("org.apache.cassandra.db:type=EndpointSnitchInfo");
    private static final ExecutorService CALLS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "jmx-call");
        t.setDaemon(true);
        return t;
    });

    private final String label;
    private final JMXConnector connector;
    private final MBeanServerConnection mbeans;
    private final String failure;
    private final Object owner;
    private final long createdNanos = System.nanoTime();
    private volatile boolean broken;

    private JmxNode(String label, JMXConnector connector, MBeanServerConnection mbeans, String failure, Object owner) {
        this.label = label;
        this.owner = owner;
        this.connector = connector;
        this.mbeans = mbeans;
        this.failure = failure;
    }

    private static ObjectName name(String s) {
        try {
            return new ObjectName(s);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key of a host's JMX node among its connection's shared resources. */
    static String key(CassandraHost h) {
        return "jmx " + h.jmxHost() + ":" + h.jmxPort();
    }

    /**
     * Connects to {@code h}'s JMX through {@code c}; never throws: a node that cannot be reached is
     * returned with its {@link #failure()} (so later tasks of the run do not try again).
     */
    static JmxNode open(Connection c, CassandraHost h) {
        String label = "JMX " + h.jmxHost() + ":" + h.jmxPort();
        JmxAccess a = h.jmx();
        InetSocketAddress at;
        try {
            at = c.reach(h.jmxHost(), h.jmxPort());
        } catch (ConnectionException e) {
            return failed(label, e.getMessage());
        }
        boolean forwarded = !(c instanceof LocalConnection);
        String where = forwarded ? " (through the SSH forward " + at.getHostString() + ":" + at.getPort() + ")" : "";
        if (forwarded && a.ssl()) {
            return failed(label, "JMX over TLS is not used through an SSH forward (the node's TLS stubs connect"
                    + " to its own address)");
        }
        Object owner = new Object();
        try {
            RMIClientSocketFactory csf = a.ssl() ? new SslRMIClientSocketFactory()
                    : new JmxRmiSockets.Fixed(at.getHostString(), at.getPort());
            Registry reg = LocateRegistry.getRegistry(at.getHostString(), at.getPort(), csf);
            Remote stub = reg.lookup("jmxrmi");
            if (!(stub instanceof RMIServer)) {
                return failed(label, "'jmxrmi' in the RMI registry is not a JMX RMI server" + where);
            }
            if (!a.ssl()) {
                InetSocketAddress ep = endpoint(stub);
                if (forwarded) {
                    if (!JmxRmiSockets.install()) {
                        return failed(label, "another RMI socket factory is installed in this JVM");
                    }
                    if (!JmxRmiSockets.map(ep.getHostString(), ep.getPort(), at, owner)) {
                        return failed(label, "its RMI endpoint " + ep.getHostString() + ":" + ep.getPort()
                                + " is also another forwarded host's (set -Djava.rmi.server.hostname to each node's"
                                + " own address to tell them apart)");
                    }
                } else if (JmxRmiSockets.mapped(ep.getHostString(), ep.getPort())) {
                    return failed(label, "its RMI endpoint " + ep.getHostString() + ":" + ep.getPort()
                            + " is mapped to another host's SSH forward in this run");
                }
            }
            Map<String, Object> env = new HashMap<>();
            if (a.username() != null || a.password() != null) {
                env.put(JMXConnector.CREDENTIALS, new String[] {a.username(), a.password()});
            }
            RMIConnector conn = new RMIConnector((RMIServer) stub, env);
            conn.connect(env);
            return new JmxNode(label, conn, conn.getMBeanServerConnection(), null, owner);
        } catch (Exception e) {
            JmxRmiSockets.unmap(owner);
            return failed(label, clean(e, a) + where);
        }
    }

    private static JmxNode failed(String label, String why) {
        return new JmxNode(label, null, null, why, new Object());
    }

    /** Why there is no connection, or null when there is one. */
    String failure() {
        return failure;
    }

    /** "JMX host:port", for messages. */
    String label() {
        return label;
    }

    /**
     * True when this node should be replaced by a new connection attempt: a call failed on the link
     * (the connection is closed), or connecting failed more than {@link #RETRY_AFTER} ago (a node
     * that was restarting may answer now).
     */
    boolean stale() {
        return broken || failure != null && System.nanoTime() - createdNanos > RETRY_AFTER.toNanos();
    }

    /** How long a failure to connect is remembered before the next task tries again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    /** The RMI endpoint (host, port) a stub connects to, from the documented serialized form of its UnicastRef. */
    static InetSocketAddress endpoint(Remote stub) throws IOException {
        RemoteObject ro = Proxy.isProxyClass(stub.getClass())
                ? (RemoteObject) Proxy.getInvocationHandler(stub) : (RemoteObject) stub;
        RemoteRef ref = ro.getRef();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Capture out = new Capture(bytes)) {
            ref.writeExternal(out);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        if ("UnicastRef2".equals(ref.getRefClass(null))) {
            in.readByte(); // endpoint format (host/port, with or without a client socket factory)
        }
        String host = in.readUTF();
        int port = in.readInt();
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** An ObjectOutput that keeps the primitive data (objects, e.g. a socket factory, are skipped). */
    private static final class Capture extends DataOutputStream implements ObjectOutput {
        Capture(ByteArrayOutputStream out) {
            super(out);
        }

        @Override
        public void writeObject(Object obj) {
            // the endpoint's host and port come before any object
        }
    }

    /** A JMX operation or attribute read. */
    @FunctionalInterface
    interface Call<T> {
        T run(MBeanServerConnection m) throws Exception;
    }

    /**
     * Runs {@code call} with at most {@code timeout}.
     *
     * @throws JmxException with the node's message (the operation's exception, e.g. "Snapshot x already
     *                      exists"), or why the link failed (then the connection is closed)
     */
    <T> T call(String what, Duration timeout, Call<T> call) throws JmxException {
        if (failure != null || broken) {
            throw new JmxException(label + ": not connected", false);
        }
        Future<T> f = CALLS.submit(() -> call.run(mbeans));
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            broken = true;
            close();
            throw new JmxException(label + ": " + what + " did not finish within " + timeout.toSeconds() + " s", true);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new JmxException(label + ": " + what + " interrupted", true);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof MBeanException || t instanceof RuntimeMBeanException || t instanceof ReflectionException) {
                Throwable inner = t.getCause() != null ? t.getCause() : t;
                throw new JmxException(what + ": " + message(inner), false, inner);
            }
            if (t instanceof JMException) {
                throw new JmxException(what + ": " + message(t), false, t);
            }
            broken = true;
            close();
            throw new JmxException(label + ": " + what + " failed on the link: " + message(t), true, t);
        }
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.replaceAll("\\s+", " ").strip();
    }

    private static String clean(Exception e, JmxAccess a) {
        Throwable root = e;
        StringBuilder sb = new StringBuilder(message(e));
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e) {
            sb.append(" (").append(message(root)).append(')');
        }
        String s = sb.toString();
        return a.password() == null || a.password().isEmpty() ? s : s.replace(a.password(), "********");
    }

    /** Closes the connector, ignoring errors. Idempotent. */
    @Override
    public void close() {
        JmxRmiSockets.unmap(owner);
        if (connector != null) {
            try {
                connector.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** A JMX call that failed: the node refused the operation, or the link failed ({@link #link}). */
    static final class JmxException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean link;

        JmxException(String message, boolean link) {
            super(message);
            this.link = link;
        }

        JmxException(String message, boolean link, Throwable cause) {
            super(message, cause);
            this.link = link;
        }

        /** True when the link failed (the operation may or may not have run). */
        boolean link() {
            return link;
        }
    }
}
