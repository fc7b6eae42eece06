package dev.ringplan.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ringplan.engine.testing.EmbeddedSshServer;

class ConnectionFactoryTest {
    final ConnectionFactory factory = new ConnectionFactory();
    final ConnectionOptions opts = ConnectionOptions.defaults()
            .withKnownHostsFile(Path.of("/kh/default")).withConnectTimeout(Duration.ofSeconds(3));

    @TempDir
    Path tmp;

    @Test
    void open_localConnection() throws Exception {
        for (String var : List.of("ansible_connection", "ringplan_connection")) {
            try (Connection c = factory.open("sandbox1", Map.of(var, "local"), opts)) {
                assertInstanceOf(LocalConnection.class, c);
                assertEquals("sandbox1", c.host());
                assertEquals("x\n", c.exec(List.of("echo", "x")).stdout());
            }
        }
    }

    @Test
    void isLocal_defaultSshAndRingplanNameWins() throws Exception {
        assertFalse(ConnectionFactory.isLocal("h", Map.of()));
        assertFalse(ConnectionFactory.isLocal("h", Map.of("ansible_connection", "SSH")));
        assertTrue(ConnectionFactory.isLocal("h", Map.of("ansible_connection", "ssh", "ringplan_connection", "local")));
    }

    @Test
    void isLocal_unknownTypeRejected() {
        ConnectionException e = assertThrows(ConnectionException.class,
                () -> ConnectionFactory.isLocal("db1", Map.of("ansible_connection", "winrm")));
        assertEquals("host db1: ansible_connection is 'winrm', expected one of [local, ssh, docker, kubectl]", e.getMessage());
    }

    @Test
    void sshSettings_defaults() throws Exception {
        SshConnection.Settings s = ConnectionFactory.sshSettings("db1.example", Map.of(), opts);
        assertEquals("db1.example", s.address());
        assertEquals(22, s.port());
        assertEquals(System.getProperty("user.name"), s.user());
        assertEquals(Path.of("/kh/default"), s.knownHosts());
        assertFalse(s.acceptNewHostKeys());
        assertEquals(Duration.ofSeconds(3), s.connectTimeout());
        s.identityFiles().forEach(p -> assertTrue(p.getFileName().toString().startsWith("id_"), p.toString()));
    }

    @Test
    void sshSettings_fromHostVars() throws Exception {
        Map<String, Object> vars = new HashMap<>();
        vars.put("ansible_host", "10.0.0.5");
        vars.put("ansible_port", 2222L);
        vars.put("ansible_user", "cassandra");
        vars.put("ansible_ssh_private_key_file", "~/keys/id_test");
        vars.put("ringplan_known_hosts", "/etc/ringplan/known_hosts");
        SshConnection.Settings s = ConnectionFactory.sshSettings("db1", vars, opts.withAcceptNewHostKeys(true));
        assertEquals("10.0.0.5", s.address());
        assertEquals(2222, s.port());
        assertEquals("cassandra", s.user());
        assertEquals(List.of(Path.of(System.getProperty("user.home"), "keys", "id_test")), s.identityFiles());
        assertEquals(Path.of("/etc/ringplan/known_hosts"), s.knownHosts());
        assertTrue(s.acceptNewHostKeys());
        assertEquals("cassandra@10.0.0.5:2222", s.target());
    }

    @Test
    void sshSettings_portAsIntegerOrString() throws Exception {
        assertEquals(2200, ConnectionFactory.sshSettings("h", Map.of("ansible_port", 2200), opts).port());
        assertEquals(2201, ConnectionFactory.sshSettings("h", Map.of("ansible_port", " 2201 "), opts).port());
        assertEquals(2202, ConnectionFactory.sshSettings("h", Map.of("ansible_ssh_port", "2202"), opts).port());
        assertEquals(2203, ConnectionFactory.sshSettings("h",
                Map.of("ringplan_port", 2203, "ansible_port", 1), opts).port());
    }

    @Test
    void sshSettings_badPortRejected() {
        for (Object bad : List.of("ssh", 0, 70000L, 22.5, "-1")) {
            ConnectionException e = assertThrows(ConnectionException.class,
                    () -> ConnectionFactory.sshSettings("db1", Map.of("ansible_port", bad), opts), bad.toString());
            assertTrue(e.getMessage().startsWith("host db1: ansible_port must be a port number 1..65535, got "), e.getMessage());
        }
    }

    @Test
    void sshSettings_nonStringVarRejected() {
        ConnectionException e = assertThrows(ConnectionException.class,
                () -> ConnectionFactory.sshSettings("db1", Map.of("ansible_user", List.of("a")), opts));
        assertTrue(e.getMessage().contains("ansible_user must be a string"), e.getMessage());
    }

    @Test
    void open_sshThroughEmbeddedServerHostVars() throws Exception {
        try (EmbeddedSshServer server = EmbeddedSshServer.start(tmp)) {
            Map<String, Object> vars = new HashMap<>(server.hostVars());
            vars.put("ansible_port", String.valueOf(server.port()));
            try (Connection c = factory.open("node1", vars, opts)) {
                assertInstanceOf(SshConnection.class, c);
                assertEquals("node1", c.host());
                assertEquals("it works\n", c.exec(List.of("echo", "it works")).stdout());
            }
            vars.remove("ringplan_known_hosts");
            UnreachableException e = assertThrows(UnreachableException.class, () -> factory.open("node1", vars, opts));
            assertTrue(e.getMessage().contains("known_hosts file /kh/default"), e.getMessage());
        }
    }
}
