package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.plan.Rolling;
import dev.ringplan.engine.plan.SourcedVars;
import dev.ringplan.engine.plan.Task;
import dev.ringplan.engine.template.LazyVars;
import dev.ringplan.engine.template.TemplateException;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.template.Truth;

/**
 * Decides the batch size of every task or block with {@code serial}: a number as written, or a
 * template rendered with the plan's and the {@code -e} variables (host variables do not exist
 * for a setting of the whole task), where 0, false or empty means no batching. A template that
 * fails, or renders to no non-negative integer, is reported at the task.
 */
final class ResolveSerial implements CompilePass {
    private final Templater templater;

    /** Rendering templated {@code serial} with {@code templater}. */
    ResolveSerial(Templater templater) {
        this.templater = templater;
    }

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        LazyVars vars = new LazyVars(templater);
        s.plan.vars().forEach((k, v) -> vars.define(k, v, new LazyVars.Origin(
                "plan variable '" + k + "'", SourcedVars.posOf(s.plan.vars(), k))));
        s.options.extraVars().forEach((k, v) -> vars.define(k, v, new LazyVars.Origin("-e variable '" + k + "'", null)));
        for (Task t : s.plan.allTasks()) {
            if (t.serial() != null) {
                s.serials.put(t.id(), t.serial());
            } else if (t.serialTemplate() != null) {
                try {
                    Object v = templater.render(t.serialTemplate(), vars);
                    String text = String.valueOf(v).strip();
                    if (Boolean.FALSE.equals(Truth.parse(v))) {
                        continue;  // 0, false, no, '' or null: no batching (the one truthiness rule)
                    }
                    if (Rolling.STRATEGIES.contains(text)) {
                        s.serialWords.put(t.id(), text);
                        continue;
                    }
                    int n = Integer.parseInt(text);
                    if (n < 0) {
                        throw new NumberFormatException(text);
                    }
                    s.serials.put(t.id(), n);
                } catch (NumberFormatException e) {
                    diags.error(t.pos(), "task '" + t.id() + "': serial rendered to '" + e.getMessage()
                            + "', expected a positive integer, one of " + String.join(", ", Rolling.STRATEGIES)
                            + " (or 0/false for no batching)");
                } catch (TemplateException e) {
                    diags.error(t.pos(), "task '" + t.id() + "': serial: " + e.getMessage());
                }
            }
        }
        // the parser checks keyspaces against a literal serial; a template only now
        for (Task t : s.plan.allTasks()) {
            if (t.serialTemplate() != null && t.rolling() != null && !t.rolling().keyspaces().isEmpty()
                    && !"topology".equals(s.serialWords.get(t.id()))) {
                diags.error(t.pos(), "task '" + t.id() + "': 'keyspaces' belongs to 'serial: topology', and "
                        + "serial '" + t.serialTemplate() + "' rendered to something else");
            }
        }
    }
}
