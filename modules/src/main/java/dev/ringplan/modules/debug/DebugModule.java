package dev.ringplan.modules.debug;

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
import dev.ringplan.engine.report.Json;
import dev.ringplan.engine.secret.Secrets;
import dev.ringplan.engine.template.TemplateException;
import dev.ringplan.engine.template.Templater;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code debug}: prints a message or a variable in the run output, as Ansible's
 * {@code ansible.builtin.debug} does ({@code msg}, {@code var}, {@code verbosity}). It never
 * touches the host and runs in check mode too.
 */
public final class DebugModule extends DeclaredModule {
    /** Ansible's default message. */
    static final String DEFAULT_MSG = "Hello world!";
    /** What Ansible prints for a {@code var} that is not defined. */
    static final String NOT_DEFINED = "VARIABLE IS NOT DEFINED!";
    /** The host variable holding the run's verbosity ({@code -v} count), as Ansible's magic variable. */
    public static final String VERBOSITY_VAR = "ansible_verbosity";

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg(ArgDef.of("msg", ArgDef.Type.ANY, "The message to print (a string, or any value, printed as JSON)."
                    + " Default \"" + DEFAULT_MSG + "\"."))
            .arg(ArgDef.of("var", ArgDef.Type.STR, "A variable name or expression (no braces) whose value to print,"
                    + " e.g. ring.tokens or hostvars['n1'].status. Not with msg."))
            .arg(ArgDef.of("verbosity", ArgDef.Type.INT, "Print only when the run has at least this many -v."
                    + " Default 0.").withDefault(0L))
            .freeForm("msg")
            .mutuallyExclusive("msg", "var")
            .build();

    private static final ModuleDoc DOC = new ModuleDoc(
            "Print a message or a variable's value in the run output (Ansible's debug).",
            """
            msg is printed on the task's line (a long or multi-line message also as log lines below it);
            var is evaluated like a 'when' expression with the host's variables and printed as
            "name: value" (JSON; the value of a secret-named variable such as db_password prints as
            ********). An undefined var prints VARIABLE IS NOT DEFINED!, as Ansible does, and
            the task stays ok. With verbosity N the message appears only when the run was started with
            at least N -v; otherwise the task is ok and says which verbosity it needs (Ansible reports
            it skipped). Never changes anything; runs in check mode too. The variable
            ansible_verbosity holds the run's -v count.
            """,
            """
            - id: show-tokens
              needs: ring
              debug:
                var: ring.tokens
            - id: say
              debug: "restoring {{ tag }} on {{ inventory_hostname }}"
            - id: detail
              needs: status
              debug:
                msg: "{{ status }}"
                verbosity: 2
            """);

    private static final ReturnSpec RETURNS = ReturnSpec.builder()
            .key(ReturnSpec.key("msg", ReturnSpec.Type.ANY, "the message (null: a variable set to null)").nullable()
                    .when("without var, when shown (the run has the verbosity asked for)"))
            .key(ReturnSpec.keyNamedBy("var", ReturnSpec.Type.ANY, "the value of var, under the expression as written (null: a variable set to null)")
                    .nullable().when("with var, when shown"))
            .build();

    /** The debug module (stateless). */
    public DebugModule() {
        super("debug", DOC, SPEC, RETURNS);
    }

    /** Always: debug only reads variables. */
    @Override
    public boolean isReadOnly(Args args) {
        return true;
    }

    @Override
    public Preview check(ModuleContext ctx) {
        return Preview.noChange("debug");
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        long needed = ctx.args().integer("verbosity", 0);
        long have = verbosity(ctx.hostVar(VERBOSITY_VAR));
        if (needed > have) {
            return Result.ok("not shown: needs verbosity " + needed + " (-" + "v".repeat((int) Math.min(needed, 6))
                    + "), the run has " + have);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        String text;
        if (ctx.args().has("var")) {
            String var = ctx.args().str("var").strip();
            Object value;
            try {
                value = Templater.shared().evaluate(var, ctx.hostVars());
            } catch (TemplateException e) {
                if (e.undefinedName().isEmpty()) {
                    throw new ModuleException("debug: cannot evaluate var '" + var + "': " + e.getMessage(), e);
                }
                value = NOT_DEFINED;
            }
            data.put(var, value);
            // A secret-named variable is never printed (its registered value stays whole).
            text = var + ": " + (Secrets.isSecretKey(var) && value != NOT_DEFINED ? Secrets.MASK : show(value));
        } else {
            Object msg = ctx.args().has("msg") ? ctx.args().get("msg") : DEFAULT_MSG;
            data.put("msg", msg);
            text = show(msg);
        }
        if (text.contains("\n") || text.length() > 200) {
            text.lines().forEach(ctx::log);
        }
        return Result.ok(text).withData(data);
    }

    /** A value as printed: a string as is, anything else as JSON. */
    static String show(Object value) {
        if (value instanceof String s) {
            return s;
        }
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (Exception e) {
            return String.valueOf(value);
        }
    }

    private static long verbosity(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s && s.strip().matches("\\d{1,3}")) {
            return Long.parseLong(s.strip());
        }
        return 0;
    }
}
