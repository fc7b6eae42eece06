package dev.ringplan.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The runs journaled under {@code .ringplan/runs/} ({@link Journal}): a summary of each, and one
 * run's record read back. What is read was masked when it was written.
 */
public final class RunHistory {
    private RunHistory() {
    }

    /**
     * One journaled run.
     *
     * @param id         its directory name (the run id; {@code <id>-apply} for an applied saved preview)
     * @param started    ISO-8601 start ({@code apply_started} for an applied saved preview,
     *                   {@code resume_started} for a resumed run), or null
     *                   when {@code run.json} is missing
     * @param plan       the plan's name
     * @param planFile   the plan file as given
     * @param commit     the plan's commit, or null outside git
     * @param dirty      the plan file differed from the commit
     * @param checkMode  a {@code ringplan plan}
     * @param outcome    interrupted, unreachable, failed, changed, ok ({@code report.json}'s stats, in
     *                   that order of precedence), or incomplete when the run left no report
     * @param durationMs wall time, or null when incomplete
     * @param dir        its directory
     */
    public record RunSummary(String id, String started, String plan, String planFile, String commit, boolean dirty,
                             boolean checkMode, String outcome, Long durationMs, Path dir) {
    }

    /**
     * A run's record: {@code run.json}, the node results ({@code report.json}'s, or the journal
     * lines of a run that left no report), and {@code report.json} (null when missing).
     */
    public record Recorded(RunSummary summary, JsonNode meta, List<JsonNode> results, JsonNode report) {
    }

    /** Every run under {@code runsDir}, newest first; none when the directory does not exist. */
    public static List<RunSummary> list(Path runsDir) throws IOException {
        if (!Files.isDirectory(runsDir)) {
            return List.of();
        }
        List<RunSummary> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(runsDir)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                out.add(read(d).summary());
            }
        }
        out.sort(Comparator.comparing((RunSummary s) -> s.started() == null ? "" : s.started())
                .thenComparing(RunSummary::id).reversed());
        return out;
    }

    /**
     * The run whose id is {@code id}, or starts with it; {@code last} is the newest run (first of
     * {@link #list}: an applied preview or a resumed run by when it started).
     *
     * @throws IllegalArgumentException when no run, or several, match (the message says which)
     */
    public static Path find(Path runsDir, String id) throws IOException {
        if (id.equals("last")) {
            List<RunSummary> all = list(runsDir);
            if (all.isEmpty()) {
                throw new IllegalArgumentException("no run under " + runsDir + ": 'last' names none");
            }
            return all.get(0).dir();
        }
        if (!id.isEmpty() && !id.contains("/") && !id.contains("\\") && !id.startsWith(".")
                && Files.isDirectory(runsDir.resolve(id))) {
            return runsDir.resolve(id);
        }
        List<String> matches = new ArrayList<>();
        for (RunSummary s : list(runsDir)) {
            if (s.id().startsWith(id)) {
                matches.add(s.id());
            }
        }
        if (matches.size() == 1) {
            return runsDir.resolve(matches.get(0));
        }
        throw new IllegalArgumentException(matches.isEmpty() ? "no run '" + id + "' under " + runsDir
                + " ('ringplan runs' lists them)" : "'" + id + "' matches several runs: " + String.join(", ", matches));
    }

    /** Reads the record of the run in {@code dir}. */
    public static Recorded read(Path dir) throws IOException {
        JsonNode meta = json(dir.resolve("run.json"));
        JsonNode report = json(dir.resolve("report.json"));
        List<JsonNode> results = new ArrayList<>();
        if (report != null && report.get("results") != null) {
            report.get("results").forEach(results::add);
        } else if (Files.isRegularFile(dir.resolve("journal.jsonl"))) {
            for (String line : Files.readAllLines(dir.resolve("journal.jsonl"), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    try {
                        results.add(Json.MAPPER.readTree(line));
                    } catch (IOException e) {
                        break; // a line cut short by a crash ends the journal
                    }
                }
            }
        }
        JsonNode m = meta != null ? meta : report;
        JsonNode facts = meta != null ? meta.path("plan_facts") : null;
        String commit = facts != null ? text(facts.get("commit")) : report != null ? text(report.get("commit")) : null;
        // an applied saved preview keeps the preview's run id and start; it started at apply_started
        // a resumed run keeps the original's too; it started at resume_started
        String started = m == null ? null : text(m.has("apply_started") ? m.get("apply_started")
                : m.has("resume_started") ? m.get("resume_started") : m.get("started"));
        RunSummary s = new RunSummary(dir.getFileName().toString(), started,
                m == null ? null : text(m.get("plan")), m == null ? null : text(m.get("plan_file")), commit,
                facts != null && facts.path("dirty").asBoolean(), m != null && m.path("check_mode").asBoolean(),
                outcome(report), report == null || !report.has("duration_ms") ? null : report.get("duration_ms").asLong(), dir);
        return new Recorded(s, meta, results, report);
    }

    private static String outcome(JsonNode report) {
        if (report == null || report.get("stats") == null) {
            return "incomplete";
        }
        JsonNode st = report.get("stats");
        for (String s : new String[] {"interrupted", "unreachable", "failed"}) {
            if (st.path(s).asInt() > 0) {
                return s;
            }
        }
        return st.path("changed").asInt() > 0 || st.path("unknown").asInt() > 0 ? "changed" : "ok";
    }

    private static JsonNode json(Path f) {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(f.toFile());
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
