package dev.ringplan.engine.connection;

/**
 * A command was stopped, or refused before it started, because the run was interrupted
 * ({@link Connection#interrupt()}, after SIGINT/SIGTERM). Carries the output the command had
 * written before it was stopped, when it had started.
 */
public class CommandInterruptedException extends ConnectionException {
    private final transient ExecResult partialResult;

    /**
     * @param message       names the host and the command
     * @param partialResult argv, output captured until the stop, no exit status; null when the
     *                      command never started
     */
    public CommandInterruptedException(String message, ExecResult partialResult) {
        super(message);
        this.partialResult = partialResult;
    }

    /** The output captured until the stop, or null when the command never started. */
    public ExecResult partialResult() {
        return partialResult;
    }
}
