package dev.ringplan.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringplan run PLAN}: compile and execute, recording the run under {@code .ringplan/runs/};
 * {@code ringplan run --resume RUN_ID}: run again what a journaled run did not do ({@link Resume}).
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a plan against an inventory.")
public final class RunCommand extends ExecuteSupport {
    @Option(names = "--resume", paramLabel = "RUN_ID",
            description = "Run again only the tasks and hosts of a journaled run that did not succeed, with its plan,"
                    + " inventory and variables (give its secret -e variables again); refused when any changed")
    String resume;

    @picocli.CommandLine.Mixin
    LockOptions lock;

    @Override
    LockOptions lockOptions() {
        return lock;
    }

    @Override
    boolean checkMode() {
        return false;
    }

    @Override
    public Integer call() {
        if (resume == null) {
            return super.call();
        }
        var parsed = spec.commandLine().getParseResult();
        for (String o : new String[] {"--inventory", "--limit", "--tags", "--skip-tags"}) {
            if (parsed.hasMatchedOption(o)) {
                spec.commandLine().getErr().println("error: " + o + " cannot be given with --resume: the resumed run"
                        + " has the run's");
                return ExitCodes.INVALID_INPUT;
            }
        }
        if (planFile != null) {
            spec.commandLine().getErr().println("error: PLAN cannot be given with --resume: the resumed run has the"
                    + " run's plan");
            return ExitCodes.INVALID_INPUT;
        }
        if (exec.forks < 1) {
            spec.commandLine().getErr().println("error: --forks must be at least 1");
            return ExitCodes.INVALID_INPUT;
        }
        return Resume.execute(resume, common.extraVars, exec, lock, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
