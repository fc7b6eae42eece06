package dev.ringplan.cli;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.exec.NodeResult;
import dev.ringplan.engine.exec.RunOptions;
import dev.ringplan.engine.report.Digests;
import dev.ringplan.engine.report.PreviewDrift;
import dev.ringplan.engine.report.RunHistory;
import dev.ringplan.engine.report.SavedPreview;
import dev.ringplan.engine.secret.Secrets;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ringplan apply FILE}: runs a saved preview ({@code plan -o FILE}) as {@code terraform
 * apply PLANFILE} does: the same plan file, inventory, {@code -e} variables, {@code --limit} and
 * tags, and the preview's run id and timestamp (so {@code run.id}, {@code run.timestamp} render
 * as previewed). Before anything changes it checks that nothing the preview relied on drifted:
 * the plan file's content, the inventory (hosts, groups, variables, secrets by digest), the
 * secret {@code -e} values (given again with {@code -e}: they are not saved), then previews again
 * and compares every (task, host): status, summary, diff, commands, what the check read. Any
 * difference refuses the apply with exit 2, naming it. After the run it says whether the run did
 * what the preview said.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Run a saved preview (ringplan plan -o FILE) exactly; refuse (exit 2) when the plan, the inventory"
                + " or what the preview read has changed since.")
public final class ApplyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "Saved preview written by 'ringplan plan -o FILE'")
    Path savedFile;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
            description = "The secret -e variables of the preview, given again (they are not saved); nothing else")
    List<String> extraVars = new ArrayList<>();

    @Mixin
    ExecutionOptions exec;

    @Mixin
    LockOptions lock;

    @Option(names = "--debug", description = "Print stack traces of internal errors")
    boolean debug;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SavedPreview saved;
        try {
            saved = SavedPreview.read(savedFile);
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        String earlier = earlierApply(saved.run().id());
        if (earlier != null) {
            err.println("error: the saved preview " + savedFile + " was applied already (" + earlier + "); a saved"
                    + " preview applies once, as Terraform's saved plan: run 'ringplan plan -o' again and review it"
                    + " (an interrupted apply continues with 'ringplan run --resume " + saved.run().id() + "-apply')");
            return ExitCodes.INVALID_INPUT;
        }
        Path planFile = Path.of(saved.plan().file());
        String planDrift = planDrift(saved, planFile);
        if (planDrift != null) {
            return refuse(err, List.of(planDrift));
        }
        CompiledPlan plan;
        RunSupport.Loaded loaded;
        try {
            CommonOptions common = commonOptions(saved);
            loaded = RunSupport.load(planFile.toString(), common, SandboxSupport.inventory(common.inventory, true, out),
                    exec.verbose.length, err);
            plan = loaded.compiled();
        } catch (InvalidInputException e) {
            RunSupport.printDiagnostics(e, err);
            return ExitCodes.INVALID_INPUT;
        } catch (SandboxSupport.SandboxUnavailable e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.UNREACHABLE;
        }
        String unclean = CleanTree.refusal(loaded.loaded(), exec.requireClean, System.getenv());
        if (unclean != null) {
            err.println("error: " + unclean);
            return ExitCodes.INVALID_INPUT;
        }
        List<String> drift = inputDrift(saved, plan);
        if (!drift.isEmpty()) {
            return refuse(err, drift);
        }
        out.println("APPLY " + savedFile + ": plan " + saved.plan().name() + " (" + planFile + "), previewed as run "
                + saved.run().id() + " at " + saved.created() + (saved.plan().commit() != null
                ? " on commit " + saved.plan().commit().substring(0, 12) : "") + "; previewing again");
        Instant started = Instant.parse(saved.run().started());
        Map<String, Object> facts = CleanTree.facts(loaded.loaded());
        RunOptions check = new RunOptions(saved.run().id(), started, true, true, exec.forks, Path.of("").toAbsolutePath(), facts);
        PlanRunner.Outcome preview = PlanRunner.run(plan, check, quiet(exec), out, false, null, List.of());
        if (preview.interrupted()) {
            return ExitCodes.INTERRUPTED;
        }
        List<SavedPreview.NodeEntry> now = new ArrayList<>();
        preview.masked().results().forEach(r -> now.add(SavedPreview.entry(r)));
        drift = PreviewDrift.nodes(saved.changes(), now);
        if (!drift.isEmpty()) {
            return refuse(err, drift);
        }
        out.println("the preview holds: " + ProgressPrinter.count(now.size(), "node") + " as saved; applying");
        RunOptions options = new RunOptions(saved.run().id(), started, false, exec.diff, exec.forks,
                Path.of("").toAbsolutePath(), facts);
        String journalId = journalId(saved.run().id());
        Map<String, Object> applied = new LinkedHashMap<>();
        applied.put("saved_preview", savedFile.toString());
        applied.put("apply_started", Instant.now().toString());
        PlanRunner.Outcome outcome = PlanRunner.run(plan, options, exec, out, true, journalId, applied, List.of(),
                Map.of(), lock, err);
        if (outcome.report() == null) {
            return outcome.exitCode();
        }
        out.println("journal: .ringplan/runs/" + journalId + "/");
        if (!outcome.interrupted()) {
            List<String> differs = runVersusPreview(saved, outcome.masked().results());
            out.println(differs.isEmpty() ? "applied as previewed" : "the run differs from the preview:");
            differs.forEach(d -> out.println("  " + d));
        }
        return outcome.exitCode();
    }

    /**
     * The journal directory of the applied run: {@code <preview run id>-apply} (the run renders
     * the preview's run id; the preview's own journal has that name).
     */
    private static String journalId(String previewId) {
        return previewId + "-apply";
    }

    /**
     * Where this controller's run history says the preview was applied before: the journal
     * directory {@code .ringplan/runs/<preview run id>-apply/} and its outcome, or null. A saved
     * preview applies once (Terraform refuses a saved plan once the state it was made against
     * has moved); a plan whose predicted changes recur would otherwise apply again unnoticed.
     * Only this checkout's history is seen: a CI job in a fresh clone cannot tell.
     */
    private static String earlierApply(String previewId) {
        Path dir = Path.of(".ringplan", "runs", journalId(previewId));
        if (!Files.isDirectory(dir)) {
            return null;
        }
        String outcome;
        try {
            outcome = "outcome " + RunHistory.read(dir).summary().outcome();
        } catch (IOException e) {
            outcome = "journal unreadable: " + e.getMessage();
        }
        return "run " + journalId(previewId) + ", " + outcome + "; journal .ringplan/runs/" + journalId(previewId) + "/";
    }

    /** Why the plan file is not the one previewed, or null. */
    private static String planDrift(SavedPreview saved, Path planFile) {
        if (!Files.isRegularFile(planFile)) {
            return "plan: " + planFile + " does not exist (the saved preview names it relative to where 'plan -o' ran)";
        }
        try {
            String now = Digests.sha256(Files.readAllBytes(planFile));
            if (!now.equals(saved.plan().sha256())) {
                return "plan: " + planFile + " changed since the preview (sha256 " + saved.plan().sha256().substring(0, 12)
                        + ", now " + now.substring(0, 12) + ")";
            }
            return null;
        } catch (IOException e) {
            return "plan: cannot read " + planFile + ": " + e.getMessage();
        }
    }

    /**
     * The options the preview ran with: its inventory, selection, and {@code -e} variables (the
     * saved ones, then the secret ones given again).
     *
     * @throws InvalidInputException when {@code -e} gives something else than the secret
     *                               variables of the preview, or misses one
     */
    private CommonOptions commonOptions(SavedPreview saved) throws InvalidInputException {
        Map<String, Object> again = RunSupport.extraVars(extraVars);
        List<String> secretNames = saved.variables().secretNames();
        List<String> problems = new ArrayList<>();
        for (String k : again.keySet()) {
            if (!secretNames.contains(k)) {
                problems.add("-e " + k + ": apply runs the saved preview's variables; -e may only give again its secret"
                        + " variables" + (secretNames.isEmpty() ? " (it has none)" : " (" + String.join(", ", secretNames) + ")"));
            }
        }
        for (String k : secretNames) {
            if (!again.containsKey(k)) {
                problems.add("the preview was made with the secret variable " + k + ", which is not saved: give it again"
                        + " with -e");
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems.stream()
                    .map(p -> dev.ringplan.engine.diag.Diagnostic.error(
                            dev.ringplan.engine.diag.SourcePos.ofFile(savedFile.toString()), p))
                    .toList());
        }
        Map<String, Object> clear = new LinkedHashMap<>(saved.variables().extraVars());
        secretNames.forEach(clear::remove);
        CommonOptions c = new CommonOptions();
        c.inventory = Path.of(saved.inventory().file());
        if (!clear.isEmpty()) {
            c.extraVars.add(Digests.canonical(clear));
        }
        c.extraVars.addAll(extraVars);
        c.limit = saved.selection().limit();
        c.tags = saved.selection().tags() == null ? List.of() : saved.selection().tags();
        c.skipTags = saved.selection().skipTags() == null ? List.of() : saved.selection().skipTags();
        c.debug = debug;
        return c;
    }

    /** Differences of the inventory and the secret {@code -e} values from the saved preview's. */
    private static List<String> inputDrift(SavedPreview saved, CompiledPlan plan) {
        Secrets names = Secrets.of(plan.plan().varsSecret());
        List<String> drift = new ArrayList<>(PreviewDrift.inventory(saved.inventory(),
                SavedPreview.inventoryFacts(Path.of(saved.inventory().file()), plan.inventory(), names, saved.salt())));
        String secrets = SavedPreview.variables(plan.extraVars(), names, saved.salt()).secretsDigest();
        if (!java.util.Objects.equals(secrets, saved.variables().secretsDigest())) {
            drift.add("variables: the secret -e variables (" + String.join(", ", saved.variables().secretNames())
                    + ") are not the values previewed");
        }
        return drift;
    }

    /** Where the run did not do what the preview said: previewed changed but ok, previewed ok but changed. */
    private static List<String> runVersusPreview(SavedPreview saved, List<NodeResult> results) {
        Map<String, SavedPreview.NodeEntry> byNode = new LinkedHashMap<>();
        saved.changes().forEach(n -> byNode.put(n.node(), n));
        List<String> out = new ArrayList<>();
        for (NodeResult r : results) {
            SavedPreview.NodeEntry p = byNode.get(r.node().name());
            String now = r.status().label();
            if (p != null && !p.status().equals(now) && !"unknown".equals(p.status())) {
                out.add("task " + r.node().name() + ": previewed " + p.status() + ", run " + now);
            }
        }
        return out;
    }

    private int refuse(PrintWriter err, List<String> drift) {
        err.println("error: the saved preview " + savedFile + " is stale: " + drift.size() + " difference"
                + (drift.size() == 1 ? "" : "s") + " since it was made; run 'ringplan plan -o' again and review it");
        drift.forEach(d -> err.println("  " + Secrets.process().maskText(d)));
        return ExitCodes.INVALID_INPUT;
    }

    /** {@code exec} without reports: the second preview writes none. */
    private static ExecutionOptions quiet(ExecutionOptions exec) {
        ExecutionOptions q = new ExecutionOptions();
        q.forks = exec.forks;
        q.acceptNewHostKeys = exec.acceptNewHostKeys;
        q.knownHosts = exec.knownHosts;
        return q;
    }
}
