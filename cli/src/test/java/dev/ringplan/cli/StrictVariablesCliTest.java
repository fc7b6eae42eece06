package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Undefined variables through the CLI, in process ({@link Ringplan#execute}): the reported
 * reproductions exit 2 with a located message before any host is contacted (the inventory's
 * 10.0.0.x hosts are never reached).
 */
class StrictVariablesCliTest {
    private static final String INV = Cli.ROOT.resolve("cli/src/test/resources/cli/two-nodes.yaml").toString();
    private static final String NESTED = Cli.ROOT.resolve("cli/src/test/resources/cli/undefined-nested.yaml").toString();



    @Test
    void planVariableReferringToUndefined_validatePlanAndRunExit2Located() {
        for (String cmd : new String[] {"validate", "plan", "run"}) {
            Cli.Run r = Cli.inProcess(cmd, NESTED, "-i", INV);
            assertEquals(ExitCodes.INVALID_INPUT, r.code(), cmd + ": " + r.all());
            assertTrue(r.err().contains(NESTED + ":4:13: error: undefined variable 'target_cluster' in plan variable"
                    + " 'new_name', used by argument 'cmd' of task 'echo'"), cmd + ": " + r.all());
            assertFalse(r.out().contains("target_cluster '}}'"), r.all());
            ValidateCliTest.assertNoStackTrace(new Cli.Run(r.code(), r.out(), r.err()));
        }
        assertEquals(ExitCodes.OK, Cli.inProcess("validate", NESTED, "-i", INV, "-e", "target_cluster=c2").code());
    }

    @Test
    void restoreWithoutTag_exit2NamingTheRequiredVariable() {
        for (String plan : new String[] {Cli.ROOT.resolve("plans/restore.yaml").toString(),
                Cli.ROOT.resolve("plans/verify-backup.yaml").toString()}) {
            for (String cmd : new String[] {"validate", "plan"}) {
                Cli.Run r = Cli.inProcess(cmd, plan, "-i", INV, "-e", "backup_root=/tmp/x");
                assertEquals(ExitCodes.INVALID_INPUT, r.code(), plan + " " + cmd + ": " + r.all());
                assertTrue(r.err().matches("(?s).*" + java.util.regex.Pattern.quote(plan) + ":\\d+:\\d+: error: required variable 'tag' is not set.*"),
                        plan + " " + cmd + ": " + r.all());
                assertTrue(r.err().contains("give it with -e tag=..."), r.all());
            }
            Cli.Run ok = Cli.inProcess("validate", plan, "-i", INV, "-e", "backup_root=/tmp/x", "-e", "tag=t1");
            assertEquals(ExitCodes.OK, ok.code(), ok.all());
        }
    }

    @Test
    void itemAndOmit_undefinedAtValidateAsAtRun(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        // Ringplan has no loops and no omit placeholder: validate must not accept what run cannot render.
        java.nio.file.Path plan = dir.resolve("item.yaml");
        java.nio.file.Files.writeString(plan, """
                hosts: all
                tasks:
                  - id: echo
                    debug: { msg: "{{ item }} {{ omit }}" }
                """);
        Cli.Run r = Cli.inProcess("validate", plan.toString(), "-i", INV);
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.all());
        assertTrue(r.err().contains(plan + ":4:14: error: undefined variable 'item'"), r.all());
        assertTrue(r.err().contains("undefined variable 'omit'"), r.all());
    }
}
