package dev.ringplan.cli;

import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.exec.NodeResult;
import dev.ringplan.engine.exec.RunReport;
import dev.ringplan.engine.exec.RunListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Says that a long (task, host) node is still running: every {@code interval} after it started,
 * until it ends, one line {@code "  running  snapshot[node1] (20 s)"}, so an unattended run in CI
 * shows it is alive. Register it before the progress printer: its {@link #nodeFinished} stops the
 * node's heartbeat before the printer writes the node's result, so no heartbeat follows it.
 * Lines are written while holding {@code lock} (the progress printer, whose methods synchronise
 * on itself) so they never land inside another listener's output.
 */
final class Heartbeat implements RunListener {
    /** The interval of the CLI: a heartbeat for a node running longer than 10 s, then every 10 s. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private final PrintWriter out;
    private final Object lock;
    private final long intervalMs;
    private final ScheduledExecutorService timer;
    private final Map<String, ScheduledFuture<?>> running = new ConcurrentHashMap<>();

    /**
     * @param out      where lines go
     * @param lock     the monitor the other printers of {@code out} hold while writing
     * @param interval time between heartbeats of one node (and before the first), at least 1 ms
     */
    Heartbeat(PrintWriter out, Object lock, Duration interval) {
        this.out = out;
        this.lock = lock;
        this.intervalMs = Math.max(1, interval.toMillis());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ringplan-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void nodeStarted(TaskNode node) {
        long t0 = System.nanoTime();
        String name = node.name();
        synchronized (lock) {
            ScheduledFuture<?> f = timer.scheduleAtFixedRate(() -> beat(name, t0), intervalMs, intervalMs,
                    TimeUnit.MILLISECONDS);
            ScheduledFuture<?> old = running.put(name, f);
            if (old != null) {
                old.cancel(false);
            }
        }
    }

    private void beat(String name, long t0) {
        synchronized (lock) {
            if (!running.containsKey(name)) {
                return;  // finished while this tick waited for the lock
            }
            out.printf("  running  %s (%s)%n", name, elapsed((System.nanoTime() - t0) / 1_000_000));
            out.flush();
        }
    }

    /** Whole seconds for the CLI's interval, tenths below one second (tests use 200 ms). */
    private String elapsed(long ms) {
        return intervalMs >= 1000 ? Math.round(ms / 1000.0) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    @Override
    public void nodeFinished(NodeResult result) {
        synchronized (lock) {
            ScheduledFuture<?> f = running.remove(result.node().name());
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    @Override
    public void runFinished(RunReport report) {
        synchronized (lock) {
            running.values().forEach(f -> f.cancel(false));
            running.clear();
        }
        timer.shutdownNow();
    }
}
