package dev.ringplan.engine.module;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a module's {@code apply} did.
 *
 * @param status   ok (nothing changed), changed, or failed
 * @param msg      one line for humans
 * @param diff     unified diff of a changed file, or null
 * @param commands the commands actually run, as display strings
 * @param data     typed results exposed by {@code register} (module-specific keys), never null
 */
public record Result(Outcome status, String msg, String diff, List<String> commands, Map<String, Object> data) {

    /**
     * What happened on the host, as the module saw it. Not the node's status
     * ({@link dev.ringplan.engine.exec.Status}, which adds unknown, skipped, unreachable, ...):
     * the executor turns an outcome into a status after changed_when, failed_when and
     * ignore_errors.
     */
    public enum Outcome { OK, CHANGED, FAILED }

    /** Nothing needed changing. */
    public static Result ok(String msg) {
        return new Result(Outcome.OK, msg, null, List.of(), Map.of());
    }

    /** The host was changed. */
    public static Result changed(String msg) {
        return new Result(Outcome.CHANGED, msg, null, List.of(), Map.of());
    }

    /** The work failed (same as throwing {@link ModuleException}, but keeps data). */
    public static Result failed(String msg) {
        return new Result(Outcome.FAILED, msg, null, List.of(), Map.of());
    }

    /** A copy with registered data. */
    public Result withData(Map<String, Object> d) {
        return new Result(status, msg, diff, commands, new LinkedHashMap<>(d));
    }

    /** A copy with a diff. */
    public Result withDiff(String d) {
        return new Result(status, msg, d, commands, data);
    }

    /** A copy with the commands that ran. */
    public Result withCommands(List<String> c) {
        return new Result(status, msg, diff, List.copyOf(c), data);
    }

    /** True when status is {@link Outcome#CHANGED}. */
    public boolean changed() {
        return status == Outcome.CHANGED;
    }
}
