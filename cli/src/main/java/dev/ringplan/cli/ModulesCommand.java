package dev.ringplan.cli;

import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleRegistry;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ringplan modules [NAME]}: lists modules, or prints one module's documentation (like ansible-doc). */
@Command(name = "modules", mixinStandardHelpOptions = true, description = "List modules, or show one module's documentation.")
public final class ModulesCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Module name")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        ModuleRegistry registry = ModuleRegistry.load();
        if (name == null) {
            for (Module m : registry.all().values()) {
                out.printf("%-16s %s%n", m.name(), m.doc().summary());
            }
            return ExitCodes.OK;
        }
        Module m = registry.find(name).orElse(null);
        if (m == null) {
            String hint = dev.ringplan.engine.diag.Suggest.didYouMean(name, registry.all().keySet());
            spec.commandLine().getErr().println("error: unknown module '" + name + "'" + (hint != null ? "; " + hint : ""));
            return ExitCodes.INVALID_INPUT;
        }
        out.println("MODULE " + m.name() + " — " + m.doc().summary());
        out.println();
        out.println(m.doc().description().strip());
        out.println();
        out.println("ARGUMENTS");
        for (ArgDef d : m.argSpec().args().values()) {
            StringBuilder sb = new StringBuilder("  " + d.name() + " (" + d.type().name().toLowerCase()
                    + (d.required() ? ", required" : "") + ")");
            if (d.defaultValue() != null) {
                sb.append(" default: ").append(d.defaultValue());
            }
            if (!d.choices().isEmpty()) {
                sb.append(" choices: ").append(String.join("|", d.choices()));
            }
            if (d.name().equals(m.argSpec().freeForm())) {
                sb.append(" [free form]");
            }
            out.println(sb);
            out.println("      " + d.doc());
        }
        if (m.doc().examples() != null && !m.doc().examples().isBlank()) {
            out.println();
            out.println("EXAMPLES");
            out.println(m.doc().examples().stripTrailing());
        }
        if (m.doc().returns() != null && !m.doc().returns().isBlank()) {
            out.println();
            out.println("RETURNS");
            out.println(m.doc().returns().stripTrailing());
        }
        return ExitCodes.OK;
    }
}
