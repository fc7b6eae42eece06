package dev.ringplan.engine.exec;

import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.template.VariableReferences;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Check mode's rules for what a node that only previews would do: the status a preview
 * predicts, known only after apply when the node runs below a predicted change, and a
 * {@code when} that cannot be decided on predictions. Thread-safe.
 */
final class CheckModePrediction {
    private final Upstream upstream;
    private final Set<String> registeredNames;

    /**
     * @param upstream        the run's view of the predicted changes above each node
     * @param registeredNames every name a task of the plan registers
     */
    CheckModePrediction(Upstream upstream, Set<String> registeredNames) {
        this.upstream = upstream;
        this.registeredNames = Set.copyOf(registeredNames);
    }

    /**
     * Why the node cannot be previewed yet, or null. A {@code when}, or a module argument, that
     * reads a registered result which is only a prediction of a change ({@code would_change} yes
     * or unknown: the registering task previewed, it did not run) would be decided on data the
     * run will not see (values known after apply are null in a prediction); whether the node
     * runs, and what it does, is known after apply. Results of read-only tasks (they run in check
     * mode too) and of tasks predicted {@code ok} are read as usual. A result read through
     * {@code hostvars} is not traced here.
     */
    String undecidable(TaskNode node, Map<String, Object> vars) {
        for (String when : node.whens()) {
            String why = readsPrediction(VariableReferences.inExpression(when), vars);
            if (why != null) {
                return "when: " + when + " reads " + why;
            }
        }
        List<String> templates = new ArrayList<>();
        strings(node.args(), templates);
        for (String t : templates) {
            String why = readsPrediction(argumentRefs(t), vars);
            if (why != null) {
                return "argument " + t + " reads " + why;
            }
        }
        return null;
    }

    /** "'name', registered by a task predicted to change ..." for the first ref that reads a prediction, or null. */
    private String readsPrediction(List<VariableReferences.VariableRef> refs, Map<String, Object> vars) {
        for (VariableReferences.VariableRef ref : refs) {
            if (!registeredNames.contains(ref.name()) || !vars.containsKey(ref.name())) {
                continue;
            }
            if (vars.get(ref.name()) instanceof Map<?, ?> m
                    && ("yes".equals(m.get("would_change")) || "unknown".equals(m.get("would_change")))) {
                return "'" + ref.name() + "', registered by a task predicted to "
                        + ("yes".equals(m.get("would_change")) ? "change" : "maybe change")
                        + " (check mode: it has not run): known after apply";
            }
        }
        return null;
    }

    /**
     * The variables an argument string reads: as a template when it holds one, else as a bare
     * expression (some modules take expressions, as {@code assert}'s {@code that}); a plain
     * string that does not parse reads nothing. Only registered names are looked at, so a word
     * of plain text that happens to name a registered result makes the node unknown, never ok.
     */
    private static List<VariableReferences.VariableRef> argumentRefs(String s) {
        try {
            return Templater.isTemplate(s) ? VariableReferences.inTemplate(s) : VariableReferences.inExpression(s);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** Every string held by {@code value} (a module's raw arguments: maps, lists, scalars). */
    private static void strings(Object value, List<String> out) {
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> strings(v, out));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> strings(v, out));
        }
    }

    /** The {@code unknown} result of a node that is {@link #undecidable undecidable}. */
    NodeResult undecided(TaskNode node, String why, long startNanos) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("would_change", "unknown");
        return NodeResult.timed(node, Status.UNKNOWN, why, null, List.of(), data, startNanos);
    }

    /**
     * A check-mode result from a preview: {@code ok}, {@code changed} or {@code unknown} as
     * the preview says, except that an {@code ok} below an upstream node predicted to change
     * (or unknown) is {@code unknown} with the reason, unless the preview
     * {@link Preview#considersUpstream() considers} those changes: the check saw the host
     * before them, the run will see it after. The data gets {@code would_change}.
     */
    NodeResult predicted(TaskNode node, Preview preview, long startNanos) {
        Status s = switch (preview.change()) {
            case NO -> Status.OK;
            case YES -> Status.CHANGED;
            case UNKNOWN -> Status.UNKNOWN;
        };
        String summary = preview.summary();
        if (s == Status.OK && !preview.considersUpstream() && upstream.any(node.name())) {
            s = Status.UNKNOWN;
            summary = Upstream.reason(upstream.of(node.name())) + ": " + summary;
        }
        Map<String, Object> data = new LinkedHashMap<>(preview.data());
        data.put("would_change", switch (s) {
            case OK -> "no";
            case CHANGED -> "yes";
            default -> "unknown";
        });
        return NodeResult.timed(node, s, summary, preview.diff(), preview.commands(), data, startNanos);
    }
}
