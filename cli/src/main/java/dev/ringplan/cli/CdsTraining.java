package dev.ringplan.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training workload of the launcher's class-data sharing archive ({@code ./ringplan} runs it
 * once per build under {@code -XX:ArchiveClassesAtExit}): the classes it loads are parsed and
 * verified once into the archive instead of at every start. It runs, in this one JVM and in the
 * working directory (an empty temporary directory the launcher makes and deletes; anything else
 * is refused), what most invocations do: {@code validate},
 * {@code plan} and {@code run} of a two-task plan on a local host whose CQL port is a socket of
 * this process that accepts connections and closes them, so the cluster lock's probe succeeds
 * and the CQL driver starts (its classes, Netty's, its configuration) and then finds no
 * Cassandra; the run goes on without a lock, as it would against a stopped cluster. No network
 * beyond loopback, no Cassandra, nothing outside the working directory is written.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    /**
     * Runs the workload; exits 0 when every command ran, 1 otherwise (the launcher then keeps no
     * archive), 2 when the working directory is not empty.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                System.err.println("CdsTraining: " + dir + " is not empty; run it in an empty directory");
                System.exit(2);
            }
        }
        int code;
        try (ServerSocket cql = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread closer = new Thread(() -> closeEach(cql), "cds-training-cql");
            closer.setDaemon(true);
            closer.start();
            Files.writeString(dir.resolve("plan.yaml"), String.join("\n",
                    "name: cds-training", "hosts: all", "tasks:",
                    "  - id: one", "    command: /bin/true", "    register: one_out",
                    "  - id: two", "    needs: [one]", "    when: \"{{ one_out.rc | default(0) == 0 }}\"",
                    "    debug: {msg: \"{{ inventory_hostname }} {{ groups['all'] | length }}\"}", ""));
            Files.writeString(dir.resolve("inventory.yaml"), String.join("\n",
                    "all:", "  hosts:", "    controller:", "      ansible_connection: local",
                    "      ansible_host: 127.0.0.1", "      cql_port: " + cql.getLocalPort(), ""));
            code = 0;
            for (List<String> argv : List.of(
                    List.of("validate", "plan.yaml", "-i", "inventory.yaml"),
                    List.of("plan", "plan.yaml", "-i", "inventory.yaml"),
                    List.of("run", "plan.yaml", "-i", "inventory.yaml"))) {
                code |= run(dir, argv) == 0 ? 0 : 1;
            }
        }
        System.exit(code);
    }

    private static int run(Path dir, List<String> argv) {
        String[] args = argv.stream().map(a -> a.endsWith(".yaml") ? dir.resolve(a).toString() : a)
                .toArray(String[]::new);
        StringWriter sink = new StringWriter();
        return Ringplan.execute(args, new PrintWriter(sink), new PrintWriter(sink));
    }

    /** Accepts connections and closes them at once, until the socket closes. */
    private static void closeEach(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoLinger(true, 0);
            } catch (IOException e) {
                return;
            }
        }
    }
}
