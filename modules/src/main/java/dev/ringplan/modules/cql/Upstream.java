package dev.ringplan.modules.cql;

import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.UpstreamChange;
import java.util.List;

/**
 * Check mode's view of the tasks this one waits for. A CQL check reads the cluster as it is
 * before the run; when something it needs is missing (a keyspace, a table the check query
 * reads) and an upstream task is predicted to change, the run may well find it, so the preview
 * says {@code unknown} instead of failing.
 */
final class Upstream {
    private Upstream() {
    }

    /**
     * In check mode, "after setup[n1], schema[n1] would change" when upstream tasks are predicted
     * to change; null otherwise (a run, or nothing upstream changes).
     */
    static String pending(ModuleContext ctx) {
        if (!ctx.checkMode()) {
            return null;
        }
        List<UpstreamChange> ups = ctx.upstreamChanges();
        if (ups.isEmpty()) {
            return null;
        }
        return "after " + String.join(", ", ups.stream().map(UpstreamChange::node).toList()) + " would change";
    }
}
