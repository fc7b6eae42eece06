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
import dev.ringplan.engine.plan.Task;
import dev.ringplan.engine.rolling.RingReader;
import dev.ringplan.engine.secret.Secrets;
import dev.ringplan.engine.template.LazyVars;
import dev.ringplan.engine.template.TemplateException;
import dev.ringplan.engine.template.Templater;
import java.util.ArrayList;
import java.util.HashSet;
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
 * <p>A block's rescue nodes ({@link dev.ringplan.engine.compile.TaskNode.Kind#RESCUE}) run after
 * the nodes their {@link dev.ringplan.engine.compile.Rescue} protects, and only where that block
 * was entered and failed: the rescue says so from the protected nodes' results and the failures
 * the walker's failure-tolerant edges held back ({@link Walker#toleratedFailures}); elsewhere
 * they are skipped. The pieces of a node's run have their own classes: {@link Retries} (the
 * {@code until} loop), {@link CheckModePrediction} (check mode's statuses),
 * {@link ResultFinisher} ({@code changed_when}, {@code failed_when}, registration) and
 * {@link WalkOutcomes} (node results to and from the walker's vertex states).
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
    private final Conditions conditions;
    private final ConnectionProvider connections;
    private final RingReader ringReader;

    /**
     * An executor rendering with {@code templater} and opening hosts with {@code connections};
     * it cannot run a block rolled at run time that reads the ring ({@link RingReader#NONE}).
     */
    public Executor(Templater templater, ConnectionProvider connections) {
        this(templater, connections, RingReader.NONE);
    }

    /**
     * An executor that also reads Cassandra rings with {@code ringReader}, for the blocks whose
     * batches are decided when they start ({@code serial: topology|rack|dc}, the down-node guard;
     * see {@link RollingGate}).
     */
    public Executor(Templater templater, ConnectionProvider connections, RingReader ringReader) {
        this.templater = templater;
        this.conditions = new Conditions(templater);
        this.connections = connections;
        this.ringReader = ringReader;
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
        return run(plan, options, unmasked, cancellation, Map.of());
    }

    /**
     * {@link #run(CompiledPlan, RunOptions, RunListener, Cancellation)}, where the nodes of
     * {@code taken} (by node name) are not run: their result is the one given (a resumed run
     * takes them from the journal of the run it resumes), which goes to the listeners and, for a
     * task with {@code register}, registers its data as the original run registered it. The
     * caller decides which nodes may be taken (a node whose dependencies are all taken).
     */
    public RunReport run(CompiledPlan plan, RunOptions options, RunListener unmasked, Cancellation cancellation,
                         Map<String, NodeResult> taken) {
        long t0 = System.nanoTime();
        Secrets secrets = RunSecrets.forRun(plan, options, templater);
        RunListener listener = RunSecrets.masking(secrets, unmasked);
        listener.runStarted(plan, options);
        Map<String, NodeResult> results = new ConcurrentHashMap<>();
        State state = new State(plan, options, listener, secrets, cancellation, new Upstream(plan.graph(), results));
        Map<String, Long> startedAt = new ConcurrentHashMap<>();
        Set<Thread> working = new HashSet<>();
        Walker<TaskNode> walker = new Walker<>(plan.graph(), Math.max(1, options.forks()), plan::toleratesFailure);
        RollingGate gate = new RollingGate(plan, options, ringReader, state::hostVars, listener);
        walker.admission(gate);
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
                RollingGate.Verdict verdict = taken.containsKey(name) ? null : gate.verdict(name);
                try {
                    if (taken.containsKey(name)) {
                        r = state.taken(node, taken.get(name));
                    } else if (verdict != null) {
                        r = state.notRolled(node, verdict);
                    } else if (cancellation.isCancelled()) {
                        r = WalkOutcomes.notStarted(node, cancellation);
                    } else {
                        String nothingToRescue = node.isRescue() ? node.rescue().nothingToRescue(
                                body -> entered(results.get(body)), walker.toleratedFailures(name)) : null;
                        r = nothingToRescue != null ? state.skipped(node, nothingToRescue) : state.runNode(node);
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
                    r = WalkOutcomes.interrupted(r, cancellation);
                }
                // an abandoned node (still running when the run stopped waiting) already has a result
                if (results.putIfAbsent(name, r) == null) {
                    listener.nodeFinished(r);
                }
                // a node an aborted rolling block did not start is skipped, and so is what needs it
                return verdict != null ? Walker.Outcome.FAILURE : WalkOutcomes.outcome(r);
            }, new Walker.Listener() {
                @Override
                public void finished(Walker.VertexResult v) {
                    gate.finished(v);
                    NodeResult r = WalkOutcomes.unvisited(v, plan.graph().payload(v.name()), cancellation, results,
                            startedAt.get(v.name()));
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

    /**
     * Whether a node of a block was entered on its host: it ran (ok, changed, unknown or failed),
     * as opposed to skipped, unreachable, interrupted or not run at all. A block's rescue runs
     * only where one of its nodes was entered ({@link dev.ringplan.engine.compile.Rescue}).
     */
    private static boolean entered(NodeResult r) {
        return r != null && (r.status() == Status.OK || r.status() == Status.CHANGED || r.status() == Status.UNKNOWN
                || r.status() == Status.FAILED);
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
        private final CheckModePrediction prediction;
        private final ResultFinisher finisher;
        private final Retries retries;

        State(CompiledPlan plan, RunOptions options, RunListener listener, Secrets secrets, Cancellation cancellation,
              Upstream upstream) {
            this.plan = plan;
            this.options = options;
            this.listener = listener;
            this.secrets = secrets;
            this.upstream = upstream;
            Set<String> registeredNames = new HashSet<>();
            plan.plan().moduleTasks().stream().map(t -> t.register()).filter(r -> r != null)
                    .forEach(registeredNames::add);
            this.prediction = new CheckModePrediction(upstream, registeredNames);
            this.variables = new Variables(plan, options, templater);
            this.finisher = new ResultFinisher(conditions, variables, options.checkMode());
            this.retries = new Retries(conditions, listener, cancellation);
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
            finisher.registerAsIs(node, r);
            return r;
        }

        /** The variables of {@code host} outside any task, rendered when read. */
        Map<String, Object> hostVars(String host) {
            return variables.forHost(host);
        }

        /**
         * A node of a rolled block that does not run: refused (the block could not start: failed,
         * with the reason) or aborted ({@code max_fail_percentage} or a failed batch: skipped).
         */
        NodeResult notRolled(TaskNode node, RollingGate.Verdict verdict) {
            listener.nodeStarted(node);
            if (verdict.refused()) {
                return new NodeResult(node, Status.FAILED, verdict.message(), null, List.of(), Map.of(), false, 0);
            }
            String why = "not started: " + verdict.message();
            return new NodeResult(node, Status.SKIPPED, why, null, List.of(), Map.of("skipped", true, "msg", why),
                    false, 0);
        }

        /** A node taken from an earlier run: its result as given, its registered data restored. */
        NodeResult taken(TaskNode node, NodeResult r) {
            listener.nodeStarted(node);
            if (node.task().register() != null) {
                variables.register(node.host(), node.task().register(), r.data());
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
                String undecidable = options.checkMode() ? prediction.undecidable(node, vars) : null;
                if (undecidable != null) {
                    NodeResult unknown = prediction.undecided(node, undecidable, start);
                    finisher.registerAsIs(node, unknown);
                    return unknown;
                }
                List<Task> blocks = node.blocks();
                for (int i = 0; i <= blocks.size(); i++) {
                    String when = i < blocks.size() ? blocks.get(i).when() : node.task().when();
                    if (when == null) {
                        continue;
                    }
                    // An imported role's condition is written outside the role: evaluated there.
                    Map<String, Object> scope = i < blocks.size() ? variables.whenScope(node, i, vars) : vars;
                    if (!conditions.test("when", when, scope)) {
                        NodeResult skipped = result(node, Status.SKIPPED, "condition false: " + when, null, List.of(),
                                Map.of("skipped", true), start);
                        finisher.registerAsIs(node, skipped);
                        return skipped;
                    }
                }
                return finisher.finish(node, vars, retries.run(node, vars, start, () -> once(node, vars, start)));
            } catch (TemplateException e) {
                return result(node, Status.FAILED, templateError(node, e), null, List.of(), Map.of(), start);
            } catch (LazyVars.Failure e) {
                return result(node, Status.FAILED, templateError(node, e.exception()), null, List.of(), Map.of(), start);
            }
        }

        private NodeResult once(TaskNode node, Map<String, Object> vars, long start) throws TemplateException {
            Module module = node.module();
            Object rendered = templater.render(node.args(), vars);
            @SuppressWarnings("unchecked")
            Map<String, Object> renderedArgs = rendered instanceof Map ? (Map<String, Object>) rendered : Map.of();
            secrets.collect(renderedArgs); // a literal password: argument is as secret as a variable's
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
                    return prediction.predicted(node, preview, start);
                }
                if (preview.change() == Preview.Change.NO && !readOnly) {
                    ReturnCheck.verify(module, args, preview.data(), true, false);
                    return result(node, Status.OK, preview.summary(), null, List.of(), preview.data(), start);
                }
                Result r = module.apply(ctx.withPreview(preview));
                ReturnCheck.verify(module, args, r.data(), options.checkMode(), r.status() == Result.Outcome.FAILED);
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
            return NodeResult.timed(node, s, msg, diff, commands, data, start);
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
     * The message of a template that failed on a node: located at the variable whose value
     * failed when there is one, else at the task.
     */
    private static String templateError(TaskNode node, TemplateException e) {
        String where = e.pos().isPresent() ? "" : " (task '" + node.task().id() + "' at " + node.task().pos() + ")";
        return "template error: " + e.getMessage() + where;
    }
}
