package dev.ringplan.engine.compile;

import dev.ringplan.engine.dag.Graph;
import dev.ringplan.engine.diag.Diagnostics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the nodes {@code --tags} and {@code --skip-tags} select, as ansible-playbook does
 * ({@link #selectByTags}), and the ordering between them: a kept node waits for the kept nodes
 * it waited for through nodes left out. Without tag options every node is kept.
 */
final class SelectTags implements CompilePass {

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        boolean[] keep = keptByTags(s.nodes, s.options.tags(), s.options.skipTags());
        int kept = 0;
        for (boolean k : keep) {
            kept += k ? 1 : 0;
        }
        if (kept < s.nodes.size()) {
            s.graph = filter(s.graph, keep);
            List<TaskNode> out = new ArrayList<>(kept);
            for (int i = 0; i < keep.length; i++) {
                if (keep[i]) {
                    out.add(s.nodes.get(i));
                }
            }
            s.nodes = out;
        }
    }

    /**
     * {@link #selectByTags} as a flag per node, deciding once per distinct tag list (the nodes of
     * a task share theirs).
     */
    static boolean[] keptByTags(List<TaskNode> nodes, List<String> only, List<String> skip) {
        boolean[] out = new boolean[nodes.size()];
        Map<List<String>, Boolean> decided = new IdentityHashMap<>();
        for (int i = 0; i < out.length; i++) {
            List<String> tags = nodes.get(i).tags();
            Boolean run = decided.get(tags);
            if (run == null) {
                run = runs(tags, only, skip);
                decided.put(tags, run);
            }
            out[i] = run;
        }
        return out;
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
        Set<String> keep = new LinkedHashSet<>();
        for (TaskNode n : nodes) {
            if (runs(n.tags(), only, skip)) {
                keep.add(n.name());
            }
        }
        return keep;
    }

    /** Whether a node tagged {@code nodeTags} runs ({@link #selectByTags}). */
    private static boolean runs(List<String> nodeTags, List<String> only, List<String> skip) {
        Set<String> onlyTags = cleanTags(only);
        if (onlyTags.isEmpty()) {
            onlyTags.add("all");
        }
        Set<String> skipTags = cleanTags(skip);
        Set<String> tags = cleanTags(nodeTags);
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
        return run;
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

    /**
     * The graph of the kept vertices, in their order, where a kept vertex depends on each kept
     * vertex it depended on directly or through left-out vertices (found depth first, in the
     * order the original search took).
     */
    private static Graph<TaskNode> filter(Graph<TaskNode> graph, boolean[] keep) {
        Graph<TaskNode> out = new Graph<>();
        int[] newIndex = new int[keep.length];
        for (int v = 0; v < keep.length; v++) {
            newIndex[v] = keep[v] ? out.appendVertex(graph.name(v), graph.payload(v)) : -1;
        }
        int[] seen = new int[keep.length];
        int[] stack = new int[16];
        for (int v = 0; v < keep.length; v++) {
            if (!keep[v]) {
                continue;
            }
            int top = 0;
            for (int k = 0; k < graph.dependencyCount(v); k++) {
                stack = push(stack, top++, graph.dependency(v, k));
            }
            while (top > 0) {
                int p = stack[--top];
                if (seen[p] == v + 1) {
                    continue;
                }
                seen[p] = v + 1;
                if (keep[p]) {
                    out.addEdge(newIndex[p], newIndex[v]);
                } else {
                    for (int k = 0; k < graph.dependencyCount(p); k++) {
                        stack = push(stack, top++, graph.dependency(p, k));
                    }
                }
            }
        }
        return out;
    }

    private static int[] push(int[] stack, int top, int value) {
        if (top == stack.length) {
            stack = Arrays.copyOf(stack, top * 2);
        }
        stack[top] = value;
        return stack;
    }
}
