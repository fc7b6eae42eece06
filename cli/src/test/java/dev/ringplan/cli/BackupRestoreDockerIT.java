package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * A 2-node Cassandra 5.0.7 cluster in containers (image ringplan/cassandra:5.0.7, Testcontainers,
 * host network, 127.0.68.1 and 127.0.68.2), administered through the CLI with a docker inventory
 * ({@code ansible_connection: docker}): plans/backup.yaml, then writes that lose and add data,
 * then plans/restore.yaml brings every table back to its digest at backup time; a yaml_edit of
 * the container's cassandra.yaml; and {@code service} with the docker manager restarting the
 * container, after which the node runs with the edited setting. Skipped without Docker or image.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(ContainerCluster.ImageRequired.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupRestoreDockerIT {
    static final int INDEX = 68;
    static final List<String> TABLES = List.of("ringplan_docker.users", "ringplan_docker.events");
    static ContainerCluster cluster;
    static Path work;
    static Path inventory;

    @BeforeAll
    static void startCluster() throws Exception {
        long t0 = System.nanoTime();
        cluster = new ContainerCluster().start("node", INDEX, 1, 2, null, "datacenter1", true);
        System.out.printf("2 Cassandra containers up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        work = Files.createTempDirectory("ringplan-docker-it");
        inventory = ContainerCluster.write(work, "docker.yaml", "all:\n  vars:\n    backup_root: " + work.resolve("backups")
                + "\n" + ContainerCluster.imageVars() + "  children:\n    cassandra:\n      hosts:\n"
                + cluster.inventoryHosts());
        try (CqlSession s = session()) {
            CqlDigest.write(s, "CREATE KEYSPACE IF NOT EXISTS ringplan_docker WITH replication = "
                    + "{'class': 'NetworkTopologyStrategy', 'datacenter1': 2}");
            CqlDigest.write(s, "CREATE TABLE IF NOT EXISTS ringplan_docker.users (user_id int PRIMARY KEY, name text)");
            CqlDigest.write(s, "CREATE TABLE IF NOT EXISTS ringplan_docker.events (id int PRIMARY KEY, kind text, v double)");
            for (int i = 0; i < 300; i++) {
                CqlDigest.write(s, "INSERT INTO ringplan_docker.users (user_id, name) VALUES (" + i + ", 'user " + i + "')");
                CqlDigest.write(s, "INSERT INTO ringplan_docker.events (id, kind, v) VALUES (" + i + ", 'k" + (i % 7)
                        + "', " + i * 0.5 + ")");
            }
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static CqlSession session() {
        return CqlSession.builder().addContactPoint(new InetSocketAddress("127.0." + INDEX + ".1", 9042))
                .withLocalDatacenter("datacenter1").build();
    }

    @Test
    @Order(1)
    void backup_thenLoseData_thenRestore_digestsEqual() throws Exception {
        String tag = "docker-it";
        long t0 = System.nanoTime();
        Cli.Run backup = Cli.run("run", "plans/backup.yaml", "-i", inventory.toString(), "-e", "tag=" + tag);
        System.out.printf("backup of 2 containerised nodes: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, backup.code(), backup.all());
        for (String host : List.of("node1", "node2")) {
            assertTrue(Files.isRegularFile(work.resolve("backups").resolve(tag).resolve(host + ".manifest.json")),
                    host + "'s manifest on the controller");
        }
        Map<String, String> atBackup = new LinkedHashMap<>();
        try (CqlSession s = session()) {
            for (String t : TABLES) {
                atBackup.put(t, CqlDigest.digest(s, t));
                assertTrue(!atBackup.get(t).startsWith("0:"), t + " has rows");
            }
            CqlDigest.write(s, "TRUNCATE ringplan_docker.events");
            for (int i = 0; i < 20; i++) {
                CqlDigest.write(s, "DELETE FROM ringplan_docker.users WHERE user_id = " + i);
                CqlDigest.write(s, "INSERT INTO ringplan_docker.users (user_id, name) VALUES (" + (9000 + i) + ", 'extra')");
            }
            for (String t : TABLES) {
                assertNotEquals(atBackup.get(t), CqlDigest.digest(s, t), t + " changed after the backup");
            }
        }
        t0 = System.nanoTime();
        Cli.Run restore = Cli.run("run", "plans/restore.yaml", "-i", inventory.toString(), "-e", "tag=" + tag,
                "-e", "repair=false");
        System.out.printf("restore of 2 containerised nodes: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, restore.code(), restore.all());
        assertTrue(restore.out().contains("changed  extract[node1]") && restore.out().contains("changed  extract[node2]"),
                restore.all());
        try (CqlSession s = session()) {
            for (String t : TABLES) {
                assertEquals(atBackup.get(t), CqlDigest.digest(s, t), "digest of " + t + " after the restore");
            }
        }
    }

    @Test
    @Order(2)
    void yamlEdit_ofTheContainersCassandraYaml_thenDockerRestart_nodeRunsWithIt() throws Exception {
        Path plan = ContainerCluster.write(work, "edit-restart.yaml", """
                name: edit-restart
                hosts: cassandra
                tasks:
                  - id: edit
                    yaml_edit:
                      set:
                        compaction_throughput: 24MiB/s
                  - id: restart
                    needs: [edit]
                    service: {state: restarted, manager: docker, timeout: 120}
                  - id: up
                    needs: [restart]
                    wait_for: {node_up: "{{ listen_address }}", timeout: 240}
                """);
        ContainerCluster.Node node1 = cluster.nodes().get(0);
        String startedBefore = node1.container().getContainerInfo().getState().getStartedAt();
        Cli.Run preview = Cli.run("plan", plan.toString(), "-i", inventory.toString(), "--limit", "node1", "-D");
        assertEquals(0, preview.code(), preview.all());
        assertTrue(preview.out().contains("+compaction_throughput: 24MiB/s"), preview.all());
        assertTrue(node1.exec("cat", "/etc/cassandra/cassandra.yaml").getStdout().lines()
                .noneMatch(l -> l.startsWith("compaction_throughput")), "the preview changed nothing");

        Cli.Run run = Cli.run("run", plan.toString(), "-i", inventory.toString(), "--limit", "node1");
        assertEquals(0, run.code(), run.all());
        assertTrue(run.out().contains("changed  restart[node1]"), run.all());
        Container.ExecResult yaml = node1.exec("cat", "/etc/cassandra/cassandra.yaml");
        assertTrue(yaml.getStdout().contains("\ncompaction_throughput: 24MiB/s\n"), yaml.getStdout());
        String startedAfter = node1.container().getDockerClient().inspectContainerCmd(node1.name()).exec()
                .getState().getStartedAt();
        assertNotEquals(startedBefore, startedAfter, "docker restart started the container again");
        Container.ExecResult tp = node1.exec("nodetool", "-h", "127.0.0.1", "-p", Integer.toString(node1.jmxPort()),
                "getcompactionthroughput");
        assertTrue(tp.getStdout().contains("24"), "the restarted node reads the edited cassandra.yaml: " + tp);
    }
}
