package dev.ringplan.engine.exec;

import static dev.ringplan.engine.testing.Engine.options;
import static dev.ringplan.engine.testing.Engine.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ExecOptions;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.connection.LocalConnection;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.testing.Engine;
import dev.ringplan.engine.testing.FakeModule;
import dev.ringplan.engine.testing.ProcessTable;
import dev.ringplan.engine.testing.RecordingListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Executor} with a {@link Cancellation}: real commands on {@link LocalConnection}s are
 * stopped with their whole process tree (checked in the process table), the run returns within
 * bounds, every node gets a result, and what was running or never started is {@code interrupted}.
 */
class ExecutorInterruptTest {
    private final String marker = ProcessTable.newMarker();

    @AfterEach
    void cleanUp() {
        ProcessTable.killAll(marker);
    }

    /** {@code sh: SCRIPT} runs {@code sh -c SCRIPT} on the host, the marker in its environment. */
    private FakeModule shell() {
        return FakeModule.builder("sh").apply(ctx -> {
            try {
                ExecResult r = ctx.connection().exec(List.of("sh", "-c", ctx.args().str("msg")),
                        ExecOptions.defaults().withEnv(Map.of(ProcessTable.MARKER_VAR, marker)));
                return r.exitStatus() != null && r.exitStatus() == 0 ? Result.changed("ran")
                        : Result.failed(r.failureSummary());
            } catch (ConnectionException e) {
                throw new ModuleException(e.getMessage(), e);
            }
        }).build();
    }

    /** Runs {@code plan} on a new thread with local connections; the report lands in {@code report}. */
    private static Thread runInBackground(CompiledPlan plan, RecordingListener listener, Cancellation cancellation,
                                          AtomicReference<RunReport> report) {
        Thread t = new Thread(() -> report.set(new Executor(Templater.shared(), (host, vars) -> new LocalConnection(host))
                .run(plan, options(false, 10, Path.of(".")), listener, cancellation)));
        t.start();
        return t;
    }

    @Test
    void cancel_killsEveryProcessTreeReturnsInBoundsAndRecordsInterrupted() throws Exception {
        CompiledPlan plan = new Engine(shell()).compile("""
                hosts: cassandra
                tasks:
                  - id: long
                    sh: "sleep 300 & sleep 300; wait"
                  - id: after
                    needs: [long]
                    sh: "echo never"
                  - id: quick
                    hosts: other
                    sh: "true"
                """);
        RecordingListener listener = new RecordingListener();
        Cancellation cancellation = new Cancellation(Duration.ofSeconds(10));
        AtomicReference<RunReport> report = new AtomicReference<>();
        Thread run = runInBackground(plan, listener, cancellation, report);

        // h1..h3: sh and two sleeps each; quick[h4] done
        assertTrue(ProcessTable.awaitAtLeast(marker, 9, 15), "the commands did not start: " + listener.events());
        long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!listener.events().contains("finished quick[h4] changed") && System.nanoTime() < wait) {
            Thread.sleep(20);
        }

        long t0 = System.nanoTime();
        assertTrue(cancellation.cancel("SIGINT"));
        run.join(15_000);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertFalse(run.isAlive(), "the run did not return 15 s after the cancel");
        assertTrue(ms < 6000, "the run took " + ms + " ms to stop (commands die on SIGTERM)");
        assertEquals(List.of(), ProcessTable.survivorsAfter(marker, 3));

        RunReport r = report.get();
        for (String h : List.of("h1", "h2", "h3")) {
            NodeResult longOne = result(r, "long", h);
            assertEquals(Status.INTERRUPTED, longOne.status(), longOne.msg());
            assertTrue(longOne.msg().startsWith("interrupted (SIGINT)"), longOne.msg());
            NodeResult after = result(r, "after", h);
            assertEquals(Status.INTERRUPTED, after.status());
            assertEquals("not started: run interrupted (SIGINT)", after.msg());
        }
        assertEquals(Status.CHANGED, result(r, "quick", "h4").status(), "finished before the cancel: kept");
        assertEquals(6, r.counts().get(Status.INTERRUPTED));
        // every node reported exactly once, before runFinished
        List<String> events = listener.events();
        assertEquals(7, events.stream().filter(e -> e.startsWith("finished ")).count(), events.toString());
        assertEquals("runFinished", events.get(events.size() - 1));
    }

    @Test
    void cancel_nodeIgnoringTheInterrupt_isAbandonedAfterTheGrace() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeModule deaf = FakeModule.builder("deaf").apply(ctx -> {
            inside.countDown();
            while (true) {
                try {
                    if (release.await(30, TimeUnit.SECONDS)) {
                        return Result.changed("released");
                    }
                } catch (InterruptedException ignored) {
                    // deaf: keeps waiting
                }
            }
        }).build();
        CompiledPlan plan = new Engine(deaf).compile("""
                hosts: h1
                tasks:
                  - id: stuck
                    deaf: x
                  - id: next
                    needs: [stuck]
                    deaf: y
                """);
        RecordingListener listener = new RecordingListener();
        Cancellation cancellation = new Cancellation(Duration.ofMillis(500));
        AtomicReference<RunReport> report = new AtomicReference<>();
        Thread run = runInBackground(plan, listener, cancellation, report);
        try {
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            cancellation.cancel("SIGTERM");
            run.join(10_000);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertFalse(run.isAlive());
            assertTrue(ms < 4000, "took " + ms + " ms");
        } finally {
            release.countDown();
        }
        RunReport r = report.get();
        NodeResult stuck = result(r, "stuck", "h1");
        assertEquals(Status.INTERRUPTED, stuck.status());
        assertTrue(stuck.msg().contains("stopped waiting"), stuck.msg());
        assertEquals(Status.INTERRUPTED, result(r, "next", "h1").status());
        Thread.sleep(200); // the abandoned visit now returns: its late result must not reach the listeners
        assertEquals(2, listener.events().stream().filter(e -> e.startsWith("finished ")).count(), listener.events().toString());
    }

    @Test
    void cancel_duringARetryDelay_endsTheDelay() throws Exception {
        CountDownLatch firstAttempt = new CountDownLatch(1);
        FakeModule failing = FakeModule.builder("failing").apply(ctx -> {
            firstAttempt.countDown();
            return Result.failed("not yet");
        }).build();
        CompiledPlan plan = new Engine(failing).compile("""
                hosts: h1
                tasks:
                  - id: poll
                    failing: x
                    retries: 5
                    delay: 60
                """);
        Cancellation cancellation = new Cancellation();
        AtomicReference<RunReport> report = new AtomicReference<>();
        Thread run = runInBackground(plan, new RecordingListener(), cancellation, report);
        assertTrue(firstAttempt.await(10, TimeUnit.SECONDS));
        Thread.sleep(100);
        cancellation.cancel("SIGINT");
        run.join(10_000);
        assertFalse(run.isAlive(), "still in the 60 s retry delay");
        NodeResult poll = result(report.get(), "poll", "h1");
        assertEquals(Status.INTERRUPTED, poll.status());
        assertTrue(poll.msg().contains("not yet"), "keeps what the node said: " + poll.msg());
    }

    @Test
    void cancel_beforeTheRun_startsNothing() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        CompiledPlan plan = new Engine(fake).compile("""
                hosts: all
                tasks:
                  - id: a
                    fake: a
                """);
        Cancellation cancellation = new Cancellation();
        cancellation.cancel("SIGINT");
        RunReport r = new Executor(Templater.shared(), (host, vars) -> new LocalConnection(host))
                .run(plan, options(false, 10, Path.of(".")), new RecordingListener(), cancellation);
        assertEquals(4, r.counts().get(Status.INTERRUPTED));
        assertTrue(fake.calls().isEmpty());
    }
}
