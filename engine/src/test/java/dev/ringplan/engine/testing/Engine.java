package dev.ringplan.engine.testing;

import dev.ringplan.engine.compile.CompileOptions;
import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.Compiler;
import dev.ringplan.engine.diag.Diagnostic;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.exec.Executor;
import dev.ringplan.engine.exec.NodeResult;
import dev.ringplan.engine.exec.RunListener;
import dev.ringplan.engine.exec.RunOptions;
import dev.ringplan.engine.exec.RunReport;
import dev.ringplan.engine.inventory.Inventory;
import dev.ringplan.engine.inventory.InventoryParser;
import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleRegistry;
import dev.ringplan.engine.plan.Plan;
import dev.ringplan.engine.plan.PlanParser;
import dev.ringplan.engine.template.Templater;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The whole pipeline for tests, from text: {@link PlanParser} (file {@code plan.yaml}),
 * {@link InventoryParser} (file {@code inv.yaml}), {@link Compiler} and {@link Executor} with
 * the given modules.
 */
public final class Engine {
    /** A three-host inventory: h1, h2, h3 in group {@code cassandra}, h4 in group {@code other}. */
    public static final String INVENTORY = """
            all:
              children:
                cassandra:
                  hosts:
                    h1: { dc: dc1 }
                    h2: { dc: dc1 }
                    h3: { dc: dc2 }
                other:
                  hosts:
                    h4:
            """;

    private final ModuleRegistry registry;

    /** An engine knowing exactly {@code modules}. */
    public Engine(Module... modules) {
        this.registry = new ModuleRegistry(List.of(modules));
    }

    /** The registry. */
    public ModuleRegistry registry() {
        return registry;
    }

    /** Parses a plan knowing the registry's module names. */
    public Plan parse(String planYaml) throws InvalidInputException {
        return PlanParser.parse("plan.yaml", planYaml, registry.all().keySet());
    }

    /** Parses and compiles against {@link #INVENTORY}, default options. */
    public CompiledPlan compile(String planYaml) throws InvalidInputException {
        return compile(planYaml, INVENTORY, CompileOptions.defaults());
    }

    /** Parses and compiles. */
    public CompiledPlan compile(String planYaml, String inventoryYaml, CompileOptions opts) throws InvalidInputException {
        Inventory inv = InventoryParser.parse("inv.yaml", inventoryYaml);
        return new Compiler(registry, Templater.shared()).compile(parse(planYaml), inv, opts);
    }

    /** Compiles a plan that must be invalid; returns the formatted diagnostics. */
    public List<String> errors(String planYaml) {
        return errors(planYaml, INVENTORY, CompileOptions.defaults());
    }

    /** Compiles a plan that must be invalid; returns the formatted diagnostics. */
    public List<String> errors(String planYaml, String inventoryYaml, CompileOptions opts) {
        try {
            compile(planYaml, inventoryYaml, opts);
        } catch (InvalidInputException e) {
            return e.diagnostics().stream().map(Diagnostic::format).toList();
        }
        throw new AssertionError("expected compile errors, plan compiled");
    }

    /** Run options for tests: run id {@code r1}, fixed start 2024-05-06T07:08:09Z, diff on. */
    public static RunOptions options(boolean checkMode, int forks, Path workDir) {
        return new RunOptions("r1", Instant.parse("2024-05-06T07:08:09Z"), checkMode, true, forks, workDir,
                Map.of("file", "plan.yaml", "name", "p", "commit", "abc123", "dirty", false));
    }

    /** Runs a compiled plan. */
    public static RunReport run(CompiledPlan plan, RunOptions options, FakeConnectionProvider conns, RunListener listener) {
        return new Executor(Templater.shared(), conns).run(plan, options, listener);
    }

    /** Compiles against {@link #INVENTORY} and runs with {@code forks}, no check mode, reachable hosts. */
    public RunReport run(String planYaml, int forks) throws InvalidInputException {
        return run(compile(planYaml), options(false, forks, Path.of(".")), new FakeConnectionProvider(), new RunListener() { });
    }

    /** The result of vertex {@code taskId[host]}. */
    public static NodeResult result(RunReport report, String taskId, String host) {
        return report.results().stream()
                .filter(r -> r.node().task().id().equals(taskId) && r.node().host().equals(host))
                .findFirst().orElseThrow(() -> new NoSuchElementException("no result for " + taskId + "[" + host + "]"));
    }
}
