package dev.ringplan.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link ConnectionContract} for {@code ansible_connection: docker} into a container without
 * perl (removed from it here): no file agent can run, so every file operation goes through
 * {@link ContainerFiles}' shell script, one {@code docker exec} each. Skipped without Docker.
 */
@ExtendWith(DockerEngine.Required.class)
class DockerWithoutPerlConnectionContractTest extends ConnectionContract {
    static String container;
    static ContainerConnection conn;

    @BeforeAll
    static void startContainer() throws Exception {
        container = DockerEngine.startSleeper("ringplan-contract-noperl");
        assertEquals(0, DockerEngine.docker("exec", container, "sh", "-c",
                "rm -f \"$(command -v perl)\"; ! command -v perl").status(), "perl removed");
        conn = ContainerConnection.open("c2", new DockerCli("docker", List.of(), container, null));
    }

    @AfterAll
    static void removeContainer() {
        if (conn != null) {
            conn.close();
        }
        DockerEngine.remove(container);
    }

    @Override
    protected Connection connection() {
        return conn;
    }

    @Override
    protected Connection freshConnection() throws Exception {
        return ContainerConnection.open("c2", new DockerCli("docker", List.of(), container, null));
    }

    @Override
    protected String hostName() {
        return "c2";
    }
}
