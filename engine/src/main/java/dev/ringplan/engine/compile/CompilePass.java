package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.InvalidInputException;

/**
 * One step of compilation with one job, as Terraform builds its graphs from an ordered list of
 * transformers: it reads what the earlier passes left in the {@link CompileState}, adds its own
 * part there, and reports what it finds wrong to the diagnostics, at the source position it is
 * about. The order of the passes is listed in one place, {@link Compiler#passes}, with the
 * reason for it. A pass contacts no host.
 */
interface CompilePass {

    /**
     * Applies the pass.
     *
     * @param state what the plan compiles to so far; the pass adds to it
     * @param diags where the pass reports problems; every problem is collected, none thrown
     * @throws InvalidInputException only from {@link StopOnErrors}, which ends the compilation
     *                               when the passes before it reported an error
     */
    void apply(CompileState state, Diagnostics diags) throws InvalidInputException;
}
