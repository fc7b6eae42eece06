package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.yaml.SafeYaml;
import dev.ringplan.modules.nodetool.DescribeClusterParser;
import dev.ringplan.modules.nodetool.NodetoolStatus;
import dev.ringplan.modules.nodetool.StatusNode;
import dev.ringplan.modules.nodetool.StatusParser;
import dev.ringplan.sandbox.NodeSpec;
import dev.ringplan.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * inventories/sandbox-datacenter.yaml brought up through the CLI by a run of a one-task plan:
 * sandbox "old-dc" (datacenter dc1, sample data) comes up first, then "new-dc" (datacenter dc2)
 * joins its cluster. The real nodetool, run with the host variables the sandbox generated, shows
 * one cluster of four UN nodes, two in each datacenter. Both sandboxes are scratch for this test:
 * destroyed first (a new datacenter must join a cluster that has never seen it), stopped at the
 * end. Their own sandboxes, not the shared default one ({@link SandboxCluster}): joining a
 * datacenter changes a cluster for good, and the other tests expect a one-datacenter cluster.
 *
 * <p>Then, on that cluster, plans/migrate-datacenter.yaml phase by phase through the CLI: every row
 * of dc1 is readable at LOCAL_ONE in dc2 after the rebuild; after the retirement the old nodes are
 * gone from nodetool status, every keyspace replicates to dc2 only, and every row is still there;
 * each phase's plan predicts its run; a second run changes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatacenterSandboxIT {
    private static final List<String> TABLES = List.of("ringplan_demo.users", "ringplan_demo.events",
            "ringplan_shop.products", "ringplan_shop.orders");
    private static final List<String> KEYSPACES = List.of("ringplan_demo", "ringplan_shop", "system_auth",
            "system_distributed", "system_traces");
    private static final String INV = "inventories/sandbox-datacenter.yaml";
    private static final List<String> SANDBOXES = List.of("new-dc", "old-dc");

    @BeforeAll
    static void fresh() {
        for (String name : SANDBOXES) {
            Cli.Run r = Cli.run("sandbox", "down", "--name", name, "--destroy");
            assertEquals(0, r.code(), r.all());
        }
    }

    @AfterAll
    static void stop() {
        for (String name : SANDBOXES) {
            // --destroy: after the migration the old nodes are decommissioned for good.
            Cli.Run r = Cli.run("sandbox", "down", "--name", name, "--destroy");
            if (r.code() != 0) {
                System.err.println("sandbox down --name " + name + " failed: " + r.all());
            }
        }
    }

    @Test
    @Order(1)
    void datacenterInventory_oneClusterTwoDatacenters(@TempDir Path tmp) throws Exception {
        Path plan = tmp.resolve("status.yaml");
        Files.writeString(plan, """
                name: ring-status
                description: nodetool status on every node of both datacenters.
                hosts: cassandra
                tasks:
                  - id: status
                    nodetool: status
                """);
        long t0 = System.nanoTime();
        Cli.Run run = Cli.run("run", plan.toString(), "-i", INV);
        System.out.printf("datacenter inventory up and plan run: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, run.code(), run.all());
        int oldUp = run.out().indexOf("sandbox 'old-dc' is not running: bringing it up");
        int newUp = run.out().indexOf("sandbox 'new-dc' is not running: bringing it up");
        assertTrue(oldUp >= 0 && newUp > oldUp, "the joined sandbox comes up first:\n" + run.out());
        assertEquals(4, run.out().lines().filter(l -> l.contains("4 nodes in 2 datacenter(s), 4 UN")).count(),
                "each host's nodetool_cmd sees the whole cluster:\n" + run.out());

        Map<?, ?> vars = hostVars("new-dc", "node1");
        assertEquals("dc2", vars.get("datacenter"));
        assertEquals("rack1", vars.get("rack"));
        NodetoolStatus status = StatusParser.parse(nodetool(vars, "status"));
        assertEquals(List.of("dc1", "dc2"), status.datacenters());
        assertEquals(4, status.nodes().size(), status.toString());
        assertTrue(status.nodes().stream().allMatch(StatusNode::isUpNormal), status.toString());
        assertEquals(addresses("old-dc"), status.nodesIn("dc1").stream().map(StatusNode::address).sorted().toList());
        assertEquals(addresses("new-dc"), status.nodesIn("dc2").stream().map(StatusNode::address).sorted().toList());

        String joined = DescribeClusterParser.parse(nodetool(vars, "describecluster")).name();
        assertEquals("ringplan-old-dc", joined);
        assertEquals(joined, DescribeClusterParser.parse(nodetool(hostVars("old-dc", "node2"), "describecluster")).name());

        Cli.Run st = Cli.run("sandbox", "status", "--name", "new-dc");
        assertEquals(0, st.code(), st.all());
        assertTrue(st.out().startsWith("cluster: ringplan-old-dc (joined sandbox 'old-dc' as a new datacenter)"), st.out());
        assertEquals(2, st.out().lines().filter(l -> l.matches("node\\d +127\\.0\\.\\d+\\.\\d +dc2 +rack1 +\\d+ +yes +open .*"))
                .count(), st.out());
    }

    @Test
    @Order(2)
    void migrateDatacenter_phaseByPhase(@TempDir Path tmp) throws Exception {
        String plan = "plans/migrate-datacenter.yaml";
        Map<String, String> before = new LinkedHashMap<>();
        for (String table : TABLES) {
            before.put(table, CqlDigest.digest("old-dc", table));
        }
        for (String phase : List.of("add-dc", "rebuild", "switch", "retire-old-dc")) {
            Path planReport = tmp.resolve(phase + "-plan.json");
            Path runReport = tmp.resolve(phase + "-run.json");
            Cli.Run preview = Cli.run("plan", plan, "-i", INV, "--tags", phase, "--report-json", planReport.toString());
            assertEquals(0, preview.code(), preview.all());
            long t0 = System.nanoTime();
            Cli.Run run = Cli.run("run", plan, "-i", INV, "--tags", phase, "--report-json", runReport.toString());
            System.out.printf("migrate-datacenter phase %s: %.1f s%n", phase, (System.nanoTime() - t0) / 1e9);
            assertEquals(0, run.code(), run.all());
            PreviewVersusRun.assertHolds("migrate-datacenter.yaml --tags " + phase, planReport, runReport);
            if (phase.equals("add-dc")) {
                assertTrue(preview.out().contains("ALTER KEYSPACE \"ringplan_demo\" WITH replication = {'class':"
                        + " 'NetworkTopologyStrategy', 'dc1': 2, 'dc2': 2}"), preview.all());
            }
            if (phase.equals("rebuild")) {
                try (CqlSession dc2 = CqlDigest.session("new-dc")) {
                    for (String table : TABLES) {
                        assertEquals(before.get(table), CqlDigest.digest(dc2, table, DefaultConsistencyLevel.LOCAL_ONE), table + " read in dc2 at LOCAL_ONE");
                    }
                }
            }
        }
        NodetoolStatus status = StatusParser.parse(nodetool(hostVars("new-dc", "node1"), "status"));
        assertEquals(List.of("dc2"), status.datacenters(), status.toString());
        assertEquals(addresses("new-dc"), status.nodes().stream().map(StatusNode::address).sorted().toList());
        try (CqlSession dc2 = CqlDigest.session("new-dc")) {
            for (String ks : KEYSPACES) {
                Map<String, String> replication = dc2.execute(SimpleStatement.newInstance(
                        "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", ks)).one()
                        .getMap("replication", String.class, String.class);
                assertEquals(Map.of("class", "org.apache.cassandra.locator.NetworkTopologyStrategy", "dc2", "2"),
                        replication, ks);
            }
            for (String table : TABLES) {
                assertEquals(before.get(table), CqlDigest.digest(dc2, table), table + " after the retirement");
            }
        }
        Path again = tmp.resolve("again.json");
        Cli.Run rerun = Cli.run("run", plan, "-i", INV, "--report-json", again.toString());
        assertEquals(0, rerun.code(), rerun.all());
        assertTrue(rerun.out().lines().filter(l -> l.contains("changed=")).allMatch(l -> l.contains(" changed=0 ")),
                "a second run changes nothing:\n" + rerun.out());
    }

    /** The generated host variables of {@code node} of sandbox {@code sandbox}. */
    private static Map<?, ?> hostVars(String sandbox, String node) throws Exception {
        Path file = Sandbox.sandboxesDir(Cli.ROOT).resolve(sandbox).resolve("host_vars").resolve(node + ".yaml");
        return (Map<?, ?>) SafeYaml.toJava(SafeYaml.compose(file.toString(), Files.readString(file)));
    }

    /** {@code <nodetool_cmd> -h <jmx_host> -p <jmx_port> command}; its stdout, the test fails on a non-zero exit. */
    private static String nodetool(Map<?, ?> vars, String command) throws Exception {
        List<String> argv = new ArrayList<>();
        for (Object a : (List<?>) vars.get("nodetool_cmd")) {
            argv.add(String.valueOf(a));
        }
        argv.addAll(List.of("-h", String.valueOf(vars.get("jmx_host")), "-p", String.valueOf(vars.get("jmx_port")), command));
        Path err = Files.createTempFile("nodetool-err", ".txt");
        try {
            Process p = new ProcessBuilder(argv).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0,
                    "nodetool " + command + ": " + out + Files.readString(err));
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static List<String> addresses(String sandbox) throws Exception {
        return new Sandbox(Cli.ROOT, sandbox).nodes().stream().map(NodeSpec::address).sorted().toList();
    }
}
