package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.plan.Plan;

/**
 * Reports each {@code vars_required} variable that neither {@code -e}, the plan's vars, the
 * modules' host defaults nor any inventory host defines, at its declaration, and remembers
 * their names: {@link CheckVariables} does not report their uses again.
 */
final class CheckRequiredVars implements CompilePass {

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        for (Plan.RequiredVar r : s.plan.varsRequired()) {
            String name = r.name();
            boolean defined = s.options.extraVars().containsKey(name) || s.plan.vars().containsKey(name)
                    || (s.options.hostDefaults() != null && s.options.hostDefaults().containsKey(name));
            for (String h : s.inventory.hosts()) {
                if (defined) {
                    break;
                }
                defined = s.inventory.hostVars(h).containsKey(name);
            }
            if (!defined) {
                s.missingRequired.add(name);
                String what = r.description() == null ? "" : " (" + r.description() + ")";
                diags.error(r.pos(), "required variable '" + name + "' is not set" + what,
                        "give it with -e " + name + "=... (the plan declares it in vars_required)");
            }
        }
    }
}
