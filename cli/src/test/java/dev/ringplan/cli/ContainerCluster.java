package dev.ringplan.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * Test support for the {@code *DockerIT}: Cassandra 5.0.7 nodes in containers of the local image
 * {@value #IMAGE} (built by {@code sandbox/docker/build-image.sh}, no registry), started with
 * Testcontainers on the host network, one 127.0.x.y address each (the sandbox's address plan:
 * block {@code index}, JMX port {@code 7199 + 100 (n - 1) + index}), and the docker inventory
 * Ringplan reaches them with.
 */
final class ContainerCluster implements AutoCloseable {
    /** The image every node runs. */
    static final String IMAGE = "ringplan/cassandra:5.0.7";

    /** One node: its container, name, address and JMX port. */
    record Node(GenericContainer<?> container, String host, String name, String address, int jmxPort) {
        /** Runs argv in the node's container. */
        Container.ExecResult exec(String... argv) throws IOException, InterruptedException {
            return container.execInContainer(argv);
        }
    }

    private final List<Node> nodes = new ArrayList<>();

    /**
     * Starts nodes {@code first..first+count-1} of address block {@code index} one after the other,
     * each waited for until its CQL port opens.
     *
     * @param prefix     container and inventory host prefix (containers {@code ringplan-<prefix><n>})
     * @param seeds      the seed addresses (comma-separated); null: the first node started here
     * @param datacenter the nodes' datacenter
     * @param bootstrap  false for nodes of a new datacenter that stream with nodetool rebuild
     */
    ContainerCluster start(String prefix, int index, int first, int count, String seeds, String datacenter,
                           boolean bootstrap) {
        for (int n = first; n < first + count; n++) {
            String address = "127.0." + index + "." + n;
            int jmx = 7199 + 100 * (n - 1) + index;
            String name = "ringplan-" + prefix + n + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
            String seedList = seeds != null ? seeds : "127.0." + index + "." + first;
            GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(IMAGE))
                    .withNetworkMode("host")
                    .withEnv("CASSANDRA_LISTEN_ADDRESS", address)
                    .withEnv("CASSANDRA_SEEDS", seedList)
                    .withEnv("CASSANDRA_CLUSTER_NAME", "ringplan-docker")
                    .withEnv("CASSANDRA_DC", datacenter)
                    .withEnv("CASSANDRA_JMX_PORT", Integer.toString(jmx))
                    .withEnv("CASSANDRA_AUTO_BOOTSTRAP", Boolean.toString(bootstrap))
                    .withCreateContainerCmdModifier(cmd -> {
                        cmd.withName(name);
                        cmd.getHostConfig().withInit(true);
                    })
                    .waitingFor(new CqlPortOpen(address).withStartupTimeout(Duration.ofMinutes(4)));
            c.start();
            nodes.add(new Node(c, prefix + n, name, address, jmx));
        }
        return this;
    }

    List<Node> nodes() {
        return nodes;
    }

    /**
     * The docker inventory of these nodes under group {@code group}: {@code ansible_connection:
     * docker}, the container as {@code ansible_host}, the node's address as listen_address and
     * cql_host, its JMX port, and the image's own start/stop scripts and PID file (so a restore
     * can stop Cassandra while the container, and docker exec, stay up).
     */
    String inventoryHosts() {
        return inventoryHosts(8);
    }

    /** {@link #inventoryHosts()} with the host names indented by {@code indent} blanks. */
    String inventoryHosts(int indent) {
        String i = " ".repeat(indent);
        StringBuilder y = new StringBuilder();
        for (Node n : nodes) {
            y.append(i).append(n.host()).append(":\n");
            y.append(i).append("  ansible_host: ").append(n.name()).append('\n');
            y.append(i).append("  listen_address: ").append(n.address()).append('\n');
            y.append(i).append("  cql_host: ").append(n.address()).append('\n');
            y.append(i).append("  jmx_port: ").append(n.jmxPort()).append('\n');
        }
        return y.toString();
    }

    /** Group variables every node of the image needs. */
    static String imageVars() {
        return """
                    ansible_connection: docker
                    cassandra_start_cmd: [cassandra-start]
                    cassandra_stop_cmd: [cassandra-stop]
                    cassandra_pid_file: /var/run/cassandra/cassandra.pid
                """;
    }

    /** Writes {@code text} as a file in {@code dir}. */
    static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            n.container().stop();
        }
        nodes.clear();
    }

    /** Ready when a TCP connection to address:9042 succeeds (host network: no mapped port to wait on). */
    static final class CqlPortOpen extends AbstractWaitStrategy {
        private final String address;

        CqlPortOpen(String address) {
            this.address = address;
        }

        @Override
        protected void waitUntilReady() {
            long deadline = System.nanoTime() + startupTimeout.toNanos();
            while (System.nanoTime() < deadline) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(address, 9042), 1000);
                    return;
                } catch (IOException e) {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", ie);
                    }
                }
            }
            throw new IllegalStateException("Cassandra at " + address + " did not open CQL port 9042 within "
                    + startupTimeout.toSeconds() + " s");
        }
    }

    /**
     * Skips a DockerIT, saying why, when the Docker engine answers but the local image is missing
     * ({@code @Testcontainers(disabledWithoutDocker = true)} covers a missing engine).
     */
    static final class ImageRequired implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                return ConditionEvaluationResult.disabled("no Docker engine");
            }
            try {
                DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec();
                return ConditionEvaluationResult.enabled(IMAGE + " is there");
            } catch (RuntimeException e) {
                String why = "the local image " + IMAGE + " is missing (no registry is used): build it with "
                        + "sandbox/docker/build-image.sh";
                System.err.println("SKIPPED " + context.getDisplayName() + ": " + why);
                return ConditionEvaluationResult.disabled(why);
            }
        }
    }
}
