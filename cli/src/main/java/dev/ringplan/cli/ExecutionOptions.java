package dev.ringplan.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of the commands that execute a plan: plan, run and apply (a picocli mixin). */
public final class ExecutionOptions {
    /** {@code --forks N}. */
    @Option(names = "--forks", paramLabel = "N", description = "Most (task, host) nodes at once (default: ${DEFAULT-VALUE})")
    int forks = 10;

    /** {@code --report-json FILE}. */
    @Option(names = "--report-json", paramLabel = "FILE", description = "Write a JSON report of the run")
    Path reportJson;

    /** {@code --report-junit FILE}. */
    @Option(names = "--report-junit", paramLabel = "FILE",
            description = "Write a JUnit XML report (one test case per task and host) for CI test reporters")
    Path reportJunit;

    /** {@code -D}. */
    @Option(names = {"-D", "--diff"}, description = "Show diffs of changed files")
    boolean diff;

    /** {@code --accept-new-host-keys}. */
    @Option(names = "--accept-new-host-keys", description = "Accept and record unknown SSH host keys (changed keys are always refused)")
    boolean acceptNewHostKeys;

    /** {@code --known-hosts FILE}. */
    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file for SSH host key checks (default ~/.ssh/known_hosts)")
    Path knownHosts;

    /** {@code --require-clean}; implied by {@code CI=true} in the environment. */
    @Option(names = "--require-clean", description = "Refuse to run a plan whose file is not committed in git (implied by CI=true)")
    boolean requireClean;

    /** {@code -v}, {@code -vv}, ... */
    @Option(names = {"-v", "--verbose"}, description = "Print each task's result data (JSON) after its line;"
            + " -vv, -vvv... also raise ansible_verbosity (debug's verbosity)")
    boolean[] verbose = new boolean[0];

    /** Milliseconds between heartbeat lines of a long-running node (hidden: tests shorten it). */
    @Option(names = "--heartbeat-ms", hidden = true, paramLabel = "MS")
    long heartbeatMs = Heartbeat.DEFAULT_INTERVAL.toMillis();
}
