package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringplan.sandbox.Sandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code alter_keyspace} and {@code cql} modules through the CLI against a real one-node
 * Cassandra 5.0 sandbox of their own ({@code cqldev}): {@code plan} prints the exact ALTER
 * KEYSPACE and changes nothing, {@code run} changes the replication (read back with the
 * driver), a second run is {@code ok}; a {@code cql} task with a check is {@code changed} then
 * {@code ok}; {@code schema_from} copies a keyspace (types, tables, indexes) under another name on
 * the same cluster (a second cluster would double the JVMs), then is {@code ok}. Check mode and
 * the run register the same keys for every task (the parity RegisteredShapeTest checks for the
 * other modules), and the CQL password of the inventory appears in no output or journal.
 */
class CqlModulesIT {
    private static final String SANDBOX = "cqldev";
    private static final String PASSWORD = "it-secret-0a1b2c3d";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DATA = Pattern.compile("(?m)^  (ok|changed|unknown|failed)\\s+(\\S+) .*\\n(?:(?!  \\S).*\\n)*?      => (\\{.*})$");
    private static boolean wasRunning;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void recordState() throws Exception {
        wasRunning = SandboxCluster.running(SANDBOX);
    }

    @AfterAll
    static void stopWhatWeStarted() {
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

    private static Cli.Run ringplan(String cmd, Path plan, Path inv, int expectedExit) {
        Cli.Run r = Cli.run(cmd, plan.toString(), "-i", inv.toString(), "-v");
        assertEquals(expectedExit, r.code(), r.all());
        assertFalse(r.all().contains(PASSWORD), "the password is never printed:\n" + r.all());
        return r;
    }

    /** task[host] -> registered keys (without would_change), from -v output. */
    private static Map<String, TreeSet<String>> keys(Cli.Run r) throws IOException {
        Map<String, TreeSet<String>> out = new LinkedHashMap<>();
        Matcher m = DATA.matcher(r.out());
        while (m.find()) {
            TreeSet<String> k = new TreeSet<>();
            Iterator<String> it = JSON.readTree(m.group(3)).fieldNames();
            it.forEachRemaining(k::add);
            k.remove("would_change");
            out.put(m.group(2), k);
        }
        return out;
    }

    private static void assertSameKeys(Cli.Run plan, Cli.Run run) throws IOException {
        Map<String, TreeSet<String>> p = keys(plan);
        Map<String, TreeSet<String>> r = keys(run);
        assertFalse(r.isEmpty(), run.all());
        assertEquals(r, p, "check mode and run register the same keys\n--- plan\n" + plan.out() + "\n--- run\n"
                + run.out());
    }

    private static String status(Cli.Run r, String node) {
        Matcher m = Pattern.compile("(?m)^  (\\S+)\\s+" + Pattern.quote(node) + " ").matcher(r.out());
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    private static Map<String, String> replication(CqlSession s, String ks) {
        Row row = s.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?", ks).one();
        return row == null ? null : row.getMap("replication", String.class, String.class);
    }

    @Test
    void alterKeyspace_cql_schemaFrom_throughTheCli() throws Exception {
        Path inv = write("inventory.yaml", """
                all:
                  vars:
                    ringplan_sandbox: {name: cqldev, nodes: 1}
                    cql_username: it_user
                    cql_password: "%s"   # the sandbox allows all; the password must still never show
                  children:
                    cassandra:
                      hosts:
                        node1: {}
                """.formatted(PASSWORD));
        Path reset = write("reset.yaml", """
                hosts: cassandra
                tasks:
                  - id: reset
                    cql:
                      statements: |
                        DROP KEYSPACE IF EXISTS cql_it_copy;
                        DROP KEYSPACE IF EXISTS cql_it;
                        CREATE KEYSPACE cql_it WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
                        CREATE TYPE cql_it.address (street text, "Zip" int);
                        CREATE TABLE cql_it.users (id uuid PRIMARY KEY, name text, home frozen<address>)
                          WITH comment = 'it''s; a comment';
                        CREATE INDEX users_name_idx ON cql_it.users (name);
                        CREATE TABLE cql_it."Events" (k int, ts timestamp, v double, PRIMARY KEY (k, ts));
                        CREATE CUSTOM INDEX events_v_sai ON cql_it."Events" (v) USING 'sai';
                """);
        Cli.Run r0 = ringplan("run", reset, inv, 0);
        assertEquals("changed", status(r0, "reset[node1]"), r0.all());

        try (CqlSession s = new Sandbox(Cli.ROOT, SANDBOX).openSession()) {
            // alter_keyspace: plan shows the exact CQL and changes nothing; run changes; run again is ok
            Path alter = write("alter.yaml", """
                    hosts: cassandra
                    tasks:
                      - id: alter
                        hosts: "cassandra[0]"
                        alter_keyspace:
                          keyspace: cql_it
                          replication: {class: NetworkTopologyStrategy, datacenter1: 1}
                    """);
            Cli.Run plan = ringplan("plan", alter, inv, 0);
            assertTrue(plan.out().contains("      $ ALTER KEYSPACE \"cql_it\" WITH replication = {'class':"
                    + " 'NetworkTopologyStrategy', 'datacenter1': 1}\n"), plan.all());
            assertTrue(plan.out().contains("      -  class: SimpleStrategy\n      -  replication_factor: 1\n"
                    + "      +  class: NetworkTopologyStrategy\n      +  datacenter1: 1\n"), plan.all());
            assertEquals("org.apache.cassandra.locator.SimpleStrategy", replication(s, "cql_it").get("class"));
            Cli.Run run = ringplan("run", alter, inv, 0);
            assertEquals("changed", status(run, "alter[node1]"), run.all());
            assertSameKeys(plan, run);
            assertEquals(Map.of("class", "org.apache.cassandra.locator.NetworkTopologyStrategy", "datacenter1", "1"),
                    replication(s, "cql_it"));
            Cli.Run again = ringplan("run", alter, inv, 0);
            assertEquals("ok", status(again, "alter[node1]"), again.all());
            assertSameKeys(ringplan("plan", alter, inv, 0), again);

            // a datacenter the cluster does not have: Cassandra would refuse it; the plan says so first
            Path unknownDc = write("unknown-dc.yaml", """
                    hosts: cassandra
                    tasks:
                      - id: add_dc
                        alter_keyspace:
                          keyspace: cql_it
                          replication: {class: NetworkTopologyStrategy, datacenter1: 1, dc_new: 1}
                    """);
            Cli.Run dcPlan = ringplan("plan", unknownDc, inv, 1);
            assertTrue(dcPlan.out().contains("datacenter dc_new of the replication of cql_it is not in the cluster of"),
                    dcPlan.all());

            // the runbook's selection, previewed: every user keyspace plus the replicated system ones
            Path all = write("all.yaml", """
                    hosts: cassandra
                    tasks:
                      - id: all
                        alter_keyspace:
                          keyspaces: all_user
                          include_system: [system_auth, system_distributed, system_traces]
                          replication: {class: NetworkTopologyStrategy, datacenter1: 1}
                      - id: later
                        cql:
                          statements: "CREATE KEYSPACE IF NOT EXISTS cql_it_later WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"
                          check: {query: "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = 'cql_it_later'", rows: 1}
                      - id: alter_later
                        needs: [later]
                        alter_keyspace: {keyspace: cql_it_later, replication: {class: SimpleStrategy, replication_factor: 1}}
                    """);
            Map<String, String> systemAuth = replication(s, "system_auth");
            Cli.Run allPlan = ringplan("plan", all, inv, 0);
            String allData = allPlan.out().lines().filter(l -> l.contains("\"keyspaces\":[")).findFirst().orElse("");
            assertTrue(allData.contains("\"cql_it\"") && allData.contains("\"system_auth\"")
                    && allData.contains("\"system_traces\"") && !allData.contains("\"system_schema\""), allPlan.all());
            assertEquals("unknown", status(allPlan, "alter_later[node1]"), "a keyspace an upstream task creates:"
                    + " known after apply\n" + allPlan.all());
            assertEquals(systemAuth, replication(s, "system_auth"), "plan changed nothing");

            // cql with a check: changed once, then ok
            Path lcs = write("lcs.yaml", """
                    hosts: cassandra
                    tasks:
                      - id: lcs
                        cql:
                          statements: >-
                            ALTER TABLE cql_it."Events" WITH compaction =
                            {'class': 'LeveledCompactionStrategy', 'sstable_size_in_mb': 64}
                          check:
                            query: "SELECT compaction FROM system_schema.tables WHERE keyspace_name = 'cql_it' AND table_name = 'Events'"
                            expect: {compaction: {class: LeveledCompactionStrategy, sstable_size_in_mb: 64}}
                    """);
            Cli.Run lcsPlan = ringplan("plan", lcs, inv, 0);
            assertEquals("changed", status(lcsPlan, "lcs[node1]"), lcsPlan.all());
            assertTrue(lcsPlan.out().contains("$ ALTER TABLE cql_it.\"Events\" WITH compaction ="), lcsPlan.all());
            Cli.Run lcsRun = ringplan("run", lcs, inv, 0);
            assertEquals("changed", status(lcsRun, "lcs[node1]"), lcsRun.all());
            assertSameKeys(lcsPlan, lcsRun);
            Cli.Run lcsAgain = ringplan("run", lcs, inv, 0);
            assertEquals("ok", status(lcsAgain, "lcs[node1]"), lcsAgain.all());
            assertTrue(s.execute("SELECT compaction FROM system_schema.tables WHERE keyspace_name = 'cql_it'"
                    + " AND table_name = 'Events'").one().getMap("compaction", String.class, String.class)
                    .get("class").endsWith("LeveledCompactionStrategy"));

            // schema_from: the same cluster, under another keyspace name
            Path copy = write("copy.yaml", """
                    hosts: cassandra
                    tasks:
                      - id: copy
                        cql:
                          schema_from: {host: node1}
                          keyspaces: [cql_it]
                          rename: {cql_it: cql_it_copy}
                          replication: {class: SimpleStrategy, replication_factor: 1}
                    """);
            Cli.Run copyPlan = ringplan("plan", copy, inv, 0);
            assertEquals("changed", status(copyPlan, "copy[node1]"), copyPlan.all());
            assertTrue(copyPlan.out().contains("$ CREATE KEYSPACE \"cql_it_copy\" WITH replication = {'class':"
                    + " 'SimpleStrategy', 'replication_factor': 1}\n"), copyPlan.all());
            assertTrue(copyPlan.out().contains("$ CREATE CUSTOM INDEX \"events_v_sai\" ON \"cql_it_copy\".\"Events\""
                    + " (v) USING 'sai'\n"), copyPlan.all());
            assertEquals(null, replication(s, "cql_it_copy"), "plan created nothing");
            Cli.Run copyRun = ringplan("run", copy, inv, 0);
            assertEquals("changed", status(copyRun, "copy[node1]"), copyRun.all());
            assertSameKeys(copyPlan, copyRun);
            KeyspaceMetadata src = s.refreshSchema().getKeyspace("cql_it").orElseThrow();
            KeyspaceMetadata dst = s.getMetadata().getKeyspace("cql_it_copy").orElseThrow();
            assertEquals(src.describeWithChildren(false).replace("\"cql_it\"", "\"cql_it_copy\"")
                    .replaceFirst("CREATE KEYSPACE [^;]*;", ""), dst.describeWithChildren(false)
                    .replaceFirst("CREATE KEYSPACE [^;]*;", ""), "the copy describes as the source, renamed");
            assertTrue(dst.getTable(CqlIdentifier.fromInternal("Events")).orElseThrow().getIndexes()
                    .containsKey(CqlIdentifier.fromInternal("events_v_sai")));
            Cli.Run copyAgain = ringplan("run", copy, inv, 0);
            assertEquals("ok", status(copyAgain, "copy[node1]"), copyAgain.all());
            String again2 = copyAgain.out().lines().filter(l -> l.contains("\"existing\":")).findFirst().orElse("");
            JsonNode d = JSON.readTree(again2.substring(again2.indexOf('{')));
            assertEquals(0, d.get("created").size(), again2);
            assertEquals(6, d.get("existing").size(), again2);
        }
        try (Stream<Path> journals = Files.walk(Cli.ROOT.resolve(".ringplan/runs"))) {
            for (Path j : journals.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(j).contains(PASSWORD), "password in " + j);
            }
        }
    }
}
