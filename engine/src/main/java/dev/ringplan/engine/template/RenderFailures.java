package dev.ringplan.engine.template;

/**
 * The first {@link LazyVars} variable that failed to render during the current render on this
 * thread. Jinjava swallows some exceptions thrown while it reads a variable (or treats the value
 * as undefined); the failure noted here lets {@link Templater} fail the render with the
 * variable's own message anyway.
 */
final class RenderFailures {
    private static final ThreadLocal<LazyVars.Failure> PENDING = new ThreadLocal<>();

    private RenderFailures() {
    }

    /**
     * Records a variable that failed while a template was rendering, so the render fails with
     * it even where Jinjava would swallow the exception or treat the value as undefined. Only the
     * first failure of a render is kept.
     */
    static void note(LazyVars.Failure f) {
        if (PENDING.get() == null) {
            PENDING.set(f);
        }
    }

    /** The failure noted during the current render, or null. */
    static LazyVars.Failure pending() {
        return PENDING.get();
    }

    /**
     * Starts a render (nested renders happen when a lazy variable renders its own template):
     * clears the pending failure and returns the outer render's, to give back to {@link #end}.
     */
    static LazyVars.Failure begin() {
        LazyVars.Failure outer = PENDING.get();
        PENDING.set(null);
        return outer;
    }

    /** Ends a render, restoring the outer render's pending failure. */
    static void end(LazyVars.Failure outer) {
        PENDING.set(outer);
    }
}
