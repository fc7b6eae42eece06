package dev.ringplan.cli;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.connection.ConnectionFactory;
import dev.ringplan.engine.connection.ConnectionOptions;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.exec.Cancellation;
import dev.ringplan.engine.exec.Executor;
import dev.ringplan.engine.exec.RunListener;
import dev.ringplan.engine.exec.RunOptions;
import dev.ringplan.engine.exec.RunReport;
import dev.ringplan.engine.report.Journal;
import dev.ringplan.engine.report.JsonReport;
import dev.ringplan.engine.template.Templater;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * What {@code plan} (check mode) and {@code run} share: arguments, compile, execute, report, exit
 * code. The subclasses differ only in {@link #checkMode()}.
 */
abstract class ExecuteSupport implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Parameters(index = "0", paramLabel = "PLAN",
            description = "Plan file, or git+https://HOST/REPO.git//FILE.yaml?ref=REF")
    String planFile;

    @picocli.CommandLine.Mixin
    CommonOptions common;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** True for {@code ringplan plan}: modules only preview. */
    abstract boolean checkMode();

    @Override
    public Integer call() {
        return execute(planFile, common, checkMode(), spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    @Option(names = "--forks", paramLabel = "N", description = "Most (task, host) nodes at once (default: ${DEFAULT-VALUE})")
    int forks = 10;

    @Option(names = "--report-json", paramLabel = "FILE", description = "Write a JSON report of the run")
    Path reportJson;

    @Option(names = {"-D", "--diff"}, description = "Show diffs of changed files")
    boolean diff;

    @Option(names = "--accept-new-host-keys", description = "Accept and record unknown SSH host keys (changed keys are always refused)")
    boolean acceptNewHostKeys;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file for SSH host key checks (default ~/.ssh/known_hosts)")
    Path knownHosts;

    @Option(names = "--require-clean", description = "Refuse to run a plan whose file is not committed in git")
    boolean requireClean;

    @Option(names = {"-v", "--verbose"}, description = "Print each task's result data (JSON) after its line;"
            + " -vv, -vvv... also raise ansible_verbosity (debug's verbosity)")
    boolean[] verbose = new boolean[0];

    /** Milliseconds between heartbeat lines of a long-running node (hidden: tests shorten it). */
    @Option(names = "--heartbeat-ms", hidden = true, paramLabel = "MS")
    long heartbeatMs = Heartbeat.DEFAULT_INTERVAL.toMillis();

    /** Runs {@code planFile}; {@code checkMode} for {@code ringplan plan}. */
    int execute(String planFile, CommonOptions common, boolean checkMode, PrintWriter out, PrintWriter err) {
        if (forks < 1) {
            err.println("error: --forks must be at least 1");
            return ExitCodes.INVALID_INPUT;
        }
        CompiledPlan plan;
        RunSupport.Loaded loaded;
        try {
            var inventory = SandboxSupport.inventory(common.inventory, true, out);
            loaded = RunSupport.load(planFile, common, inventory, verbose.length, err);
            plan = loaded.compiled();
        } catch (InvalidInputException e) {
            RunSupport.printDiagnostics(e, err);
            return ExitCodes.INVALID_INPUT;
        } catch (SandboxSupport.SandboxUnavailable e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.UNREACHABLE;
        }
        String refused = CleanTree.refusal(loaded.loaded(), requireClean, System.getenv());
        if (refused != null) {
            err.println("error: " + refused);
            return ExitCodes.INVALID_INPUT;
        }
        Map<String, Object> facts = CleanTree.facts(loaded.loaded());
        Instant started = Instant.now();
        String runId = runId(started);
        Path workDir = Path.of("").toAbsolutePath();
        RunOptions options = new RunOptions(runId, started, checkMode, diff || checkMode, forks, workDir, facts);
        List<RunListener> listeners = new ArrayList<>();
        ProgressPrinter progress = new ProgressPrinter(out, diff || checkMode, verbose.length > 0);
        // The heartbeat first: it stops a node's heartbeat before the printer writes its result.
        listeners.add(new Heartbeat(out, progress, java.time.Duration.ofMillis(heartbeatMs)));
        listeners.add(progress);
        listeners.add(new Journal(workDir.resolve(".ringplan").resolve("runs"), runId));
        if (reportJson != null) {
            listeners.add(new JsonReport(reportJson));
        }
        ConnectionOptions defaults = ConnectionOptions.defaults();
        ConnectionOptions copts = new ConnectionOptions(acceptNewHostKeys,
                knownHosts != null ? knownHosts : defaults.knownHostsFile(), defaults.connectTimeout());
        ConnectionFactory factory = new ConnectionFactory();
        Executor executor = new Executor(Templater.shared(), (host, vars) -> factory.open(host, vars, copts));
        Cancellation cancellation = new Cancellation();
        RunReport report;
        try (Cancellation.Registration signals = Interrupts.during(cancellation)) {
            report = executor.run(plan, options, RunListener.all(listeners.toArray(new RunListener[0])), cancellation);
        }
        if (cancellation.isCancelled()) {
            return ExitCodes.INTERRUPTED;
        }
        if (report.anyUnreachable()) {
            return ExitCodes.UNREACHABLE;
        }
        return report.anyFailed() ? ExitCodes.TASK_FAILED : ExitCodes.OK;
    }

    private static String runId(Instant t) {
        String ts = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(t);
        return ts + "-" + Integer.toHexString(0x1000 + new SecureRandom().nextInt(0xf000));
    }
}
