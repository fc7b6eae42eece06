package dev.ringplan.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SandboxCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new SandboxCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void status_missingSandbox_failsWithMessage(@TempDir Path work) {
        assertEquals(1, run("status", "--name", "nope", "--work-dir", work.toString()));
        assertTrue(err.toString().startsWith("error: no sandbox named 'nope'"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace");
    }

    @Test
    void up_badName_exit2(@TempDir Path work) {
        assertEquals(2, run("up", "--name", "Bad!", "--work-dir", work.toString()));
        assertTrue(err.toString().contains("invalid sandbox name 'Bad!'"), err.toString());
    }

    @Test
    void up_badCount_exit2(@TempDir Path work) {
        assertEquals(2, run("up", "--nodes", "0", "--work-dir", work.toString()));
        assertTrue(err.toString().contains("node count must be 1..16"), err.toString());
        assertEquals(2, run("up", "--nodes", "two"));
    }

    @Test
    void up_badDatacenterOrSelfJoin_exit2(@TempDir Path work) {
        assertEquals(2, run("up", "--name", "x", "--dc", "dc 2", "--work-dir", work.toString()));
        assertTrue(err.toString().contains("invalid datacenter name 'dc 2'"), err.toString());
        assertEquals(2, run("up", "--name", "x", "--join", "x", "--work-dir", work.toString()));
        assertTrue(err.toString().contains("cannot join itself"), err.toString());
    }

    @Test
    void status_showsClusterDatacenterAndRackOfEachNode(@TempDir Path work) throws Exception {
        Sandbox old = new Sandbox(work, "old-dc");
        old.setCassandraLib(SandboxTest.fakeLib(work));
        old.create(new SandboxOptions(1, null, "dc1", null, null), l -> { });
        Sandbox s = new Sandbox(work, "new-dc");
        s.setCassandraLib(SandboxTest.fakeLib(work));
        List<NodeSpec> nodes = s.create(new SandboxOptions(2, null, "dc2", "r1", "old-dc"), l -> { });
        assertEquals(0, run("status", "--name", "new-dc", "--work-dir", work.toString()), err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals("cluster: ringplan-old-dc (joined sandbox 'old-dc' as a new datacenter)", lines.get(0));
        assertTrue(lines.get(1).matches("NODE +ADDRESS +DATACENTER +RACK +PID +RUNNING +CQL +JMX +RSS"), lines.get(1));
        assertTrue(lines.get(3).matches("node2 +" + nodes.get(1).address().replace(".", "\\.") + " +dc2 +r1 +- +no +closed +"
                + nodes.get(1).jmxPort() + " +-"), lines.get(3));
    }

    @Test
    void down_missingSandbox_ok(@TempDir Path work) {
        assertEquals(0, run("down", "--name", "nope", "--work-dir", work.toString()));
        assertTrue(out.toString().contains("nothing to stop"), out.toString());
    }

    @Test
    void noSubcommand_usageExit2() {
        assertEquals(2, run());
        assertTrue(err.toString().contains("Usage: sandbox"), err.toString());
    }
}
