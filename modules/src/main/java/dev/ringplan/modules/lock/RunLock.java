package dev.ringplan.modules.lock;

import dev.ringplan.modules.cql.CqlSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The locks of one run on every cluster it targets (docs/ci.md, "Cluster lock"): taken before the
 * first task, kept alive by a background thread while the run lasts, released at its end.
 *
 * <ul>
 *   <li>{@link #take}: finds the clusters of the hosts ({@link LockTargets}) and takes each
 *       cluster's lock; a cluster held by another live run fails at once ({@link Conflict}), or
 *       after waiting up to the lock timeout. A cluster that cannot answer (no node, no quorum)
 *       and hosts in no cluster that answered are reported through {@code warn} and tried again
 *       in the background: the run goes on without their lock until then.</li>
 *   <li>{@link #keep}: every {@code ttl/3} the TTL is renewed; a renewal the cluster cannot answer
 *       is tried again every few seconds (nobody can take the lock without that quorum either);
 *       a lock found held by another run (ours expired meanwhile) calls {@code lost}.</li>
 *   <li>{@link #close}: stops the thread and releases every lock held, with retries.</li>
 * </ul>
 */
public final class RunLock implements AutoCloseable {
    /** Default TTL of a lock row. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(300);
    /** How often a lock not taken yet, or a renewal that failed, is tried again (at most). */
    public static final Duration RETRY = Duration.ofSeconds(5);

    /** Sleeps, returning true when the run was cancelled meanwhile (the CLI's Cancellation). */
    public interface Sleeper {
        /** Sleeps {@code d}; true when cancelled. */
        boolean sleep(Duration d) throws InterruptedException;
    }

    /** Another live run holds the lock of {@code cluster}. */
    public static final class Conflict extends Exception {
        private final transient LockHolder holder;
        private final String cluster;

        Conflict(String cluster, LockHolder holder) {
            super("cluster '" + cluster + "' is locked by " + holder.describe());
            this.cluster = cluster;
            this.holder = holder;
        }

        /** The holder. */
        public LockHolder holder() {
            return holder;
        }

        /** The cluster. */
        public String cluster() {
            return cluster;
        }
    }

    /** One cluster's lock and what happened to it. */
    private static final class Entry {
        final ClusterLock lock;
        final List<String> hosts;
        String state = "not_taken";
        String why;
        Instant takenAt;
        Instant lastOk;
        long nextTry;
        boolean failing;

        Entry(ClusterLock lock, List<String> hosts) {
            this.lock = lock;
            this.hosts = hosts;
        }
    }

    private final LockHolder me;
    private final Duration ttl;
    private final ControllerProcess self;
    private final Consumer<String> info;
    private final Consumer<String> warn;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, CqlSettings> unplaced = new LinkedHashMap<>();
    private final Map<String, String> unplacedWhy = new LinkedHashMap<>();
    private ScheduledExecutorService keeper;
    private long nextDiscovery;
    private volatile Consumer<String> lost = m -> { };

    private RunLock(LockHolder me, Duration ttl, ControllerProcess self, Consumer<String> info, Consumer<String> warn) {
        this.me = me;
        this.ttl = ttl;
        this.self = self;
        this.info = info;
        this.warn = warn;
    }

    /**
     * Takes the locks of the clusters of {@code hosts} (class doc).
     *
     * @param hosts   inventory host to its CQL settings, in plan order
     * @param timeout how long to wait for a lock another run holds (zero: fail at once)
     * @param sleeper the wait between tries; a cancellation ends the wait
     * @return the locks, to {@link #keep} and {@link #close}
     * @throws Conflict    when a cluster stays held by another live run (the locks taken are released)
     * @throws InterruptedException when the run was cancelled while waiting (the locks taken are released)
     */
    public static RunLock take(Map<String, CqlSettings> hosts, LockHolder me, Duration ttl, Duration timeout,
                               Sleeper sleeper, Consumer<String> info, Consumer<String> warn)
            throws Conflict, InterruptedException {
        RunLock r = new RunLock(me, ttl, ControllerProcess.current(), info, warn);
        LockTargets.Discovery d = LockTargets.discover(hosts);
        d.unanswered().forEach((h, why) -> {
            r.unplaced.put(h, hosts.get(h));
            r.unplacedWhy.put(h, why);
        });
        d.clusters().forEach(f -> r.entries.add(new Entry(r.newLock(f), f.hosts())));
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean waited = false;
        try {
            for (Entry e : r.entries) {
                while (true) {
                    ClusterLock.Attempt a = e.lock.acquire();
                    if (a instanceof ClusterLock.Attempt.HeldBy h) {
                        if (System.nanoTime() >= deadline) {
                            throw new Conflict(e.lock.cluster(), h.holder());
                        }
                        if (!waited) {
                            info.accept("lock: waiting up to " + timeout.toSeconds() + " s for cluster '" + e.lock.cluster()
                                    + "', locked by " + h.holder().describe());
                            waited = true;
                        }
                        long left = deadline - System.nanoTime();
                        if (sleeper.sleep(Duration.ofNanos(Math.min(left, Duration.ofSeconds(1).toNanos())))) {
                            throw new InterruptedException("cancelled while waiting for the lock");
                        }
                        continue;
                    }
                    r.apply(e, a, false);
                    break;
                }
            }
        } catch (Conflict | InterruptedException | RuntimeException ex) {
            r.close();
            throw ex;
        }
        if (!r.unplaced.isEmpty()) {
            warn.accept("no lock taken for host" + (r.unplaced.size() == 1 ? " " : "s ") + String.join(", ", r.unplaced.keySet())
                    + ": CQL did not answer (" + r.unplacedWhy.values().iterator().next() + "); the run goes on without"
                    + " their cluster's lock and takes it once the cluster answers");
        }
        return r;
    }

    private ClusterLock newLock(LockTargets.Found f) {
        return new ClusterLock(f.name(), f.session(), f.contacts(), me, ttl, self, ControllerProcess.LOCAL);
    }

    /** Applies an attempt's outcome to {@code e}; {@code late}: from the keeper thread. */
    private void apply(Entry e, ClusterLock.Attempt a, boolean late) {
        String name = "cluster '" + e.lock.cluster() + "' (" + String.join(", ", e.hosts) + ")";
        if (a instanceof ClusterLock.Attempt.Taken t) {
            boolean first = !"held".equals(e.state);
            e.state = "held";
            e.lastOk = Instant.now();
            e.takenAt = e.lock.me().takenAt();
            e.failing = false;
            e.why = null;
            e.nextTry = System.nanoTime() + ttl.toNanos() / 3;
            if (first || t.note() != null) {
                info.accept("lock: " + name + (first ? late ? " taken now that it answers" : " taken" : "")
                        + (t.note() != null ? (first ? "; " : " ") + t.note() : ""));
            }
        } else if (a instanceof ClusterLock.Attempt.HeldBy h) {
            e.state = "lost";
            e.why = "held by " + h.holder().describe();
            lost.accept("the lock of " + name + " is held by " + h.holder().describe());
        } else if (a instanceof ClusterLock.Attempt.Unavailable u) {
            e.nextTry = System.nanoTime() + RETRY.toNanos();
            if (!e.failing) {
                if ("held".equals(e.state)) {
                    info.accept("lock: " + name + ": renewal failed (" + u.reason() + "); tolerated while the"
                            + " cluster cannot answer, retrying every " + RETRY.toSeconds() + " s");
                } else {
                    warn.accept("no lock taken for " + name + ": " + u.reason() + "; the run goes on without it"
                            + " and takes it once the cluster answers");
                }
            }
            e.failing = true;
            e.why = u.reason();
        }
    }

    /**
     * Starts the background thread (class doc); {@code lost} is called, from that thread, when a
     * lock turns out held by another run.
     */
    public synchronized void keep(Consumer<String> lost) {
        this.lost = lost;
        keeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ringplan-lock-keeper");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(200, Math.min(RETRY.toMillis(), ttl.toMillis() / 3));
        keeper.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            for (Entry e : List.copyOf(entries)) {
                if (!"lost".equals(e.state) && System.nanoTime() >= e.nextTry) {
                    ClusterLock.Attempt a;
                    synchronized (e.lock) {
                        a = "held".equals(e.state) ? e.lock.renew() : e.lock.acquire();
                    }
                    apply(e, a, !"held".equals(e.state));
                }
            }
            if (!unplaced.isEmpty() && System.nanoTime() >= nextDiscovery) {
                nextDiscovery = System.nanoTime() + RETRY.toNanos();
                LockTargets.Discovery d = LockTargets.discover(Map.copyOf(unplaced));
                for (LockTargets.Found f : d.clusters()) {
                    f.hosts().forEach(unplaced::remove);
                    Entry e = new Entry(newLock(f), f.hosts());
                    synchronized (this) {
                        entries.add(e);
                    }
                    ClusterLock.Attempt a;
                    synchronized (e.lock) {
                        a = e.lock.acquire();
                    }
                    apply(e, a, true);
                }
            }
        } catch (RuntimeException ex) {
            warn.accept("lock keeper: " + ex);
        }
    }

    /** What the journal records ({@code run.json}'s {@code lock}): per cluster, its hosts, state and times. */
    public synchronized Map<String, Object> record() {
        List<Map<String, Object>> clusters = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cluster", e.lock.cluster());
            m.put("hosts", e.hosts);
            m.put("state", e.state);
            m.put("taken_at", e.takenAt == null ? null : e.takenAt.toString());
            if (e.why != null) {
                m.put("why", e.why);
            }
            clusters.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run_id", me.runId());
        out.put("ttl_seconds", ttl.toSeconds());
        out.put("clusters", clusters);
        out.put("hosts_without_lock", List.copyOf(unplaced.keySet()));
        return out;
    }

    /** Stops the keeper and releases every lock held (3 tries each), closing the sessions. */
    @Override
    public void close() {
        ScheduledExecutorService k;
        synchronized (this) {
            k = keeper;
            keeper = null;
        }
        if (k != null) {
            k.shutdownNow();
            try {
                k.awaitTermination(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Entry> all;
        synchronized (this) {
            all = List.copyOf(entries);
        }
        for (Entry e : all) {
            synchronized (e.lock) {
                if ("held".equals(e.state)) {
                    String why = null;
                    for (int i = 1; i <= 3; i++) {
                        why = e.lock.release();
                        if (why == null) {
                            break;
                        }
                        pause(i);
                    }
                    if (why == null) {
                        e.state = "released";
                    } else {
                        warn.accept("could not release the lock of cluster '" + e.lock.cluster() + "' (" + why
                                + "); it expires within " + ttl.toSeconds() + " s, or: ringplan unlock '"
                                + e.lock.cluster() + "' --run " + me.runId());
                    }
                }
                e.lock.close();
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(1000L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
