package dev.ringplan.modules.nodetool;

import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.modules.CassandraHost;
import dev.ringplan.modules.nodetool.Invocation.Command;
import java.time.Duration;

/**
 * {@code nodetool status} over JMX for other modules ({@code wait_for: node_up}), with the same
 * path rules as the nodetool module ({@link JmxRun}).
 */
public final class JmxStatus {
    private JmxStatus() {
    }

    /** The outcome of one read: the status, or why JMX could not give it. */
    public record Read(NodetoolStatus status, String failure) {
    }

    /**
     * Reads {@code host}'s status over JMX, or returns null when the nodetool program must be used
     * ({@code nodetool_via: process}, or auto and JMX cannot be reached: logged at -v).
     *
     * @param timeout at most this long for the read
     * @throws ModuleException when {@code nodetool_via} is jmx and JMX cannot be reached
     */
    public static Read read(ModuleContext ctx, CassandraHost host, Duration timeout) throws ModuleException {
        JmxNode n = JmxRun.node(ctx, host, Command.STATUS, true);
        if (n == null) {
            return null;
        }
        try {
            return new Read(JmxRun.cluster(n, null, timeout).status(), null);
        } catch (JmxNode.JmxException e) {
            return new Read(null, e.getMessage());
        } catch (RuntimeException e) {
            return new Read(null, "unexpected MBean data (" + e + ")");
        }
    }
}
