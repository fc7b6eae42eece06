package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ringplan runs} and {@code ringplan show} through the real CLI in a fresh directory: the
 * runs journaled there, newest first with mode, plan, outcome and duration; one run with its
 * diffs, failures and RECAP; secrets stay masked; an unknown id is exit 2.
 */
class RunHistoryCliTest {
    @TempDir
    Path tmp;

    @Test
    void runs_listsNewestFirst_show_printsDiffsFailuresRecap() throws Exception {
        Files.writeString(tmp.resolve("inv.yaml"), "all:\n  hosts:\n    h1:\n      ansible_connection: local\n");
        Files.writeString(tmp.resolve("conf.yaml"), "a: 1\n");
        Files.writeString(tmp.resolve("plan.yaml"), """
                name: history
                hosts: all
                tasks:
                  - id: edit
                    yaml_edit: { path: "%s", set: { a: 2 } }
                  - id: bad
                    command: "false"
                  - id: note
                    debug: { msg: "token {{ db_password }}" }
                """.formatted(tmp.resolve("conf.yaml")));
        String secret = "Very-Secret-77";
        Cli.Run run = Cli.runIn(tmp, "run", "plan.yaml", "-i", "inv.yaml", "-e", "db_password=" + secret);
        assertEquals(ExitCodes.TASK_FAILED, run.code(), run.all());
        Cli.Run plan = Cli.runIn(tmp, "plan", "plan.yaml", "-i", "inv.yaml", "-e", "db_password=" + secret);
        assertEquals(ExitCodes.OK, plan.code(), plan.all());

        Cli.Run runs = Cli.runIn(tmp, "runs");
        assertEquals(ExitCodes.OK, runs.code(), runs.all());
        List<String> lines = runs.out().lines().toList();
        assertEquals(3, lines.size(), runs.all());
        assertTrue(lines.get(0).startsWith("RUN ") && lines.get(0).contains("OUTCOME"), runs.all());
        assertTrue(lines.get(1).matches("\\S+ +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +plan +history +- +changed +\\d+\\.\\d s"),
                "newest first: the plan (its command is unknown: may change): " + runs.all());
        assertTrue(lines.get(2).matches("\\S+ +\\S+ \\S+ +run +history +- +failed +\\d+\\.\\d s"), runs.all());
        String runId = lines.get(2).split(" ")[0];

        Cli.Run show = Cli.runIn(tmp, "show", runId.substring(0, runId.length() - 2));
        assertEquals(ExitCodes.OK, show.code(), show.all());
        String out = show.out();
        assertTrue(out.startsWith("RUN history (plan.yaml) — run " + runId + ", not in git, started "), out);
        assertTrue(out.contains("failed"), out);
        assertTrue(out.contains("  changed  edit[h1]") && out.contains("      -a: 1") && out.contains("      +a: 2"), out);
        assertTrue(out.contains("FAILURES\n  bad[h1]: command failed: false"), out);
        assertTrue(out.contains("RECAP\n  h1                   ok=1 changed=1 unknown=0 skipped=0 failed=1"), out);
        assertTrue(out.contains("token ********"), out);
        assertFalse(out.contains(secret), out);

        Cli.Run missing = Cli.runIn(tmp, "show", "nope");
        assertEquals(ExitCodes.INVALID_INPUT, missing.code(), missing.all());
        assertTrue(missing.err().contains("no run 'nope' under .ringplan/runs ('ringplan runs' lists them)"), missing.all());
    }
}
