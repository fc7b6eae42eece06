package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RECAP, the JSON report's stats and the exit code agree, through the real CLI on a local
 * host: a failure under ignore_errors is ignored=1 and failed=0 (as Ansible's PLAY RECAP) with
 * exit 0; an unignored one failed=1 with exit 1; in check mode a command is unknown (its own
 * column), never changed, and the dry run exits 0.
 */
class RecapCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path files(Path dir, String plan) throws Exception {
        Files.writeString(dir.resolve("inv.yaml"), "all:\n  hosts:\n    h1:\n      ansible_connection: local\n");
        Path p = dir.resolve("plan.yaml");
        Files.writeString(p, plan);
        return p;
    }

    private static String recapLine(Cli.Run r, String host) {
        String recap = r.out().substring(r.out().indexOf("RECAP"));
        return recap.lines().filter(l -> l.strip().startsWith(host + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no RECAP line for " + host + ": " + r.all()));
    }

    @Test
    void run_ignoredFailure_countsIgnoredNotFailed_exit0(@TempDir Path tmp) throws Exception {
        files(tmp, """
                name: recap
                hosts: all
                tasks:
                  - id: tolerated
                    ignore_errors: true
                    command: "false"
                  - id: after
                    needs: tolerated
                    command: "true"
                """);
        Cli.Run r = Cli.runIn(tmp, "run", "plan.yaml", "-i", "inv.yaml", "--report-json", "report.json");
        assertEquals(ExitCodes.OK, r.code(), r.all());
        assertTrue(r.out().contains("failed   tolerated[h1]") && r.out().contains("[ignored]"), r.all());
        String line = recapLine(r, "h1");
        assertTrue(line.contains(" changed=1 ") && line.contains(" failed=0 ") && line.endsWith(" ignored=1"), line);
        JsonNode stats = JSON.readTree(tmp.resolve("report.json").toFile()).get("stats");
        assertEquals(0, stats.get("failed").asInt(), stats.toString());
        assertEquals(1, stats.get("ignored").asInt(), stats.toString());
        assertEquals(1, stats.get("changed").asInt(), stats.toString());
    }

    @Test
    void run_unignoredFailure_failedOne_exit1(@TempDir Path tmp) throws Exception {
        files(tmp, """
                name: recap
                hosts: all
                tasks:
                  - id: tolerated
                    ignore_errors: true
                    command: "false"
                  - id: fatal
                    command: "false"
                """);
        Cli.Run r = Cli.runIn(tmp, "run", "plan.yaml", "-i", "inv.yaml", "--report-json", "report.json");
        assertEquals(ExitCodes.TASK_FAILED, r.code(), r.all());
        String line = recapLine(r, "h1");
        assertTrue(line.contains(" failed=1 ") && line.endsWith(" ignored=1"), line);
        JsonNode stats = JSON.readTree(tmp.resolve("report.json").toFile()).get("stats");
        assertEquals(1, stats.get("failed").asInt(), stats.toString());
        assertEquals(1, stats.get("ignored").asInt(), stats.toString());
    }

    @Test
    void plan_command_isUnknownNotChanged_exit0(@TempDir Path tmp) throws Exception {
        Path marker = tmp.resolve("marker");
        files(tmp, """
                name: preview
                hosts: all
                tasks:
                  - id: touch
                    command: "touch %s"
                  - id: made
                    command: { cmd: "touch %s", creates: "%s" }
                  - id: later
                    needs: touch
                    command: { cmd: "true", creates: "%s" }
                """.formatted(marker, marker, marker, tmp.resolve("inv.yaml")));
        Cli.Run r = Cli.runIn(tmp, "plan", "plan.yaml", "-i", "inv.yaml", "--report-json", "report.json");
        assertEquals(ExitCodes.OK, r.code(), "unknown never fails a dry run: " + r.all());
        assertTrue(r.out().contains("unknown  touch[h1]"), r.all());
        assertTrue(r.out().contains("changed  made[h1]"), "creates absent: the command would run: " + r.all());
        assertTrue(r.out().contains("unknown  later[h1]") && r.out().contains("after touch[h1] may change"),
                "ok now (inv.yaml exists) but below a task that may change: " + r.all());
        assertTrue(recapLine(r, "h1").contains(" changed=1 unknown=2 "), r.all());
        JsonNode rep = JSON.readTree(tmp.resolve("report.json").toFile());
        assertEquals(2, rep.get("stats").get("unknown").asInt(), rep.toString());
        assertEquals(1, rep.get("stats").get("changed").asInt(), rep.toString());
        assertEquals(false, Files.exists(marker), "check mode ran nothing");
    }
}
