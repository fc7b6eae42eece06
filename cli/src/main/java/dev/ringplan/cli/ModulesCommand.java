package dev.ringplan.cli;

import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgRule;
import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleRegistry;
import dev.ringplan.engine.module.ReturnSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ringplan modules [NAME]}: lists modules, or prints one module's documentation (like
 * ansible-doc): description, arguments, the rules between them, examples, and the keys it
 * registers, all from the module's own declarations ({@link Module#argSpec()},
 * {@link Module#returns()}).
 */
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
        if (!m.argSpec().rules().isEmpty()) {
            out.println();
            out.println("RULES");
            for (ArgRule r : m.argSpec().rules()) {
                String where = restricted(m, r.selector()) ? " (where " + r.selector() + " applies)" : "";
                out.println("  " + r.describe() + where);
            }
        }
        if (m.doc().examples() != null && !m.doc().examples().isBlank()) {
            out.println();
            out.println("EXAMPLES");
            out.println(m.doc().examples().stripTrailing());
        }
        out.println();
        out.println("RETURNS");
        printReturns(out, m.returns());
        return ExitCodes.OK;
    }

    /** Whether {@code arg} is itself only for some values of another argument (a rule on it holds only there). */
    private static boolean restricted(Module m, String arg) {
        return arg != null && m.argSpec().rules().stream()
                .anyMatch(r -> r.kind() == ArgRule.Kind.ONLY_FOR && r.names().contains(arg));
    }

    /** The registered keys, one per entry: name, type, scope and presence, then the description. */
    static void printReturns(PrintWriter out, ReturnSpec spec) {
        out.println("  What register stores. Check mode registers the same keys; a value known only after"
                + " applying is null there.");
        out.println("  Every task also registers changed, failed, status and msg (and would_change in check mode).");
        List<ReturnSpec.Key> keys = new ArrayList<>(spec.keys());
        if (spec.otherKeys() != null) {
            keys.add(spec.otherKeys());
        }
        for (ReturnSpec.Key k : keys) {
            StringBuilder sb = new StringBuilder("  " + k.name() + " (" + k.type().label()
                    + (k.isNullable() ? ", or null" : "") + ")");
            if (!k.only().isEmpty()) {
                sb.append(" for ").append(k.scope());
            }
            if (k.when() != null) {
                sb.append(" [only ").append(k.when()).append("]");
            }
            out.println(sb);
            out.println("      " + k.doc());
        }
    }
}
