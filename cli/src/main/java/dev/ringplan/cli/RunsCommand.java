package dev.ringplan.cli;

import dev.ringplan.engine.report.RunHistory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringplan runs}: the runs journaled under {@code .ringplan/runs/} of the current
 * directory, newest first: id, start, mode (plan or run), plan, commit, outcome, duration.
 */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List past runs journaled under .ringplan/runs/, newest first (ringplan show ID prints one).")
public final class RunsCommand implements Callable<Integer> {
    /** Where runs are journaled, relative to the working directory. */
    static final Path RUNS = Path.of(".ringplan", "runs");

    @Option(names = {"-n", "--last"}, paramLabel = "N", description = "Only the N newest runs")
    Integer last;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<RunHistory.RunSummary> runs = RunHistory.list(RUNS);
        if (runs.isEmpty()) {
            out.println("no runs under " + RUNS);
            return ExitCodes.OK;
        }
        out.printf("%-32s %-20s %-5s %-24s %-13s %-12s %s%n", "RUN", "STARTED (UTC)", "MODE", "PLAN", "COMMIT", "OUTCOME",
                "DURATION");
        int n = 0;
        for (RunHistory.RunSummary s : runs) {
            if (last != null && n++ >= last) {
                break;
            }
            out.printf("%-32s %-20s %-5s %-24s %-13s %-12s %s%n", s.id(), started(s.started()), s.checkMode() ? "plan" : "run",
                    s.plan() == null ? "?" : s.plan(), commit(s), s.outcome(),
                    s.durationMs() == null ? "-" : String.format("%.1f s", s.durationMs() / 1000.0));
        }
        return ExitCodes.OK;
    }

    /** {@code 2026-12-02 17:02:48} from an ISO-8601 instant; {@code ?} when unknown. */
    static String started(String iso) {
        if (iso == null || iso.length() < 19) {
            return "?";
        }
        return iso.substring(0, 10) + " " + iso.substring(11, 19);
    }

    /** The commit's first 12 hex digits, {@code +} when the plan was modified; {@code -} outside git. */
    static String commit(RunHistory.RunSummary s) {
        return s.commit() == null ? "-" : s.commit().substring(0, Math.min(12, s.commit().length())) + (s.dirty() ? "+" : "");
    }
}
