package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import java.util.LinkedHashSet;

/**
 * Resolves {@code --limit} against the inventory into the hosts it keeps; a pattern that cannot
 * be resolved is reported at {@code --limit}.
 */
final class ResolveLimit implements CompilePass {

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        String limit = s.options.limit();
        if (limit == null || limit.isBlank()) {
            return;
        }
        try {
            s.limitHosts = new LinkedHashSet<>(s.inventory.resolve(limit, SourcePos.ofFile("--limit")));
        } catch (InvalidInputException e) {
            diags.addAll(e.diagnostics());
        }
    }
}
