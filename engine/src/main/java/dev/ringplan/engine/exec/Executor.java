package dev.ringplan.engine.exec;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.connection.CommandInterruptedException;
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
import dev.ringplan.engine.module.ReturnCheck;
import dev.ringplan.engine.report.Secrets;
import dev.ringplan.engine.template.LazyVars;
import dev.ringplan.engine.template.TemplateException;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.template.Truth;
import dev.ringplan.engine.template.VariableReferences;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a {@link CompiledPlan}: the graph is walked with at most {@code forks} nodes at once;
 * each node renders its variables and arguments, evaluates {@code when}, opens (or reuses) its
 * host's connection, calls the module's {@code check} and, unless in check mode or when check
 * found nothing to do, {@code apply}. Dependents of a failed node are skipped ("upstream
 * failed"); a host that cannot be reached is {@code unreachable} for all its later nodes. Results
 * go to the {@link RunListener}; registered results become host variables.
 *
 * <p><b>Interrupts.</b> When the run's {@link Cancellation} is cancelled (SIGINT/SIGTERM in the
 * CLI): no further node starts; every open connection is {@linkplain Connection#interrupt()
 * interrupted}, which stops the commands in flight (local process groups: TERM, then KILL; SSH:
 * signal, then close the channel) and refuses new ones; the threads running nodes are
 * interrupted (sleeps, polls, retry delays end); the executor waits at most
 * {@link Cancellation#grace()} for the running nodes, then finishes normally: every node gets a
 * result, listeners get {@code runFinished}. A node that was running and did not complete
 * ({@code failed} or {@code unreachable}, which is what a stopped command gives) is
 * {@link Status#INTERRUPTED}, with what it reported kept in the message; one that completed in the
 * meantime keeps its status. Nodes that never started are {@link Status#INTERRUPTED} too ("not
 * started: run interrupted"), not {@code skipped}: skipped means the plan decided not to run
 * them, while these are work left undone that a resumed run must do.
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
        return run(plan, options, listener, new Cancellation());
    }

    /**
     * Runs the plan until it ends or {@code cancellation} is cancelled (class doc), and returns
     * every node's result in plan order. Never throws for node failures. {@code unmasked} is the
     * caller's listener: it receives every event through {@link Secrets#masking}, secrets hidden.
     * The returned report is not masked.
     */
    public RunReport run(CompiledPlan plan, RunOptions options, RunListener unmasked, Cancellation cancellation) {
        long t0 = System.nanoTime();
        Secrets secrets = Secrets.forRun(plan, options, templater);
        RunListener listener = secrets.masking(unmasked);
        listener.runStarted(plan, options);
        Map<String, NodeResult> results = new ConcurrentHashMap<>();
        State state = new State(plan, options, listener, secrets, cancellation, new Upstream(plan.graph(), results));
        Map<String, Walker.Status> settled = new ConcurrentHashMap<>();
        Map<String, Long> startedAt = new ConcurrentHashMap<>();
        Set<Thread> working = new HashSet<>();
        Walker<TaskNode> walker = new Walker<>(plan.graph(), Math.max(1, options.forks()), plan::toleratesFailure);
        Cancellation.Registration onCancel = cancellation.onCancel(() -> {
            walker.cancel(cancellation.grace());
            state.interruptConnections();
            synchronized (working) {
                working.forEach(Thread::interrupt);
            }
        });
        try {
            walker.walk((name, node) -> {
                startedAt.put(name, System.nanoTime());
                Thread self = Thread.currentThread();
                synchronized (working) {
                    working.add(self);
                }
                NodeResult r;
                try {
                    if (cancellation.isCancelled()) {
                        r = notStarted(node, cancellation);
                    } else {
                        String notRescuing = node.isRescue() ? notRescuing(node, results, settled) : null;
                        r = notRescuing != null ? state.skipped(node, notRescuing) : state.runNode(node);
                    }
                } finally {
                    synchronized (working) {
                        working.remove(self);
                        // an interrupt meant for the node's work must not reach the listeners:
                        // it would close the journal's file channel
                        Thread.interrupted();
                    }
                }
                if (cancellation.isCancelled() && (r.status() == Status.FAILED || r.status() == Status.UNREACHABLE)) {
                    r = interrupted(r, cancellation);
                }
                // an abandoned node (still running when the run stopped waiting) already has a result
                if (results.putIfAbsent(name, r) == null) {
                    listener.nodeFinished(r);
                }
                boolean ok = r.status() != Status.FAILED && r.status() != Status.UNREACHABLE
                        && r.status() != Status.INTERRUPTED;
                return ok ? Walker.Outcome.SUCCESS : (r.ignored() ? Walker.Outcome.FAILURE_IGNORED : Walker.Outcome.FAILURE);
            }, new Walker.Listener() {
                @Override
                public void finished(Walker.VertexResult v) {
                    settled.put(v.name(), v.status());
                    TaskNode node = plan.graph().payload(v.name());
                    NodeResult r = null;
                    if (v.status() == Walker.Status.CANCELLED && cancellation.isCancelled()) {
                        Long t = startedAt.get(v.name());
                        r = t == null ? notStarted(node, cancellation)
                                : new NodeResult(node, Status.INTERRUPTED, "interrupted (" + cancellation.reason()
                                        + "): still running " + cancellation.graceText()
                                        + " after the interrupt; stopped waiting for it", null, List.of(),
                                        Map.of("interrupted", true), false, (System.nanoTime() - t) / 1_000_000);
                    } else if (v.status() == Walker.Status.SKIPPED_UPSTREAM_FAILED && cancellation.isCancelled()
                            && v.failedAncestor() != null && results.get(v.failedAncestor()) != null
                            && results.get(v.failedAncestor()).status() == Status.INTERRUPTED) {
                        r = notStarted(node, cancellation);
                    } else if (v.status() == Walker.Status.SKIPPED_UPSTREAM_FAILED || v.status() == Walker.Status.CANCELLED) {
                        String why = v.status() == Walker.Status.CANCELLED ? "run cancelled"
                                : "upstream failed: " + v.failedAncestor();
                        r = new NodeResult(node, Status.SKIPPED, why, null, List.of(),
                                Map.of("skipped", true, "msg", why), false, 0);
                    } else if (v.error() != null && !results.containsKey(v.name())) {
                        r = new NodeResult(node, cancellation.isCancelled() ? Status.INTERRUPTED : Status.FAILED,
                                "internal error: " + v.error(), null, List.of(), Map.of(), false, 0);
                    }
                    if (r != null && results.putIfAbsent(v.name(), r) == null) {
                        listener.nodeFinished(r);
                    }
                }
            });
        } finally {
            onCancel.close();
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

    /** The result of a node that never started because the run was interrupted. */
    private static NodeResult notStarted(TaskNode node, Cancellation cancellation) {
        return new NodeResult(node, Status.INTERRUPTED, "not started: run interrupted (" + cancellation.reason() + ")",
                null, List.of(), Map.of("interrupted", true), false, 0);
    }

    /** A node that was running when the run was interrupted and did not complete; keeps what it said. */
    private static NodeResult interrupted(NodeResult r, Cancellation cancellation) {
        Map<String, Object> data = new LinkedHashMap<>(r.data());
        data.put("interrupted", true);
        data.put("failed", false);
        data.put("status", Status.INTERRUPTED.label());
        String msg = "interrupted (" + cancellation.reason() + ")" + (r.msg() == null || r.msg().isBlank() ? "" : ": " + r.msg());
        return new NodeResult(r.node(), Status.INTERRUPTED, msg, r.diff(), r.commands(), data, false, r.durationMs());
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
        private final Secrets secrets;
        private final Cancellation cancellation;
        private final Upstream upstream;
        /** Every name a task of the plan registers (a {@code when} reading one may read a prediction). */
        private final Set<String> registeredNames = new HashSet<>();

        State(CompiledPlan plan, RunOptions options, RunListener listener, Secrets secrets, Cancellation cancellation,
              Upstream upstream) {
            this.plan = plan;
            this.options = options;
            this.listener = listener;
            this.secrets = secrets;
            this.upstream = upstream;
            plan.plan().moduleTasks().stream().map(t -> t.register()).filter(r -> r != null)
                    .forEach(registeredNames::add);
            this.variables = new Variables(plan, options, templater);
            this.cancellation = cancellation;
        }

        /** Stops the commands running on every open connection; connections opened later are refused. */
        void interruptConnections() {
            open.values().forEach(Connection::interrupt);
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
                secrets.collect(vars);
                String predictedCondition = options.checkMode() ? conditionOnPrediction(node, vars) : null;
                if (predictedCondition != null) {
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("would_change", "unknown");
                    NodeResult unknown = result(node, Status.UNKNOWN, predictedCondition, null, List.of(), data, start);
                    if (node.task().register() != null) {
                        variables.register(host, node.task().register(), registered(unknown, Status.UNKNOWN));
                    }
                    return unknown;
                }
                for (String when : node.whens()) {
                    if (!condition("when", when, vars)) {
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
                return result(node, Status.FAILED, templateError(node, e), null, List.of(), Map.of(), start);
            } catch (LazyVars.Failure e) {
                return result(node, Status.FAILED, templateError(node, e.exception()), null, List.of(), Map.of(), start);
            }
        }

        /**
         * Check mode: why the node's {@code when} cannot be decided yet, or null. A condition that
         * reads a registered result which is only a prediction of a change ({@code would_change}
         * yes or unknown: the registering task previewed, it did not run) would be decided on
         * data the run will not see; whether the node runs, and so what it changes, is known
         * after apply. Results of read-only tasks (they run in check mode too) and of tasks
         * predicted {@code ok} are decided as usual.
         */
        private String conditionOnPrediction(TaskNode node, Map<String, Object> vars) {
            for (String when : node.whens()) {
                for (VariableReferences.VariableRef ref : VariableReferences.inExpression(when)) {
                    if (!registeredNames.contains(ref.name()) || !vars.containsKey(ref.name())) {
                        continue;
                    }
                    if (vars.get(ref.name()) instanceof Map<?, ?> m
                            && ("yes".equals(m.get("would_change")) || "unknown".equals(m.get("would_change")))) {
                        return "when: " + when + " reads '" + ref.name() + "', registered by a task predicted to "
                                + ("yes".equals(m.get("would_change")) ? "change" : "maybe change")
                                + " (check mode: it has not run): known after apply";
                    }
                }
            }
            return null;
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
                    Map<String, Object> withResult = withResult(vars, node, attemptData);
                    done = condition("until", node.task().until(), withResult);
                }
                if (done) {
                    break;
                }
                if (i < attempts) {
                    listener.nodeLog(node, "retrying (" + i + "/" + node.task().retries() + ") in " + node.task().delaySeconds() + " s");
                    try {
                        if (cancellation.sleep(java.time.Duration.ofSeconds(node.task().delaySeconds()))) {
                            break;
                        }
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
                    ReturnCheck.verify(module, args, preview.data(), true, false);
                    return predicted(node, preview, start);
                }
                if (preview.change() == Preview.Change.NO && !readOnly) {
                    ReturnCheck.verify(module, args, preview.data(), true, false);
                    return result(node, Status.OK, preview.summary(), null, List.of(), preview.data(), start);
                }
                Result r = module.apply(ctx.withPreview(preview));
                ReturnCheck.verify(module, args, r.data(), options.checkMode(), r.status() == Result.Status.FAILED);
                Status s = switch (r.status()) {
                    case OK -> Status.OK;
                    case CHANGED -> Status.CHANGED;
                    case FAILED -> Status.FAILED;
                };
                return result(node, s, r.msg(), r.diff() != null ? r.diff() : preview.diff(), r.commands(), r.data(), start);
            } catch (LazyVars.Failure e) {
                return result(node, Status.FAILED, templateError(node, e.exception()), null, List.of(), Map.of(), start);
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

        /**
         * Applies changed_when, then failed_when, then ignore_errors, and registers the result.
         * As Ansible's TaskExecutor: both conditions see the result under {@code result} and the
         * register name, failed_when after changed_when (so it sees the decided {@code changed});
         * failed_when decides "failed" whatever the module said (a module failure it finds false
         * becomes ok, or changed), and the registered data gets {@code failed_when_result}. In
         * check mode a node whose module only previewed (not read-only) ran nothing that
         * failed_when could test: its status stays what check predicted.
         */
        private NodeResult finish(TaskNode node, Map<String, Object> vars, NodeResult r, long start) throws TemplateException {
            Status status = r.status();
            Map<String, Object> data = registered(r, status);
            String failedWhen = node.task().failedWhen();
            boolean previewOnly = options.checkMode() && r.data().containsKey("would_change");
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
                changed = condition("changed_when", node.task().changedWhen(), withResult(vars, node, data));
                if (status != Status.FAILED) {
                    status = changed ? Status.CHANGED : Status.OK;
                }
                data = registered(r, status);
                data.put("changed", changed);
            }
            String msg = msgPrefix.isEmpty() ? r.msg() : msgPrefix + (r.msg() == null ? "" : r.msg());
            if (decideFailure) {
                boolean failed = condition("failed_when", failedWhen, withResult(vars, node, data));
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
                if (cancellation.isCancelled()) {
                    throw new CommandInterruptedException(host + ": run interrupted, no new connection", null);
                }
                c = open.get(host);
                if (c == null) {
                    try {
                        c = connections.open(host, vars);
                    } catch (UnreachableException e) {
                        unreachable.putIfAbsent(host, e.getMessage());
                        throw e;
                    }
                    open.put(host, c);
                    if (cancellation.isCancelled()) {
                        c.interrupt(); // cancelled while connecting: interruptConnections() did not see it
                    }
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

    /**
     * Evaluates a condition ({@code when}, {@code changed_when}, {@code until}) and reads its
     * result with the one truthiness rule ({@link Truth}).
     *
     * @throws TemplateException when it cannot be evaluated or its result is not a boolean
     */
    private boolean condition(String keyword, String expression, Map<String, Object> vars) throws TemplateException {
        try {
            return templater.isTrue(expression, vars);
        } catch (TemplateException e) {
            throw new TemplateException(keyword + ": " + e.getMessage(), e.template(), e.undefinedName().orElse(null),
                    e.pos().orElse(null), e);
        }
    }

    /**
     * The message of a template that failed on a node: located at the variable whose value
     * failed when there is one, else at the task.
     */
    private static String templateError(TaskNode node, TemplateException e) {
        String where = e.pos().isPresent() ? "" : " (task '" + node.task().id() + "' at " + node.task().pos() + ")";
        return "template error: " + e.getMessage() + where;
    }

    /** The node's variables plus {@code result} (and the register name) bound to {@code data}. */
    private static Map<String, Object> withResult(Map<String, Object> vars, TaskNode node, Map<String, Object> data) {
        Map<String, Object> more = new LinkedHashMap<>();
        more.put("result", data);
        if (node.task().register() != null) {
            more.put(node.task().register(), data);
        }
        if (vars instanceof LazyVars lazy) {
            return lazy.withLiterals(more);
        }
        Map<String, Object> out = new LinkedHashMap<>(vars);
        out.putAll(more);
        return out;
    }

    /** The one truthiness rule ({@link Truth}) of a rendered condition. */
    static boolean truthy(Object o) throws Truth.NotBoolean {
        return Truth.of(o);
    }
}
