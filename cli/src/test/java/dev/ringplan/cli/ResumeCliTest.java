package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ringplan run --resume RUN_ID} through the real CLI on local hosts: a run killed with
 * SIGKILL mid-way is resumed and only what had not finished runs again (from both journals and
 * marker files the tasks write), registered results of taken tasks restored from the journal; a
 * failed run resumed after its cause is fixed completes, re-running only the failed host's part;
 * a changed plan, a missing or wrong secret {@code -e} are refused with exit 2.
 */
class ResumeCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "Resume-Secret-9431";

    @TempDir
    Path tmp;

    @Test
    void killedRun_resumed_runsOnlyWhatHadNotFinished() throws Exception {
        Files.writeString(tmp.resolve("inv.yaml"), "all:\n  hosts:\n    h1:\n      ansible_connection: local\n");
        Files.writeString(tmp.resolve("plan.yaml"), """
                name: resumable
                hosts: all
                tasks:
                  - id: first
                    command: "echo hello-{{ inventory_hostname }}"
                    register: greeting
                  - id: mark
                    needs: [first]
                    command: { cmd: "echo mark >> {{ dir }}/mark.log", shell: true }
                  - id: slow
                    needs: [mark]
                    command: { cmd: "test -f {{ dir }}/go || sleep 120; echo slow >> {{ dir }}/slow.log", shell: true }
                  - id: last
                    needs: [first, slow]
                    command: { cmd: "echo {{ greeting.stdout }} >> {{ dir }}/last.log", shell: true }
                """);
        Path output = tmp.resolve("killed.txt");
        Process p = Cli.startIn(tmp, output, "run", "plan.yaml", "-i", "inv.yaml", "-e", "dir=" + tmp,
                "-e", "db_password=" + SECRET);
        Path runs = tmp.resolve(".ringplan/runs");
        long deadline = System.currentTimeMillis() + 60_000;
        while (journalLines(runs).size() < 2 && System.currentTimeMillis() < deadline && p.isAlive()) {
            Thread.sleep(100);
        }
        assertTrue(p.isAlive(), "the run must still be in its slow task: " + Files.readString(output));
        assertEquals(2, journalLines(runs).size(), Files.readString(output));
        Thread.sleep(300); // let the slow task start
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly(); // SIGKILL: no handler runs, the journal stays as it was
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        children.forEach(ProcessHandle::destroyForcibly); // the orphaned sleep
        String runId = onlyRun(runs);
        Map<String, JsonNode> killed = journal(runs.resolve(runId));
        assertEquals(List.of("first[h1]", "mark[h1]"), List.copyOf(killed.keySet()), killed.toString());
        assertFalse(Files.readString(runs.resolve(runId).resolve("run.json")).contains(SECRET));

        Cli.Run noSecret = Cli.runIn(tmp, "run", "--resume", runId);
        assertEquals(ExitCodes.INVALID_INPUT, noSecret.code(), noSecret.all());
        assertTrue(noSecret.err().contains("the run had the secret variable db_password, which is not journaled: give it"
                + " again with -e"), noSecret.all());
        Cli.Run wrongSecret = Cli.runIn(tmp, "run", "--resume", runId, "-e", "db_password=other-value");
        assertEquals(ExitCodes.INVALID_INPUT, wrongSecret.code(), wrongSecret.all());
        assertTrue(wrongSecret.err().contains("variables: the secret -e variables (db_password) are not the values of the run"),
                wrongSecret.all());
        Cli.Run notOnly = Cli.runIn(tmp, "run", "--resume", runId, "-e", "db_password=" + SECRET, "-e", "dir=/elsewhere");
        assertEquals(ExitCodes.INVALID_INPUT, notOnly.code(), notOnly.all());

        Files.writeString(tmp.resolve("go"), "");
        Cli.Run resumed = Cli.runIn(tmp, "run", "--resume", runId, "-e", "db_password=" + SECRET);
        assertEquals(ExitCodes.OK, resumed.code(), resumed.all());
        assertTrue(resumed.out().contains("RESUME run " + runId + ": 2 nodes of 4 taken from its journal, 2 to run"),
                resumed.all());

        assertEquals(List.of("mark"), lines(tmp.resolve("mark.log")), "mark ran once, in the killed run");
        assertEquals(List.of("slow"), lines(tmp.resolve("slow.log")), "slow ran to its end once, in the resumed run");
        assertEquals(List.of("hello-h1"), lines(tmp.resolve("last.log")), "the registered greeting came from the journal");

        Path resumedDir = runs.resolve(runId + "-resume-1");
        Map<String, JsonNode> again = journal(resumedDir);
        assertEquals(List.of("first[h1]", "mark[h1]", "slow[h1]", "last[h1]"), List.copyOf(again.keySet()));
        for (String taken : List.of("first[h1]", "mark[h1]")) {
            assertTrue(again.get(taken).path("msg").asText().startsWith("taken from run " + runId + ": "), again.toString());
            assertEquals(killed.get(taken).path("status").asText(), again.get(taken).path("status").asText());
        }
        for (String ran : List.of("slow[h1]", "last[h1]")) {
            assertEquals("changed", again.get(ran).path("status").asText(), again.toString());
            assertFalse(again.get(ran).path("msg").asText().startsWith("taken"), again.toString());
        }
        JsonNode meta = JSON.readTree(resumedDir.resolve("run.json").toFile());
        assertEquals(runId, meta.path("resumed_from").asText());
        assertEquals(runId, meta.path("run_id").asText(), "the resumed run keeps the run's id (run.id renders the same)");
        assertFalse(Files.readString(resumedDir.resolve("run.json")).contains(SECRET));

        Cli.Run show = Cli.runIn(tmp, "show", runId + "-resume-1");
        assertEquals(ExitCodes.OK, show.code(), show.all());
        assertTrue(show.out().contains("resumed from run " + runId + ": 2 nodes taken from its journal (not run again):"
                + " first[h1], mark[h1]"), show.all());

        Cli.Run twice = Cli.runIn(tmp, "run", "--resume", runId + "-resume-1", "-e", "db_password=" + SECRET);
        assertEquals(ExitCodes.OK, twice.code(), twice.all());
        assertTrue(twice.out().contains("4 nodes of 4 taken from its journal, 0 to run"), twice.all());
        assertTrue(Files.isDirectory(runs.resolve(runId + "-resume-2")), "counted from the original id");
        assertEquals(List.of("slow"), lines(tmp.resolve("slow.log")), "nothing ran a third time");
        assertEquals(List.of("hello-h1"), lines(tmp.resolve("last.log")));
    }

    @Test
    void failedRun_resumedAfterFix_completes_changedPlan_refused() throws Exception {
        Files.writeString(tmp.resolve("inv.yaml"), """
                all:
                  hosts:
                    h1: { ansible_connection: local }
                    h2: { ansible_connection: local }
                """);
        String planText = """
                name: checked
                hosts: all
                tasks:
                  - id: prep
                    command: { cmd: "echo prep-{{ inventory_hostname }} >> {{ dir }}/prep.log", shell: true }
                  - id: check
                    needs: [prep]
                    command: "test -f {{ dir }}/{{ inventory_hostname }}.ok"
                  - id: after
                    needs: [check]
                    command: { cmd: "echo after-{{ inventory_hostname }} >> {{ dir }}/after.log", shell: true }
                  - id: token
                    command: "echo {{ db_password }}"
                    register: token_out
                  - id: optional
                    when: "inventory_hostname == 'nowhere'"
                    command: echo never
                  - id: tolerated
                    command: "false"
                    ignore_errors: true
                """;
        Files.writeString(tmp.resolve("plan.yaml"), planText);
        Files.writeString(tmp.resolve("h1.ok"), "");
        Cli.Run run = Cli.runIn(tmp, "run", "plan.yaml", "-i", "inv.yaml", "-e", "dir=" + tmp, "-e", "db_password=" + SECRET);
        assertEquals(ExitCodes.TASK_FAILED, run.code(), run.all());
        Path runs = tmp.resolve(".ringplan/runs");
        String runId = onlyRun(runs);
        assertFalse(Files.readString(runs.resolve(runId).resolve("journal.jsonl")).contains(SECRET));

        Files.writeString(tmp.resolve("plan.yaml"), planText + "# reviewed\n");
        Cli.Run changed = Cli.runIn(tmp, "run", "--resume", runId, "-e", "db_password=" + SECRET);
        assertEquals(ExitCodes.INVALID_INPUT, changed.code(), changed.all());
        assertTrue(changed.err().contains("cannot resume run " + runId + ": 1 difference since it ran")
                && changed.err().contains("plan: plan.yaml changed since the run (sha256 "), changed.all());
        Files.writeString(tmp.resolve("inv.yaml"), "all:\n  hosts:\n    h1: { ansible_connection: local }\n");
        Files.writeString(tmp.resolve("plan.yaml"), planText);
        Cli.Run inventory = Cli.runIn(tmp, "run", "--resume", runId, "-e", "db_password=" + SECRET);
        assertEquals(ExitCodes.INVALID_INPUT, inventory.code(), inventory.all());
        assertTrue(inventory.err().contains("h2"), "names the host the inventory lost: " + inventory.all());
        Files.writeString(tmp.resolve("inv.yaml"), """
                all:
                  hosts:
                    h1: { ansible_connection: local }
                    h2: { ansible_connection: local }
                """);

        Files.writeString(tmp.resolve("h2.ok"), "");
        Cli.Run resumed = Cli.runIn(tmp, "run", "--resume", runId, "-e", "db_password=" + SECRET);
        assertEquals(ExitCodes.OK, resumed.code(), resumed.all());
        assertEquals(List.of("prep-h1", "prep-h2"), sorted(lines(tmp.resolve("prep.log"))), "prep ran once per host");
        assertEquals(List.of("after-h1", "after-h2"), sorted(lines(tmp.resolve("after.log"))), "after ran once per host");
        Map<String, JsonNode> again = journal(runs.resolve(runId + "-resume-1"));
        for (String taken : List.of("prep[h1]", "check[h1]", "after[h1]", "prep[h2]", "optional[h1]", "tolerated[h2]")) {
            assertTrue(again.get(taken).path("msg").asText().startsWith("taken from run "), taken + ": " + again);
        }
        for (String ran : List.of("check[h2]", "after[h2]", "token[h2]")) {
            assertFalse(again.get(ran).path("msg").asText().startsWith("taken"), ran + ": " + again);
        }
        // token's registered output holds the secret, journaled masked: it cannot be restored, so it runs again
        assertFalse(again.get("token[h1]").path("msg").asText().startsWith("taken"), again.toString());
        assertEquals("changed", again.get("token[h1]").path("status").asText());
        assertEquals("skipped", again.get("optional[h1]").path("status").asText(), "skipped by its condition: taken");
        assertTrue(again.get("tolerated[h1]").path("ignored").asBoolean(), "an ignored failure is taken as it was");
        assertFalse(Files.readString(runs.resolve(runId + "-resume-1").resolve("journal.jsonl")).contains(SECRET));
    }

    private static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }

    private static List<String> lines(Path f) throws Exception {
        return Files.exists(f) ? Files.readAllLines(f, StandardCharsets.UTF_8).stream().map(String::strip).toList() : List.of();
    }

    private static String onlyRun(Path runs) throws Exception {
        try (Stream<Path> s = Files.list(runs)) {
            List<Path> dirs = s.toList();
            assertEquals(1, dirs.size(), dirs.toString());
            return dirs.get(0).getFileName().toString();
        }
    }

    private static List<String> journalLines(Path runs) throws Exception {
        if (!Files.isDirectory(runs)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(runs)) {
            for (Path d : s.toList()) {
                Path j = d.resolve("journal.jsonl");
                if (Files.exists(j)) {
                    return Files.readAllLines(j).stream().filter(l -> l.endsWith("}")).toList();
                }
            }
        }
        return List.of();
    }

    private static Map<String, JsonNode> journal(Path dir) throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String l : Files.readAllLines(dir.resolve("journal.jsonl"))) {
            JsonNode n = JSON.readTree(l);
            out.put(n.path("node").asText(), n);
        }
        return out;
    }
}
