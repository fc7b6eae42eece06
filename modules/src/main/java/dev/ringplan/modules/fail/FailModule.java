package dev.ringplan.modules.fail;

import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.DeclaredModule;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.ReturnSpec;

/**
 * {@code fail}: fails the task with a message, as Ansible's {@code ansible.builtin.fail}
 * (usually under a {@code when}). Touches nothing; runs in check mode too.
 */
public final class FailModule extends DeclaredModule {
    /** Ansible's default message. */
    static final String DEFAULT_MSG = "Failed as requested from task";

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg(ArgDef.of("msg", ArgDef.Type.STR, "The failure message. Default \"" + DEFAULT_MSG + "\".")
                    .withDefault(DEFAULT_MSG))
            .freeForm("msg")
            .build();

    private static final ModuleDoc DOC = new ModuleDoc(
            "Fail the task with a message (Ansible's fail).",
            """
            Always fails on the hosts where it runs: put a 'when' on it to stop a plan on a condition,
            e.g. a cluster that is not in the expected state. What needs it is skipped (upstream
            failed); the run exits 1 unless ignore_errors is set. Runs in check mode too, so a plan's
            dry run stops at the same place.
            """,
            """
            - id: refuse-single-node
              needs: status
              when: status.nodes | length < 2
              fail:
                msg: "this plan needs at least 2 nodes, found {{ status.nodes | length }}"
            """);

    /** The fail module (stateless). */
    public FailModule() {
        super("fail", DOC, SPEC, ReturnSpec.none());
    }

    /** Nothing of its own: the message is the result's msg, which every task registers. */

    /** Always: fail changes nothing, so it runs in check mode too, as Ansible's. */
    @Override
    public boolean isReadOnly(Args args) {
        return true;
    }

    @Override
    public Preview check(ModuleContext ctx) {
        return Preview.noChange("would fail: " + msg(ctx));
    }

    @Override
    public Result apply(ModuleContext ctx) {
        return Result.failed(msg(ctx));
    }

    private static String msg(ModuleContext ctx) {
        String m = ctx.args().str("msg");
        return m == null || m.isBlank() ? DEFAULT_MSG : m;
    }
}
