package dev.ringplan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringplan.engine.exec.Status;
import dev.ringplan.engine.report.RunHistory;
import dev.ringplan.engine.report.Timeline;
import dev.ringplan.engine.report.TimelineSvg;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ringplan show RUN_ID}: one journaled run (an id or a unique prefix of one): what ran,
 * each (task, host) with its message, diff and commands, the failures again, and the RECAP, as
 * recorded (secrets were masked when it was written); for a resumed run ({@code run --resume}),
 * the run it resumed and the (task, host) pairs taken from that run's journal. {@code last} is the
 * newest run. With {@code --timeline FILE.svg|FILE.html} it writes the run's Gantt chart
 * ({@link TimelineSvg}) instead and prints one line saying so; a run journaled without node
 * times, or another file extension, is exit 2.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print a past run: every task and host with diffs, the failures, the RECAP; or draw its timeline.")
public final class ShowCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_ID",
            description = "A run id from 'ringplan runs', a unique prefix of one, or 'last' (the newest run)")
    String id;

    @Option(names = "--timeline", paramLabel = "FILE.svg|FILE.html",
            description = "Write the run's Gantt chart (a lane per host, a bar per task) as SVG, or as one HTML page")
    Path timeline;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        String name = timeline == null ? "" : timeline.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (timeline != null && !name.endsWith(".svg") && !name.endsWith(".html") && !name.endsWith(".htm")) {
            spec.commandLine().getErr().println("error: --timeline " + timeline
                    + ": the file name must end in .svg (an SVG image) or .html (a page embedding it)");
            return ExitCodes.INVALID_INPUT;
        }
        RunHistory.Recorded run;
        Timeline chart;
        try {
            run = RunHistory.read(RunHistory.find(RunsCommand.RUNS, id));
            chart = timeline == null ? null : Timeline.of(run);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        if (chart != null) {
            try {
                TimelineSvg.write(timeline, name.endsWith(".svg") ? TimelineSvg.svg(chart) : TimelineSvg.html(chart));
            } catch (IOException e) {
                throw new IOException("cannot write the timeline to " + timeline + ": " + e, e);
            }
            out.printf("timeline of run %s (%s on %s, %.1f s) written to %s%n", chart.runId(),
                    ProgressPrinter.count(chart.bars().size(), "node"), ProgressPrinter.count(chart.hosts().size(), "host"),
                    chart.spanMs() / 1000.0, timeline);
            return ExitCodes.OK;
        }
        RunHistory.RunSummary s = run.summary();
        out.printf("%s %s (%s) — run %s, %s, started %s UTC, %s, %s%n", s.checkMode() ? "PLAN" : "RUN", s.plan(), s.planFile(),
                s.id(), s.commit() == null ? "not in git" : "commit " + RunsCommand.commit(s), RunsCommand.started(s.started()),
                s.durationMs() == null ? "no report (the run did not finish)" : String.format("%.1f s", s.durationMs() / 1000.0),
                s.outcome());
        if (run.meta() != null && run.meta().hasNonNull("resumed_from")) {
            JsonNode taken = run.meta().path("taken");
            out.println("  resumed from run " + run.meta().get("resumed_from").asText() + ": "
                    + ProgressPrinter.count(taken.size(), "node") + " taken from its journal (not run again)"
                    + (taken.size() == 0 ? "" : ": " + String.join(", ", names(taken))));
        }
        if (run.meta() != null && run.meta().path("extra_vars").size() > 0) {
            out.println("  -e " + run.meta().get("extra_vars"));
        }
        Map<String, Map<String, Integer>> recap = new LinkedHashMap<>();
        StringBuilder failures = new StringBuilder();
        for (JsonNode r : run.results()) {
            String node = r.path("task").asText() + "[" + r.path("host").asText() + "]";
            String status = r.path("status").asText();
            boolean ignored = r.path("ignored").asBoolean();
            out.printf("  %-8s %s (%.1f s)%s  %s%n", status, node, r.path("duration_ms").asLong() / 1000.0,
                    ignored ? " [ignored]" : "", r.path("msg").asText(""));
            if (r.hasNonNull("diff") && !r.get("diff").asText().isEmpty()) {
                r.get("diff").asText().lines().forEach(l -> out.println("      " + l));
            }
            if ("changed".equals(status)) {
                r.path("commands").forEach(c -> out.println("      $ " + c.asText()));
            }
            if (("failed".equals(status) && !ignored) || "unreachable".equals(status)) {
                failures.append("  ").append(node).append(": ").append(r.path("msg").asText("")).append('\n');
            }
            Map<String, Integer> counts = recap.computeIfAbsent(r.path("host").asText(), h -> new LinkedHashMap<>());
            counts.merge(ignored && "failed".equals(status) ? "ignored" : status, 1, Integer::sum);
        }
        if (failures.length() > 0) {
            out.print("FAILURES\n" + failures);
        }
        out.println("RECAP");
        recap.forEach((host, counts) -> {
            StringBuilder sb = new StringBuilder();
            for (Status st : Status.values()) {
                sb.append(' ').append(st.label()).append('=').append(counts.getOrDefault(st.label(), 0));
            }
            sb.append(" ignored=").append(counts.getOrDefault("ignored", 0));
            out.printf("  %-20s%s%n", host, sb);
        });
        return ExitCodes.OK;
    }

    private static java.util.List<String> names(JsonNode array) {
        java.util.List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
