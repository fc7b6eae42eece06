package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.InvalidInputException;

/**
 * A gate in the list of passes: when a pass before it reported an error, compilation ends here
 * with every diagnostic collected so far ({@link InvalidInputException}); the passes after it
 * may rely on what the passes before it checked.
 */
final class StopOnErrors implements CompilePass {

    /** @throws InvalidInputException with every diagnostic, when one is an error */
    @Override
    public void apply(CompileState state, Diagnostics diags) throws InvalidInputException {
        diags.throwIfErrors();
    }
}
