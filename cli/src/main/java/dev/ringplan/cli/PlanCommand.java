package dev.ringplan.cli;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.exec.RunOptions;
import dev.ringplan.engine.exec.Status;
import dev.ringplan.engine.git.PlanCommit;
import dev.ringplan.engine.report.SavedPreview;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringplan plan PLAN}: check mode. Every module's {@code check} runs and reports what it
 * would change, with diffs; nothing is changed on any host (read-only probes such as
 * {@code nodetool status} still run so later tasks can use their results). {@code -o FILE} saves
 * the preview for {@code ringplan apply FILE} ({@link SavedPreview}); {@code --detailed-exitcode}
 * exits as {@code terraform plan -detailed-exitcode} does.
 */
@Command(name = "plan", mixinStandardHelpOptions = true, description = "Dry run: show what a run would change, with diffs; change nothing.")
public final class PlanCommand extends ExecuteSupport {
    /** Exit code of {@code --detailed-exitcode} when changes are pending. */
    static final int CHANGES_PENDING = 2;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "Save the preview to FILE (JSON) for 'ringplan apply FILE'; written only when no check failed")
    Path saveTo;

    @Option(names = "--detailed-exitcode",
            description = "Exit 0 when nothing would change, 2 when something would or may change (changed, unknown), 1 on any error")
    boolean detailedExitcode;

    @Override
    boolean checkMode() {
        return true;
    }

    @Override
    int invalidInput() {
        return detailedExitcode ? ExitCodes.TASK_FAILED : ExitCodes.INVALID_INPUT;
    }

    @Override
    int finish(CompiledPlan plan, RunOptions options, PlanRunner.Outcome outcome, PrintWriter out, PrintWriter err) {
        int code = outcome.exitCode();
        if (saveTo != null) {
            if (dev.ringplan.engine.share.GitSource.isGit(planFile)) {
                err.println("error: no saved preview written to " + saveTo + ": saved previews are for plan files"
                        + " (apply checks the file's digest); check the repository out at that ref and plan its file");
                code = ExitCodes.INVALID_INPUT;
            } else if (code != ExitCodes.OK) {
                err.println("error: no saved preview written to " + saveTo + ": the preview did not complete"
                        + " (a check failed, a host was unreachable or it was interrupted)");
            } else {
                try {
                    Path local = Path.of(planFile);
                    SavedPreview.of(local, Files.readAllBytes(local), PlanCommit.of(local), common.inventory,
                            plan, new SavedPreview.Selection(common.limit, common.tags, common.skipTags),
                            outcome.masked()).write(saveTo);
                    out.println("Saved the preview to " + saveTo + "; run exactly this with: ringplan apply " + saveTo);
                } catch (IOException | RuntimeException e) {
                    err.println("error: cannot write the saved preview " + saveTo + ": " + e.getMessage());
                    code = ExitCodes.TASK_FAILED;
                }
            }
        }
        if (!detailedExitcode || code == ExitCodes.INTERRUPTED) {
            return code;
        }
        if (code != ExitCodes.OK) {
            return ExitCodes.TASK_FAILED;
        }
        var counts = outcome.report().counts();
        return counts.get(Status.CHANGED) + counts.get(Status.UNKNOWN) > 0 ? CHANGES_PENDING : ExitCodes.OK;
    }
}
