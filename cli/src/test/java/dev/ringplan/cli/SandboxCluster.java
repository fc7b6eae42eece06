package dev.ringplan.cli;

import dev.ringplan.sandbox.Sandbox;
import dev.ringplan.sandbox.SandboxNodeProcess;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one sandbox cluster an integration test run shares: the repository's {@code default}
 * sandbox, the one {@code inventories/sandbox.yaml} describes. Tests bring it up through the CLI
 * (as README's first command does). When the run ends, it is stopped if it was not running
 * before the tests started, so no JVM is left behind.
 */
final class SandboxCluster implements BeforeAllCallback {
    private static Boolean wasRunning;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (SandboxCluster.class) {
            if (wasRunning != null) {
                return;
            }
            wasRunning = running();
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(SandboxCluster.class.getName(),
                    (ExtensionContext.Store.CloseableResource) () -> {
                        if (!wasRunning) {
                            Cli.Run r = Cli.run("sandbox", "down");
                            if (r.code() != 0) {
                                System.err.println("sandbox down failed: " + r.all());
                            }
                        }
                    });
        }
    }

    /** True when the default sandbox was already up before this test run. */
    static boolean wasRunningBefore() {
        return Boolean.TRUE.equals(wasRunning);
    }

    /** True when every node of the default sandbox runs with its CQL port open. */
    static boolean running() throws Exception {
        return running(Sandbox.DEFAULT_NAME);
    }

    /** True when every node of sandbox {@code name} of the repository runs with its CQL port open. */
    static boolean running(String name) throws Exception {
        Sandbox s = new Sandbox(Cli.ROOT, name);
        if (!s.exists()) {
            return false;
        }
        List<SandboxNodeProcess> st = s.status();
        return !st.isEmpty() && st.stream().allMatch(n -> n.running() && n.cqlOpen());
    }
}
