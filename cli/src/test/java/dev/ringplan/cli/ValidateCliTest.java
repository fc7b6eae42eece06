package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Invalid plans through the real CLI: exit 2, every error with file:line:column, no stack trace. */
class ValidateCliTest {
    private static final String INV = "cli/src/test/resources/cli/two-nodes.yaml";

    @Test
    void validate_invalidPlan_reportsEveryErrorWithPosition() {
        Cli.Run r = Cli.run("validate", "cli/src/test/resources/cli/invalid.yaml", "-i", INV);
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.all());
        String f = "cli/src/test/resources/cli/invalid.yaml";
        assertTrue(r.err().contains(f + ":9:5: error: unknown module 'nodetol'"), r.all());
        assertTrue(r.err().contains("did you mean 'nodetool'?"), r.all());
        assertTrue(r.err().contains(f + ":14:7: error: nodetool: unknown argument 'tagg'"), r.all());
        assertTrue(r.err().contains(f + ":18:7: error: undefined variable 'snapshot_tag'"), r.all());
        assertTrue(r.err().matches("(?s).*" + f + ":4:5: error: dependency cycle between tasks: a -> c -> a.*"), r.all());
        assertTrue(r.err().contains("4 errors found"), r.all());
        assertNoStackTrace(r);
    }

    @Test
    void validate_yamlSyntaxError_pointsAtIt() {
        Cli.Run r = Cli.run("validate", "cli/src/test/resources/cli/syntax.yaml", "-i", INV);
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.all());
        assertTrue(r.err().matches("(?s).*cli/src/test/resources/cli/syntax\\.yaml:\\d+:\\d+: error: YAML syntax error.*"), r.all());
        assertNoStackTrace(r);
    }

    @Test
    void validate_validPlan_exitsZeroAndContactsNoHost() {
        // 10.0.0.x is never contacted: validate only compiles.
        Cli.Run r = Cli.run("validate", "plans/backup.yaml", "-i", INV, "-e", "backup_root=/tmp/x");
        assertEquals(ExitCodes.OK, r.code(), r.all());
        assertTrue(r.out().contains("valid"), r.all());
    }

    @Test
    void validate_missingInventory_isInvalidInput() {
        Cli.Run r = Cli.run("validate", "plans/backup.yaml", "-i", "no/such/inventory.yaml");
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.all());
        assertTrue(r.err().contains("no/such/inventory.yaml: error: inventory file not found"), r.all());
        assertNoStackTrace(r);
    }

    @Test
    void unknownOption_isInvalidInputWithUsage() {
        Cli.Run r = Cli.run("run", "--no-such-option", "plans/backup.yaml");
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.all());
        assertTrue(r.err().contains("Unknown option"), r.all());
        assertNoStackTrace(r);
    }

    static void assertNoStackTrace(Cli.Run r) {
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception in thread"), r.all());
        assertFalse(r.out().contains("\tat "), r.all());
    }
}
