package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.Suggest;
import dev.ringplan.engine.module.ModuleRegistry;

/**
 * Resolves each task's module key in the module registry; an unknown one is reported at the key
 * with a "did you mean" (or the list of modules), and the task is left out of the later passes.
 */
final class ResolveModules implements CompilePass {
    private final ModuleRegistry modules;

    /** Resolving in {@code modules}. */
    ResolveModules(ModuleRegistry modules) {
        this.modules = modules;
    }

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        for (CompileState.Site site : s.sites) {
            site.module = modules.find(site.task.module()).orElse(null);
            if (site.module == null) {
                String hint = Suggest.didYouMean(site.task.module(), modules.all().keySet());
                diags.error(site.task.modulePos(), "unknown module '" + site.task.module() + "'",
                        hint != null ? hint : "known modules: " + String.join(", ", modules.all().keySet()));
            }
        }
    }
}
