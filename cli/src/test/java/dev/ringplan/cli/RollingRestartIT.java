package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.metadata.token.TokenRange;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringplan.engine.rolling.ReplicaPlacement;
import dev.ringplan.engine.rolling.Ring;
import dev.ringplan.engine.rolling.RingNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * plans/rolling-restart.yaml through the CLI on the four-node, single-token sandbox {@code ring4}
 * (inventories/sandbox-ring4.yaml, RF 2 sample keyspaces): {@code max_fail_percentage} aborts the
 * rest of a block as Ansible does; a block refuses to start while a node is down, naming it; a
 * {@code serial: topology} restart never runs two replicas of one range at once (from the
 * journal's {@code started_at}/{@code finished_at}), in fewer batches than {@code serial: 1} takes;
 * the replica sets Ringplan computes are the driver's. One sandbox for every test, stopped at the
 * end when the test started it; node logs are copied to cli/target/it-logs/RollingRestartIT/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollingRestartIT {
    private static final String SANDBOX = "ring4";
    private static final String INVENTORY = "inventories/sandbox-ring4.yaml";
    private static final String PLAN = "plans/rolling-restart.yaml";
    private static final List<String> BLOCK = List.of("drain", "restart_service", "wait_up", "schema_agreement",
            "no_streams", "probe", "maybe_fail");
    private static final Pattern RUN_ID = Pattern.compile("— run (\\S+),");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static boolean wasRunning;
    private static int topologyBatches;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void recordState() throws Exception {
        wasRunning = SandboxCluster.running(SANDBOX);
    }

    @AfterAll
    static void keepLogsAndStop() throws IOException {
        Path logs = Cli.ROOT.resolve("cli/target/it-logs/RollingRestartIT");
        Path sandbox = Cli.ROOT.resolve(".ringplan/sandbox").resolve(SANDBOX);
        for (int n = 1; n <= 4; n++) {
            Path log = sandbox.resolve("node" + n).resolve("logs/system.log");
            if (Files.isRegularFile(log)) {
                Files.createDirectories(logs);
                Files.copy(log, logs.resolve("node" + n + "-system.log"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!wasRunning) {
            Cli.Run r = Cli.run("sandbox", "down", "--name", SANDBOX);
            if (r.code() != 0) {
                System.err.println("sandbox down failed: " + r.all());
            }
        }
    }

    private static Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static String runId(Cli.Run r) {
        Matcher m = RUN_ID.matcher(r.out());
        assertTrue(m.find(), r.all());
        return m.group(1);
    }

    /**
     * Per host, the span [first started_at, last finished_at] of the block's tasks that ran (not
     * skipped) in a run's journal.
     */
    private static Map<String, Instant[]> spans(String runId) throws IOException {
        Map<String, Instant[]> out = new TreeMap<>();
        for (String line : Files.readAllLines(Cli.ROOT.resolve(".ringplan/runs").resolve(runId).resolve("journal.jsonl"))) {
            JsonNode j = JSON.readTree(line);
            if (!j.has("node") || !j.has("started_at") || "skipped".equals(j.path("status").asText())) {
                continue; // a node not run (skipped, or not started by an aborted block) took no time
            }
            String node = j.get("node").asText();
            String task = node.substring(0, node.indexOf('['));
            String host = node.substring(node.indexOf('[') + 1, node.length() - 1);
            if (!BLOCK.contains(task)) {
                continue;
            }
            Instant s = Instant.parse(j.get("started_at").asText());
            Instant f = Instant.parse(j.get("finished_at").asText());
            out.merge(host, new Instant[] {s, f}, (a, b) -> new Instant[] {a[0].isBefore(b[0]) ? a[0] : b[0],
                    a[1].isAfter(b[1]) ? a[1] : b[1]});
        }
        return out;
    }

    private static boolean overlap(Instant[] a, Instant[] b) {
        return a[0].isBefore(b[1]) && b[0].isBefore(a[1]);
    }

    /** How many batches the spans show: groups of hosts whose spans overlap, one after another. */
    private static int batches(Map<String, Instant[]> spans) {
        List<Instant[]> sorted = new ArrayList<>(spans.values());
        sorted.sort((a, b) -> a[0].compareTo(b[0]));
        int count = 0;
        Instant end = null;
        for (Instant[] s : sorted) {
            if (end == null || !s[0].isBefore(end)) {
                count++;
                end = s[1];
            } else if (s[1].isAfter(end)) {
                end = s[1];
            }
        }
        return count;
    }

    private static final String FAIL_PLAN = """
            name: rolling-fail
            hosts: cassandra
            tasks:
              - id: roll
                serial: topology
                max_fail_percentage: %s
                block:
                  - id: probe
                    command: "true"
                  - id: maybe_fail
                    needs: [probe]
                    fail: {msg: "node1 refuses"}
                    when: inventory_hostname == 'node1'
            """;

    @Test
    @Order(1)
    void maxFailPercentage_perBatch_exceededAborts_equaledGoesOn() throws Exception {
        // topology batches [node1, node3] [node2, node4]; node1 fails: 1 of 2 = 50 %
        Cli.Run aborted = Cli.run("run", write("fail49.yaml", FAIL_PLAN.formatted("49")).toString(), "-i", INVENTORY);
        assertEquals(1, aborted.code(), aborted.all());
        assertTrue(aborted.out().contains("max_fail_percentage 49 exceeded in batch 1 of 2 [node1, node3]: 1 of 2 hosts"
                + " failed (node1)"), aborted.all());
        Map<String, Instant[]> spans = spans(runId(aborted));
        assertEquals(Set.of("node1", "node3"), spans.keySet(), "node2 and node4 never ran: " + aborted.all());

        Cli.Run goesOn = Cli.run("run", write("fail50.yaml", FAIL_PLAN.formatted("50")).toString(), "-i", INVENTORY);
        assertEquals(1, goesOn.code(), "node1 failed, so the run fails:\n" + goesOn.all());
        assertFalse(goesOn.out().contains("exceeded"), goesOn.all());
        assertTrue(goesOn.out().matches("(?s).*changed\\s+probe\\[node4].*"), "batch 2 ran:\n" + goesOn.all());
    }

    @Test
    @Order(2)
    void aNodeDown_refusesToStart_namingIt() throws Exception {
        Path stop = write("stop4.yaml", """
                name: stop-node4
                hosts: node4
                tasks:
                  - id: stop
                    service: {state: stopped}
                """);
        Cli.Run stopped = Cli.run("run", stop.toString(), "-i", INVENTORY);
        assertEquals(0, stopped.code(), stopped.all());
        try {
            Cli.Run refused = Cli.run("run", PLAN, "-i", INVENTORY);
            assertEquals(1, refused.code(), refused.all());
            assertTrue(refused.out().contains("block 'restart' (plans/rolling-restart.yaml:"), refused.all());
            assertTrue(refused.out().contains("refuses to start: a node is down in the ring read from java-driver-core"
                    + " metadata via 127.0.50.1:9042: 127.0.50.4 (node4) in datacenter1/rack1; bring it up, or set"
                    + " ignore_down_nodes: true"), refused.all());
            assertFalse(refused.out().matches("(?s).*changed\\s+drain\\[.*"), "nothing was drained:\n" + refused.all());
        } finally {
            Cli.Run up = Cli.run("sandbox", "up", "--name", SANDBOX);
            assertEquals(0, up.code(), up.all());
        }
    }

    @Test
    @Order(3)
    void topology_neverRestartsTwoReplicasOfARangeAtOnce() throws Exception {
        Cli.Run r = Cli.run("run", PLAN, "-i", INVENTORY);
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("serial: topology (keyspaces ringplan_demo, ringplan_shop, system_auth): 2 batches"
                + " from the ring read from java-driver-core metadata via 127.0.50.1:9042: [node1, node3] [node2, node4]"),
                r.all());
        Map<String, Instant[]> spans = spans(runId(r));
        assertEquals(4, spans.size(), spans.keySet().toString());
        // one token per node in node order, RF 2: node N shares ranges with N-1 and N+1 (mod 4)
        for (String[] pair : new String[][] {{"node1", "node2"}, {"node2", "node3"}, {"node3", "node4"},
                {"node4", "node1"}}) {
            assertFalse(overlap(spans.get(pair[0]), spans.get(pair[1])), pair[0] + " and " + pair[1]
                    + " hold replicas of one range and restarted at once");
        }
        assertTrue(overlap(spans.get("node1"), spans.get("node3")), "node1 and node3 restart together");
        topologyBatches = batches(spans);
        assertEquals(2, topologyBatches);
    }

    @Test
    @Order(4)
    void serialOne_takesMoreBatchesThanTopology() throws Exception {
        // the same block shape with each host's work lasting a second, batched both ways (restarting
        // four nodes one at a time again would add some 9 minutes on a two-core machine)
        Path plan = write("probe.yaml", """
                name: rolling-probe
                hosts: cassandra
                tasks:
                  - id: roll
                    serial: "{{ how }}"
                    block:
                      - id: probe
                        command: sleep 1
                """);
        Map<String, Integer> batches = new LinkedHashMap<>();
        for (String how : List.of("topology", "1")) {
            Cli.Run r = Cli.run("run", plan.toString(), "-i", INVENTORY, "-e", "how=" + how);
            assertEquals(0, r.code(), r.all());
            batches.put(how, batches(spans(runId(r))));
        }
        assertEquals(Map.of("topology", topologyBatches, "1", 4), batches);
        assertTrue(batches.get("topology") < batches.get("1"), batches.toString());
    }

    @Test
    @Order(5)
    void replicaSets_areTheDriversOwn() throws Exception {
        try (CqlSession s = CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.50.1", 9042))
                .withLocalDatacenter("datacenter1")
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withStringList(DefaultDriverOption.METADATA_SCHEMA_REFRESHED_KEYSPACES, List.of()).build())
                .build()) {
            TokenMap tm = s.getMetadata().getTokenMap().orElseThrow();
            List<RingNode> nodes = new ArrayList<>();
            for (Node n : s.getMetadata().getNodes().values()) {
                List<java.math.BigInteger> ts = tm.getTokens(n).stream().map(t -> new java.math.BigInteger(tm.format(t)))
                        .toList();
                nodes.add(new RingNode(n.getBroadcastAddress().orElseThrow().getAddress().getHostAddress(), null,
                        n.getDatacenter(), n.getRack(), true, ts));
            }
            for (String ks : List.of("ringplan_demo", "system_auth", "system_distributed")) {
                Map<String, String> repl = s.getMetadata().getKeyspace(ks).orElseThrow().getReplication();
                Ring ring = new Ring(nodes, Map.of(ks, repl), Map.of(), "test");
                Set<Set<String>> ours = new HashSet<>(ReplicaPlacement.replicaSets(ring, ks, repl));
                Set<Set<String>> drivers = new HashSet<>();
                for (TokenRange range : tm.getTokenRanges()) {
                    Set<String> set = new HashSet<>();
                    tm.getReplicas(CqlIdentifier.fromInternal(ks), range).forEach(n ->
                            set.add(n.getBroadcastAddress().orElseThrow().getAddress().getHostAddress()));
                    drivers.add(set);
                }
                assertEquals(drivers, ours, ks + ": " + repl);
            }
        }
    }
}
