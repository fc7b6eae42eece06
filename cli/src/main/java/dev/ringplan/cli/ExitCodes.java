package dev.ringplan.cli;

/** The CLI's exit codes. */
public final class ExitCodes {
    /** Everything succeeded. */
    public static final int OK = 0;
    /** At least one task failed (not ignored). */
    public static final int TASK_FAILED = 1;
    /** Invalid input: plan, inventory, extra vars, command-line arguments. */
    public static final int INVALID_INPUT = 2;
    /** At least one host was unreachable. */
    public static final int UNREACHABLE = 3;
    /**
     * A cluster the run targets is locked by another run (docs/ci.md, "Cluster lock"), or this
     * run's lock was taken by another run while it ran; also {@code unlock} of a lock another run holds.
     */
    public static final int LOCKED = 4;
    /**
     * The run was interrupted (SIGINT or SIGTERM), whatever else happened: 128 + SIGINT's number,
     * what a shell reports for a command ended by Ctrl-C.
     */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
