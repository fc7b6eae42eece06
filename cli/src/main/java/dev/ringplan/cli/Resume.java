package dev.ringplan.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.diag.Diagnostic;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.exec.NodeResult;
import dev.ringplan.engine.exec.RunOptions;
import dev.ringplan.engine.exec.Status;
import dev.ringplan.engine.report.Digests;
import dev.ringplan.engine.report.Json;
import dev.ringplan.engine.report.PreviewDrift;
import dev.ringplan.engine.report.RunHistory;
import dev.ringplan.engine.report.SavedPreview;
import dev.ringplan.engine.secret.Secrets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code ringplan run --resume RUN_ID}: runs again the (task, host) pairs of a journaled run that
 * did not succeed, with the run's plan, inventory, {@code -e} variables, selection, run id and
 * start. A pair succeeded when the journal has it {@code ok}, {@code changed}, {@code skipped}
 * by its condition, or {@code failed} with {@code ignore_errors}, every pair it depends on
 * succeeded too, and, for a task with {@code register}, the journal holds its registered data
 * unmasked; such a pair is taken from the journal (its registered data restored), every other
 * one runs. Refused (exit 2), naming what changed, when the plan file's content, its commit or
 * its imports, the inventory or the secret {@code -e} values differ from the run's. The resumed
 * run is journaled as {@code <original id>-resume-N} with {@code resumed_from} and the taken pairs.
 */
final class Resume {
    private Resume() {
    }

    /**
     * What a run journals so that it can be resumed ({@code run.json}'s {@code resume}): the plan
     * file's sha256, the inventory's facts and the {@code -e} variables (secrets as salted
     * digests, as a saved preview keeps them), the selection. Empty for a remote plan.
     */
    static Map<String, Object> record(RunSupport.Loaded loaded, CommonOptions common) {
        if (loaded.loaded().localFile() == null) {
            return Map.of();
        }
        CompiledPlan plan = loaded.compiled();
        String salt = Digests.newSalt();
        Secrets names = Secrets.of(plan.plan().varsSecret());
        Map<String, Object> r = new LinkedHashMap<>();
        try {
            r.put("plan_sha256", Digests.sha256(Files.readAllBytes(loaded.loaded().localFile())));
        } catch (IOException e) {
            return Map.of(); // not resumable; the run itself goes on
        }
        r.put("salt", salt);
        r.put("inventory", SavedPreview.inventoryFacts(common.inventory, plan.inventory(), names, salt));
        r.put("variables", SavedPreview.variables(plan.extraVars(), names, salt));
        r.put("selection", new SavedPreview.Selection(common.limit, common.tags, common.skipTags));
        return Map.of("resume", r);
    }

    /**
     * Resumes the run {@code id}.
     *
     * @param secretVars the {@code -e} given: the run's secret variables again, nothing else
     * @return the exit code: 2 when refused, else the resumed run's
     */
    static int execute(String id, List<String> secretVars, ExecutionOptions exec, LockOptions lock, PrintWriter out,
                       PrintWriter err) {
        try {
            return resume(id, secretVars, exec, lock, out, err);
        } catch (Refused e) {
            err.println("error: cannot resume run " + id + ": " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        } catch (IOException e) {
            err.println("error: cannot read run " + id + ": " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
    }

    private static int resume(String id, List<String> secretVars, ExecutionOptions exec, LockOptions lock,
                              PrintWriter out, PrintWriter err) throws IOException, Refused {
        Path dir;
        try {
            dir = RunHistory.find(RunsCommand.RUNS, id);
        } catch (IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        }
        String original = dir.getFileName().toString();
        JsonNode meta = RunHistory.read(dir).meta();
        if (meta == null) {
            throw new Refused("it has no run.json");
        }
        if (meta.path("check_mode").asBoolean()) {
            throw new Refused("it is a preview ('ringplan plan'); previews are not resumed");
        }
        JsonNode record = meta.get("resume");
        if (record == null || !record.has("plan_sha256")) {
            throw new Refused("its journal has no resume record (a remote plan, or a run of an older ringplan)");
        }
        String salt = record.path("salt").asText();
        SavedPreview.InventoryFacts savedInventory = Json.MAPPER.treeToValue(record.get("inventory"),
                SavedPreview.InventoryFacts.class);
        SavedPreview.Variables savedVars = Json.MAPPER.treeToValue(record.get("variables"), SavedPreview.Variables.class);
        SavedPreview.Selection selection = Json.MAPPER.treeToValue(record.get("selection"), SavedPreview.Selection.class);
        Path planFile = Path.of(meta.path("plan_file").asText());
        List<String> changed = new ArrayList<>();
        if (!Files.isRegularFile(planFile)) {
            throw new Refused("plan: " + planFile + " does not exist");
        }
        String sha = Digests.sha256(Files.readAllBytes(planFile));
        if (!sha.equals(record.path("plan_sha256").asText())) {
            changed.add("plan: " + planFile + " changed since the run (sha256 " + record.path("plan_sha256").asText()
                    .substring(0, 12) + ", now " + sha.substring(0, 12) + ")");
        }
        CommonOptions common = commonOptions(savedInventory, savedVars, selection, secretVars, dir);
        RunSupport.Loaded loaded;
        try {
            loaded = RunSupport.load(planFile.toString(), common, SandboxSupport.inventory(common.inventory, true, out),
                    exec.verbose.length, err);
        } catch (InvalidInputException e) {
            RunSupport.printDiagnostics(e, err);
            return ExitCodes.INVALID_INPUT;
        } catch (SandboxSupport.SandboxUnavailable e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.UNREACHABLE;
        }
        CompiledPlan plan = loaded.compiled();
        Map<String, Object> facts = CleanTree.facts(loaded.loaded());
        JsonNode was = meta.path("plan_facts");
        if (!Objects.equals(text(was.get("commit")), facts.get("commit"))) {
            changed.add("plan: commit " + text(was.get("commit")) + " at the run, now " + facts.get("commit"));
        }
        if (!Objects.equals(Json.MAPPER.valueToTree(facts.get("imports")), was.get("imports") == null
                ? Json.MAPPER.nullNode() : was.get("imports"))) {
            changed.add("plan: its imports (sources or commits) changed since the run");
        }
        Secrets names = Secrets.of(plan.plan().varsSecret());
        changed.addAll(PreviewDrift.inventory(savedInventory,
                SavedPreview.inventoryFacts(common.inventory, plan.inventory(), names, salt)));
        if (!Objects.equals(SavedPreview.variables(plan.extraVars(), names, salt).secretsDigest(),
                savedVars.secretsDigest())) {
            changed.add("variables: the secret -e variables (" + String.join(", ", savedVars.secretNames())
                    + ") are not the values of the run");
        }
        if (!changed.isEmpty()) {
            err.println("error: cannot resume run " + original + ": " + changed.size() + " difference"
                    + (changed.size() == 1 ? "" : "s") + " since it ran; start a new run instead");
            changed.forEach(c -> err.println("  " + Secrets.process().maskText(c)));
            return ExitCodes.INVALID_INPUT;
        }
        Map<String, NodeResult> taken = taken(plan, journal(dir), original);
        String journalId = journalId(record.hasNonNull("original") ? record.get("original").asText() : original);
        out.println("RESUME run " + original + ": " + ProgressPrinter.count(taken.size(), "node") + " of "
                + plan.nodes().size() + " taken from its journal, " + (plan.nodes().size() - taken.size()) + " to run");
        Map<String, Object> resumeRecord = Json.MAPPER.convertValue(record, new TypeReference<LinkedHashMap<String, Object>>() { });
        resumeRecord.putIfAbsent("original", original);
        Map<String, Object> journalMeta = new LinkedHashMap<>();
        journalMeta.put("resume", resumeRecord);
        journalMeta.put("resumed_from", original);
        journalMeta.put("resume_started", Instant.now().toString());
        journalMeta.put("taken", List.copyOf(taken.keySet()));
        RunOptions options = new RunOptions(meta.path("run_id").asText(), Instant.parse(meta.path("started").asText()),
                false, exec.diff, exec.forks, Path.of("").toAbsolutePath(), facts);
        PlanRunner.Outcome outcome = PlanRunner.run(plan, options, exec, out, true, journalId, journalMeta, List.of(),
                taken, lock, err);
        if (outcome.report() == null) {
            return outcome.exitCode();
        }
        out.println("journal: .ringplan/runs/" + journalId + "/");
        return outcome.exitCode();
    }

    /** The options of the run: its inventory, selection, clear {@code -e} values and the secret ones given again. */
    private static CommonOptions commonOptions(SavedPreview.InventoryFacts inventory, SavedPreview.Variables vars,
                                               SavedPreview.Selection selection, List<String> secretVars, Path dir)
            throws Refused {
        Map<String, Object> again;
        try {
            again = RunSupport.extraVars(secretVars);
        } catch (InvalidInputException e) {
            throw new Refused(e.diagnostics().stream().map(Diagnostic::summary).reduce((a, b) -> a + "; " + b).orElse("-e"));
        }
        List<String> problems = new ArrayList<>();
        for (String k : again.keySet()) {
            if (!vars.secretNames().contains(k)) {
                problems.add("-e " + k + ": a resumed run has the variables of the run; -e may only give again its"
                        + " secret variables" + (vars.secretNames().isEmpty() ? " (it has none)"
                        : " (" + String.join(", ", vars.secretNames()) + ")"));
            }
        }
        for (String k : vars.secretNames()) {
            if (!again.containsKey(k)) {
                problems.add("the run had the secret variable " + k + ", which is not journaled: give it again with -e");
            }
        }
        if (!problems.isEmpty()) {
            throw new Refused(String.join("; ", problems));
        }
        Map<String, Object> clear = new LinkedHashMap<>(vars.extraVars());
        vars.secretNames().forEach(clear::remove);
        CommonOptions c = new CommonOptions();
        c.inventory = Path.of(inventory.file());
        if (!clear.isEmpty()) {
            c.extraVars.add(Digests.canonical(clear));
        }
        c.extraVars.addAll(secretVars);
        c.limit = selection.limit();
        c.tags = selection.tags() == null ? List.of() : selection.tags();
        c.skipTags = selection.skipTags() == null ? List.of() : selection.skipTags();
        return c;
    }

    /** The journal lines of the run in {@code dir} by node name (a line cut short by a kill ends it). */
    static Map<String, JsonNode> journal(Path dir) throws IOException {
        Map<String, JsonNode> lines = new LinkedHashMap<>();
        Path f = dir.resolve("journal.jsonl");
        if (!Files.isRegularFile(f)) {
            return lines;
        }
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = Json.MAPPER.readTree(line);
            } catch (IOException e) {
                break;
            }
            String node = n.hasNonNull("node") ? n.get("node").asText()
                    : TaskNode.nameOf(n.path("task").asText(), n.path("host").asText());
            lines.put(node, n);
        }
        return lines;
    }

    /**
     * The nodes of {@code plan} a resumed run takes from {@code journal} (class doc), with the
     * result each gets: the journaled status, {@code taken from run ORIGINAL: } and the message,
     * the registered data as journaled.
     */
    static Map<String, NodeResult> taken(CompiledPlan plan, Map<String, JsonNode> journal, String original) {
        Set<String> candidates = new LinkedHashSet<>();
        for (TaskNode node : plan.nodes()) {
            JsonNode line = journal.get(node.name());
            if (line != null && succeeded(line) && restorable(node, line)) {
                candidates.add(node.name());
            }
        }
        boolean removed = true;
        while (removed) {
            removed = candidates.removeIf(n -> !candidates.containsAll(plan.graph().dependencies(n)));
        }
        Map<String, NodeResult> out = new LinkedHashMap<>();
        for (TaskNode node : plan.nodes()) {
            if (!candidates.contains(node.name())) {
                continue;
            }
            JsonNode line = journal.get(node.name());
            Map<String, Object> data = node.task().register() == null ? Map.of()
                    : Json.MAPPER.convertValue(line.get("registered"), new TypeReference<LinkedHashMap<String, Object>>() { });
            out.put(node.name(), new NodeResult(node, Status.valueOf(line.path("status").asText().toUpperCase()),
                    TAKEN + original + ": " + ownMessage(line), null, List.of(), data, line.path("ignored").asBoolean(), 0));
        }
        return out;
    }

    /** What a resumed run's message of a taken node starts with. */
    static final String TAKEN = "taken from run ";

    /** Succeeded: ok, changed, skipped by its condition, or a failure ignore_errors tolerated. */
    private static boolean succeeded(JsonNode line) {
        String status = line.path("status").asText();
        return switch (status) {
            case "ok", "changed" -> true;
            case "skipped" -> ownMessage(line).startsWith("condition false: ");
            case "failed" -> line.path("ignored").asBoolean();
            default -> false;
        };
    }

    /** A task without register, or one whose registered data was journaled with no secret masked. */
    private static boolean restorable(TaskNode node, JsonNode line) {
        if (node.task().register() == null) {
            return true;
        }
        JsonNode data = line.get("registered");
        return data != null && data.isObject() && !data.toString().contains(Secrets.MASK);
    }

    /** The node's own message, without the prefix of a resumed run's taken node. */
    private static String ownMessage(JsonNode line) {
        String msg = line.path("msg").asText("");
        while (msg.startsWith(TAKEN) && msg.indexOf(": ") > 0) {
            msg = msg.substring(msg.indexOf(": ") + 2);
        }
        return msg;
    }

    /** {@code <original>-resume-N}, the first N not journaled yet. */
    private static String journalId(String original) {
        String id = original + "-resume-1";
        for (int i = 2; Files.exists(RunsCommand.RUNS.resolve(id)); i++) {
            id = original + "-resume-" + i;
        }
        return id;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    /** Why a run cannot be resumed. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }
}
