package dev.ringplan.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.testing.EmbeddedSshServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link ConnectionContract} for {@link SshConnection}, against the embedded Apache MINA SSHD server. */
class SshConnectionContractTest extends ConnectionContract {
    static EmbeddedSshServer server;
    static SshConnection conn;

    @TempDir
    static Path shared;

    @BeforeAll
    static void startServer() throws Exception {
        server = EmbeddedSshServer.start(shared);
        conn = SshConnection.connect("node1", settings());
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (conn != null) {
            conn.close();
        }
        server.close();
    }

    private static SshConnection.Settings settings() {
        return new SshConnection.Settings(server.host(), server.port(), server.user(), List.of(server.clientKeyFile()),
                server.knownHostsFile(), false, Duration.ofSeconds(10));
    }

    @Override
    protected Connection connection() {
        return conn;
    }

    @Override
    protected Connection freshConnection() throws Exception {
        return SshConnection.connect("node1", settings());
    }

    @Override
    protected String hostName() {
        return "node1";
    }

    /**
     * The tar module's fast path reads a snapshot through a streamed command on SSH
     * connections; without streaming the contract's streaming cases would only check a refusal.
     */
    @Test
    void streamsCommands() throws Exception {
        assertTrue(conn.canStreamExec());
        try (CommandStream s = conn.execStream(List.of("echo", "streamed"), ExecOptions.defaults())) {
            assertEquals("streamed\n", new String(s.stdout().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(0, s.finish().exitStatus());
        }
    }
}
