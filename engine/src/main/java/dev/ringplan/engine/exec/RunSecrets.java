package dev.ringplan.engine.exec;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.plan.Task;
import dev.ringplan.engine.secret.Secrets;
import dev.ringplan.engine.template.Templater;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the masking rules of {@link Secrets} to a run: the registry a run starts with, the
 * {@code no_log} rule, each node's result, and the listener every event leaves the executor
 * through. Everything shown or written (console, journal, JSON report) comes through
 * {@link #masking}.
 */
final class RunSecrets {
    private RunSecrets() {
    }

    /**
     * The registry of a run of {@code plan}: the plan's {@code vars_secret} names, and the values of
     * secret variables of every host as the run starts (inventory, plan vars and {@code -e},
     * templates rendered where they can be). Task variables and registered results are added as
     * nodes run ({@link #collect}).
     */
    static Secrets forRun(CompiledPlan plan, RunOptions options, Templater templater) {
        Secrets s = Secrets.of(plan.plan().varsSecret());
        s.collect(plan.extraVars());
        s.collect(plan.plan().vars());
        for (var node : plan.nodes()) {
            // Literal values of secret-named module arguments (password: ...), before any output.
            s.collect(node.args());
        }
        Variables vars = new Variables(plan, options, templater);
        for (String host : plan.inventory().hosts()) {
            s.collect(plan.inventory().hostVars(host));
            try {
                s.collect(vars.forHost(host));
            } catch (RuntimeException e) {
                // A variable that cannot be rendered yet is collected when a node renders it.
            }
        }
        return s;
    }

    /** True when {@code node}'s task, or a block around it, has {@code no_log: true}. */
    static boolean noLog(TaskNode node) {
        if (node.task().noLog()) {
            return true;
        }
        for (Task b : node.blocks()) {
            if (b.noLog()) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code r} as it may be shown or written: a {@code no_log} node's output replaced by
     * {@link Secrets#NO_LOG_MESSAGE} (its data's values registered as secrets first), any other node's
     * message, diff, commands and data masked.
     */
    @SuppressWarnings("unchecked")
    static NodeResult maskResult(Secrets secrets, NodeResult r) {
        if (noLog(r.node())) {
            secrets.collectNoLog(r.data());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("censored", Secrets.NO_LOG_MESSAGE);
            data.put("changed", r.changed());
            data.put("failed", r.status() == Status.FAILED);
            data.put("status", r.status().label());
            return new NodeResult(r.node(), r.status(), Secrets.NO_LOG_MESSAGE, null, List.of(), data, r.ignored(),
                    r.durationMs());
        }
        List<String> commands = new ArrayList<>();
        r.commands().forEach(c -> commands.add(secrets.maskText(c)));
        Object data = secrets.maskValue(r.data());
        return new NodeResult(r.node(), r.status(), secrets.maskText(r.msg()), secrets.maskText(r.diff()), List.copyOf(commands),
                data instanceof Map<?, ?> ? (Map<String, Object>) data : r.data(), r.ignored(), r.durationMs());
    }

    /**
     * A listener that passes {@code delegate} every event masked: the plan's {@code -e}
     * variables, progress lines (dropped for {@code no_log} nodes), each result
     * ({@link #maskResult}) and the final report.
     */
    static RunListener masking(Secrets secrets, RunListener delegate) {
        return new RunListener() {
            @Override
            @SuppressWarnings("unchecked")
            public void runStarted(CompiledPlan plan, RunOptions options) {
                Map<String, Object> extra = (Map<String, Object>) secrets.maskValue(plan.extraVars());
                delegate.runStarted(new CompiledPlan(plan.plan(), plan.inventory(), plan.graph(), plan.nodes(),
                        extra, plan.hostDefaults(), plan.serials()), options);
            }

            @Override
            public void nodeStarted(TaskNode node) {
                delegate.nodeStarted(node);
            }

            @Override
            public void nodeLog(TaskNode node, String line) {
                if (!noLog(node)) {
                    delegate.nodeLog(node, secrets.maskText(line));
                }
            }

            @Override
            public void nodeFinished(NodeResult result) {
                delegate.nodeFinished(maskResult(secrets, result));
            }

            @Override
            public void runFinished(RunReport report) {
                List<NodeResult> results = new ArrayList<>();
                report.results().forEach(r -> results.add(maskResult(secrets, r)));
                delegate.runFinished(new RunReport(report.planName(), report.planFile(), report.options(),
                        List.copyOf(results), report.durationMs()));
            }
        };
    }
}
