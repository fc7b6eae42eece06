package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringplan.engine.testing.ProcessTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT to a real {@code ringplan run} process (a separate JVM started from this test's class
 * path), as Ctrl-C or {@code kill -INT} delivers it: the run stops its commands, prints the RECAP,
 * writes the journal and the JSON report and exits 130, and no process it started survives (the
 * process table is searched for a marker each command carries in its environment). Linux: the
 * process table is read from {@code /proc}.
 */
class InterruptCliTest {
    private static final String MARKER_VAR = ProcessTable.MARKER_VAR;

    @TempDir
    Path dir;

    private final String marker = ProcessTable.newMarker();
    private Process cli;

    @AfterEach
    void cleanUp() {
        if (cli != null) {
            cli.destroyForcibly();
        }
        // never leave sleeps behind, whatever the assertions said
        ProcessTable.killAll(marker);
    }

    @Test
    void run_sigint_stopsCommandsRecapReportJournalExit130() throws Exception {
        Files.writeString(dir.resolve("inv.yaml"), """
                all:
                  hosts:
                    h1: { ansible_connection: local }
                    h2: { ansible_connection: local }
                """);
        Files.writeString(dir.resolve("plan.yaml"), """
                name: interrupt-me
                hosts: all
                tasks:
                  - id: long
                    command:
                      cmd: "sleep 300 & sleep 300; wait"
                      shell: true
                      env: { %s: "%s" }
                  - id: after
                    needs: [long]
                    command: echo never
                """.formatted(MARKER_VAR, marker));
        Output out = start("run", "plan.yaml", "-i", "inv.yaml", "--report-json", "report.json");

        // both hosts' commands run: sh and its two sleeps each
        if (!ProcessTable.awaitAtLeast(marker, 6, 20)) {
            fail("the commands did not start; stdout:\n" + out.stdout() + "\nstderr:\n" + out.stderr());
        }

        long t0 = System.nanoTime();
        signal("INT", cli.pid());
        assertTrue(cli.waitFor(15, TimeUnit.SECONDS), "ringplan did not exit within 15 s of SIGINT");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        out.join();
        String all = "stdout:\n" + out.stdout() + "\nstderr:\n" + out.stderr();

        assertEquals(ExitCodes.INTERRUPTED, cli.exitValue(), all);
        assertTrue(ms < 12_000, "took " + ms + " ms to stop\n" + all);
        assertTrue(out.stdout().contains("RECAP"), all);
        assertTrue(out.stdout().lines().anyMatch(l -> l.strip().startsWith("h1") && l.contains("interrupted=2")), all);
        assertTrue(out.stdout().lines().anyMatch(l -> l.strip().startsWith("h2") && l.contains("interrupted=2")), all);

        ObjectMapper json = new ObjectMapper();
        Path report = dir.resolve("report.json");
        assertTrue(Files.exists(report), "no report.json\n" + all);
        JsonNode r = json.readTree(report.toFile());
        assertEquals(4, r.get("results").size(), r.toString());
        for (JsonNode n : r.get("results")) {
            assertEquals("interrupted", n.get("status").asText(), n.toString());
        }
        assertEquals(4, r.get("stats").get("interrupted").asInt(), r.toString());

        List<JsonNode> journal = new ArrayList<>();
        try (Stream<Path> runs = Files.list(dir.resolve(".ringplan").resolve("runs"))) {
            for (Path run : runs.toList()) {
                for (String line : Files.readAllLines(run.resolve("journal.jsonl"))) {
                    journal.add(json.readTree(line));
                }
                assertTrue(Files.exists(run.resolve("report.json")), "no report.json in " + run);
            }
        }
        for (String host : List.of("h1", "h2")) {
            JsonNode started = journal.stream()
                    .filter(n -> n.get("task").asText().equals("long") && n.get("host").asText().equals(host))
                    .findFirst().orElseThrow(() -> new AssertionError("no journal line for long[" + host + "]: " + journal));
            assertEquals("interrupted", started.get("status").asText(), started.toString());
        }
        assertEquals(4, journal.size(), journal.toString());

        assertNoneLeft();
    }

    @Test
    void run_secondSigint_exitsAtOnce() throws Exception {
        Files.writeString(dir.resolve("inv.yaml"), """
                all:
                  hosts:
                    h1: { ansible_connection: local }
                """);
        // a command that ignores SIGTERM keeps the first interrupt waiting for the KILL
        Files.writeString(dir.resolve("plan.yaml"), """
                name: interrupt-twice
                hosts: all
                tasks:
                  - id: stubborn
                    command:
                      cmd: "trap '' TERM; sleep 300"
                      shell: true
                      env: { %s: "%s" }
                """.formatted(MARKER_VAR, marker));
        Output out = start("run", "plan.yaml", "-i", "inv.yaml");
        if (!ProcessTable.awaitAtLeast(marker, 2, 20)) {
            fail("the command did not start; stdout:\n" + out.stdout() + "\nstderr:\n" + out.stderr());
        }
        signal("INT", cli.pid());
        Thread.sleep(300);
        long t0 = System.nanoTime();
        signal("INT", cli.pid());
        assertTrue(cli.waitFor(5, TimeUnit.SECONDS), "the second SIGINT did not end ringplan");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        out.join();
        assertEquals(ExitCodes.INTERRUPTED, cli.exitValue(), out.stderr());
        assertTrue(ms < 2000, "took " + ms + " ms after the second SIGINT");
        assertTrue(!out.stdout().contains("RECAP"), "printed a RECAP after the second SIGINT:\n" + out.stdout());
        assertNoneLeft();
    }

    /** Starts {@code ringplan ARGS} in {@link #dir} as a separate JVM. */
    private Output start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add(Ringplan.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove("CI"); // CI=true would require a clean git tree
        cli = pb.start();
        cli.getOutputStream().close();
        return new Output(cli);
    }

    private static void signal(String name, long pid) throws Exception {
        Process k = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertEquals(0, k.waitFor(), "kill -" + name + " " + pid);
    }

    private void assertNoneLeft() throws InterruptedException {
        List<String> left = ProcessTable.survivorsAfter(marker, 3);
        assertTrue(left.isEmpty(), "processes survived the interrupt: " + left);
    }

    /** Collects a process's stdout and stderr on two threads. */
    private static final class Output {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final Thread outPump;
        private final Thread errPump;

        Output(Process p) {
            outPump = pump(p.getInputStream(), out);
            errPump = pump(p.getErrorStream(), err);
        }

        private static Thread pump(InputStream in, ByteArrayOutputStream to) {
            Thread t = new Thread(() -> {
                byte[] b = new byte[8192];
                int n;
                try (in) {
                    while ((n = in.read(b)) >= 0) {
                        synchronized (to) {
                            to.write(b, 0, n);
                        }
                    }
                } catch (IOException ignored) {
                    // process gone
                }
            });
            t.setDaemon(true);
            t.start();
            return t;
        }

        void join() throws InterruptedException {
            outPump.join(5000);
            errPump.join(5000);
        }

        String stdout() {
            synchronized (out) {
                return out.toString(StandardCharsets.UTF_8);
            }
        }

        String stderr() {
            synchronized (err) {
                return err.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
