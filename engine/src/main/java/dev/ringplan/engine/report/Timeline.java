package dev.ringplan.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A journaled run as a Gantt chart's data: one lane per host, one bar per (task, host) line of
 * the run's {@code journal.jsonl} ({@link Journal}), from its {@code started_at} to its
 * {@code finished_at}, in milliseconds since the run's origin. {@link TimelineSvg} draws it.
 * What it holds was masked when the journal was written.
 *
 * @param runId     the run's id (its directory name)
 * @param plan      the plan's name, or null when {@code run.json} is missing
 * @param planFile  the plan file as given, or null
 * @param commit    the plan's git commit, or null outside git
 * @param dirty     the plan file differed from that commit
 * @param checkMode a preview ({@code ringplan plan})
 * @param outcome   as {@link RunHistory.RunSummary#outcome()}
 * @param origin    time zero of the chart: the run's start, or the first bar's start when earlier
 *                  or when the start is unknown
 * @param spanMs    from the origin to the last bar's end, in milliseconds (0 without bars)
 * @param hosts     the lanes, in the inventory's order ({@code run.json}'s {@code hosts}), then
 *                  hosts only the journal names, in order of appearance; only hosts with a bar
 * @param bars      the bars, by start, then host, then task
 */
public record Timeline(String runId, String plan, String planFile, String commit, boolean dirty, boolean checkMode,
                       String outcome, Instant origin, long spanMs, List<String> hosts, List<Bar> bars) {

    /**
     * One (task, host) as journaled.
     *
     * @param node    {@code task[host]}
     * @param task    the task id
     * @param host    the host
     * @param status  {@code ok}, {@code changed}, {@code unknown}, {@code skipped}, {@code failed},
     *                {@code unreachable} or {@code interrupted} ({@link dev.ringplan.engine.exec.Status})
     * @param ignored a failure {@code ignore_errors} tolerated
     * @param rescue  a node of a block's {@code rescue} section (the journal's {@code rescue_of})
     * @param startMs start, milliseconds since the timeline's origin
     * @param endMs   end, milliseconds since the origin (not before {@code startMs})
     * @param msg     the node's message (masked), empty when none
     */
    public record Bar(String node, String task, String host, String status, boolean ignored, boolean rescue,
                      long startMs, long endMs, String msg) {
        /** How long the node ran, in milliseconds. */
        public long durationMs() {
            return endMs - startMs;
        }

        /**
         * What the bar's color says: {@code rescue} for a rescue node that ran clean ({@code ok}
         * or {@code changed}), {@code ignored} for a failure {@code ignore_errors} tolerated,
         * otherwise the status.
         */
        public String category() {
            if (rescue && ("ok".equals(status) || "changed".equals(status))) {
                return "rescue";
            }
            return ignored && "failed".equals(status) ? "ignored" : status;
        }
    }

    /**
     * The timeline of a journaled run, read from its {@code journal.jsonl} (a last line cut
     * short by a crash ends the journal, as in {@link RunHistory#read}).
     *
     * @throws IllegalArgumentException when the run has no journal, or when a line has no
     *                                  {@code started_at}/{@code finished_at} (a run journaled by a
     *                                  Ringplan older than timelines), or an unreadable one
     * @throws IOException              when the journal cannot be read
     */
    public static Timeline of(RunHistory.Recorded run) throws IOException {
        Path journal = run.summary().dir().resolve("journal.jsonl");
        if (!Files.isRegularFile(journal)) {
            throw new IllegalArgumentException("run " + run.summary().id() + " has no " + journal
                    + ": nothing to draw");
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                try {
                    lines.add(Json.MAPPER.readTree(line));
                } catch (IOException e) {
                    break;
                }
            }
        }
        return of(run.summary(), run.meta(), lines);
    }

    /**
     * The timeline of {@code summary}'s run from its journal lines ({@code meta}, its
     * {@code run.json}, may be null).
     *
     * @throws IllegalArgumentException as {@link #of(RunHistory.Recorded)}
     */
    public static Timeline of(RunHistory.RunSummary summary, JsonNode meta, List<JsonNode> lines) {
        record Times(JsonNode line, Instant start, Instant end) {
        }
        List<Times> timed = new ArrayList<>();
        int n = 0;
        for (JsonNode l : lines) {
            n++;
            Instant start = instant(l.get("started_at"));
            Instant end = instant(l.get("finished_at"));
            if (start == null || end == null) {
                throw new IllegalArgumentException("run " + summary.id() + ": line " + n + " of its journal.jsonl ("
                        + l.path("node").asText(l.path("task").asText("?") + "[" + l.path("host").asText("?") + "]")
                        + ") has no " + (l.has("started_at") || l.has("finished_at") ? "readable " : "")
                        + "started_at/finished_at: the run was journaled by a Ringplan that did not record"
                        + " when each node ran, so no timeline can be drawn ('ringplan show " + summary.id()
                        + "' prints it)");
            }
            timed.add(new Times(l, start, end.isBefore(start) ? start : end));
        }
        Instant first = timed.stream().map(Times::start).min(Comparator.naturalOrder()).orElse(null);
        Instant runStart = summary.started() == null ? null : instant(summary.started());
        Instant origin = runStart != null && (first == null || !first.isBefore(runStart)) ? runStart
                : first != null ? first : Instant.EPOCH;
        List<Bar> bars = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Times t : timed) {
            JsonNode l = t.line();
            String task = l.path("task").asText("");
            String host = l.path("host").asText("");
            seen.add(host);
            bars.add(new Bar(l.path("node").asText(task + "[" + host + "]"), task, host, l.path("status").asText("?"),
                    l.path("ignored").asBoolean(), l.hasNonNull("rescue_of"), millis(origin, t.start()),
                    millis(origin, t.end()), l.path("msg").asText("")));
        }
        bars.sort(Comparator.comparingLong(Bar::startMs).thenComparing(Bar::host).thenComparing(Bar::task));
        List<String> hosts = new ArrayList<>();
        if (meta != null) {
            meta.path("hosts").forEach(h -> {
                if (seen.contains(h.asText()) && !hosts.contains(h.asText())) {
                    hosts.add(h.asText());
                }
            });
        }
        seen.stream().filter(h -> !hosts.contains(h)).forEach(hosts::add);
        long span = bars.stream().mapToLong(Bar::endMs).max().orElse(0);
        return new Timeline(summary.id(), summary.plan(), summary.planFile(), summary.commit(), summary.dirty(),
                summary.checkMode(), summary.outcome(), origin, span, List.copyOf(hosts), List.copyOf(bars));
    }

    /** The bars of {@code host}, by start. */
    public List<Bar> bars(String host) {
        return bars.stream().filter(b -> b.host().equals(host)).toList();
    }

    private static long millis(Instant origin, Instant t) {
        return java.time.Duration.between(origin, t).toMillis();
    }

    private static Instant instant(JsonNode n) {
        return n == null || !n.isTextual() ? null : instant(n.asText());
    }

    private static Instant instant(String s) {
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
