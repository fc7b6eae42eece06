package dev.ringplan.cli;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.connection.ConnectionFactory;
import dev.ringplan.engine.connection.ConnectionOptions;
import dev.ringplan.engine.exec.Cancellation;
import dev.ringplan.engine.exec.Executor;
import dev.ringplan.engine.exec.RunListener;
import dev.ringplan.engine.exec.RunOptions;
import dev.ringplan.engine.exec.RunReport;
import dev.ringplan.engine.report.JUnitReport;
import dev.ringplan.engine.report.Journal;
import dev.ringplan.engine.report.JsonReport;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.modules.cql.DriverRingReader;
import dev.ringplan.modules.lock.RunLock;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes a compiled plan for plan, run and apply: the listeners (progress, heartbeat, journal,
 * reports), connections, signals, exit code; and the clean-tree rule ({@code --require-clean},
 * implied by {@code CI=true}).
 */
final class PlanRunner {
    private PlanRunner() {
    }

    /**
     * What a run gave.
     *
     * @param report      every node's result, unmasked (for decisions, never printed)
     * @param masked      the same, as the listeners saw it (secrets masked)
     * @param interrupted SIGINT/SIGTERM stopped it
     * @param locked      why the run did not start or was stopped for the cluster lock (another run
     *                    holds it), or null; {@code report} and {@code masked} are null when it did not start
     */
    record Outcome(RunReport report, RunReport masked, boolean interrupted, String locked) {
        /** 4 lock held by another run, 130 interrupted, 3 a host unreachable, 1 a task failed, else 0 (the README's exit codes). */
        int exitCode() {
            if (locked != null) {
                return ExitCodes.LOCKED;
            }
            if (interrupted) {
                return ExitCodes.INTERRUPTED;
            }
            if (report.anyUnreachable()) {
                return ExitCodes.UNREACHABLE;
            }
            return report.anyFailed() ? ExitCodes.TASK_FAILED : ExitCodes.OK;
        }
    }

    /** A new run id: the UTC start time and 4 random hex digits, {@code 20261123T115239Z-338b}. */
    static String runId(Instant t) {
        String ts = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(t);
        return ts + "-" + Integer.toHexString(0x1000 + new SecureRandom().nextInt(0xf000));
    }

    /**
     * Runs {@code plan}. The progress printer and heartbeat write to {@code out} when
     * {@code progress}; the journal goes to {@code .ringplan/runs/<journalId>/} unless
     * {@code journalId} is null; the reports of {@code exec} are written; {@code extra} listeners
     * get the events too (masked, as all).
     */
    static Outcome run(CompiledPlan plan, RunOptions options, ExecutionOptions exec, PrintWriter out, boolean progress,
                       String journalId, List<RunListener> extra) {
        return run(plan, options, exec, out, progress, journalId, Map.of(), extra);
    }

    /** {@link #run}, with {@code journalMeta} added to the journal's {@code run.json}. */
    static Outcome run(CompiledPlan plan, RunOptions options, ExecutionOptions exec, PrintWriter out, boolean progress,
                       String journalId, Map<String, Object> journalMeta, List<RunListener> extra) {
        return run(plan, options, exec, out, progress, journalId, journalMeta, extra, Map.of());
    }

    /**
     * {@link #run}, with {@code journalMeta} added to the journal's {@code run.json}, and the
     * nodes of {@code taken} not run but given that result ({@code run --resume}).
     */
    static Outcome run(CompiledPlan plan, RunOptions options, ExecutionOptions exec, PrintWriter out, boolean progress,
                       String journalId, Map<String, Object> journalMeta, List<RunListener> extra,
                       Map<String, dev.ringplan.engine.exec.NodeResult> taken) {
        return run(plan, options, exec, out, progress, journalId, journalMeta, extra, taken, null, null);
    }

    /**
     * {@link #run}, taking the cluster lock first unless {@code lock} is null, {@code --no-lock}
     * or check mode ({@link ClusterLocks}); lock messages go to {@code out}, warnings and errors
     * to {@code err}. A cluster held by another run ends it before it starts (exit 4); the lock
     * taken by another run while it runs cancels it (no new task starts, the commands in flight
     * are stopped, exit 4). The locks are released at the end, whatever the outcome.
     */
    static Outcome run(CompiledPlan plan, RunOptions options, ExecutionOptions exec, PrintWriter out, boolean progress,
                       String journalId, Map<String, Object> journalMeta, List<RunListener> extra,
                       Map<String, dev.ringplan.engine.exec.NodeResult> taken, LockOptions lock, PrintWriter err) {
        Cancellation cancellation = new Cancellation();
        boolean locking = lock != null && !lock.noLock && !options.checkMode();
        if (!locking) {
            try (Cancellation.Registration signals = Interrupts.during(cancellation)) {
                return execute(plan, options, exec, out, progress, journalId, journalMeta, extra, taken, cancellation,
                        null);
            }
        }
        try (Cancellation.Registration signals = Interrupts.during(cancellation)) {
            RunLock locks;
            try {
                locks = ClusterLocks.take(plan, options, lock, cancellation, out, err);
            } catch (RunLock.Conflict c) {
                String msg = c.getMessage() + "; wait for it with --lock-timeout DURATION, or, if that run is dead:"
                        + " ringplan unlock '" + c.cluster() + "' --run " + c.holder().runId();
                err.println("error: " + msg);
                err.flush();
                return new Outcome(null, null, false, msg);
            } catch (InterruptedException e) {
                return new Outcome(null, null, true, null);
            }
            String[] lost = new String[1];
            locks.keep(m -> {
                synchronized (lost) {
                    if (lost[0] == null) {
                        lost[0] = m;
                    }
                }
                err.println("error: " + m + "; stopping this run as Ctrl-C would: no new task starts, commands in flight"
                        + " are stopped (exit 4)");
                err.flush();
                cancellation.cancel("cluster lock lost");
            });
            Map<String, Object> meta = new LinkedHashMap<>(journalMeta);
            meta.put("lock", locks.record());
            Outcome o;
            Journal[] journal = new Journal[1];
            try {
                o = execute(plan, options, exec, out, progress, journalId, meta, extra, taken, cancellation, journal);
            } finally {
                locks.close();
            }
            if (journal[0] != null) {
                journal[0].amend(Map.of("lock", locks.record()));
            }
            synchronized (lost) {
                return lost[0] == null ? o : new Outcome(o.report(), o.masked(), o.interrupted(), lost[0]);
            }
        }
    }

    private static Outcome execute(CompiledPlan plan, RunOptions options, ExecutionOptions exec, PrintWriter out,
                                   boolean progress, String journalId, Map<String, Object> journalMeta,
                                   List<RunListener> extra, Map<String, dev.ringplan.engine.exec.NodeResult> taken,
                                   Cancellation cancellation, Journal[] journalOut) {
        List<RunListener> listeners = new ArrayList<>();
        if (progress) {
            ProgressPrinter printer = new ProgressPrinter(out, exec.diff || options.checkMode(), exec.verbose.length > 0);
            // The heartbeat first: it stops a node's heartbeat before the printer writes its result.
            listeners.add(new Heartbeat(out, printer, Duration.ofMillis(exec.heartbeatMs)));
            listeners.add(printer);
        }
        if (journalId != null) {
            Journal journal = new Journal(options.workDir().resolve(".ringplan").resolve("runs"), journalId, journalMeta);
            listeners.add(journal);
            if (journalOut != null) {
                journalOut[0] = journal;
            }
        }
        if (exec.reportJson != null) {
            listeners.add(new JsonReport(exec.reportJson));
        }
        if (exec.reportJunit != null) {
            listeners.add(new JUnitReport(exec.reportJunit));
        }
        RunReport[] masked = new RunReport[1];
        listeners.add(new RunListener() {
            @Override
            public void runFinished(RunReport report) {
                masked[0] = report;
            }
        });
        listeners.addAll(extra);
        ConnectionOptions defaults = ConnectionOptions.defaults();
        ConnectionOptions copts = new ConnectionOptions(exec.acceptNewHostKeys,
                exec.knownHosts != null ? exec.knownHosts : defaults.knownHostsFile(), defaults.connectTimeout());
        ConnectionFactory factory = new ConnectionFactory();
        Executor executor = new Executor(Templater.shared(), (host, vars) -> factory.open(host, vars, copts),
                new DriverRingReader());
        RunReport report = executor.run(plan, options, RunListener.all(listeners.toArray(new RunListener[0])),
                cancellation, taken);
        return new Outcome(report, masked[0], cancellation.isCancelled(), null);
    }
}
