package dev.ringplan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ringplan plan PLAN}: check mode. Every module's {@code check} runs and reports what it
 * would change, with diffs; nothing is changed on any host (read-only probes such as
 * {@code nodetool status} still run so later tasks can use their results).
 */
@Command(name = "plan", description = "Dry run: show what a run would change, with diffs; change nothing.")
public final class PlanCommand extends ExecuteSupport implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PLAN", description = "Plan file")
    Path planFile;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return execute(planFile, common, true, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
