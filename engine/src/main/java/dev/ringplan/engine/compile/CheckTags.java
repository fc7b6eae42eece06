package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.diag.Suggest;
import dev.ringplan.engine.plan.Task;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every tag named by {@code --tags} or {@code --skip-tags} must be carried by a task (or block)
 * of the plan, or be one of {@link #SPECIAL_TAGS}: a mistyped tag would otherwise select nothing
 * and the run would succeed having done nothing. Reported at the option, with the plan's tags.
 */
final class CheckTags implements CompilePass {
    /** Words {@code --tags}/{@code --skip-tags} accept without a task carrying them (ansible-playbook's). */
    static final Set<String> SPECIAL_TAGS = Set.of("all", "tagged", "untagged");

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        Set<String> planTags = new TreeSet<>();
        for (Task t : s.plan.allTasks()) {
            planTags.addAll(t.tags());
        }
        checkOption("--tags", s.options.tags(), planTags, diags);
        checkOption("--skip-tags", s.options.skipTags(), planTags, diags);
    }

    private static void checkOption(String option, List<String> named, Set<String> planTags, Diagnostics diags) {
        for (String tag : named) {
            String t = tag.strip();
            if (t.isEmpty() || SPECIAL_TAGS.contains(t) || planTags.contains(t)) {
                continue;
            }
            String hint = Suggest.didYouMean(t, planTags);
            String known = planTags.isEmpty() ? "the plan has no tags"
                    : "the plan's tags: " + String.join(", ", planTags);
            diags.error(SourcePos.ofFile(option), "unknown tag '" + t + "': no task of the plan carries it",
                    hint != null ? hint + "; " + known : known);
        }
    }
}
