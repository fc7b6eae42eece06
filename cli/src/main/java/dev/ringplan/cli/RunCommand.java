package dev.ringplan.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ringplan run PLAN}: compile and execute, recording the run under {@code .ringplan/runs/}. */
@Command(name = "run", description = "Run a plan against an inventory.")
public final class RunCommand extends ExecuteSupport implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PLAN", description = "Plan file")
    Path planFile;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return execute(planFile, common, false, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
