package dev.ringplan.engine.dag;

import static dev.ringplan.engine.dag.GraphTest.graph;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.dag.Walker.Outcome;
import dev.ringplan.engine.dag.Walker.VertexResult;
import dev.ringplan.engine.dag.WalkResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WalkerTest {

    /** Records events; checks they arrive on the walking thread. */
    static final class Recorder implements Walker.Listener {
        final Thread walking = Thread.currentThread();
        final List<String> events = new ArrayList<>();

        @Override
        public void started(String name) {
            assertSame(walking, Thread.currentThread());
            events.add("start " + name);
        }

        @Override
        public void finished(VertexResult r) {
            assertSame(walking, Thread.currentThread());
            events.add("end " + r.name() + " " + r.state());
        }
    }

    @Test
    void walk_forksLimitRespected() {
        Graph<String> g = new Graph<>();
        for (int i = 0; i < 60; i++) {
            g.addVertex("v" + i, null);
        }
        AtomicInteger current = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        CyclicBarrier firstThree = new CyclicBarrier(3);
        WalkResult r = new Walker<>(g, 3).walk((name, p) -> {
            int now = current.incrementAndGet();
            max.accumulateAndGet(now, Math::max);
            if (started.incrementAndGet() <= 3) {
                firstThree.await(10, TimeUnit.SECONDS); // proves three really run together
            } else {
                Thread.sleep(1);
            }
            current.decrementAndGet();
            return Outcome.SUCCESS;
        }, null);
        assertEquals(3, max.get());
        assertTrue(r.allSucceeded());
        assertEquals(60, r.withState(VertexState.SUCCESS).size());
    }

    @Test
    void walk_dependenciesFinishBeforeDependentsStart() {
        Random random = new Random(42);
        Graph<String> g = new Graph<>();
        int n = 300;
        for (int i = 0; i < n; i++) {
            g.addVertex("v" + i, null);
            for (int k = 0; k < 3 && i > 0; k++) {
                g.addEdge("v" + random.nextInt(i), "v" + i);
            }
        }
        Set<String> finished = ConcurrentHashMap.newKeySet();
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        WalkResult r = new Walker<>(g, 4).walk((name, p) -> {
            for (String d : g.dependencies(name)) {
                if (!finished.contains(d)) {
                    violations.add(name + " started before " + d);
                }
            }
            finished.add(name);
            return Outcome.SUCCESS;
        }, null);
        assertEquals(List.of(), violations);
        assertEquals(n, finished.size());
        assertTrue(r.allSucceeded());
        assertFalse(r.cancelled());
    }

    @Test
    void walk_failureSkipsTheWholeChainNamingTheFailedAncestor() {
        Graph<String> g = graph("a", "b", "c", "d");
        g.addEdge("a", "b");
        g.addEdge("b", "c");
        Set<String> visited = ConcurrentHashMap.newKeySet();
        Recorder rec = new Recorder();
        WalkResult r = new Walker<>(g, 2).walk((name, p) -> {
            visited.add(name);
            return name.equals("a") ? Outcome.FAILURE : Outcome.SUCCESS;
        }, rec);
        assertEquals(Set.of("a", "d"), visited);
        assertEquals(VertexState.FAILURE, r.result("a").state());
        assertEquals(new VertexResult("b", VertexState.SKIPPED_UPSTREAM_FAILED, "a", null), r.result("b"));
        assertEquals(new VertexResult("c", VertexState.SKIPPED_UPSTREAM_FAILED, "a", null), r.result("c"));
        assertEquals(VertexState.SUCCESS, r.result("d").state());
        assertFalse(r.allSucceeded());
        assertTrue(rec.events.contains("end c SKIPPED_UPSTREAM_FAILED"));
        assertFalse(rec.events.contains("start b"));
        assertEquals(List.of("a", "b", "c", "d"), List.copyOf(r.results().keySet()));
    }

    @Test
    void walk_tolerantEdge_runsTheDependentAfterAFailure_butAnIntolerantEdgeStillSkips() {
        // body1 fails, body2 is skipped because of it; rescue waits for both through tolerant
        // edges and runs; after runs after rescue; other needs body1 through a normal edge.
        Graph<String> g = graph("body1", "body2", "rescue", "after", "other");
        g.addEdge("body1", "body2");
        g.addEdge("body1", "rescue");
        g.addEdge("body2", "rescue");
        g.addEdge("rescue", "after");
        g.addEdge("body1", "other");
        List<String> visited = Collections.synchronizedList(new ArrayList<>());
        Set<List<String>> tolerant = Set.of(List.of("body1", "rescue"), List.of("body2", "rescue"));
        WalkResult r = new Walker<>(g, 2, (a, b) -> tolerant.contains(List.of(a, b))).walk((name, p) -> {
            visited.add(name);
            return name.equals("body1") ? Outcome.FAILURE : Outcome.SUCCESS;
        }, null);
        assertEquals(List.of("body1", "rescue", "after"), visited);
        assertEquals(VertexState.SKIPPED_UPSTREAM_FAILED, r.result("body2").state());
        assertEquals(VertexState.SUCCESS, r.result("rescue").state());
        assertEquals(VertexState.SUCCESS, r.result("after").state());
        assertEquals(new VertexResult("other", VertexState.SKIPPED_UPSTREAM_FAILED, "body1", null), r.result("other"));
    }

    @Test
    void toleratedFailures_duringTheVisit_listTheFailuresTolerantEdgesHeldBack() {
        // body1 fails, body2 is skipped because of it, ok succeeds, ignored fails tolerated; the
        // rescue's visit learns which of its tolerant dependencies failed; clean has nothing.
        Graph<String> g = graph("body1", "body2", "ok", "ignored", "rescue", "clean");
        g.addEdge("body1", "body2");
        for (String d : List.of("body1", "body2", "ok", "ignored")) {
            g.addEdge(d, "rescue");
        }
        g.addEdge("ok", "clean");
        Map<String, List<String>> seen = new ConcurrentHashMap<>();
        Walker<String> walker = new Walker<>(g, 2, (a, b) -> !b.equals("body2"));
        walker.walk((name, p) -> {
            seen.put(name, walker.toleratedFailures(name));
            return switch (name) {
                case "body1" -> Outcome.FAILURE;
                case "ignored" -> Outcome.FAILURE_IGNORED;
                default -> Outcome.SUCCESS;
            };
        }, null);
        assertEquals(List.of("body1", "body2"), seen.get("rescue"));
        assertEquals(List.of(), seen.get("clean"));
        assertEquals(List.of("body1", "body2"), walker.toleratedFailures("rescue"), "the same after the walk");
        assertEquals(List.of(), walker.toleratedFailures("body2"), "body2's edge passed the failure on: it was skipped");
    }

    @Test
    void walk_tolerantEdge_stillWaitsForTheDependencyToFinish() {
        Graph<String> g = graph("slow", "cleanup");
        g.addEdge("slow", "cleanup");
        List<String> visited = Collections.synchronizedList(new ArrayList<>());
        new Walker<>(g, 4, (a, b) -> true).walk((name, p) -> {
            if (name.equals("slow")) {
                Thread.sleep(50);
            }
            visited.add(name);
            return Outcome.SUCCESS;
        }, null);
        assertEquals(List.of("slow", "cleanup"), visited);
    }

    @Test
    void walk_exceptionOrNullIsFailureWithError() {
        Graph<String> g = graph("a", "b", "c");
        g.addEdge("a", "c");
        IllegalStateException boom = new IllegalStateException("boom");
        WalkResult r = new Walker<>(g, 1).walk((name, p) -> {
            if (name.equals("a")) {
                throw boom;
            }
            return name.equals("b") ? null : Outcome.SUCCESS;
        }, null);
        assertEquals(VertexState.FAILURE, r.result("a").state());
        assertSame(boom, r.result("a").error());
        assertEquals(VertexState.FAILURE, r.result("b").state());
        assertTrue(r.result("b").error() instanceof NullPointerException);
        assertEquals("a", r.result("c").failedAncestor());
    }

    @Test
    void walk_ignoredFailureLetsDependentsRun() {
        Graph<String> g = graph("a", "b");
        g.addEdge("a", "b");
        WalkResult r = new Walker<>(g, 2).walk(
                (name, p) -> name.equals("a") ? Outcome.FAILURE_IGNORED : Outcome.SUCCESS, null);
        assertEquals(VertexState.FAILURE_IGNORED, r.result("a").state());
        assertEquals(VertexState.SUCCESS, r.result("b").state());
        assertTrue(r.allSucceeded());
    }

    @Test
    void walk_diamondRunsTopFirstAndBottomLast() {
        Graph<String> g = graph("a", "b", "c", "d");
        g.addEdge("a", "b");
        g.addEdge("a", "c");
        g.addEdge("b", "d");
        g.addEdge("c", "d");
        Recorder rec = new Recorder();
        WalkResult r = new Walker<>(g, 1).walk((name, p) -> Outcome.SUCCESS, rec);
        assertTrue(r.allSucceeded());
        assertEquals(List.of("start a", "end a SUCCESS", "start b", "end b SUCCESS",
                "start c", "end c SUCCESS", "start d", "end d SUCCESS"), rec.events);
    }

    @Test
    void walk_diamondWithFailedBranchSkipsOnlyTheJoin() {
        Graph<String> g = graph("a", "b", "c", "d");
        g.addEdge("a", "b");
        g.addEdge("a", "c");
        g.addEdge("b", "d");
        g.addEdge("c", "d");
        WalkResult r = new Walker<>(g, 2).walk(
                (name, p) -> name.equals("c") ? Outcome.FAILURE : Outcome.SUCCESS, null);
        assertEquals(List.of("a", "b"), r.withState(VertexState.SUCCESS));
        assertEquals(List.of("c"), r.withState(VertexState.FAILURE));
        assertEquals("c", r.result("d").failedAncestor());
    }

    @Test
    void walk_twoFailedAncestorsBlameTheFirstInserted() {
        Graph<String> g = graph("x", "y", "z");
        g.addEdge("y", "z");
        g.addEdge("x", "z");
        WalkResult r = new Walker<>(g, 2).walk((name, p) -> Outcome.FAILURE, null);
        assertEquals("x", r.result("z").failedAncestor());
    }

    @Test
    void walk_startOrderFollowsInsertionOrderAmongReadyVertices() {
        Graph<String> g = graph("e", "d", "c", "b", "a");
        g.addEdge("e", "a");
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        new Walker<>(g, 1).walk((name, p) -> {
            order.add(name);
            return Outcome.SUCCESS;
        }, null);
        // a becomes ready after e, but d, c, b were inserted before it.
        assertEquals(List.of("e", "d", "c", "b", "a"), order);
    }

    @Test
    void walk_cancelStopsStartingNewVertices() {
        Graph<String> g = graph("a", "b", "c", "d");
        g.addEdge("a", "b");
        g.addEdge("b", "c");
        AtomicInteger visits = new AtomicInteger();
        Walker<String> walker = new Walker<>(g, 1);
        WalkResult r = walker.walk((name, p) -> {
            visits.incrementAndGet();
            return Outcome.SUCCESS;
        }, new Walker.Listener() {
            @Override
            public void finished(VertexResult result) {
                if (result.name().equals("a")) {
                    walker.cancel();
                }
            }
        });
        assertEquals(1, visits.get());
        assertTrue(r.cancelled());
        assertEquals(VertexState.SUCCESS, r.result("a").state());
        assertEquals(List.of("b", "c", "d"), r.withState(VertexState.CANCELLED));
    }

    @Test
    void walk_cancelledBeforeStartVisitsNothing() {
        Graph<String> g = graph("a", "b");
        Walker<String> walker = new Walker<>(g, 2);
        walker.cancel();
        WalkResult r = walker.walk((name, p) -> {
            throw new AssertionError("must not run");
        }, null);
        assertEquals(List.of("a", "b"), r.withState(VertexState.CANCELLED));
        assertNull(r.result("a").error());
    }

    @Test
    void walk_runningVisitFinishesAfterCancelFromAnotherThread() throws Exception {
        Graph<String> g = graph("slow", "next");
        g.addEdge("slow", "next");
        Walker<String> walker = new Walker<>(g, 2);
        CyclicBarrier inside = new CyclicBarrier(2);
        Thread canceller = new Thread(() -> {
            try {
                inside.await(10, TimeUnit.SECONDS);
                walker.cancel();
                inside.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        canceller.start();
        WalkResult r = walker.walk((name, p) -> {
            inside.await(10, TimeUnit.SECONDS);
            inside.await(10, TimeUnit.SECONDS); // cancel happened while running
            return Outcome.SUCCESS;
        }, null);
        canceller.join();
        assertEquals(VertexState.SUCCESS, r.result("slow").state());
        assertEquals(VertexState.CANCELLED, r.result("next").state());
    }

    @Test
    void walk_cancelWithDuration_abandonsAVisitStillRunningAfterIt() throws Exception {
        Graph<String> g = graph("quick", "stuck", "next");
        g.addEdge("stuck", "next");
        Walker<String> walker = new Walker<>(g, 2);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch bothRunning = new java.util.concurrent.CountDownLatch(2);
        Thread canceller = new Thread(() -> {
            try {
                bothRunning.await(10, TimeUnit.SECONDS);
                walker.cancel(java.time.Duration.ofMillis(300));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        canceller.start();
        long t0 = System.nanoTime();
        WalkResult r;
        try {
            r = walker.walk((name, p) -> {
                bothRunning.countDown();
                if (name.equals("stuck")) {
                    release.await(); // ignores the cancel: never returns until the test lets it
                } else {
                    bothRunning.await(10, TimeUnit.SECONDS);
                    Thread.sleep(50);
                }
                return Outcome.SUCCESS;
            }, null);
        } finally {
            release.countDown();
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        canceller.join();
        assertTrue(ms < 5000, "walk waited " + ms + " ms");
        assertTrue(r.cancelled());
        assertEquals(VertexState.SUCCESS, r.result("quick").state());
        assertEquals(VertexState.CANCELLED, r.result("stuck").state());
        assertEquals(VertexState.CANCELLED, r.result("next").state());
        assertEquals(List.of("stuck"), r.abandoned());
    }

    @Test
    void walk_cancelWithDuration_returnsAsSoonAsTheRunningVisitsEnd() {
        Graph<String> g = graph("a", "b");
        g.addEdge("a", "b");
        Walker<String> walker = new Walker<>(g, 1);
        long t0 = System.nanoTime();
        WalkResult r = walker.walk((name, p) -> {
            walker.cancel(java.time.Duration.ofSeconds(30));
            return Outcome.SUCCESS;
        }, null);
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < 10);
        assertEquals(VertexState.SUCCESS, r.result("a").state());
        assertEquals(VertexState.CANCELLED, r.result("b").state());
        assertEquals(List.of(), r.abandoned());
    }

    @Test
    void walk_tenThousandVerticesComplete() {
        Graph<Integer> g = new Graph<>();
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            g.addVertex("v" + i, i);
            if (i >= 100) {
                g.addEdge("v" + (i - 100), "v" + i);
                g.addEdge("v" + (i - 1 - (i % 7)), "v" + i);
            }
        }
        AtomicInteger sum = new AtomicInteger();
        WalkResult r = new Walker<>(g, 8).walk((name, p) -> {
            sum.addAndGet(p);
            return Outcome.SUCCESS;
        }, null);
        assertTrue(r.allSucceeded());
        assertEquals(n * (n - 1) / 2, sum.get());
    }

    @Test
    void walk_cycleRejectedBeforeVisiting() {
        Graph<String> g = graph("a", "b");
        g.addEdge("a", "b");
        g.addEdge("b", "a");
        assertThrows(CycleException.class, () -> new Walker<>(g, 1).walk((n, p) -> {
            throw new AssertionError("must not run");
        }, null));
    }

    @Test
    void walk_listenerExceptionCancelsAndIsRethrown() {
        Graph<String> g = graph("a", "b");
        g.addEdge("a", "b");
        Walker<String> walker = new Walker<>(g, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> walker.walk(
                (n, p) -> Outcome.SUCCESS, new Walker.Listener() {
                    @Override
                    public void finished(VertexResult r) {
                        if (r.name().equals("a")) {
                            throw new IllegalStateException("printer broke");
                        }
                    }
                }));
        assertEquals("printer broke", e.getMessage());
        assertTrue(walker.isCancelled());
    }

    @Test
    void walk_emptyGraphAndMoreForksThanVertices() {
        WalkResult empty = new Walker<>(new Graph<String>(), 4).walk((n, p) -> Outcome.FAILURE, null);
        assertTrue(empty.results().isEmpty());
        assertTrue(empty.allSucceeded());
        WalkResult two = new Walker<>(graph("a", "b"), 64).walk((n, p) -> Outcome.SUCCESS, null);
        assertEquals(List.of("a", "b"), two.withState(VertexState.SUCCESS));
    }

    @Test
    void walker_rejectsZeroForksAndSecondWalk() {
        Graph<String> g = graph("a");
        assertThrows(IllegalArgumentException.class, () -> new Walker<>(g, 0));
        Walker<String> w = new Walker<>(g, 1);
        w.walk((n, p) -> Outcome.SUCCESS, null);
        assertThrows(IllegalStateException.class, () -> w.walk((n, p) -> Outcome.SUCCESS, null));
    }
}
