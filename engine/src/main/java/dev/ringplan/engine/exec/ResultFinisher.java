package dev.ringplan.engine.exec;

import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.template.TemplateException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns what a node's module said (or, in check mode, predicted) into the node's final result,
 * and registers it: {@code changed_when}, then {@code failed_when}, then {@code ignore_errors},
 * then {@code register}. Thread-safe.
 */
final class ResultFinisher {
    private final Conditions conditions;
    private final Variables variables;
    private final boolean checkMode;

    /** Evaluating with {@code conditions}, registering into {@code variables}. */
    ResultFinisher(Conditions conditions, Variables variables, boolean checkMode) {
        this.conditions = conditions;
        this.variables = variables;
        this.checkMode = checkMode;
    }

    /**
     * Applies changed_when, then failed_when, then ignore_errors, and registers the result.
     * As Ansible's TaskExecutor: both conditions see the result under {@code result} and the
     * register name, failed_when after changed_when (so it sees the decided {@code changed});
     * failed_when decides "failed" whatever the module said (a module failure it finds false
     * becomes ok, or changed), and the registered data gets {@code failed_when_result}. In
     * check mode a node whose module only previewed (not read-only) ran nothing that
     * failed_when could test: its status stays what check predicted.
     *
     * @throws TemplateException when a condition cannot be evaluated
     */
    NodeResult finish(TaskNode node, Map<String, Object> vars, NodeResult r) throws TemplateException {
        Status status = r.status();
        Map<String, Object> data = registered(r, status);
        String failedWhen = node.task().failedWhen();
        boolean previewOnly = checkMode && r.data().containsKey("would_change");
        boolean decideFailure = failedWhen != null && !previewOnly
                && (status == Status.OK || status == Status.CHANGED || status == Status.FAILED);
        boolean changed = status == Status.CHANGED;
        String msgPrefix = "";
        if (previewOnly && node.task().changedWhen() != null && (status == Status.OK || status == Status.CHANGED)) {
            // changed_when judges what the module did; a preview did nothing it could judge, so
            // the answer is known after apply (an 'ok' here could hide a change the run makes).
            status = Status.UNKNOWN;
            msgPrefix = "changed_when decides after apply: ";
            data = registered(r, status);
        } else if (node.task().changedWhen() != null
                && (status == Status.OK || status == Status.CHANGED || (status == Status.FAILED && decideFailure))) {
            changed = conditions.test("changed_when", node.task().changedWhen(), Conditions.withResult(vars, node, data));
            if (status != Status.FAILED) {
                status = changed ? Status.CHANGED : Status.OK;
            }
            data = registered(r, status);
            data.put("changed", changed);
        }
        String msg = msgPrefix.isEmpty() ? r.msg() : msgPrefix + (r.msg() == null ? "" : r.msg());
        if (decideFailure) {
            boolean failed = conditions.test("failed_when", failedWhen, Conditions.withResult(vars, node, data));
            if (failed && status != Status.FAILED) {
                msg = "failed_when is true: " + failedWhen + (r.msg() == null || r.msg().isBlank() ? "" : " (" + r.msg() + ")");
            }
            status = failed ? Status.FAILED : changed ? Status.CHANGED : Status.OK;
            data = registered(new NodeResult(r.node(), status, msg, r.diff(), r.commands(), r.data(), false,
                    r.durationMs()), status);
            data.put("changed", changed);
            data.put("failed_when_result", failed);
        }
        boolean ignored = status == Status.FAILED && node.task().ignoreErrors();
        if (node.task().register() != null) {
            variables.register(node.host(), node.task().register(), data);
        }
        return new NodeResult(node, status, msg, r.diff(), r.commands(), data, ignored, r.durationMs());
    }

    /**
     * Registers a result that no condition decides (skipped, or unknown in check mode) as it is:
     * as Ansible, a skipped task still registers ({@code skipped: true}), so later tasks can test
     * it instead of failing on an undefined variable.
     */
    void registerAsIs(TaskNode node, NodeResult r) {
        if (node.task().register() != null) {
            variables.register(node.host(), node.task().register(), registered(r, r.status()));
        }
    }

    /**
     * The data {@code register} stores for a result: the module's data plus {@code changed},
     * {@code failed}, {@code status} (as {@code status} says) and {@code msg}.
     */
    static Map<String, Object> registered(NodeResult r, Status status) {
        Map<String, Object> data = new LinkedHashMap<>(r.data());
        data.put("changed", status == Status.CHANGED);
        data.put("failed", status == Status.FAILED);
        data.put("status", status.label());
        data.put("msg", r.msg());
        return data;
    }
}
