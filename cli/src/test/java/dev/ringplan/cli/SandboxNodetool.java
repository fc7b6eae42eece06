package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.sandbox.NodeSpec;
import dev.ringplan.sandbox.Sandbox;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real nodetool against one node of a repository sandbox (test set-up and checks). */
final class SandboxNodetool {
    private SandboxNodetool() {
    }

    /** {@code nodetool -h 127.0.0.1 -p <jmx of node> args...}; returns stdout, fails the test on a non-zero exit. */
    static String run(String sandbox, int node, String... args) throws Exception {
        Sandbox s = new Sandbox(Cli.ROOT, sandbox);
        NodeSpec spec = s.nodes().get(node - 1);
        List<String> cmd = new ArrayList<>(s.nodetoolCommand());
        cmd.addAll(List.of("-h", "127.0.0.1", "-p", String.valueOf(spec.jmxPort())));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0,
                "nodetool " + String.join(" ", args) + " on " + sandbox + "/node" + node + ": " + out);
        return out;
    }
}
