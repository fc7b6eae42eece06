package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.plan.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a free-form module value to the module's free-form argument (or reports that the module
 * takes none), then checks the arguments against the module's argument spec
 * ({@link ArgSpec#checkStatic}: names, required ones, types and choices of values that are not
 * templates, and the spec's rules between arguments), each problem at the argument it is about,
 * else at the module key.
 */
final class CheckArguments implements CompilePass {

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        for (CompileState.Site site : s.sites) {
            if (site.module != null) {
                site.args = check(site.task, site.module, diags);
            }
        }
    }

    /** Reports the problems of {@code t}'s arguments; returns them, free form mapped. */
    private static Map<String, Object> check(Task t, Module module, Diagnostics diags) {
        Map<String, Object> args = mapFreeForm(t, module, diags);
        // A refused free-form value already has its diagnostic; checking the (empty) mapping
        // would add a misleading "missing required argument".
        boolean freeFormRefused = t.args().containsKey(Task.FREE_FORM) && module.argSpec().freeForm() == null;
        for (ArgSpec.ArgProblem p : freeFormRefused ? List.<ArgSpec.ArgProblem>of() : module.argSpec().checkStatic(args)) {
            SourcePos at = p.arg() != null && t.argPos().containsKey(p.arg()) ? t.argPos().get(p.arg()) : t.modulePos();
            if (p.arg() != null && Task.FREE_FORM.equals(firstKey(t.argPos())) && t.argPos().size() == 1) {
                at = t.argPos().get(Task.FREE_FORM);
            }
            diags.error(at, module.name() + ": " + p.message());
        }
        return args;
    }

    private static String firstKey(Map<String, ?> m) {
        return m.isEmpty() ? null : m.keySet().iterator().next();
    }

    private static Map<String, Object> mapFreeForm(Task t, Module module, Diagnostics diags) {
        if (!t.args().containsKey(Task.FREE_FORM)) {
            return t.args();
        }
        String ff = module.argSpec().freeForm();
        if (ff == null) {
            diags.error(t.argPos().get(Task.FREE_FORM), module.name() + ": takes a mapping of arguments, not a single value",
                    "arguments: " + String.join(", ", module.argSpec().args().keySet()));
            return Map.of();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ff, t.args().get(Task.FREE_FORM));
        return m;
    }
}
