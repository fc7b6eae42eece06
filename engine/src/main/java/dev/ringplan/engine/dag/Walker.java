package dev.ringplan.engine.dag;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.stream.Stream;

/**
 * Walks a {@link Graph} in dependency order, calling a {@link Visitor} for each vertex on a
 * fixed pool of {@code forks} threads: at most {@code forks} visits run at once, and a vertex
 * starts only when every dependency has finished.
 *
 * <ul>
 *   <li><b>Start order.</b> Among ready vertices, the one inserted first into the graph starts
 *       first.</li>
 *   <li><b>Failures.</b> A visit that returns {@link Outcome#FAILURE} or throws fails its
 *       vertex; every vertex that depends on it, directly or not, is not visited and is
 *       reported {@link VertexState#SKIPPED_UPSTREAM_FAILED} with the name of the failed ancestor
 *       (the first inserted one when several failed). {@link Outcome#FAILURE_IGNORED} is
 *       reported as such but lets dependents run, like a success.</li>
 *   <li><b>Failure-tolerant edges.</b> An edge {@code a -> b} for which the walker's
 *       {@code toleratesFailure(a, b)} predicate is true does not pass a failure (or an
 *       upstream-failed skip) of {@code a} on to {@code b}: {@code b} still waits for {@code a}
 *       to reach its final state, then runs unless another, intolerant edge blames a failure.
 *       This is what a clean-up or rescue step needs: it runs after what it cleans up after,
 *       whatever happened there, and asks {@link #toleratedFailures} what failed.</li>
 *   <li><b>Cancellation.</b> {@link #cancel()} (from any thread, e.g. a Ctrl-C hook or a
 *       listener applying a fail-fast policy) stops starting new visits; visits already running
 *       finish normally (they are not interrupted); vertices never started are reported
 *       {@link VertexState#CANCELLED}. Interrupting the thread that called {@link #walk} cancels the
 *       same way, and the interrupt flag is restored before {@code walk} returns.
 *       {@link #cancel(Duration)} also bounds the wait for the running visits: when some are
 *       still running once the given time has passed, {@code walk} returns without them; they are
 *       reported {@link VertexState#CANCELLED} too and listed by {@link WalkResult#abandoned()}, and
 *       their threads (daemons) are left to finish on their own, unobserved.</li>
 *   <li><b>Admission.</b> An optional {@link Admission} may hold a ready vertex back: it is
 *       asked again after every vertex that settles, and a held vertex starts once admitted
 *       (rolling batches decided while walking). When nothing runs and every ready vertex is
 *       held, the held vertices fail (an {@link IllegalStateException} naming the hold) rather
 *       than wait forever.</li>
 *   <li><b>Events.</b> The walker prints nothing. The {@link Listener} is called on the thread
 *       that called {@link #walk}, one event at a time, so it needs no locking.</li>
 * </ul>
 *
 * <p>The coordinating thread blocks on a queue of completions, so there is no busy waiting.
 * A walker walks once; create another for another walk.
 *
 * @param <V> the graph's payload type
 */
public final class Walker<V> {

    /** What a visit says about its vertex. */
    public enum Outcome {
        /** The vertex succeeded. */
        SUCCESS,
        /** The vertex failed; its dependents are skipped. */
        FAILURE,
        /** The vertex failed, but the failure is tolerated: dependents run. */
        FAILURE_IGNORED
    }

    /** The work done for one vertex. */
    @FunctionalInterface
    public interface Visitor<V> {
        /**
         * Visits a vertex. Runs on a pool thread; may block. Throwing any exception (or
         * returning null) counts as {@link Outcome#FAILURE}, the throwable kept in
         * {@link VertexResult#error()}.
         *
         * @param name    the vertex name
         * @param payload the vertex payload (may be null)
         * @return the outcome
         */
        Outcome visit(String name, V payload) throws Exception;
    }

    /**
     * Observes a walk. Both methods are called on the thread that runs {@link #walk}, never
     * concurrently. An exception thrown by a listener cancels the walk and is rethrown by
     * {@link #walk} once the running visits have finished.
     */
    public interface Listener {
        /** A visit of {@code name} is about to start. */
        default void started(String name) {
        }

        /**
         * A vertex reached its final state: after its visit, or without a visit when it is
         * skipped or cancelled.
         */
        default void finished(VertexResult result) {
        }
    }

    /**
     * Decides, on the coordinating thread, whether a ready vertex may start now (see the class
     * doc). Called again for a held vertex after each vertex settles.
     */
    @FunctionalInterface
    public interface Admission {
        /** True when {@code name}, whose dependencies have all settled, may start now. */
        boolean admit(String name);
    }

    /**
     * The final state of one vertex.
     *
     * @param name           the vertex
     * @param state          its state
     * @param failedAncestor for {@link VertexState#SKIPPED_UPSTREAM_FAILED}: the failed vertex that
     *                       caused the skip; otherwise null
     * @param error          what the visit threw (or a NullPointerException if it returned
     *                       null); null otherwise
     */
    public record VertexResult(String name, VertexState state, String failedAncestor, Throwable error) {
    }

    private record Completion(int vertex, Outcome outcome, Throwable error) {
    }

    /** Put on the completion queue to wake the coordinating thread; no vertex. */
    private static final Completion WAKE_UP = new Completion(-1, null, null);

    private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

    private final Graph<V> graph;
    private final int forks;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean used = new AtomicBoolean();
    private final LinkedBlockingQueue<Completion> done = new LinkedBlockingQueue<>();
    /** {@link System#nanoTime()} after which running visits are abandoned; valid when {@link #abandons}. */
    private volatile long abandonAt;
    private volatile boolean abandons;
    private final BiPredicate<String, String> toleratesFailure;
    /** Vertex → its dependencies whose failure a failure-tolerant edge held back from it. */
    private final Map<String, List<String>> tolerated = new ConcurrentHashMap<>();
    private Admission admission = name -> true;

    /**
     * A walker whose every edge passes failures on.
     *
     * @param graph the graph to walk; must not change during the walk
     * @param forks the maximum number of concurrent visits, at least 1
     * @throws IllegalArgumentException if {@code forks < 1}
     */
    public Walker(Graph<V> graph, int forks) {
        this(graph, forks, (dependency, dependent) -> false);
    }

    /**
     * A walker with failure-tolerant edges (class doc).
     *
     * @param graph            the graph to walk; must not change during the walk
     * @param forks            the maximum number of concurrent visits, at least 1
     * @param toleratesFailure {@code (dependency, dependent) -> true} when the edge between these
     *                         two vertex names does not skip the dependent on a failure
     * @throws IllegalArgumentException if {@code forks < 1}
     */
    public Walker(Graph<V> graph, int forks, BiPredicate<String, String> toleratesFailure) {
        if (forks < 1) {
            throw new IllegalArgumentException("forks must be at least 1, got " + forks);
        }
        this.graph = Objects.requireNonNull(graph, "graph");
        this.forks = forks;
        this.toleratesFailure = Objects.requireNonNull(toleratesFailure, "toleratesFailure");
    }

    /**
     * Sets the admission policy (class doc); by default every ready vertex is admitted. Call
     * before {@link #walk}.
     *
     * @return this walker
     */
    public Walker<V> admission(Admission admission) {
        this.admission = Objects.requireNonNull(admission, "admission");
        return this;
    }

    /**
     * Stops starting new visits. Safe from any thread, any time (also before {@link #walk}:
     * then nothing is visited). Running visits are not interrupted.
     */
    public void cancel() {
        cancelled.set(true);
        done.add(WAKE_UP);
    }

    /**
     * Stops starting new visits, like {@link #cancel()}, and makes {@link #walk} return at the
     * latest {@code abandonAfter} from now: visits still running then are abandoned (class doc).
     * Safe from any thread; a second call can only shorten the wait.
     *
     * @param abandonAfter how long running visits may still take; zero returns at once
     */
    public void cancel(Duration abandonAfter) {
        long at = System.nanoTime() + Math.max(0, abandonAfter.toNanos());
        synchronized (done) {
            if (!abandons || at - abandonAt < 0) {
                abandonAt = at;
                abandons = true;
            }
        }
        cancel();
    }

    /**
     * The dependencies of {@code vertex} whose failure a failure-tolerant edge kept from it: each
     * ended {@link VertexState#FAILURE} or {@link VertexState#SKIPPED_UPSTREAM_FAILED}, in the order
     * they did; empty when none did. This is how a clean-up or rescue vertex learns that there is
     * something to clean up after. Final once every dependency of {@code vertex} has settled, as
     * when its visit runs (the use it is meant for); safe from any thread.
     */
    public List<String> toleratedFailures(String vertex) {
        return tolerated.getOrDefault(vertex, List.of());
    }

    /** Whether {@link #cancel()} was called. */
    public boolean isCancelled() {
        return cancelled.get();
    }

    /**
     * Walks the graph; blocks until every started visit has finished.
     *
     * @param visitor  called once per vertex whose dependencies all let it run
     * @param listener receives events; may be null
     * @return the final state of every vertex
     * @throws CycleException        if the graph has a cycle (nothing is visited)
     * @throws IllegalStateException if this walker has already walked
     * @throws RuntimeException      what a listener threw, after the walk was wound down
     */
    public WalkResult walk(Visitor<V> visitor, Listener listener) {
        Objects.requireNonNull(visitor, "visitor");
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("a Walker walks once");
        }
        List<List<String>> cycles = Cycles.findCycles(graph);
        if (!cycles.isEmpty()) {
            throw new CycleException(cycles);
        }
        return new Run(visitor, listener == null ? new Listener() { } : listener).run();
    }

    /** The state of one walk, touched only by the coordinating thread. */
    private final class Run {
        private final Visitor<V> visitor;
        private final Listener listener;
        private final List<String> names = new ArrayList<>(graph.vertices());
        private final int n = names.size();
        private final int[] remaining = new int[n];
        private final int[] failedAncestor = new int[n];
        private final VertexResult[] results = new VertexResult[n];
        private final PriorityQueue<Integer> ready = new PriorityQueue<>();
        private final List<Integer> held = new ArrayList<>();
        private final boolean[] inFlight = new boolean[n];
        private RuntimeException listenerError;

        Run(Visitor<V> visitor, Listener listener) {
            this.visitor = visitor;
            this.listener = listener;
        }

        WalkResult run() {
            Arrays.fill(failedAncestor, -1);
            for (int i = 0; i < n; i++) {
                remaining[i] = graph.dependencies(names.get(i)).size();
                if (remaining[i] == 0) {
                    ready.add(i);
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(forks, Math.max(1, n)),
                    threadFactory());
            boolean interrupted = false;
            int running = 0;
            List<String> abandoned = new ArrayList<>();
            try {
                while (true) {
                    ready.addAll(held);
                    held.clear();
                    while (!cancelled.get() && running < forks && !ready.isEmpty()) {
                        int v = ready.poll();
                        if (!admitted(v)) {
                            held.add(v);
                            continue;
                        }
                        notifyStarted(names.get(v));
                        if (cancelled.get()) {
                            ready.add(v); // a listener cancelled: do not start it after all
                            break;
                        }
                        running++;
                        inFlight[v] = true;
                        pool.execute(() -> visit(v));
                    }
                    if (running == 0 && !held.isEmpty() && !cancelled.get()) {
                        // nothing runs that could settle and change the admission's mind
                        List<Integer> stuck = new ArrayList<>(held);
                        held.clear();
                        for (int v : stuck) {
                            settle(v, new VertexResult(names.get(v), VertexState.FAILURE, null,
                                    new IllegalStateException("'" + names.get(v) + "' was held back with nothing "
                                            + "left running that could let it start")));
                        }
                        continue;
                    }
                    if (running == 0) {
                        break;
                    }
                    Completion c;
                    try {
                        if (abandons) {
                            c = done.poll(Math.max(0, abandonAt - System.nanoTime()), TimeUnit.NANOSECONDS);
                        } else {
                            c = done.take();
                        }
                    } catch (InterruptedException e) {
                        interrupted = true;
                        cancel();
                        continue;
                    }
                    if (c == null) {
                        // cancel(Duration)'s wait is over: leave the running visits behind
                        for (int i = 0; i < n; i++) {
                            if (inFlight[i]) {
                                abandoned.add(names.get(i));
                            }
                        }
                        break;
                    }
                    if (c == WAKE_UP) {
                        continue;
                    }
                    running--;
                    inFlight[c.vertex()] = false;
                    VertexState state = switch (c.outcome()) {
                        case SUCCESS -> VertexState.SUCCESS;
                        case FAILURE -> VertexState.FAILURE;
                        case FAILURE_IGNORED -> VertexState.FAILURE_IGNORED;
                    };
                    settle(c.vertex(), new VertexResult(names.get(c.vertex()), state, null, c.error()));
                }
            } finally {
                pool.shutdown();
            }
            Map<String, VertexResult> out = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                if (results[i] == null) {
                    results[i] = new VertexResult(names.get(i), VertexState.CANCELLED, null, null);
                    notifyFinished(results[i]);
                }
                out.put(names.get(i), results[i]);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (listenerError != null) {
                throw listenerError;
            }
            return new WalkResult(out, cancelled.get(), abandoned);
        }

        private boolean admitted(int v) {
            try {
                return admission.admit(names.get(v));
            } catch (RuntimeException e) {
                listenerFailed(e);
                return true;
            }
        }

        private void visit(int v) {
            Outcome outcome;
            Throwable error = null;
            try {
                outcome = visitor.visit(names.get(v), graph.payload(names.get(v)));
                if (outcome == null) {
                    outcome = Outcome.FAILURE;
                    error = new NullPointerException("visitor returned no outcome for '" + names.get(v) + "'");
                }
            } catch (Throwable t) {
                outcome = Outcome.FAILURE;
                error = t;
            }
            done.add(new Completion(v, outcome, error));
        }

        /** Records a final state and releases (or skips) the dependents, without recursion. */
        private void settle(int first, VertexResult firstResult) {
            ArrayDeque<Integer> work = new ArrayDeque<>();
            results[first] = firstResult;
            work.add(first);
            while (!work.isEmpty()) {
                int v = work.poll();
                VertexResult r = results[v];
                notifyFinished(r);
                int blame = switch (r.state()) {
                    case FAILURE -> v;
                    case SKIPPED_UPSTREAM_FAILED -> failedAncestor[v];
                    default -> -1;
                };
                for (String d : graph.dependents(names.get(v))) {
                    int di = graph.indexOf(d);
                    if (blame >= 0 && toleratesFailure.test(names.get(v), d)) {
                        tolerated.merge(d, List.of(names.get(v)), (a, b) -> Stream.concat(a.stream(), b.stream()).toList());
                    } else if (blame >= 0 && (failedAncestor[di] < 0 || blame < failedAncestor[di])) {
                        failedAncestor[di] = blame;
                    }
                    if (--remaining[di] == 0) {
                        if (failedAncestor[di] >= 0) {
                            results[di] = new VertexResult(d, VertexState.SKIPPED_UPSTREAM_FAILED,
                                    names.get(failedAncestor[di]), null);
                            work.add(di);
                        } else {
                            ready.add(di);
                        }
                    }
                }
            }
        }

        private void notifyStarted(String name) {
            try {
                listener.started(name);
            } catch (RuntimeException e) {
                listenerFailed(e);
            }
        }

        private void notifyFinished(VertexResult r) {
            try {
                listener.finished(r);
            } catch (RuntimeException e) {
                listenerFailed(e);
            }
        }

        private void listenerFailed(RuntimeException e) {
            if (listenerError == null) {
                listenerError = e;
            } else {
                listenerError.addSuppressed(e);
            }
            cancel();
        }

        private ThreadFactory threadFactory() {
            int pool = POOL_NUMBER.incrementAndGet();
            AtomicInteger thread = new AtomicInteger();
            return r -> {
                Thread t = new Thread(r, "dag-walker-" + pool + "-" + thread.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
        }
    }
}
