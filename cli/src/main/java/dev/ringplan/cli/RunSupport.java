package dev.ringplan.cli;

import dev.ringplan.engine.compile.CompileOptions;
import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.Compiler;
import dev.ringplan.engine.diag.Diagnostic;
import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.inventory.Inventory;
import dev.ringplan.engine.inventory.InventoryParser;
import dev.ringplan.engine.module.ModuleRegistry;
import dev.ringplan.engine.plan.Plan;
import dev.ringplan.engine.secret.Secrets;
import dev.ringplan.engine.share.GitCache;
import dev.ringplan.engine.share.LoadedPlan;
import dev.ringplan.engine.share.PlanLoader;
import dev.ringplan.engine.template.Templater;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loading and compiling shared by the subcommands that take a plan. */
final class RunSupport {
    private RunSupport() {
    }

    /**
     * Parses {@code -e} values in ansible-playbook's three forms ({@link ExtraVars}):
     * {@code @FILE}, an inline JSON/YAML mapping, {@code key=value} words.
     *
     * @throws InvalidInputException naming the {@code -e} or file:line:column, never a value
     */
    static Map<String, Object> extraVars(List<String> specs) throws InvalidInputException {
        return ExtraVars.parse(specs);
    }

    /**
     * Parses the plan and the inventory and compiles them, collecting the errors of both. The
     * diagnostics have the values of secret variables (plan, inventory, {@code -e}) masked.
     */
    static CompiledPlan compile(Path planFile, CommonOptions common, Inventory inventory) throws InvalidInputException {
        return compile(planFile, common, inventory, 0);
    }

    /**
     * Parses the plan and the inventory and compiles them, collecting the errors of both.
     *
     * @param verbosity the {@code -v} count, every host's {@code ansible_verbosity} (as Ansible's
     *                  magic variable; the debug module's {@code verbosity} compares with it)
     */
    static CompiledPlan compile(Path planFile, CommonOptions common, Inventory inventory, int verbosity)
            throws InvalidInputException {
        return load(planFile.toString(), common, inventory, verbosity, null).compiled();
    }

    /**
     * A plan loaded with its imports expanded ({@link PlanLoader}) and compiled.
     *
     * @param loaded   where the plan and its imports came from
     * @param compiled the compiled plan
     */
    record Loaded(LoadedPlan loaded, CompiledPlan compiled) {
    }

    /**
     * Loads {@code planArg} (a file, or a {@code git+...://} source) with its imports, parses the
     * inventory and compiles, collecting the errors of all three; diagnostics in imported files
     * carry their import chain. Warnings of the load (imports not pinned) go to {@code err}.
     */
    static Loaded load(String planArg, CommonOptions common, Inventory inventory, int verbosity, PrintWriter err)
            throws InvalidInputException {
        Diagnostics diags = new Diagnostics();
        Map<String, Object> extra = ExtraVars.parse(common.extraVars, diags);
        LoadedPlan loaded = null;
        try {
            loaded = PlanLoader.load(planArg, loaderOptions(PlanLoader.Mode.RUN, java.util.Set.of()));
        } catch (InvalidInputException e) {
            diags.addAll(e.diagnostics());
        }
        Plan plan = loaded == null ? null : loaded.plan();
        if (loaded != null && err != null) {
            loaded.warnings().forEach(w -> err.println("warning: " + w));
        }
        Secrets secrets = secretsOf(plan, inventory, extra);
        try {
            diags.throwIfErrors();
            Compiler compiler = new Compiler(ModuleRegistry.load(), Templater.shared());
            try {
                return new Loaded(loaded, compiler.compile(plan, inventory, new CompileOptions(extra, common.limit,
                        common.tags, hostDefaults(verbosity), common.skipTags)));
            } catch (InvalidInputException e) {
                throw loaded.withChains(e);
            }
        } catch (InvalidInputException e) {
            throw masked(e, secrets);
        }
    }

    /** How {@link PlanLoader} loads: the modules' names, the user's git cache. */
    static PlanLoader.Options loaderOptions(PlanLoader.Mode mode, java.util.Set<String> update) {
        return new PlanLoader.Options(ModuleRegistry.load().all().keySet(),
                new GitCache(GitCache.defaultDir(System.getenv())), mode, update);
    }

    /** The secret values known before a run: secret variables of {@code -e}, the plan and the inventory. */
    static Secrets secretsOf(Plan plan, Inventory inventory, Map<String, Object> extra) {
        Secrets s = Secrets.of(plan != null ? plan.varsSecret() : List.of());
        s.collect(extra);
        if (plan != null) {
            s.collect(plan.vars());
        }
        if (inventory != null) {
            for (String h : inventory.hosts()) {
                s.collect(inventory.hostVars(h));
            }
        }
        return s;
    }

    /** {@code e} with every diagnostic's text masked by {@code secrets}. */
    static InvalidInputException masked(InvalidInputException e, Secrets secrets) {
        if (secrets.isEmpty()) {
            return e;
        }
        List<Diagnostic> out = new ArrayList<>();
        for (Diagnostic d : e.diagnostics()) {
            out.add(new Diagnostic(d.severity(), d.pos(), secrets.maskText(d.summary()), secrets.maskText(d.detail())));
        }
        return new InvalidInputException(out);
    }

    /** The modules' documented host-variable defaults plus {@code ansible_verbosity}. */
    private static Map<String, Object> hostDefaults(int verbosity) {
        Map<String, Object> defaults = new LinkedHashMap<>(dev.ringplan.modules.CassandraHost.DEFAULT_VARS);
        defaults.put(dev.ringplan.modules.debug.DebugModule.VERBOSITY_VAR, verbosity);
        return defaults;
    }

    /** Reads the inventory file. */
    static Inventory inventory(Path file) throws InvalidInputException {
        if (!Files.exists(file)) {
            throw new InvalidInputException(SourcePos.ofFile(file.toString()), "inventory file not found");
        }
        return InventoryParser.parse(file);
    }

    /** Prints every diagnostic (masked with every secret this process knows), and a count. */
    static void printDiagnostics(InvalidInputException e, PrintWriter err) {
        for (Diagnostic d : e.diagnostics()) {
            err.println(Secrets.process().maskText(d.format()));
        }
        long errors = e.diagnostics().stream().filter(Diagnostic::isError).count();
        err.println(errors + " error" + (errors == 1 ? "" : "s") + " found");
    }
}
