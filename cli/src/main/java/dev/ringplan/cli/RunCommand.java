package dev.ringplan.cli;

import picocli.CommandLine.Command;

/** {@code ringplan run PLAN}: compile and execute, recording the run under {@code .ringplan/runs/}. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a plan against an inventory.")
public final class RunCommand extends ExecuteSupport {
    @Override
    boolean checkMode() {
        return false;
    }
}
