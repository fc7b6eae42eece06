package dev.ringplan.engine.module;

/**
 * A unit of work a task names by key ({@code nodetool:}, {@code tar:}, {@code command:}).
 * Built-in and third-party modules are found with {@link java.util.ServiceLoader} (file
 * {@code META-INF/services/dev.ringplan.engine.module.Module}).
 *
 * <p>Contract: the executor validates the task's rendered
 * arguments against {@link #argSpec()}, then always calls {@link #check}; it calls
 * {@link #apply} unless in check mode, and skips it when the preview says
 * {@link Preview.Change#NO} (already done is an answer). Read-only modules
 * ({@link #isReadOnly}) run {@code apply} in check mode too, so later tasks can use the
 * registered results. {@code apply} must be idempotent: applied twice, it reports {@code ok}
 * the second time, unless its doc says the action is inherently not (flush, repair).
 */
public interface Module {

    /** The key tasks use to call this module, e.g. {@code nodetool}. */
    String name();

    /** Human documentation printed by {@code ringplan modules NAME}. */
    ModuleDoc doc();

    /** The arguments this module accepts; unknown arguments are compile errors. */
    ArgSpec argSpec();

    /**
     * The keys this module registers, with their types and when they are present (Ansible's
     * RETURN). The executor checks every result and every registered preview against it. The
     * data of a {@link Preview} is what the engine registers in check mode, and in a run when
     * the preview says nothing needs doing: the same keys as {@link #apply}'s result (see
     * {@link ReturnSpec} for the values known only after applying).
     */
    ReturnSpec returns();

    /**
     * True when a call with these (validated) arguments only reads state, so it is safe and
     * useful to run in check mode (e.g. {@code nodetool status}).
     */
    default boolean isReadOnly(Args args) {
        return false;
    }

    /**
     * Works out what {@link #apply} would do, reading state only: never changes the host.
     * In check mode the state read is the one before the run, while the run's node will find
     * it after the upstream nodes applied: {@link ModuleContext#upstreamChanges()} lists those
     * predicted to change. A module that knows their effect answers as the run will (e.g.
     * {@code changed} "after snapshot[n1] takes it"); otherwise the engine reports a
     * {@link Preview.Change#NO} below them as {@code unknown}, unless the preview
     * {@link Preview#considersUpstream() considers} them.
     *
     * @throws ModuleException when the state cannot be read or the arguments make no sense here
     */
    Preview check(ModuleContext ctx) throws ModuleException;

    /**
     * Does the work. {@code ctx.preview()} holds what {@link #check} observed, which apply may
     * reuse to avoid reading the same state twice.
     *
     * @throws ModuleException when the work failed; the message says what and where
     */
    Result apply(ModuleContext ctx) throws ModuleException;
}
