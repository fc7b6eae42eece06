package dev.ringplan.cli;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.exec.Cancellation;
import dev.ringplan.engine.exec.RunOptions;
import dev.ringplan.engine.exec.Variables;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.secret.Secrets;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.template.Truth;
import dev.ringplan.modules.CassandraHost;
import dev.ringplan.modules.cql.CqlSettings;
import dev.ringplan.modules.lock.ControllerProcess;
import dev.ringplan.modules.lock.RunLock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The cluster lock of a run, as the CLI takes it ({@link RunLock}; docs/ci.md, "Cluster lock"):
 * which hosts (every host a node of the compiled plan runs on, except those with
 * {@code ringplan_lock: false}), their CQL settings (their variables as a task sees them outside
 * any task: {@link CassandraHost}, {@code -e} included), and the messages.
 */
final class ClusterLocks {
    /** Request timeout of the lock's statements. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** How long the lock waits for schema agreement after creating its table. */
    static final Duration SCHEMA_TIMEOUT = Duration.ofSeconds(30);

    private ClusterLocks() {
    }

    /**
     * Takes the lock of every cluster {@code plan} targets.
     *
     * @return the locks (the caller keeps and closes them)
     * @throws RunLock.Conflict     when a cluster stays held by another run
     * @throws InterruptedException when {@code cancellation} ended the wait
     */
    static RunLock take(CompiledPlan plan, RunOptions options, LockOptions lock, Cancellation cancellation,
                        PrintWriter out, PrintWriter err) throws RunLock.Conflict, InterruptedException {
        Variables vars = new Variables(plan, options, Templater.shared());
        Set<String> hosts = new LinkedHashSet<>();
        for (TaskNode n : plan.nodes()) {
            hosts.add(n.host());
        }
        Map<String, CqlSettings> settings = settings(hosts, vars::forHost, options.workDir(), err);
        ControllerProcess self = ControllerProcess.current();
        return RunLock.take(settings, self.holder(options.runId(), options.started(), plan.plan().file()), RunLock.DEFAULT_TTL,
                lock.timeout, cancellation::sleep, m -> println(out, m), m -> println(err, "warning: " + m));
    }

    /**
     * The CQL settings of {@code hosts}: those whose variables say {@code ringplan_lock: false}
     * are left out; a host whose variables cannot be read is left out with a warning.
     */
    static Map<String, CqlSettings> settings(Set<String> hosts, Function<String, Map<String, Object>> varsOf, Path workDir,
                                             PrintWriter err) {
        Map<String, CqlSettings> out = new LinkedHashMap<>();
        for (String h : hosts) {
            try {
                Map<String, Object> v = varsOf.apply(h);
                Object flag = v.get("ringplan_lock");
                if (flag != null && Boolean.FALSE.equals(Truth.parse(flag))) {
                    continue;
                }
                out.put(h, CqlSettings.forHost(CassandraHost.of(h, v), workDir, REQUEST_TIMEOUT, SCHEMA_TIMEOUT));
            } catch (ModuleException | RuntimeException e) {
                println(err, "warning: no lock for host " + h + ": its CQL variables cannot be read: " + e.getMessage());
            }
        }
        return out;
    }

    private static void println(PrintWriter w, String m) {
        w.println(Secrets.process().maskText(m));
        w.flush();
    }
}
