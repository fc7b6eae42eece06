package dev.ringplan.engine.plan;

import dev.ringplan.engine.diag.SourcePos;
import java.util.List;
import java.util.Map;

/**
 * One task of a plan, as written (templates not rendered). Either a module call (exactly one
 * module key) or a {@code block} of tasks that share {@code hosts}, {@code serial},
 * {@code when}, {@code vars}, {@code tags}, {@code no_log} and {@code ignore_errors}. A block
 * never carries {@code register}, {@code retries}, {@code delay}, {@code until},
 * {@code changed_when} or {@code failed_when} (the parser refuses them there).
 *
 * @param id           unique id within the plan (needs: refers to it)
 * @param name         optional human title
 * @param pos          where the task starts
 * @param module       the module key, or null for a block
 * @param modulePos    where the module key is
 * @param args         the module's raw arguments (a scalar given as free form is kept as
 *                     {@link #FREE_FORM} key), never null for a module task
 * @param argPos       position of each argument value (for diagnostics)
 * @param hosts        host pattern, or null to inherit (block, then plan)
 * @param hostsPos     position of {@code hosts}
 * @param needs        ids this task waits for, with their positions
 * @param when         a Jinja expression (without braces), or null
 * @param whenPos      position of {@code when}
 * @param register     name under which the result is stored in the host's variables, or null
 * @param vars         task variables (raw)
 * @param tags         tags
 * @param ignoreErrors a failure does not stop dependents: the task's own {@code ignore_errors}, else
 *                     the innermost enclosing block's (inherited as in Ansible), else false; for a
 *                     block, the value its tasks inherit
 * @param changedWhen  a Jinja expression overriding "changed", or null
 * @param serial       rolling batch size (hosts at once through the whole task/block), or null
 * @param retries      extra attempts after a failure (0: none)
 * @param delaySeconds seconds between attempts
 * @param until        a Jinja expression that must be true for an attempt to count as done, or null
 * @param block        the block's tasks, empty for a module task
 * @param serialTemplate {@code serial} written as a template (e.g. {@code "{{ 1 if rolling | bool else 0 }}"}),
 *                     rendered at compile time with the plan's and extra variables; null otherwise
 * @param rescue       a block's {@code rescue} tasks (module tasks or blocks), empty otherwise: on a host
 *                     where the block was entered (one of its tasks ran) but did not complete (one
 *                     failed, or was skipped because something failed), they run after every task
 *                     of the block there has finished, to put the host back as it was; elsewhere
 *                     they are skipped. The failure stays a failure: the run still fails, and
 *                     what needs the block is still skipped on that host.
 * @param failedWhen   a Jinja expression deciding "failed" instead of the module (Ansible's
 *                     {@code failed_when}), or null
 * @param noLog        Ansible's {@code no_log: true}: the task's (a block's: every task in it)
 *                     message, diff, commands and data are hidden in every output, and what it
 *                     registers is treated as secret (see {@code dev.ringplan.engine.secret.Secrets})
 * @param importSource for a task written {@code import: SOURCE} (a task list or a role, from a path
 *                     or a git URL): SOURCE as written until the import is expanded
 *                     ({@code dev.ringplan.engine.share.PlanLoader}), which makes the task a block of
 *                     the imported tasks; null otherwise
 * @param importPos    where {@code import} is written, or null
 * @param params       for the block an imported role becomes: the parameter values the import
 *                     gives ({@link Param.Given}: value as written, declaration), rendered in the
 *                     scope outside the role (they are the only names of the importing plan the
 *                     role's tasks see); null for any other task or block
 * @param rolling      {@code serial: topology|rack|dc}, {@code keyspaces}, {@code ignore_down_nodes} and
 *                     {@code max_fail_percentage} of a task or block ({@link Rolling}), or null when it
 *                     sets none of them
 */
public record Task(String id, String name, SourcePos pos, String module, SourcePos modulePos,
                   Map<String, Object> args, Map<String, SourcePos> argPos,
                   String hosts, SourcePos hostsPos, List<Need> needs, String when, SourcePos whenPos,
                   String register, Map<String, Object> vars, List<String> tags, boolean ignoreErrors,
                   String changedWhen, Integer serial, int retries, int delaySeconds, String until,
                   List<Task> block, String serialTemplate, List<Task> rescue, String failedWhen, boolean noLog,
                   String importSource, SourcePos importPos, Map<String, Object> params, Rolling rolling) {

    /** Key under which a bare scalar module value is kept until the module's free-form arg is known. */
    public static final String FREE_FORM = "_raw_params";

    /** The block's tasks followed by its rescue tasks (empty for a module task). */
    public List<Task> blockAndRescue() {
        if (rescue.isEmpty()) {
            return block;
        }
        List<Task> out = new java.util.ArrayList<>(block);
        out.addAll(rescue);
        return List.copyOf(out);
    }

    /** True for a task written {@code import:} that is not expanded yet. */
    public boolean isImport() {
        return importSource != null;
    }

    /** True for the block an imported role became: a variable scope of its own ({@link #params}). */
    public boolean isRoleScope() {
        return params != null;
    }

    /**
     * This task with another id, needs, block (for a block or an expanded import), vars and role
     * parameters; every other field kept. Used when an import is expanded.
     */
    public Task rewritten(String newId, List<Need> newNeeds, List<Task> newBlock, List<Task> newRescue,
                          Map<String, Object> newVars, String newHosts, Map<String, Object> newParams) {
        return new Task(newId, name, pos, module, modulePos, args, argPos, newHosts, hostsPos, List.copyOf(newNeeds),
                when, whenPos, register, newVars, tags, ignoreErrors, changedWhen, serial, retries, delaySeconds,
                until, List.copyOf(newBlock), serialTemplate, List.copyOf(newRescue), failedWhen, noLog,
                newBlock.isEmpty() ? importSource : null, importPos, newParams, rolling);
    }

    /**
     * True when this task's or block's batches are decided while the run walks the graph (a
     * {@code serial} strategy word, or {@code max_fail_percentage}) rather than by edges fixed at
     * compile time.
     */
    public boolean rollsAtRunTime() {
        return rolling != null && (rolling.strategy() != null || rolling.maxFailPercentage() != null
                || Boolean.FALSE.equals(rolling.ignoreDownNodes()));
    }

    /** True for a block (no module of its own). */
    public boolean isBlock() {
        return module == null;
    }

    /**
     * A reference to another task. Written {@code id} it follows the needs rule (same host when
     * the other task targets it, else every instance); written {@code id[*]} it always waits for
     * every instance (a barrier: e.g. repair only once every node is restored).
     *
     * @param id  the task id
     * @param pos where the reference is written
     * @param all true for {@code id[*]}
     */
    public record Need(String id, SourcePos pos, boolean all) {
        /** A need following the needs rule. */
        public Need(String id, SourcePos pos) {
            this(id, pos, false);
        }

        /** Parses {@code id} or {@code id[*]}. */
        public static Need parse(String text, SourcePos pos) {
            String t = text.strip();
            if (t.endsWith("[*]")) {
                return new Need(t.substring(0, t.length() - 3).strip(), pos, true);
            }
            return new Need(t, pos, false);
        }
    }
}
