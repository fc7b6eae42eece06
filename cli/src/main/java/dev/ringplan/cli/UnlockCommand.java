package dev.ringplan.cli;

import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.inventory.Inventory;
import dev.ringplan.engine.template.LazyVars;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.modules.CassandraHost;
import dev.ringplan.modules.cql.CqlSettings;
import dev.ringplan.modules.lock.ClusterLock;
import dev.ringplan.modules.lock.ControllerProcess;
import dev.ringplan.modules.lock.LockException;
import dev.ringplan.modules.lock.LockTargets;
import dev.ringplan.modules.lock.RunLock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ringplan unlock CLUSTER --run RUN_ID}: removes the cluster lock of a run that died
 * without releasing it (docs/ci.md, "Cluster lock"), only if that run holds it: a lightweight
 * transaction {@code DELETE ... IF run_id = RUN_ID}. The cluster is found among the hosts of the
 * inventory by its {@code cluster_name}. Exit 0 when removed (or when the cluster has no lock), 4
 * when another run holds it, 2 when no host of the inventory is in that cluster, 3 when the
 * cluster cannot answer.
 */
@Command(name = "unlock", mixinStandardHelpOptions = true,
        description = "Remove the cluster lock of a dead run (only if that run holds it).")
public final class UnlockCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CLUSTER", description = "The cluster's cluster_name, as the lock error names it")
    String cluster;

    @Option(names = "--run", paramLabel = "RUN_ID", required = true, description = "The run whose lock to remove")
    String runId;

    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE",
            description = "Inventory with hosts of that cluster (default: inventories/sandbox.yaml)")
    Path inventory = Path.of("inventories/sandbox.yaml");

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS", description = "Variables, e.g. cql_password (as for run)")
    List<String> extraVars = new ArrayList<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Inventory inv;
        Map<String, Object> extra;
        try {
            inv = SandboxSupport.inventory(inventory, false, out);
            extra = RunSupport.extraVars(extraVars);
        } catch (InvalidInputException e) {
            RunSupport.printDiagnostics(e, err);
            return ExitCodes.INVALID_INPUT;
        } catch (SandboxSupport.SandboxUnavailable e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.UNREACHABLE;
        }
        Map<String, CqlSettings> settings = ClusterLocks.settings(new LinkedHashSet<>(inv.hosts()), h -> {
            LazyVars v = new LazyVars(Templater.shared());
            CassandraHost.DEFAULT_VARS.forEach((k, x) -> v.define(k, x, new LazyVars.Origin("default of '" + k + "'", null)));
            inv.hostVars(h).forEach((k, x) -> v.define(k, x, new LazyVars.Origin("inventory variable '" + k + "' of " + h, null)));
            extra.forEach((k, x) -> v.define(k, x, new LazyVars.Origin("-e variable '" + k + "'", null)));
            v.defineLiteral("inventory_hostname", h);
            return v;
        }, Path.of("").toAbsolutePath(), err);
        LockTargets.Discovery d = LockTargets.discover(settings);
        List<String> names = new ArrayList<>();
        int code = ExitCodes.INVALID_INPUT;
        boolean found = false;
        try {
            for (LockTargets.Found f : d.clusters()) {
                names.add("'" + f.name() + "'");
                ClusterLock lock = new ClusterLock(f.name(), f.session(), f.contacts(),
                        ControllerProcess.current().holder("unlock", Instant.now(), null), RunLock.DEFAULT_TTL,
                        ControllerProcess.current(), ControllerProcess.LOCAL);
                try {
                    if (!f.name().equals(cluster)) {
                        continue;
                    }
                    found = true;
                    ClusterLock.Removal r = lock.unlock(runId);
                    if (r.removed()) {
                        out.println("unlocked cluster '" + cluster + "': removed the lock of " + r.holder().describe());
                        code = Math.max(code == ExitCodes.INVALID_INPUT ? 0 : code, ExitCodes.OK);
                    } else if (r.holder() == null) {
                        out.println("cluster '" + cluster + "' has no lock: nothing to remove");
                        code = code == ExitCodes.INVALID_INPUT ? ExitCodes.OK : code;
                    } else {
                        err.println("error: the lock of cluster '" + cluster + "' is held by " + r.holder().describe()
                                + ", not by run " + runId + ": nothing removed");
                        code = ExitCodes.LOCKED;
                    }
                } catch (LockException e) {
                    err.println("error: " + e.getMessage());
                    code = ExitCodes.UNREACHABLE;
                } finally {
                    lock.close();
                }
            }
        } finally {
            d.clusters().forEach(f -> f.session().closeAsync());
        }
        if (!found) {
            err.println("error: no host of " + inventory + " is in a cluster named '" + cluster + "'"
                    + (names.isEmpty() ? "" : " (clusters found: " + String.join(", ", names) + ")")
                    + (d.unanswered().isEmpty() ? "" : "; hosts that did not answer: " + String.join(", ", d.unanswered().keySet())));
            return d.clusters().isEmpty() && !d.unanswered().isEmpty() ? ExitCodes.UNREACHABLE : ExitCodes.INVALID_INPUT;
        }
        return code;
    }
}
