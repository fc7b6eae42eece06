package dev.ringplan.engine.exec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A request to stop a run, made from any thread (the CLI's SIGINT/SIGTERM handler, a test) and
 * observed by the {@link Executor}: once {@link #cancel(String) cancelled}, no new (task, host)
 * node starts, the commands in flight are stopped ({@code Connection#interrupt()}), and the
 * executor waits at most {@link #grace()} for the running nodes to return before it reports them
 * {@link Status#INTERRUPTED} and finishes the run (listeners get {@code runFinished}).
 *
 * <p>Cancelling is one-way and idempotent. Callbacks registered with {@link #onCancel} run once,
 * on the thread that cancels (or at once, on the registering thread, when already cancelled);
 * they must be quick and must not block.
 */
public final class Cancellation {
    /** How long the executor waits for running nodes after a cancel, unless told otherwise. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    private final Duration grace;
    private final List<Runnable> callbacks = new ArrayList<>();
    private String reason;

    /** A registered callback; closing it unregisters the callback. */
    public interface Registration extends AutoCloseable {
        /** Unregisters; no-op once the callback ran. Never throws. */
        @Override
        void close();
    }

    /** A cancellation whose run waits {@link #DEFAULT_GRACE} for running nodes. */
    public Cancellation() {
        this(DEFAULT_GRACE);
    }

    /**
     * A cancellation whose run waits {@code grace} for running nodes.
     *
     * @throws IllegalArgumentException when {@code grace} is negative
     */
    public Cancellation(Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        this.grace = grace;
    }

    /** How long a cancelled run waits for the nodes that were running. */
    public Duration grace() {
        return grace;
    }

    /**
     * Cancels, naming why (e.g. {@code "SIGINT"}), and runs the registered callbacks.
     *
     * @return true the first time, false when already cancelled (nothing is run again)
     */
    public boolean cancel(String why) {
        List<Runnable> toRun;
        synchronized (this) {
            if (reason != null) {
                return false;
            }
            reason = Objects.requireNonNull(why, "why");
            toRun = List.copyOf(callbacks);
            callbacks.clear();
            notifyAll();
        }
        for (Runnable r : toRun) {
            r.run();
        }
        return true;
    }

    /** Whether {@link #cancel} was called. */
    public synchronized boolean isCancelled() {
        return reason != null;
    }

    /** {@link #grace()} for messages: {@code "10 s"}, or {@code "500 ms"} below a second. */
    public String graceText() {
        return grace.toMillis() % 1000 == 0 ? grace.toSeconds() + " s" : grace.toMillis() + " ms";
    }

    /** Why the run was cancelled ({@code "SIGINT"}), or null when it was not. */
    public synchronized String reason() {
        return reason;
    }

    /**
     * Runs {@code callback} when the run is cancelled: at once on this thread when it already is.
     *
     * @return closing it unregisters the callback (no-op once it ran)
     */
    public Registration onCancel(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        synchronized (this) {
            if (reason == null) {
                callbacks.add(callback);
                return () -> {
                    synchronized (this) {
                        callbacks.remove(callback);
                    }
                };
            }
        }
        callback.run();
        return () -> { };
    }

    /**
     * Sleeps {@code d}, returning early when the run is cancelled (a retry delay).
     *
     * @return true when the run is cancelled
     * @throws InterruptedException when the thread is interrupted
     */
    public synchronized boolean sleep(Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        while (reason == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
