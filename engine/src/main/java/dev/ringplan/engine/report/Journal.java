package dev.ringplan.engine.report;

import dev.ringplan.engine.secret.Secrets;
import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.exec.NodeResult;
import dev.ringplan.engine.exec.RunListener;
import dev.ringplan.engine.exec.RunOptions;
import dev.ringplan.engine.exec.RunReport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the run down as it happens (so an interrupted run leaves its record) under {@code .ringplan/runs/<run-id>/}:
 * {@code run.json} (run id and start, plan name, file and git facts (commit, branch, dirty flag),
 * check mode, forks, the inventory's host names, the {@code -e} extra vars with secrets masked,
 * the node count) at the start, one JSON line per node result in {@code journal.jsonl} as each ends
 * (flushed, so an interrupted run leaves what finished; the report's fields plus {@code node},
 * {@code started_at} and {@code finished_at} (ISO-8601 instants, UTC, the start derived from the
 * node's wall time), {@code rescue_of} (the block's id) for a node of a block's {@code rescue}, and
 * for a task with {@code register} the {@code registered} data, which {@code run --resume}
 * restores), and {@code report.json} at the end.
 * Journal write failures are reported once on stderr and never stop the run. What it writes comes
 * masked from the executor ({@link Secrets#masking}); secret-named keys are masked once more here.
 */
public final class Journal implements RunListener {
    private final Path dir;
    private final Map<String, Object> extra;
    private BufferedWriter out;
    private boolean broken;

    /** A journal under {@code runsDir/<runId>/}. */
    public Journal(Path runsDir, String runId) {
        this(runsDir, runId, Map.of());
    }

    /**
     * A journal under {@code runsDir/<dirName>/} whose {@code run.json} also holds {@code extra}
     * (e.g. an applied saved preview: the file, and when the apply started, since the run keeps
     * the preview's run id and start).
     */
    public Journal(Path runsDir, String dirName, Map<String, Object> extra) {
        this.dir = runsDir.resolve(dirName);
        this.extra = Map.copyOf(extra);
    }

    /** The run's directory. */
    public Path dir() {
        return dir;
    }

    @Override
    public synchronized void runStarted(CompiledPlan plan, RunOptions options) {
        try {
            Files.createDirectories(dir);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("run_id", options.runId());
            meta.put("started", options.started().toString());
            meta.put("plan", plan.plan().name());
            meta.put("plan_file", plan.plan().file());
            meta.put("plan_facts", options.planFacts());
            meta.put("check_mode", options.checkMode());
            meta.put("forks", options.forks());
            meta.put("hosts", plan.inventory().hosts());
            meta.put("extra_vars", Secrets.mask(plan.extraVars()));
            meta.put("nodes", plan.nodes().size());
            meta.putAll(extra);
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("run.json").toFile(), meta);
            out = Files.newBufferedWriter(dir.resolve("journal.jsonl"), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public synchronized void nodeFinished(NodeResult result) {
        if (out == null) {
            return;
        }
        try {
            Map<String, Object> line = JsonReport.result(result);
            line.put("node", result.node().name());
            Instant finished = Instant.now();
            line.put("started_at", finished.minusMillis(result.durationMs()).toString());
            line.put("finished_at", finished.toString());
            if (result.node().isRescue()) {
                line.put("rescue_of", result.node().rescuedBlock().id()); // the block it rescues, for timelines
            }
            if (result.node().task().register() != null) {
                line.put("registered", result.data()); // what a resumed run restores (masked: it reruns the task)
            }
            out.write(Json.MAPPER.writeValueAsString(Secrets.mask(line)));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    @Override
    public synchronized void runFinished(RunReport report) {
        try {
            if (out != null) {
                out.close();
                out = null;
            }
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("report.json").toFile(),
                    Secrets.mask(JsonReport.toMap(report)));
        } catch (IOException e) {
            fail(e);
        }
    }

    /**
     * Rewrites {@code run.json} with {@code more} added (replacing keys of the same name), for what
     * is known only at the end of the run (e.g. the cluster lock's record). The values added are
     * masked ({@link Secrets#mask}); the rest is written back as it was. A failure warns once, as every journal write.
     */
    public synchronized void amend(Map<String, Object> more) {
        java.io.File f = dir.resolve("run.json").toFile();
        if (!f.isFile()) {
            return;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> meta = Json.MAPPER.readValue(f, LinkedHashMap.class);
            more.forEach((k, v) -> meta.put(k, Secrets.mask(v)));
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(f, meta);
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(IOException e) {
        if (!broken) {
            broken = true;
            System.err.println("warning: cannot write the run journal under " + dir + ": " + e.getMessage());
        }
    }
}
