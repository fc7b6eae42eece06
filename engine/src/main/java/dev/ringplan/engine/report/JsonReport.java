package dev.ringplan.engine.report;

import dev.ringplan.engine.secret.Secrets;
import dev.ringplan.engine.exec.NodeResult;
import dev.ringplan.engine.exec.RunListener;
import dev.ringplan.engine.exec.RunReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code --report-json FILE} when the run ends:
 * <pre>{"plan": name, "plan_file": path, "run_id": id, "check_mode": bool, "commit": sha|null,
 *  "results": [{"task": id, "host": name,
 *               "status": "ok|changed|unknown|skipped|failed|unreachable|interrupted",
 *               "changed": bool, "msg": text, "diff": text|null, "ignored": bool, "duration_ms": n}],
 *  "stats": {"ok": n, "changed": n, "unknown": n, ..., "rescued": n, "ignored": n}}</pre>
 * where the stats are the RECAP's counters summed over hosts ({@link RunReport#counts()}):
 * {@code unknown} only in check mode (whether it would change is known after apply),
 * {@code failed} without the failures {@code ignore_errors} tolerated, which {@code ignored}
 * counts ({@link RunReport#ignored()}), and {@code rescued} the (block, host) pairs whose rescue
 * ran clean ({@link RunReport#rescued()}).
 * Secrets are masked.
 */
public final class JsonReport implements RunListener {
    private final Path file;

    /** A listener writing to {@code file} (parents created). */
    public JsonReport(Path file) {
        this.file = file;
    }

    /** The report of {@code report} as a JSON-ready map. */
    public static Map<String, Object> toMap(RunReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("plan", report.planName());
        m.put("plan_file", report.planFile());
        m.put("run_id", report.options().runId());
        m.put("check_mode", report.options().checkMode());
        m.put("commit", report.options().planFacts().get("commit"));
        m.put("started", report.options().started().toString());
        m.put("duration_ms", report.durationMs());
        List<Map<String, Object>> results = new ArrayList<>();
        for (NodeResult r : report.results()) {
            results.add(result(r));
        }
        m.put("results", results);
        Map<String, Object> stats = new LinkedHashMap<>();
        report.counts().forEach((k, v) -> stats.put(k.label(), v));
        stats.put("rescued", report.rescued().values().stream().mapToInt(Integer::intValue).sum());
        stats.put("ignored", report.ignored().values().stream().mapToInt(Integer::intValue).sum());
        m.put("stats", stats);
        return m;
    }

    /** One result as a JSON-ready map. */
    public static Map<String, Object> result(NodeResult r) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("task", r.node().task().id());
        x.put("host", r.node().host());
        x.put("status", r.status().label());
        x.put("changed", r.changed());
        x.put("msg", r.msg());
        x.put("diff", r.diff());
        x.put("ignored", r.ignored());
        x.put("duration_ms", r.durationMs());
        x.put("commands", r.commands());
        return x;
    }

    @Override
    public void runFinished(RunReport report) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), Secrets.mask(toMap(report)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + file + ": " + e.getMessage(), e);
        }
    }
}
