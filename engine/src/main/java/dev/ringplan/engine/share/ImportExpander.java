package dev.ringplan.engine.share;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.diag.Suggest;
import dev.ringplan.engine.plan.Param;
import dev.ringplan.engine.plan.Plan;
import dev.ringplan.engine.plan.SourcedVars;
import dev.ringplan.engine.plan.Task;
import dev.ringplan.engine.template.Templater;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one {@code import:} task and the file it names (already parsed, its own imports already
 * expanded) into a block, as Ansible's {@code import_tasks}/{@code import_role} put the imported
 * tasks in place at compile time:
 *
 * <ul>
 *   <li>every imported task's id becomes {@code IMPORT_ID.TASK_ID}, and so do the ids its
 *       {@code needs} name; a need on an id the imported file does not define is an error (an
 *       imported file's tasks need only each other; what the import needs applies to all);</li>
 *   <li>the block carries the import's {@code id}, {@code hosts}, {@code needs}, {@code when},
 *       {@code tags}, {@code serial} and {@code no_log}, so {@code needs: [IMPORT_ID]} waits for
 *       every imported task;</li>
 *   <li>a task list's tasks see the import's {@code vars} as block variables; a role's block is a
 *       variable scope ({@link Task#params()}): the import's {@code vars} are its parameter values,
 *       checked against the role's {@code params} (unknown names, missing required ones, types of
 *       plain values), and its own {@code vars} plus the defaults of the parameters not given are
 *       its block variables.</li>
 * </ul>
 */
final class ImportExpander {
    private ImportExpander() {
    }

    /** The block {@code imp} becomes, or null when the role's parameters are wrong (reported in {@code diags}). */
    static Task toBlock(Task imp, Plan child, Diagnostics diags) {
        String prefix = imp.id() + ".";
        Set<String> local = new HashSet<>();
        for (Task t : child.allTasks()) {
            local.add(t.id());
        }
        List<Task> tasks = new ArrayList<>();
        for (Task t : child.tasks()) {
            tasks.add(rename(t, prefix, local, child.file(), diags));
        }
        if (child.isTaskList()) {
            return imp.rewritten(imp.id(), imp.needs(), tasks, List.of(), imp.vars(), imp.hosts(), null);
        }
        if (!child.varsRequired().isEmpty()) {
            diags.error(child.varsRequired().get(0).pos(), "a role (an imported plan) declares what it needs with"
                    + " 'params' (required: true), not 'vars_required'");
        }
        Map<String, Object> given = imp.vars();
        boolean ok = checkParams(imp, child, given, diags);
        SourcedVars inner = new SourcedVars();
        child.vars().forEach((k, v) -> inner.put(k, v, SourcedVars.posOf(child.vars(), k)));
        for (Param p : child.params()) {
            if (!given.containsKey(p.name()) && p.hasDefault()) {
                inner.put(p.name(), p.defaultValue(), p.pos());
            }
        }
        SourcedVars params = new SourcedVars();
        for (Param p : child.params()) {
            if (given.containsKey(p.name())) {
                params.put(p.name(), new Param.Given(given.get(p.name()), p, child.file()),
                        posOr(given, p.name(), imp.importPos()));
            }
        }
        String hosts = imp.hosts() != null ? imp.hosts() : child.hosts();
        return ok ? imp.rewritten(imp.id(), imp.needs(), tasks, List.of(), inner, hosts, params) : null;
    }

    private static boolean checkParams(Task imp, Plan child, Map<String, Object> given, Diagnostics diags) {
        boolean ok = true;
        Map<String, Param> declared = new java.util.LinkedHashMap<>();
        child.params().forEach(p -> declared.put(p.name(), p));
        for (Map.Entry<String, Object> e : given.entrySet()) {
            SourcePos at = posOr(given, e.getKey(), imp.importPos());
            Param p = declared.get(e.getKey());
            if (p == null) {
                String hint = Suggest.didYouMean(e.getKey(), declared.keySet());
                diags.error(at, "role " + child.file() + " (import '" + imp.id() + "') has no parameter '" + e.getKey() + "'",
                        hint != null ? hint : declared.isEmpty() ? "it declares no parameters"
                                : "its parameters: " + String.join(", ", declared.keySet()));
                ok = false;
            } else if (e.getValue() != null && !Templater.isTemplated(e.getValue())) {
                String kind = p.typeMismatch(e.getValue());
                if (kind != null) {
                    diags.error(at, "parameter '" + p.name() + "' of role " + child.file() + " is " + p.type()
                            + ", got " + kind + " " + brief(e.getValue()), "declared at " + p.pos()
                            + (p.description() != null ? ": " + p.description() : ""));
                    ok = false;
                }
            }
        }
        for (Param p : child.params()) {
            if (p.required() && !given.containsKey(p.name())) {
                diags.error(imp.importPos(), "import '" + imp.id() + "' does not give the required parameter '" + p.name()
                        + "' (" + p.type() + ") of role " + child.file(), "declared at " + p.pos()
                        + (p.description() != null ? ": " + p.description() : "") + "; give it under the import's vars");
                ok = false;
            }
        }
        return ok;
    }

    private static Task rename(Task t, String prefix, Set<String> local, String file, Diagnostics diags) {
        List<Task.Need> needs = new ArrayList<>();
        for (Task.Need n : t.needs()) {
            if (local.contains(n.id())) {
                needs.add(new Task.Need(prefix + n.id(), n.pos(), n.all()));
            } else {
                diags.error(n.pos(), "task '" + t.id() + "' needs '" + n.id() + "', which " + file + " does not define",
                        "the tasks of an imported file can need only each other; put what they all wait for in the"
                                + " importing task's needs");
            }
        }
        List<Task> block = new ArrayList<>();
        t.block().forEach(c -> block.add(rename(c, prefix, local, file, diags)));
        List<Task> rescue = new ArrayList<>();
        t.rescue().forEach(c -> rescue.add(rename(c, prefix, local, file, diags)));
        return t.rewritten(prefix + t.id(), needs, block, rescue, t.vars(), t.hosts(), t.params());
    }

    private static SourcePos posOr(Map<String, ?> vars, String name, SourcePos dflt) {
        SourcePos p = SourcedVars.posOf(vars, name);
        return p != null ? p : dflt;
    }

    private static String brief(Object v) {
        String s = v instanceof String str ? "'" + str + "'" : String.valueOf(v);
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
