package dev.ringplan.modules.lock;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import com.datastax.oss.driver.api.core.servererrors.SyntaxError;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.modules.cql.CqlSessions;
import dev.ringplan.modules.cql.CqlSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lock of one cluster for one run, over a driver session (java-driver-core): take it, renew
 * it, release it ({@link LockSchema} has the CQL). Every write is a lightweight transaction at
 * SERIAL (a Paxos quorum of all the row's replicas, whatever their datacenter) committed at
 * QUORUM, with the TTL. Not thread-safe: one thread at a time (the caller synchronizes).
 *
 * <p>A driver failure that says the cluster cannot answer now (no node, unavailable replicas, a
 * timeout) is an {@link Attempt.Unavailable}, never an exception: nobody else can take the lock
 * without the same quorum either. A table not known yet to the coordinator right after it was
 * created ("unconfigured table") is retried for up to 10 s after schema agreement.
 */
public final class ClusterLock {
    /** What an attempt gave. */
    public sealed interface Attempt {
        /** The lock is this run's; {@code note} says what was special about it, or null. */
        record Taken(String note) implements Attempt { }

        /** Another live run holds it. */
        record HeldBy(LockHolder holder) implements Attempt { }

        /** The cluster could not answer (or refused the statements): {@code reason}. */
        record Unavailable(String reason) implements Attempt { }
    }

    private static final Duration UNCONFIGURED_RETRY = Duration.ofSeconds(10);

    private final String cluster;
    private final List<CqlSettings> contacts;
    private final long ttlSeconds;
    private final ControllerProcess self;
    private final ControllerProcess.Processes procs;
    private LockHolder me;
    private CqlSession session;
    private boolean schemaReady;

    /**
     * The lock of cluster {@code cluster} (its {@code cluster_name}), reached through
     * {@code session} (may be null: opened on first use from {@code contacts}, in order).
     */
    public ClusterLock(String cluster, CqlSession session, List<CqlSettings> contacts, LockHolder me, Duration ttl,
                       ControllerProcess self, ControllerProcess.Processes procs) {
        this.cluster = cluster;
        this.session = session;
        this.contacts = List.copyOf(contacts);
        this.me = me;
        this.ttlSeconds = Math.max(1, ttl.toSeconds());
        this.self = self;
        this.procs = procs;
    }

    /** The cluster's name. */
    public String cluster() {
        return cluster;
    }

    /** This run as the row shows it once taken ({@link LockHolder#takenAt()} set). */
    public LockHolder me() {
        return me;
    }

    /** Takes the lock if it is free, this run's already, or its holder is dead here ({@link LockDecision}). */
    public Attempt acquire() {
        try {
            CqlSession s = session();
            ensureSchema(s);
            LockHolder next = me.takenAt() != null ? me : me.takenAt(Instant.now());
            ResultSet rs = lwt(s, bind(LockSchema.insert(ttlSeconds), cluster, next));
            if (rs.wasApplied()) {
                me = next;
                return new Attempt.Taken(null);
            }
            return resolve(s, read(s), next);
        } catch (Fault f) {
            return f.attempt;
        }
    }

    /**
     * Renews the TTL; when the row is not this run's any more: taken again if it disappeared
     * (expired while the cluster could not answer, or the data was replaced), taken over from a
     * dead holder or from a row that came back with restored data; else held by another run.
     */
    public Attempt renew() {
        if (me.takenAt() == null) {
            return acquire();
        }
        try {
            CqlSession s = session();
            ResultSet rs = lwt(s, update(me, me));
            if (rs.wasApplied()) {
                return new Attempt.Taken(null);
            }
            LockHolder found = read(s);
            if (found == null) {
                Attempt a = acquire();
                return a instanceof Attempt.Taken ? new Attempt.Taken("taken again: its row had disappeared (expired"
                        + " while the cluster could not answer, or the node data was replaced)") : a;
            }
            return resolve(s, found, me);
        } catch (Fault f) {
            return f.attempt;
        }
    }

    /**
     * Removes the row if it is this run's.
     *
     * @return null when released (or not this run's any more), else why not
     */
    public String release() {
        try {
            CqlSession s = session();
            lwt(s, SimpleStatement.newInstance(LockSchema.delete(), cluster, me.runId(), me.process()));
            return null;
        } catch (Fault f) {
            return f.attempt instanceof Attempt.Unavailable u ? u.reason() : String.valueOf(f.attempt);
        }
    }

    /**
     * Removes the row of run {@code runId}, whatever process wrote it ({@code ringplan unlock}).
     *
     * @return the holder that was removed, or the one that holds the lock instead (null: no lock)
     * @throws LockException when the cluster cannot answer
     */
    public Removal unlock(String runId) throws LockException {
        try {
            CqlSession s = session();
            LockHolder found = read(s);
            if (found == null || !found.runId().equals(runId)) {
                return new Removal(false, found);
            }
            ResultSet rs = lwt(s, SimpleStatement.newInstance(LockSchema.deleteRun(), cluster, runId));
            return rs.wasApplied() ? new Removal(true, found) : new Removal(false, read(s));
        } catch (Fault f) {
            throw new LockException("cluster '" + cluster + "': " + ((Attempt.Unavailable) f.attempt).reason());
        }
    }

    /**
     * What {@link #unlock} did.
     *
     * @param removed the row was removed
     * @param holder  the removed row's holder, or the holder that remains (null: none)
     */
    public record Removal(boolean removed, LockHolder holder) { }

    /** The holder now, read at SERIAL (null: free). */
    public LockHolder holder() throws LockException {
        try {
            return read(session());
        } catch (Fault f) {
            throw new LockException("cluster '" + cluster + "': " + ((Attempt.Unavailable) f.attempt).reason());
        }
    }

    /** Closes the session. */
    public void close() {
        if (session != null) {
            session.closeAsync();
            session = null;
        }
    }

    private Attempt resolve(CqlSession s, LockHolder found, LockHolder next) throws Fault {
        if (found == null) {
            return new Attempt.Unavailable("the lock row changed while it was taken; trying again");
        }
        LockDecision d = LockDecision.of(found, me, self, procs);
        if (d == LockDecision.CONFLICT) {
            return new Attempt.HeldBy(found);
        }
        ResultSet rs = lwt(s, update(next, found));
        if (!rs.wasApplied()) {
            return new Attempt.Unavailable("the lock row changed while it was taken over; trying again");
        }
        me = next;
        return new Attempt.Taken(d == LockDecision.SELF ? null : d == LockDecision.TAKE_OVER_DEAD
                ? "taken over from " + found.describe() + ": that process is gone"
                : "taken back from " + found.describe() + ": a row older than this run's, brought back with restored"
                        + " or copied data");
    }

    private SimpleStatement update(LockHolder h, LockHolder expected) {
        return SimpleStatement.newInstance(LockSchema.update(ttlSeconds), h.runId(), h.controller(), h.user(), h.pid(),
                h.process(), h.started(), h.takenAt(), h.plan(), cluster, expected.runId(), expected.process());
    }

    private static SimpleStatement bind(String cql, String cluster, LockHolder h) {
        return SimpleStatement.newInstance(cql, cluster, h.runId(), h.controller(), h.user(), h.pid(), h.process(),
                h.started(), h.takenAt(), h.plan());
    }

    private LockHolder read(CqlSession s) throws Fault {
        SimpleStatement st = SimpleStatement.newInstance(LockSchema.select(), cluster)
                .setConsistencyLevel(ConsistencyLevel.SERIAL);
        Row r = run(s, st).one();
        if (r == null || r.getString("run_id") == null) {
            return null;
        }
        return new LockHolder(r.getString("run_id"), r.getString("controller"), r.getString("os_user"),
                r.isNull("pid") ? 0 : r.getLong("pid"), r.getString("process"), r.getInstant("started"),
                r.getInstant("taken_at"), r.getString("plan"));
    }

    private ResultSet lwt(CqlSession s, SimpleStatement st) throws Fault {
        return run(s, st.setConsistencyLevel(ConsistencyLevel.QUORUM).setSerialConsistencyLevel(ConsistencyLevel.SERIAL));
    }

    /** Runs {@code st}, again while the table is not known yet to the coordinator (bounded). */
    private ResultSet run(CqlSession s, SimpleStatement st) throws Fault {
        long deadline = System.nanoTime() + UNCONFIGURED_RETRY.toNanos();
        while (true) {
            try {
                return s.execute(st.setTimeout(contacts.get(0).requestTimeout()));
            } catch (InvalidQueryException e) {
                String m = String.valueOf(e.getMessage());
                boolean unknownTable = m.contains("unconfigured table") || m.contains("does not exist");
                if (!unknownTable || System.nanoTime() > deadline) {
                    throw new Fault(new Attempt.Unavailable("refused: " + oneLine(m)));
                }
                schemaReady = false;
                pause(Duration.ofMillis(500));
            } catch (SyntaxError | UnauthorizedException e) {
                throw new Fault(new Attempt.Unavailable("refused: " + oneLine(e.getMessage())));
            } catch (AllNodesFailedException e) {
                close(); // reopened from the contact points on the next attempt
                throw new Fault(new Attempt.Unavailable("no node answers: " + oneLine(e.getMessage())));
            } catch (DriverException e) {
                throw new Fault(new Attempt.Unavailable(oneLine(e.getMessage())));
            }
        }
    }

    private CqlSession session() throws Fault {
        if (session != null && !session.isClosed()) {
            return session;
        }
        List<String> why = new ArrayList<>();
        for (CqlSettings c : contacts) {
            try {
                session = CqlSessions.open(c);
                schemaReady = false;
                return session;
            } catch (ModuleException e) {
                why.add(e.getMessage());
            }
        }
        throw new Fault(new Attempt.Unavailable(why.isEmpty() ? "no contact point" : why.get(0)));
    }

    /**
     * Creates the keyspace and table when the table does not exist, waits for schema agreement,
     * and realigns a NetworkTopologyStrategy replication with the cluster's datacenters.
     */
    private void ensureSchema(CqlSession s) throws Fault {
        if (schemaReady) {
            return;
        }
        Map<String, Integer> perDc = new TreeMap<>();
        s.getMetadata().getNodes().values().forEach(n -> perDc.merge(String.valueOf(n.getDatacenter()), 1, Integer::sum));
        perDc.remove("null");
        boolean exists = run(s, SimpleStatement.newInstance(LockSchema.tableExists())).one() != null;
        if (!exists) {
            run(s, SimpleStatement.newInstance(LockSchema.createKeyspace(perDc)).setTimeout(contacts.get(0).schemaTimeout()));
            run(s, SimpleStatement.newInstance(LockSchema.createTable()).setTimeout(contacts.get(0).schemaTimeout()));
        } else {
            Row r = run(s, SimpleStatement.newInstance(LockSchema.keyspaceReplication())).one();
            Map<String, String> current = r == null ? null : r.getMap("replication", String.class, String.class);
            if (LockSchema.needsRealign(current, perDc.keySet())) {
                run(s, SimpleStatement.newInstance(LockSchema.alterKeyspace(perDc)).setTimeout(contacts.get(0).schemaTimeout()));
                exists = false;
            }
        }
        if (!exists) {
            try {
                CqlSessions.awaitAgreement(s, contacts.get(0), "creating " + LockSchema.KEYSPACE + "." + LockSchema.TABLE,
                        contacts.get(0).schemaTimeout());
            } catch (ModuleException e) {
                // the statements below are retried while the table is unknown to their coordinator
            }
        }
        schemaReady = true;
    }

    private static String oneLine(String m) {
        return m == null ? "unknown error" : m.replaceAll("\\s+", " ").strip();
    }

    private static void pause(Duration d) throws Fault {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Fault(new Attempt.Unavailable("interrupted"));
        }
    }

    /** An attempt that ended early. */
    private static final class Fault extends Exception {
        final transient Attempt attempt;

        Fault(Attempt attempt) {
            super(null, null, false, false);
            this.attempt = attempt;
        }
    }
}
