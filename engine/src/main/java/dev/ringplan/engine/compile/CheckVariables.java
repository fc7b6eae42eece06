package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.template.Templater;

/**
 * Checks every template each task renders against the variables defined for each of its
 * targets ({@link VariableCheck}: undefined names, cycles between variables, template syntax,
 * unknown filters and tests), and records which registered variables each task uses, for
 * {@link CheckRegisteredNeeds}. A required variable {@link CheckRequiredVars} reported missing is
 * not reported again where it is used.
 */
final class CheckVariables implements CompilePass {
    private final Templater templater;

    /** Checking templates with {@code templater}. */
    CheckVariables(Templater templater) {
        this.templater = templater;
    }

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        VariableCheck check = new VariableCheck(s.plan, s.inventory, s.options, s.registeredNames, s.missingRequired,
                templater, diags);
        for (CompileState.Site site : s.sites) {
            if (site.targets != null) {
                check.check(site.task, site.blocks, site.args, site.targets);
            }
        }
        s.registeredUses.putAll(check.registeredUses());
    }
}
