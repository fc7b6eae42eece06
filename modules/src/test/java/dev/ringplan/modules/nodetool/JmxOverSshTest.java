package dev.ringplan.modules.nodetool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.connection.SshConnection;
import dev.ringplan.engine.testing.EmbeddedSshServer;
import dev.ringplan.modules.CassandraHost;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JMX through an SSH port forward, the way a remote Cassandra node is reached: a JMX RMI server
 * in this JVM laid out as Cassandra's (registry and server objects on one port) whose stubs name
 * a host the controller cannot resolve ({@code java.rmi.server.hostname=jmx-node.invalid}), so a
 * call only succeeds when the stub endpoint is mapped to the forward; an in-JVM SSH server does
 * the forwarding. A second SSH host handing out the same endpoint is refused (ambiguous), and one
 * JMX connection serves every call.
 */
class JmxOverSshTest {
    @TempDir
    static Path dir;
    static EmbeddedSshServer server;
    static SshConnection ssh;
    static SshConnection ssh2;
    static JMXConnectorServer jmx;
    static Registry registry;
    static int port;
    static final FakeStorageService SS = new FakeStorageService();

    /** The StorageService operations this test serves (a standard MBean of the same names). */
    public interface FakeStorageServiceMBean {
        /** Keyspaces attribute. */
        List<String> getKeyspaces();

        /** forceKeyspaceFlush(String, String...). */
        void forceKeyspaceFlush(String keyspace, String... tables);
    }

    /** Records the flushes asked for. */
    public static final class FakeStorageService implements FakeStorageServiceMBean {
        final List<String> flushed = new CopyOnWriteArrayList<>();

        @Override
        public List<String> getKeyspaces() {
            return List.of("ks1", "system");
        }

        @Override
        public void forceKeyspaceFlush(String keyspace, String... tables) {
            flushed.add(keyspace + List.of(tables));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("java.rmi.server.hostname", "jmx-node.invalid");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        registry = LocateRegistry.createRegistry(port);
        MBeanServer mbs = MBeanServerFactory.newMBeanServer();
        mbs.registerMBean(SS, JmxNode.STORAGE_SERVICE);
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://127.0.0.1:" + port + "/jndi/rmi://127.0.0.1:" + port
                + "/jmxrmi");
        jmx = JMXConnectorServerFactory.newJMXConnectorServer(url, Map.of(), mbs);
        jmx.start();
        server = EmbeddedSshServer.start(dir);
        SshConnection.Settings settings = new SshConnection.Settings(server.host(), server.port(), server.user(),
                List.of(server.clientKeyFile()), server.knownHostsFile(), false, Duration.ofSeconds(10));
        ssh = SshConnection.connect("n1", settings);
        ssh2 = SshConnection.connect("n2", settings);
    }

    @AfterAll
    static void stop() throws Exception {
        if (ssh != null) {
            ssh.close();
        }
        if (ssh2 != null) {
            ssh2.close();
        }
        if (jmx != null) {
            jmx.stop();
        }
        if (registry != null) {
            UnicastRemoteObject.unexportObject(registry, true);
        }
        if (server != null) {
            server.close();
        }
        System.clearProperty("java.rmi.server.hostname");
    }

    private static CassandraHost host(String name) throws Exception {
        return CassandraHost.of(name, Map.of("jmx_host", "127.0.0.1", "jmx_port", port));
    }

    @Test
    void flushGoesThroughTheForward_oneConnectionPerHost_sameEndpointOnASecondHostRefused() throws Exception {
        CassandraHost h1 = host("n1");
        JmxNode n = ssh.shared(JmxNode.key(h1), JmxNode.class, () -> JmxNode.open(ssh, h1));
        assertNull(n.failure(), () -> n.failure());
        assertEquals(List.of("ks1", "system"), JmxRun.flush(n, null, List.of(), Duration.ofSeconds(20)));
        JmxRun.flush(n, "ks1", List.of("t1", "t2"), Duration.ofSeconds(20));
        assertEquals(List.of("ks1[]", "system[]", "ks1[t1, t2]"), SS.flushed);
        // the stub's host does not resolve: only the mapping to the forward can have reached the server
        assertThrows(java.io.IOException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("jmx-node.invalid", port), 2000);
            }
        });
        // the same node again for the host: the shared one
        assertTrue(n == ssh.shared(JmxNode.key(h1), JmxNode.class, () -> JmxNode.open(ssh, h1)));
        // another SSH host whose node hands out the same RMI endpoint cannot be told apart
        JmxNode other = JmxNode.open(ssh2, host("n2"));
        assertNotNull(other.failure());
        assertTrue(other.failure().contains("also another forwarded host's"), other.failure());
        // the host's connection closes its JMX connection; the endpoint is free for another host then
        ssh.close();
        JmxNode again = JmxNode.open(ssh2, host("n2"));
        try {
            assertNull(again.failure(), () -> again.failure());
            assertEquals(List.of("ks1", "system"), JmxRun.flush(again, null, List.of(), Duration.ofSeconds(20)));
        } finally {
            again.close();
        }
    }
}
