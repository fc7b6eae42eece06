package dev.ringplan.sandbox;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Brings up a real 2-node Cassandra 5.0.7 sandbox, loads the sample data twice, checks the ring,
 * the row counts and the status, then stops it and checks no JVM is left. Not in the default
 * test run (name ends in IT); run it with
 * {@code mvn -o -q -pl sandbox -am test -Dtest=SandboxIT -Dsurefire.failIfNoSpecifiedTests=false}.
 * Prints its measurements (time to up, RSS per node, nodetool call with/without speed flags).
 */
class SandboxIT {

    @Test
    void upLoadStatusDown_twoNodes(@TempDir Path work) throws Exception {
        Sandbox s = new Sandbox(work, "it-sandbox");
        s.setStopOnExit(true);
        List<String> log = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            List<SandboxNodeProcess> st = s.up(2, 2, line -> {
                log.add(line);
                System.out.println(line);
            });
            double upSeconds = (System.nanoTime() - t0) / 1e9;
            for (SandboxNodeProcess n : st) {
                n.pid().ifPresent(pids::add);
            }
            assertEquals(2, st.size());
            for (SandboxNodeProcess n : st) {
                assertTrue(n.running(), n.toString());
                assertTrue(n.cqlOpen(), n.toString());
            }
            Map<String, String> ring = s.ringStatus();
            assertEquals(Map.of(st.get(0).address(), "UN", st.get(1).address(), "UN"), ring);

            Map<String, Integer> rows = s.load(System.out::println);
            assertEquals(SampleData.ROWS, rows);
            s.load(System.out::println);
            try (CqlSession session = s.openSession()) {
                for (Map.Entry<String, Integer> e : SampleData.ROWS.entrySet()) {
                    long count = session.execute(SimpleStatement.newInstance("SELECT COUNT(*) FROM " + e.getKey())
                            .setConsistencyLevel(ConsistencyLevel.ALL).setTimeout(Duration.ofSeconds(60)))
                            .one().getLong(0);
                    assertEquals(e.getValue().longValue(), count, e.getKey());
                }
                String rf = session.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name ="
                        + " 'ringplan_shop'").one().getMap(0, String.class, String.class).get("replication_factor");
                assertEquals("2", rf);
            }

            long t1 = System.nanoTime();
            List<SandboxNodeProcess> again = s.up(null, null, System.out::println);
            double againSeconds = (System.nanoTime() - t1) / 1e9;
            assertEquals(st.get(0).pid(), again.get(0).pid(), "a second up restarts nothing");

            // measurements for the report
            System.out.printf("MEASURE up 2 nodes: %.1f s; second up (no-op): %.1f s%n", upSeconds, againSeconds);
            for (SandboxNodeProcess n : s.status()) {
                System.out.printf("MEASURE %s RSS %d MiB (pid %d)%n", n.host(), n.rssKiB() / 1024, n.pid().getAsLong());
            }
            Path toolsLogback = s.stateDir().resolve("tools-logback.xml");
            for (boolean fast : new boolean[] {true, false, true, false}) {
                List<String> argv = new ArrayList<>(NodeFiles.nodetoolCommand(CassandraLib.java(), s.cassandraLib(),
                        toolsLogback, fast));
                argv.addAll(List.of("-h", "127.0.0.1", "-p", Integer.toString(st.get(0).jmxPort()), "status"));
                long t2 = System.nanoTime();
                Procs.Output out = Procs.run(argv, Duration.ofSeconds(60));
                System.out.printf("MEASURE nodetool status %s: %.2f s%n", fast ? "with speed flags" : "plain",
                        (System.nanoTime() - t2) / 1e9);
                assertEquals(0, out.exitCode(), out.text());
                assertEquals(2, NodetoolStatusLetters.parse(out.text()).size(), out.text());
            }
        } finally {
            long t3 = System.nanoTime();
            s.down(false, System.out::println);
            System.out.printf("MEASURE down: %.1f s%n", (System.nanoTime() - t3) / 1e9);
        }
        for (NodeSpec n : s.nodes()) {
            for (long pid : pids) {
                assertFalse(Procs.isAlive(pid, n.configArgument()), "JVM " + pid + " still alive");
            }
            assertTrue(Procs.findByArg(n.configArgument()).isEmpty(), "no JVM of " + n.host() + " left");
        }
        for (SandboxNodeProcess n : s.status()) {
            assertFalse(n.running());
        }
        s.down(true, System.out::println);
        assertFalse(s.exists());
    }
}
