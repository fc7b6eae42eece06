package dev.ringplan.cli;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.exec.RunListener;
import dev.ringplan.engine.exec.RunOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code plan} (check mode) and {@code run} share: arguments, compile, execute, report, exit
 * code. The subclasses differ in {@link #checkMode()} and may add listeners and adjust the exit
 * code ({@link #listeners}, {@link #finish}).
 */
abstract class ExecuteSupport implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "PLAN",
            description = "Plan file, or git+https://HOST/REPO.git//FILE.yaml?ref=REF")
    String planFile;

    @picocli.CommandLine.Mixin
    CommonOptions common;

    @picocli.CommandLine.Mixin
    ExecutionOptions exec;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** True for {@code ringplan plan}: modules only preview. */
    abstract boolean checkMode();

    /** Listeners this command adds to the run's (none by default). */
    List<RunListener> listeners(CompiledPlan plan) {
        return List.of();
    }

    /** The exit code once the run ended with {@code outcome} (its own code by default). */
    int finish(CompiledPlan plan, RunOptions options, PlanRunner.Outcome outcome, PrintWriter out, PrintWriter err) {
        return outcome.exitCode();
    }

    /** The cluster lock options of a command that changes things ({@code run}); null: no lock ({@code plan}). */
    LockOptions lockOptions() {
        return null;
    }

    /** The exit code for invalid input (plan, inventory, arguments); {@code plan --detailed-exitcode} makes it 1. */
    int invalidInput() {
        return ExitCodes.INVALID_INPUT;
    }

    @Override
    public Integer call() {
        return execute(planFile, common, checkMode(), spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Runs {@code planFile}; {@code checkMode} for {@code ringplan plan}. */
    int execute(String planFile, CommonOptions common, boolean checkMode, PrintWriter out, PrintWriter err) {
        if (planFile == null) {
            err.println("error: missing the PLAN argument");
            return invalidInput();
        }
        if (exec.forks < 1) {
            err.println("error: --forks must be at least 1");
            return invalidInput();
        }
        CompiledPlan plan;
        RunSupport.Loaded loaded;
        try {
            var inventory = SandboxSupport.inventory(common.inventory, true, out);
            loaded = RunSupport.load(planFile, common, inventory, exec.verbose.length, err);
            plan = loaded.compiled();
        } catch (InvalidInputException e) {
            RunSupport.printDiagnostics(e, err);
            return invalidInput();
        } catch (SandboxSupport.SandboxUnavailable e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.UNREACHABLE;
        }
        String unclean = CleanTree.refusal(loaded.loaded(), exec.requireClean, System.getenv());
        if (unclean != null) {
            err.println("error: " + unclean);
            return invalidInput();
        }
        Instant started = Instant.now();
        String runId = PlanRunner.runId(started);
        RunOptions options = new RunOptions(runId, started, checkMode, exec.diff || checkMode, exec.forks,
                Path.of("").toAbsolutePath(), CleanTree.facts(loaded.loaded()));
        PlanRunner.Outcome outcome = PlanRunner.run(plan, options, exec, out, true, runId,
                checkMode ? Map.of() : Resume.record(loaded, common), listeners(plan), Map.of(),
                checkMode ? null : lockOptions(), err);
        if (outcome.report() == null) {
            return outcome.exitCode();
        }
        return finish(plan, options, outcome, out, err);
    }
}
