package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostic;
import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.inventory.InventoryParser;
import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.testing.Engine;
import dev.ringplan.engine.testing.FakeModule;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@link CompileState} ready for one pass: the plan (file {@code plan.yaml}) parsed and
 * compiled against {@link Engine#INVENTORY} by the passes that come before the pass under test
 * in {@link Compiler#passes}, so a test applies that one pass alone and sees what it adds and
 * reports. Modules: {@code fake} (free form {@code msg}) and {@code strict} (required
 * {@code path}, optional {@code mode}).
 */
final class PassFixture {
    static final Engine ENGINE = new Engine(FakeModule.named("fake"),
            FakeModule.builder("strict").spec(ArgSpec.builder()
                    .arg(ArgDef.of("path", ArgDef.Type.STR, "a path").asRequired())
                    .arg(ArgDef.of("mode", ArgDef.Type.STR, "a mode"))
                    .build()).build());

    private PassFixture() {
    }

    /** The passes of the compiler, as {@link Compiler} lists them. */
    static List<CompilePass> passes() {
        return Compiler.passes(ENGINE.registry(), Templater.shared());
    }

    /** The state just before the first pass of type {@code pass}, default options. */
    static CompileState before(Class<? extends CompilePass> pass, String planYaml) throws InvalidInputException {
        return before(pass, planYaml, CompileOptions.defaults());
    }

    /**
     * The state just before the first pass of type {@code pass}: the earlier passes applied
     * (their diagnostics dropped, the {@link StopOnErrors} gates passed over).
     */
    static CompileState before(Class<? extends CompilePass> pass, String planYaml, CompileOptions opts)
            throws InvalidInputException {
        CompileState s = new CompileState(ENGINE.parse(planYaml), InventoryParser.parse("inv.yaml", Engine.INVENTORY), opts);
        Diagnostics ignored = new Diagnostics();
        for (CompilePass p : passes()) {
            if (pass.isInstance(p)) {
                return s;
            }
            if (!(p instanceof StopOnErrors)) {
                p.apply(s, ignored);
            }
        }
        throw new AssertionError(pass.getSimpleName() + " is not in the compiler's passes");
    }

    /** Applies {@code pass} to {@code s}; the formatted diagnostics it reported, sorted by position. */
    static List<String> apply(CompilePass pass, CompileState s) throws InvalidInputException {
        Diagnostics d = new Diagnostics();
        pass.apply(s, d);
        return d.all().stream().map(Diagnostic::format).toList();
    }

    /** The graph's edges as {@code "a -> b"}, sorted. */
    static List<String> edges(CompileState s) {
        return s.graph.edges().stream().map(e -> e.get(0) + " -> " + e.get(1)).sorted().collect(Collectors.toList());
    }
}
