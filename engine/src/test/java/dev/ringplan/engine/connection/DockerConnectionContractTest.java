package dev.ringplan.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link ConnectionContract} for {@code ansible_connection: docker}: a {@link ContainerConnection}
 * through the docker CLI into a container of the local engine. Skipped, with the reason, when no
 * Docker engine or no local image is there.
 */
@ExtendWith(DockerEngine.Required.class)
class DockerConnectionContractTest extends ConnectionContract {
    static String container;
    static ContainerConnection conn;

    @BeforeAll
    static void startContainer() throws Exception {
        container = DockerEngine.startSleeper("ringplan-contract");
        conn = ContainerConnection.open("c1", cli(null));
    }

    @AfterAll
    static void removeContainer() {
        if (conn != null) {
            conn.close();
        }
        DockerEngine.remove(container);
    }

    static DockerCli cli(String user) {
        return new DockerCli("docker", List.of(), container, user);
    }

    @Override
    protected Connection connection() {
        return conn;
    }

    @Override
    protected Connection freshConnection() throws Exception {
        return ContainerConnection.open("c1", cli(null));
    }

    @Override
    protected String hostName() {
        return "c1";
    }

    @Test
    void open_missingContainerIsUnreachable() {
        UnreachableException e = assertThrows(UnreachableException.class,
                () -> ContainerConnection.open("c9", new DockerCli("docker", List.of(), "ringplan-no-such-container", null)));
        assertTrue(e.getMessage().startsWith("c9: cannot reach docker container ringplan-no-such-container"), e.getMessage());
        assertTrue(e.getMessage().contains("No such container"), e.getMessage());
    }

    @Test
    void open_missingClientIsUnreachable() {
        UnreachableException e = assertThrows(UnreachableException.class,
                () -> ContainerConnection.open("c9", new DockerCli("ringplan-no-docker-here", List.of(), container, null)));
        assertTrue(e.getMessage().contains("client 'ringplan-no-docker-here' is not installed"), e.getMessage());
    }

    @Test
    void user_runsAsAnsibleUser_extraArgsBeforeExec() throws Exception {
        try (ContainerConnection c = ContainerConnection.open("c1",
                new DockerCli("docker", List.of("--log-level", "error"), container, "nobody"))) {
            assertEquals("nobody\n", c.exec(List.of("id", "-un")).stdout());
        }
    }
}
