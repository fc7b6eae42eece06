package dev.ringplan.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link ConnectionContract} for {@code ansible_connection: kubectl} against a STAND-IN
 * kubectl, not a Kubernetes cluster (none exists on the test machines): the script
 * {@code kubectl-stand-in.sh}, installed as {@code kubectl} in a directory of its own, checks
 * the argv shape the connection builds, records it, and forwards the command to
 * {@code docker exec -i POD ...}, the "pod" being a Docker container. This tests the argv the
 * connection builds, its stream handling through a client's stdin and stdout, and its reading
 * of kubectl's NotFound error; not kubectl's own behaviour (its exit codes for a terminated
 * command, SPDY/WebSocket stream limits, auth plugins). Skipped, with the reason, without Docker.
 */
@ExtendWith(DockerEngine.Required.class)
class KubectlStandInConnectionContractTest extends ConnectionContract {
    static String container;
    static ContainerConnection conn;
    static Path kubectl;
    static Path log;

    @TempDir
    static Path bin;

    @BeforeAll
    static void setUp() throws Exception {
        container = DockerEngine.startSleeper("ringplan-kubectl-pod");
        kubectl = bin.resolve("kubectl");
        try (InputStream in = KubectlStandInConnectionContractTest.class.getResourceAsStream("kubectl-stand-in.sh")) {
            Files.write(kubectl, in.readAllBytes());
        }
        Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwxr-xr-x"));
        log = bin.resolve("kubectl-argv.log");
        conn = ContainerConnection.open("pod1", cli(container));
    }

    @AfterAll
    static void tearDown() {
        if (conn != null) {
            conn.close();
        }
        DockerEngine.remove(container);
    }

    /** The stand-in, with every option the connection can pass. */
    static KubectlCli cli(String pod) {
        return new KubectlCli(kubectl.toString(), bin.resolve("kubeconfig").toString(), "kind-test", "cassandra",
                List.of("--request-timeout=30s"), pod, "cassandra");
    }

    /** The argv lists the stand-in received, in order. */
    static List<List<String>> received() throws Exception {
        List<List<String>> all = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (String l : Files.readAllLines(log)) {
            if (l.equals("--end--")) {
                all.add(cur);
                cur = new ArrayList<>();
            } else {
                cur.add(l);
            }
        }
        return all;
    }

    @Test
    void exec_argvAsKubernetesCoreKubectlBuildsIt() throws Exception {
        Files.deleteIfExists(log);
        assertEquals("a b\n", conn.exec(List.of("echo", "a b")).stdout());
        List<String> argv = received().get(0);
        List<String> expected = List.of("--kubeconfig", bin.resolve("kubeconfig").toString(), "--context", "kind-test",
                "-n", "cassandra", "--request-timeout=30s", "exec", "-i", container, "-c", "cassandra", "--", "env");
        assertEquals(expected, argv.subList(0, expected.size()));
        assertTrue(argv.get(expected.size()).startsWith(ContainerConnection.MARKER + "="), argv.toString());
        assertEquals(List.of("echo", "a b"), argv.subList(expected.size() + 1, argv.size()));
    }

    @Test
    void open_missingPodIsUnreachable() {
        UnreachableException e = assertThrows(UnreachableException.class,
                () -> ContainerConnection.open("pod9", cli("ringplan-no-such-pod")));
        assertTrue(e.getMessage().startsWith("pod9: cannot reach pod cassandra/ringplan-no-such-pod container cassandra"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Error from server (NotFound)"), e.getMessage());
    }

    @Override
    protected Connection connection() {
        return conn;
    }

    @Override
    protected Connection freshConnection() throws Exception {
        return ContainerConnection.open("pod1", cli(container));
    }

    @Override
    protected String hostName() {
        return "pod1";
    }
}
