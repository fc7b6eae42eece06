package dev.ringplan.modules.assertion;

import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.DeclaredModule;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.ReturnSpec;
import dev.ringplan.engine.template.TemplateException;
import dev.ringplan.engine.template.Templater;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code assert}: checks that conditions hold, as Ansible's {@code ansible.builtin.assert}
 * ({@code that}, {@code fail_msg}/{@code msg}, {@code success_msg}, {@code quiet}). Each
 * condition is a bare Jinja expression evaluated like {@code when} with the host's variables
 * ({@link Templater#isTrue}). Touches nothing; runs in check mode too. (The Java package is
 * {@code assertion}: {@code assert} is a Java keyword.)
 */
public final class AssertModule extends DeclaredModule {
    /** Ansible's default failure message. */
    static final String DEFAULT_FAIL_MSG = "Assertion failed";
    /** Ansible's default success message. */
    static final String DEFAULT_SUCCESS_MSG = "All assertions passed";

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg(ArgDef.of("that", ArgDef.Type.ANY, "A condition or a list of conditions (bare expressions as in"
                    + " 'when', no braces); all must be true.").asRequired())
            .arg(ArgDef.of("fail_msg", ArgDef.Type.STR, "Message when a condition is false. Default \""
                    + DEFAULT_FAIL_MSG + "\"."))
            .arg(ArgDef.of("msg", ArgDef.Type.STR, "Same as fail_msg (Ansible's older name)."))
            .arg(ArgDef.of("success_msg", ArgDef.Type.STR, "Message when every condition is true. Default \""
                    + DEFAULT_SUCCESS_MSG + "\"."))
            .arg(ArgDef.of("quiet", ArgDef.Type.BOOL, "Print no message when every condition is true."
                    + " Default false.").withDefault(false))
            .build();

    private static final ModuleDoc DOC = new ModuleDoc(
            "Check that conditions hold on each host; fail the task otherwise (Ansible's assert).",
            """
            The conditions of 'that' are evaluated in order, each like a 'when' (Jinja expression, the
            host's variables and registered results, Ansible's truthiness); the first false one fails
            the task with fail_msg (or msg) and is named in the result. A condition that cannot be
            evaluated (undefined variable, syntax error) fails the task with that error. Never changes
            anything; runs in check mode too, so a dry run stops where the run would.
            """,
            """
            - id: cluster-healthy
              needs: status
              assert:
                that:
                  - status.nodes | length == groups['cassandra'] | length
                  - status.nodes | rejectattr('state', 'equalto', 'UN') | list | length == 0
                fail_msg: "not every node is UN"
                success_msg: "all {{ status.nodes | length }} nodes UN"
            """);

    private static final ReturnSpec RETURNS = ReturnSpec.builder()
            .key(ReturnSpec.key("assertion", ReturnSpec.Type.ANY, "the first condition that was false")
                    .when("a condition was false"))
            .key(ReturnSpec.key("evaluated_to", ReturnSpec.Type.BOOL, "false").when("a condition was false"))
            .build();

    /** The assert module (stateless). */
    public AssertModule() {
        super("assert", DOC, SPEC, RETURNS);
    }

    /** The message printed is the result's msg, which every task registers. */

    /** Always: assert only reads variables. */
    @Override
    public boolean isReadOnly(Args args) {
        return true;
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        conditions(ctx.args().get("that"));
        return Preview.noChange("assert");
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        for (Object c : conditions(ctx.args().get("that"))) {
            boolean holds;
            if (c instanceof Boolean b) {
                holds = b;  // a condition written as "{{ ... }}" arrives rendered
            } else {
                String cond = String.valueOf(c);
                try {
                    holds = Templater.shared().isTrue(cond, ctx.hostVars());
                } catch (TemplateException e) {
                    throw new ModuleException("assert: cannot evaluate '" + cond + "': " + e.getMessage(), e);
                }
            }
            if (!holds) {
                String msg = ctx.args().has("fail_msg") ? ctx.args().str("fail_msg")
                        : ctx.args().has("msg") ? ctx.args().str("msg") : DEFAULT_FAIL_MSG;
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("assertion", c);
                data.put("evaluated_to", false);
                return Result.failed(msg + " (false: " + c + ")").withData(data);
            }
        }
        if (ctx.args().bool("quiet", false)) {
            return Result.ok(null);
        }
        return Result.ok(ctx.args().has("success_msg") ? ctx.args().str("success_msg") : DEFAULT_SUCCESS_MSG);
    }

    /** {@code that} as a list: one condition or several, each a non-blank string (or a rendered boolean). */
    static List<Object> conditions(Object that) throws ModuleException {
        List<Object> out = new ArrayList<>();
        if (that instanceof List<?> l) {
            out.addAll(l);
        } else if (that != null) {
            out.add(that);
        }
        if (out.isEmpty()) {
            throw new ModuleException("assert: 'that' needs at least one condition");
        }
        for (Object o : out) {
            if (!(o instanceof Boolean) && !(o instanceof String s && !s.isBlank())) {
                throw new ModuleException("assert: every condition of 'that' must be an expression string, got "
                        + (o == null ? "null" : "'" + o + "'"));
            }
        }
        return out;
    }
}
