package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * plans/migrate-datacenter.yaml (runbook 001) with both datacenters in containers: dc1 on
 * 127.0.48.1-2, loaded with a table; dc2 on 127.0.68.11-12, started as a new datacenter of the
 * same cluster (dc1's seed, auto_bootstrap false), as runbook 001 adds pods. One run of the whole
 * plan through the CLI with a docker inventory (groups old_dc and new_dc): afterwards only dc2 is
 * in the ring, the keyspace is replicated to dc2 alone and the table reads in dc2 with the digest
 * it had in dc1. Skipped without Docker or image.
 */
@Testcontainers(disabledWithoutDocker = true)
@ExtendWith(ContainerCluster.ImageRequired.class)
class MigrateDatacenterDockerIT {
    static ContainerCluster oldDc;
    static ContainerCluster newDc;
    static Path inventory;

    @BeforeAll
    static void startBothDatacenters() throws Exception {
        long t0 = System.nanoTime();
        oldDc = new ContainerCluster().start("old", 48, 1, 2, null, "dc1", true);
        newDc = new ContainerCluster().start("new", 68, 11, 2, "127.0.48.1", "dc2", false);
        System.out.printf("4 Cassandra containers (2 datacenters) up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        Path work = Files.createTempDirectory("ringplan-docker-migrate");
        inventory = ContainerCluster.write(work, "two-dcs.yaml", "all:\n  vars:\n" + ContainerCluster.imageVars()
                + "  children:\n    cassandra:\n      children:\n        old_dc:\n          hosts:\n"
                + oldDc.inventoryHosts(12) + "        new_dc:\n          hosts:\n" + newDc.inventoryHosts(12));
        try (CqlSession s = session("127.0.48.1", "dc1")) {
            CqlDigest.write(s, "CREATE KEYSPACE IF NOT EXISTS ringplan_mig WITH replication = "
                    + "{'class': 'NetworkTopologyStrategy', 'dc1': 2}");
            CqlDigest.write(s, "CREATE TABLE IF NOT EXISTS ringplan_mig.items (id int PRIMARY KEY, label text)");
            for (int i = 0; i < 300; i++) {
                CqlDigest.write(s, "INSERT INTO ringplan_mig.items (id, label) VALUES (" + i + ", 'item " + i + "')");
            }
        }
    }

    @AfterAll
    static void stopThem() {
        if (newDc != null) {
            newDc.close();
        }
        if (oldDc != null) {
            oldDc.close();
        }
    }

    static CqlSession session(String address, String dc) {
        return CqlSession.builder().addContactPoint(new InetSocketAddress(address, 9042)).withLocalDatacenter(dc).build();
    }

    @Test
    void migrateDatacenter_intoContainers_dataReadsTheSameInTheNewDatacenterAlone() throws Exception {
        String before;
        try (CqlSession s = session("127.0.48.1", "dc1")) {
            before = CqlDigest.digest(s, "ringplan_mig.items");
        }
        assertTrue(before.startsWith("300:"), before);
        long t0 = System.nanoTime();
        Cli.Run run = Cli.run("run", "plans/migrate-datacenter.yaml", "-i", inventory.toString());
        System.out.printf("migrate-datacenter into 2 containerised nodes: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, run.code(), run.all());
        ContainerCluster.Node n11 = newDc.nodes().get(0);
        Container.ExecResult status = n11.exec("nodetool", "-h", "127.0.0.1", "-p", Integer.toString(n11.jmxPort()), "status");
        assertTrue(status.getStdout().contains("Datacenter: dc2") && !status.getStdout().contains("Datacenter: dc1"),
                status.getStdout());
        assertEquals(2, status.getStdout().lines().filter(l -> l.startsWith("UN  127.0.68.1")).count(), status.getStdout());
        try (CqlSession s = session("127.0.68.11", "dc2")) {
            assertEquals(List.of("dc2"), List.copyOf(s.getMetadata().getKeyspace("ringplan_mig").orElseThrow()
                    .getReplication().keySet().stream().filter(k -> !k.equals("class")).toList()));
            assertEquals(before, CqlDigest.digest(s, "ringplan_mig.items"), "the table read in dc2 alone");
        }
    }
}
