package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringplan.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster lock through the CLI against a one-node sandbox of its own ({@code lock}): two runs
 * at once, one proceeds and the other exits 4 naming the holder; {@code --lock-timeout} waits and
 * proceeds once the first ends; {@code plan} takes no lock; a lock left by a run on another
 * controller is removed with {@code ringplan unlock} (only with its run id); a lock left by a
 * killed run on this controller is taken over; {@code run.json} records the lock.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LockIT {
    private static final String SANDBOX = "lock";
    private static final Pattern RUN_ID = Pattern.compile("— run (\\S+),");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static boolean wasRunning;
    private static String cluster;

    @TempDir
    static Path tmp;
    private static Path inv;
    private static Path slow;
    private static Path fast;

    @BeforeAll
    static void setUp() throws Exception {
        wasRunning = SandboxCluster.running(SANDBOX);
        inv = write("inventory.yaml", """
                all:
                  vars:
                    ringplan_sandbox: {name: lock, nodes: 1}
                  children:
                    cassandra:
                      hosts:
                        node1: {}
                """);
        slow = write("slow.yaml", """
                hosts: cassandra
                tasks:
                  - id: hold
                    command: sleep 40
                """);
        fast = write("fast.yaml", """
                hosts: cassandra
                tasks:
                  - id: quick
                    command: "true"
                """);
        Cli.Run first = Cli.run("run", fast.toString(), "-i", inv.toString());
        assertEquals(0, first.code(), first.all());
        try (CqlSession s = new Sandbox(Cli.ROOT, SANDBOX).openSession()) {
            cluster = s.execute("SELECT cluster_name FROM system.local").one().getString("cluster_name");
        }
        assertTrue(first.out().contains("lock: cluster '" + cluster + "' (node1) taken"), first.all());
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

    private static Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** Starts a run of {@code plan} as its own process and waits until its task started; its output file. */
    private static Process startHolding(Path out) throws Exception {
        Process p = Cli.start(out, "run", slow.toString(), "-i", inv.toString());
        long deadline = System.currentTimeMillis() + 180_000;
        while (!Files.readString(out).contains("start    hold[node1]") && p.isAlive()
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(p.isAlive(), Files.readString(out));
        return p;
    }

    private static String runId(String out) {
        Matcher m = RUN_ID.matcher(out);
        assertTrue(m.find(), out);
        return m.group(1);
    }

    private static JsonNode journalLine(String runId, String node) throws Exception {
        for (String l : Files.readAllLines(Cli.ROOT.resolve(".ringplan/runs/" + runId + "/journal.jsonl"))) {
            JsonNode n = JSON.readTree(l);
            if (node.equals(n.path("node").asText())) {
                return n;
            }
        }
        throw new AssertionError("no journal line of " + node + " in run " + runId);
    }

    @Test
    @Order(1)
    void twoRunsAtOnce_secondExits4NamingTheHolder_lockTimeoutWaits_planTakesNoLock() throws Exception {
        Path outA = Files.createTempFile("lock-a", ".txt");
        Process a = startHolding(outA);
        String holder = runId(Files.readString(outA));
        try {
            Cli.Run b = Cli.run("run", fast.toString(), "-i", inv.toString());
            assertEquals(ExitCodes.LOCKED, b.code(), b.all());
            assertTrue(b.err().contains("error: cluster '" + cluster + "' is locked by run " + holder
                    + " (controller host '"), b.all());
            assertTrue(b.err().contains("user '" + System.getProperty("user.name") + "'") && b.err().contains("started 20"),
                    b.all());
            assertTrue(b.err().contains("ringplan unlock '" + cluster + "' --run " + holder), b.all());
            assertFalse(b.out().contains("start    quick"), "the second run started no task: " + b.all());

            Cli.Run preview = Cli.run("plan", fast.toString(), "-i", inv.toString());
            assertEquals(0, preview.code(), "check mode takes no lock: " + preview.all());
            assertFalse(preview.all().contains("lock"), preview.all());

            Cli.Run waited = Cli.run("run", fast.toString(), "-i", inv.toString(), "--lock-timeout", "3m");
            assertEquals(0, waited.code(), waited.all());
            assertTrue(waited.out().contains("lock: waiting up to 180 s for cluster '" + cluster + "', locked by run "
                    + holder), waited.all());
            assertTrue(a.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, a.exitValue(), Files.readString(outA));
            Instant holdEnd = Instant.parse(journalLine(holder, "hold[node1]").path("finished_at").asText());
            Instant quickStart = Instant.parse(journalLine(runId(waited.out()), "quick[node1]").path("started_at").asText());
            assertTrue(!quickStart.isBefore(holdEnd), "the waiting run started its task (" + quickStart
                    + ") after the first run's ended (" + holdEnd + ")");
            JsonNode lock = JSON.readTree(Cli.ROOT.resolve(".ringplan/runs/" + holder + "/run.json").toFile()).path("lock");
            assertEquals(cluster, lock.path("clusters").path(0).path("cluster").asText(), lock.toString());
            assertEquals("released", lock.path("clusters").path(0).path("state").asText(), lock.toString());
            assertFalse(lock.path("clusters").path(0).path("taken_at").isNull(), lock.toString());
        } finally {
            a.destroyForcibly();
        }
    }

    @Test
    @Order(2)
    void lockOfARunOnAnotherController_unlockWithItsRunIdOnly() throws Exception {
        String dead = "20200101T000000Z-dead";
        try (CqlSession s = new Sandbox(Cli.ROOT, SANDBOX).openSession()) {
            s.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance("INSERT INTO ringplan.locks"
                    + " (cluster, run_id, controller, os_user, pid, process, started, taken_at, plan) VALUES"
                    + " (?, ?, 'gone-host', 'nobody', 4242, 'other-boot/pid:[1]/4242/1', ?, ?, 'plans/x.yaml') USING TTL 600",
                    cluster, dead, Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2020-01-01T00:00:01Z")));
        }
        Cli.Run blocked = Cli.run("run", fast.toString(), "-i", inv.toString());
        assertEquals(ExitCodes.LOCKED, blocked.code(), blocked.all());
        assertTrue(blocked.err().contains("is locked by run " + dead + " (controller host 'gone-host', user 'nobody',"
                + " pid 4242), started 2020-01-01T00:00:00Z"), blocked.all());

        Cli.Run wrong = Cli.run("unlock", cluster, "--run", "20200101T000000Z-else", "-i", inv.toString());
        assertEquals(ExitCodes.LOCKED, wrong.code(), wrong.all());
        assertTrue(wrong.err().contains("is held by run " + dead) && wrong.err().contains("nothing removed"), wrong.all());
        Cli.Run unknown = Cli.run("unlock", "no-such-cluster", "--run", dead, "-i", inv.toString());
        assertEquals(ExitCodes.INVALID_INPUT, unknown.code(), unknown.all());
        assertTrue(unknown.err().contains("clusters found: '" + cluster + "'"), unknown.all());

        Cli.Run unlock = Cli.run("unlock", cluster, "--run", dead, "-i", inv.toString());
        assertEquals(0, unlock.code(), unlock.all());
        assertTrue(unlock.out().contains("unlocked cluster '" + cluster + "': removed the lock of run " + dead), unlock.all());
        Cli.Run free = Cli.run("run", fast.toString(), "-i", inv.toString());
        assertEquals(0, free.code(), free.all());
    }

    @Test
    @Order(3)
    void lockOfAKilledRunOnThisController_isTakenOver() throws Exception {
        Path out = Files.createTempFile("lock-killed", ".txt");
        Process p = startHolding(out);
        String killed = runId(Files.readString(out));
        p.destroyForcibly(); // SIGKILL: the lock is not released
        p.waitFor();
        Cli.Run next = Cli.run("run", fast.toString(), "-i", inv.toString());
        assertEquals(0, next.code(), next.all());
        assertTrue(next.out().contains("taken over from run " + killed) && next.out().contains("that process is gone"),
                next.all());
    }
}
