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
import dev.ringplan.engine.plan.PlanParser;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.yaml.SafeYaml;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loading and compiling shared by the subcommands that take a plan. */
final class RunSupport {
    private RunSupport() {
    }

    /** Parses {@code -e} values: {@code key=value} (string), {@code @file.yaml} (a mapping). */
    static Map<String, Object> extraVars(List<String> specs) throws InvalidInputException {
        Map<String, Object> out = new LinkedHashMap<>();
        Diagnostics diags = new Diagnostics();
        for (String spec : specs) {
            if (spec.startsWith("@")) {
                Path f = Path.of(spec.substring(1));
                try {
                    Object o = SafeYaml.toJava(SafeYaml.compose(f.toString(), Files.readString(f)));
                    if (o instanceof Map<?, ?> m) {
                        m.forEach((k, v) -> out.put(String.valueOf(k), v));
                    } else {
                        diags.error(SourcePos.ofFile(f.toString()), "extra vars file must hold a mapping");
                    }
                } catch (IOException e) {
                    diags.error(SourcePos.ofFile(f.toString()), "cannot read extra vars file: " + e.getMessage());
                } catch (InvalidInputException e) {
                    diags.addAll(e.diagnostics());
                }
                continue;
            }
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                diags.error(SourcePos.ofFile("-e " + spec), "extra var must be KEY=VALUE or @FILE");
                continue;
            }
            String key = spec.substring(0, eq).strip();
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                diags.error(SourcePos.ofFile("-e " + spec), "invalid variable name '" + key + "'");
                continue;
            }
            out.put(key, spec.substring(eq + 1));
        }
        diags.throwIfErrors();
        return out;
    }

    /** Parses the plan and the inventory and compiles them, collecting the errors of both (verbosity 0). */
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
        Diagnostics diags = new Diagnostics();
        Map<String, Object> extra = Map.of();
        try {
            extra = extraVars(common.extraVars);
        } catch (InvalidInputException e) {
            diags.addAll(e.diagnostics());
        }
        Plan plan = null;
        try {
            plan = PlanParser.parse(planFile, ModuleRegistry.load().all().keySet());
        } catch (InvalidInputException e) {
            diags.addAll(e.diagnostics());
        }
        diags.throwIfErrors();
        Compiler compiler = new Compiler(ModuleRegistry.load(), Templater.shared());
        return compiler.compile(plan, inventory, new CompileOptions(extra, common.limit, common.tags,
                hostDefaults(verbosity), common.skipTags));
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

    /** Prints every diagnostic, and a count. */
    static void printDiagnostics(InvalidInputException e, PrintWriter err) {
        for (Diagnostic d : e.diagnostics()) {
            err.println(d.format());
        }
        long errors = e.diagnostics().stream().filter(Diagnostic::isError).count();
        err.println(errors + " error" + (errors == 1 ? "" : "s") + " found");
    }
}
