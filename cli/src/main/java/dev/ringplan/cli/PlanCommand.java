package dev.ringplan.cli;

import picocli.CommandLine.Command;

/**
 * {@code ringplan plan PLAN}: check mode. Every module's {@code check} runs and reports what it
 * would change, with diffs; nothing is changed on any host (read-only probes such as
 * {@code nodetool status} still run so later tasks can use their results).
 */
@Command(name = "plan", mixinStandardHelpOptions = true, description = "Dry run: show what a run would change, with diffs; change nothing.")
public final class PlanCommand extends ExecuteSupport {
    @Override
    boolean checkMode() {
        return true;
    }
}
