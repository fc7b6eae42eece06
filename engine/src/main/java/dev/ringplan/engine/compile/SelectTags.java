package dev.ringplan.engine.compile;

import dev.ringplan.engine.dag.Graph;
import dev.ringplan.engine.diag.Diagnostics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps the nodes {@code --tags} and {@code --skip-tags} select, as ansible-playbook does
 * ({@link #selectByTags}), and the ordering between them: a kept node waits for the kept nodes
 * it waited for through nodes left out. Without tag options every node is kept.
 */
final class SelectTags implements CompilePass {

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        Set<String> selected = selectByTags(s.nodes, s.options.tags(), s.options.skipTags());
        if (selected.size() < s.nodes.size()) {
            s.graph = filter(s.graph, s.nodes, selected);
            List<TaskNode> kept = new ArrayList<>();
            for (TaskNode n : s.nodes) {
                if (s.graph.contains(n.name())) {
                    kept.add(n);
                }
            }
            s.nodes = kept;
        }
    }

    /**
     * The nodes ansible-playbook would run for these tags ({@code Taggable.evaluate_tags}): with
     * {@code --tags} (default {@code all}) a node runs when tagged {@code always}, when
     * {@code all} is asked and it is not tagged {@code never}, when it carries an asked tag, or
     * when {@code tagged} is asked and it has a tag (not {@code never}); {@code untagged} matches
     * a node without tags. Then {@code --skip-tags} removes a node carrying a skipped tag
     * ({@code always} ones only when {@code always} itself is skipped, or through a tag they
     * carry), every node for {@code all} except {@code always} ones, every tagged node for
     * {@code tagged}.
     */
    static Set<String> selectByTags(List<TaskNode> nodes, List<String> only, List<String> skip) {
        Set<String> onlyTags = cleanTags(only);
        if (onlyTags.isEmpty()) {
            onlyTags.add("all");
        }
        Set<String> skipTags = cleanTags(skip);
        Set<String> keep = new LinkedHashSet<>();
        for (TaskNode n : nodes) {
            Set<String> tags = cleanTags(n.tags());
            if (tags.isEmpty()) {
                tags.add("untagged");
            }
            boolean untagged = tags.equals(Set.of("untagged"));
            boolean run = tags.contains("always")
                    || (onlyTags.contains("all") && !tags.contains("never"))
                    || !Collections.disjoint(tags, onlyTags)
                    || (onlyTags.contains("tagged") && !untagged && !tags.contains("never"));
            if (run && !skipTags.isEmpty()) {
                if (skipTags.contains("all")) {
                    run = tags.contains("always") && !skipTags.contains("always");
                } else if (!Collections.disjoint(tags, skipTags)) {
                    run = false;
                } else if (skipTags.contains("tagged") && !untagged) {
                    run = false;
                }
            }
            if (run) {
                keep.add(n.name());
            }
        }
        return keep;
    }

    private static Set<String> cleanTags(List<String> tags) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : tags) {
            if (t != null && !t.isBlank()) {
                out.add(t.strip());
            }
        }
        return out;
    }

    private static Graph<TaskNode> filter(Graph<TaskNode> graph, List<TaskNode> nodes, Set<String> keep) {
        Graph<TaskNode> out = new Graph<>();
        for (TaskNode n : nodes) {
            if (keep.contains(n.name())) {
                out.addVertex(n.name(), n);
            }
        }
        // Keep ordering through removed vertices: connect kept ancestors to kept descendants.
        for (String v : keep) {
            Set<String> seen = new LinkedHashSet<>();
            List<String> stack = new ArrayList<>(graph.dependencies(v));
            while (!stack.isEmpty()) {
                String p = stack.remove(stack.size() - 1);
                if (!seen.add(p)) {
                    continue;
                }
                if (keep.contains(p)) {
                    out.addEdge(p, v);
                } else {
                    stack.addAll(graph.dependencies(p));
                }
            }
        }
        return out;
    }
}
