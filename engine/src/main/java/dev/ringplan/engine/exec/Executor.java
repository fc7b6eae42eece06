package dev.ringplan.engine.exec;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.UnreachableException;
import dev.ringplan.engine.dag.Walker;
import dev.ringplan.engine.diag.RingplanException;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.template.TemplateException;
import dev.ringplan.engine.template.Templater;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a {@link CompiledPlan}: the graph is walked with at most {@code forks} nodes at once;
 * each node renders its variables and arguments, evaluates {@code when}, opens (or reuses) its
 * host's connection, calls the module's {@code check} and, unless in check mode or when check
 * found nothing to do, {@code apply}. Dependents of a failed node are skipped ("upstream
 * failed"); a host that cannot be reached is {@code unreachable} for all its later nodes. Results
 * go to the {@link RunListener}; registered results become host variables.
 */
public final class Executor {
    private final Templater templater;
    private final ConnectionProvider connections;

    /** An executor rendering with {@code templater} and opening hosts with {@code connections}. */
    public Executor(Templater templater, ConnectionProvider connections) {
        this.templater = templater;
        this.connections = connections;
    }

    /** Runs the plan and returns every node's result in plan order. Never throws for node failures. */
    public RunReport run(CompiledPlan plan, RunOptions options, RunListener listener) {
        long t0 = System.nanoTime();
        listener.runStarted(plan, options);
        Map<String, NodeResult> results = new ConcurrentHashMap<>();
        State state = new State(plan, options, listener, new Upstream(plan.graph(), results));
        Map<String, Walker.Status> settled = new ConcurrentHashMap<>();
        try {
            Walker<TaskNode> walker = new Walker<>(plan.graph(), Math.max(1, options.forks()), plan::toleratesFailure);
            walker.walk((name, node) -> {
                String notRescuing = node.isRescue() ? notRescuing(node, results, settled) : null;
                NodeResult r = notRescuing != null ? state.skipped(node, notRescuing) : state.runNode(node);
                results.put(name, r);
                listener.nodeFinished(r);
                boolean ok = r.status() != Status.FAILED && r.status() != Status.UNREACHABLE;
                return ok ? Walker.Outcome.SUCCESS : (r.ignored() ? Walker.Outcome.FAILURE_IGNORED : Walker.Outcome.FAILURE);
            }, new Walker.Listener() {
                @Override
                public void finished(Walker.VertexResult v) {
                    settled.put(v.name(), v.status());
                    if (v.status() == Walker.Status.SKIPPED_UPSTREAM_FAILED || v.status() == Walker.Status.CANCELLED) {
                        TaskNode node = plan.graph().payload(v.name());
                        String why = v.status() == Walker.Status.CANCELLED ? "run cancelled"
                                : "upstream failed: " + v.failedAncestor();
                        NodeResult r = new NodeResult(node, Status.SKIPPED, why, null, List.of(),
                                Map.of("skipped", true, "msg", why), false, 0);
                        results.put(v.name(), r);
                        listener.nodeFinished(r);
                    } else if (v.error() != null && !results.containsKey(v.name())) {
                        TaskNode node = plan.graph().payload(v.name());
                        NodeResult r = new NodeResult(node, Status.FAILED, "internal error: " + v.error(), null,
                                List.of(), Map.of(), false, 0);
                        results.put(v.name(), r);
                        listener.nodeFinished(r);
                    }
                }
            });
        } finally {
            state.closeConnections();
        }
        List<NodeResult> ordered = new ArrayList<>();
        for (TaskNode n : plan.nodes()) {
            NodeResult r = results.get(n.name());
            if (r != null) {
                ordered.add(r);
            }
        }
        RunReport report = new RunReport(plan.plan().name(), plan.plan().file(), options, List.copyOf(ordered),
                (System.nanoTime() - t0) / 1_000_000);
        listener.runFinished(report);
        return report;
    }

    /**
     * Why a rescue node has nothing to do, or null when it must run: its block was entered on
     * the host (one of the block's nodes there ran its module) and did not complete (one failed,
     * or was skipped because something failed). Every node of the block on the host has
     * finished when this is asked (the rescue node waits for them).
     */
    static String notRescuing(TaskNode node, Map<String, NodeResult> results, Map<String, Walker.Status> settled) {
        boolean entered = false;
        List<String> failed = new ArrayList<>();
        for (String body : node.rescueOf()) {
            NodeResult r = results.get(body);
            Walker.Status st = settled.get(body);
            if (r != null && (r.status() == Status.OK || r.status() == Status.CHANGED || r.status() == Status.UNKNOWN
                    || r.status() == Status.FAILED)) {
                entered = true;
            }
            if (st == Walker.Status.FAILURE || st == Walker.Status.SKIPPED_UPSTREAM_FAILED) {
                failed.add(body);
            }
        }
        String block = node.rescuedBlock() == null ? "?" : node.rescuedBlock().id();
        if (!entered) {
            return "nothing to rescue: block '" + block + "' did not start on " + node.host();
        }
        if (failed.isEmpty()) {
            return "nothing to rescue: block '" + block + "' completed on " + node.host();
        }
        return null;
    }

    /** Mutable state of one run: registered results and connections, per host. */
    private final class State {
        private final CompiledPlan plan;
        private final RunOptions options;
        private final RunListener listener;
        private final Variables variables;
        private final Map<String, Connection> open = new ConcurrentHashMap<>();
        private final Map<String, String> unreachable = new ConcurrentHashMap<>();
        private final Upstream upstream;

        State(CompiledPlan plan, RunOptions options, RunListener listener, Upstream upstream) {
            this.plan = plan;
            this.options = options;
            this.listener = listener;
            this.upstream = upstream;
            this.variables = new Variables(plan, options, templater);
        }

        /** A node that is not run: skipped, with the reason (registered as skipped like a false 'when'). */
        NodeResult skipped(TaskNode node, String why) {
            listener.nodeStarted(node);
            NodeResult r = new NodeResult(node, Status.SKIPPED, why, null, List.of(), Map.of("skipped", true), false, 0);
            if (node.task().register() != null) {
                variables.register(node.host(), node.task().register(), registered(r, Status.SKIPPED));
            }
            return r;
        }

        NodeResult runNode(TaskNode node) {
            long start = System.nanoTime();
            listener.nodeStarted(node);
            if (node.isRescue()) {
                listener.nodeLog(node, "rescuing " + node.host() + ": block '" + node.rescuedBlock().id()
                        + "' did not complete there");
            }
            String host = node.host();
            try {
                if (unreachable.containsKey(host)) {
                    return result(node, Status.UNREACHABLE, unreachable.get(host), null, List.of(), Map.of(), start);
                }
                Map<String, Object> vars = variables.forNode(node);
                for (String when : node.whens()) {
                    if (!truthy(templater.evaluate(when, vars))) {
                        NodeResult skipped = result(node, Status.SKIPPED, "condition false: " + when, null, List.of(),
                                Map.of("skipped", true), start);
                        if (node.task().register() != null) {
                            // As Ansible: a skipped task still registers (skipped: true), so later
                            // tasks can test it instead of failing on an undefined variable.
                            variables.register(host, node.task().register(), registered(skipped, Status.SKIPPED));
                        }
                        return skipped;
                    }
                }
                return attempt(node, vars, start);
            } catch (TemplateException e) {
                return result(node, Status.FAILED, "template error: " + e.getMessage(), null, List.of(), Map.of(), start);
            }
        }

        private NodeResult attempt(TaskNode node, Map<String, Object> vars, long start) throws TemplateException {
            int attempts = node.task().retries() + 1;
            NodeResult last = null;
            for (int i = 1; i <= attempts; i++) {
                last = once(node, vars, start);
                if (last.status() == Status.UNREACHABLE) {
                    return last;
                }
                boolean done = last.status() != Status.FAILED;
                // An unknown preview has no result to test: retrying would not make it known.
                if (done && node.task().until() != null && last.status() != Status.UNKNOWN) {
                    // The same shape register gives (module data plus changed/failed/status/msg),
                    // so 'until: not result.failed' works as in Ansible.
                    Map<String, Object> attemptData = registered(last, last.status());
                    Map<String, Object> withResult = new LinkedHashMap<>(vars);
                    withResult.put("result", attemptData);
                    if (node.task().register() != null) {
                        withResult.put(node.task().register(), attemptData);
                    }
                    done = truthy(templater.evaluate(node.task().until(), withResult));
                }
                if (done) {
                    break;
                }
                if (i < attempts) {
                    listener.nodeLog(node, "retrying (" + i + "/" + node.task().retries() + ") in " + node.task().delaySeconds() + " s");
                    try {
                        Thread.sleep(node.task().delaySeconds() * 1000L);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                } else if (last.status() != Status.FAILED) {
                    last = result(node, Status.FAILED, "'until' condition still false after " + attempts + " attempts: "
                            + node.task().until(), last.diff(), last.commands(), last.data(), start);
                }
            }
            return finish(node, vars, last, start);
        }

        private NodeResult once(TaskNode node, Map<String, Object> vars, long start) throws TemplateException {
            Module module = node.module();
            Object rendered = templater.render(node.args(), vars);
            @SuppressWarnings("unchecked")
            Map<String, Object> renderedArgs = rendered instanceof Map ? (Map<String, Object>) rendered : Map.of();
            Args args;
            try {
                args = module.argSpec().validate(module.name(), renderedArgs);
            } catch (ModuleException e) {
                return result(node, Status.FAILED, e.getMessage(), null, List.of(), Map.of(), start);
            }
            ModuleContext ctx = new ModuleContext(node.host(), args, vars, () -> connection(node.host(), vars),
                    options.checkMode(), options.diffMode(),
                    new ModuleContext.RunInfo(options.runId(), options.workDir(), options.workDir().resolve(".ringplan")),
                    null, line -> listener.nodeLog(node, line)).withOtherHosts(this::otherHost);
            if (options.checkMode()) {
                upstream.checked(node.name(), args);
                ctx = ctx.withUpstreamChanges(() -> upstream.of(node.name()));
            }
            try {
                Preview preview = module.check(ctx);
                boolean readOnly = module.isReadOnly(args);
                if (options.checkMode() && !readOnly) {
                    return predicted(node, preview, start);
                }
                if (preview.change() == Preview.Change.NO && !readOnly) {
                    return result(node, Status.OK, preview.summary(), null, List.of(), preview.data(), start);
                }
                Result r = module.apply(ctx.withPreview(preview));
                Status s = switch (r.status()) {
                    case OK -> Status.OK;
                    case CHANGED -> Status.CHANGED;
                    case FAILED -> Status.FAILED;
                };
                return result(node, s, r.msg(), r.diff() != null ? r.diff() : preview.diff(), r.commands(), r.data(), start);
            } catch (RingplanException e) {
                UnreachableException cause = unreachableCause(e);
                if (cause != null) {
                    unreachable.putIfAbsent(node.host(), cause.getMessage());
                    return result(node, Status.UNREACHABLE, cause.getMessage(), null, List.of(), Map.of(), start);
                }
                return result(node, Status.FAILED, e.getMessage(), null, List.of(), Map.of(), start);
            } catch (RuntimeException e) {
                return result(node, Status.FAILED, "internal error in module " + module.name() + ": " + e, null,
                        List.of(), Map.of(), start);
            }
        }

        /**
         * A check-mode result from a preview: {@code ok}, {@code changed} or {@code unknown} as
         * the preview says, except that an {@code ok} below an upstream node predicted to change
         * (or unknown) is {@code unknown} with the reason, unless the preview
         * {@link Preview#considersUpstream() considers} those changes: the check saw the host
         * before them, the run will see it after.
         */
        private NodeResult predicted(TaskNode node, Preview preview, long start) {
            Status s = switch (preview.change()) {
                case NO -> Status.OK;
                case YES -> Status.CHANGED;
                case UNKNOWN -> Status.UNKNOWN;
            };
            String summary = preview.summary();
            if (s == Status.OK && !preview.considersUpstream() && upstream.any(node.name())) {
                s = Status.UNKNOWN;
                summary = Upstream.reason(upstream.of(node.name())) + ": " + summary;
            }
            Map<String, Object> data = new LinkedHashMap<>(preview.data());
            data.put("would_change", switch (s) {
                case OK -> "no";
                case CHANGED -> "yes";
                default -> "unknown";
            });
            return result(node, s, summary, preview.diff(), preview.commands(), data, start);
        }

        /** Applies changed_when and ignore_errors, and registers the result. */
        private NodeResult finish(TaskNode node, Map<String, Object> vars, NodeResult r, long start) throws TemplateException {
            Status status = r.status();
            Map<String, Object> data = registered(r, status);
            if (node.task().changedWhen() != null && (status == Status.OK || status == Status.CHANGED)) {
                Map<String, Object> withResult = new LinkedHashMap<>(vars);
                withResult.put("result", data);
                if (node.task().register() != null) {
                    withResult.put(node.task().register(), data);
                }
                status = truthy(templater.evaluate(node.task().changedWhen(), withResult)) ? Status.CHANGED : Status.OK;
                data = registered(r, status);
            }
            boolean ignored = status == Status.FAILED && node.task().ignoreErrors();
            if (node.task().register() != null) {
                variables.register(node.host(), node.task().register(), data);
            }
            return new NodeResult(node, status, r.msg(), r.diff(), r.commands(), data, ignored, r.durationMs());
        }

        private Map<String, Object> registered(NodeResult r, Status status) {
            Map<String, Object> data = new LinkedHashMap<>(r.data());
            data.put("changed", status == Status.CHANGED);
            data.put("failed", status == Status.FAILED);
            data.put("status", status.label());
            data.put("msg", r.msg());
            return data;
        }

        private Connection connection(String host, Map<String, Object> vars) throws ConnectionException {
            Connection c = open.get(host);
            if (c != null) {
                return c;
            }
            synchronized (this) {
                c = open.get(host);
                if (c == null) {
                    try {
                        c = connections.open(host, vars);
                    } catch (UnreachableException e) {
                        unreachable.putIfAbsent(host, e.getMessage());
                        throw e;
                    }
                    open.put(host, c);
                }
                return c;
            }
        }

        private Connection otherHost(String host) throws ConnectionException {
            if (!plan.inventory().hosts().contains(host)) {
                throw new ConnectionException("host '" + host + "' is not in the inventory");
            }
            // The asking node fails (it is reachable itself); the other host's state is kept.
            if (unreachable.containsKey(host)) {
                throw new ConnectionException(unreachable.get(host));
            }
            try {
                return connection(host, variables.forHost(host));
            } catch (UnreachableException e) {
                throw new ConnectionException(e.getMessage(), e.getCause());
            }
        }

        void closeConnections() {
            open.values().forEach(Connection::close);
            open.clear();
        }

        private NodeResult result(TaskNode node, Status s, String msg, String diff, List<String> commands,
                                  Map<String, Object> data, long start) {
            return new NodeResult(node, s, msg, diff, commands, data, false, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** The {@link UnreachableException} in {@code e}'s cause chain (modules may wrap it), or null. */
    static UnreachableException unreachableCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnreachableException u) {
                return u;
            }
        }
        return null;
    }

    /** Python/Jinja truthiness of a rendered condition. */
    static boolean truthy(Object o) {
        if (o == null) {
            return false;
        }
        if (o instanceof Boolean b) {
            return b;
        }
        if (o instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (o instanceof String s) {
            String x = s.strip().toLowerCase();
            return !(x.isEmpty() || x.equals("false") || x.equals("no") || x.equals("0") || x.equals("none"));
        }
        if (o instanceof java.util.Collection<?> c) {
            return !c.isEmpty();
        }
        if (o instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }
}
