package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.plan.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expands each module task into one {@link TaskNode} (and graph vertex) per target host that
 * {@code --limit} keeps, in plan order, then inventory host order, carrying the variables,
 * conditions and tags of its enclosing blocks. A block's {@code rescue} tasks become
 * {@link TaskNode.Kind#RESCUE} nodes, each with the {@link Rescue} of its block on its host, and
 * only on hosts where the block has nodes. Reports nothing: it runs on a plan the checks passed.
 */
final class ExpandNodes implements CompilePass {

    @Override
    public void apply(CompileState s, Diagnostics diags) {
        int expected = 0;
        for (CompileState.Site site : s.sites) {
            expected += site.targets == null ? 0 : site.targets.size();
        }
        s.graph.ensureCapacity(s.graph.size() + expected);
        expand(s, s.plan.tasks(), null);
    }

    /** @param rescues for tasks of a rescue section: the block's rescue on each host; null otherwise */
    private static void expand(CompileState s, List<Task> tasks, Map<String, Rescue> rescues) {
        for (Task t : tasks) {
            if (t.isBlock()) {
                int first = s.nodes.size();
                expand(s, t.block(), rescues);
                if (!t.rescue().isEmpty()) {
                    expand(s, t.rescue(), rescuesOf(t, s.nodes.subList(first, s.nodes.size())));
                }
                continue;
            }
            CompileState.Site site = s.site(t);
            if (site == null || site.targets == null) {
                continue;  // an unknown module or unresolved hosts: reported, compilation stopped
            }
            List<String> hosts = site.targets;
            if (s.limitHosts != null) {
                hosts = hosts.stream().filter(s.limitHosts::contains).toList();
            }
            Map<String, Object> vars = new LinkedHashMap<>();
            List<String> whens = new ArrayList<>();
            Set<String> tags = new LinkedHashSet<>();
            for (Task b : site.blocks) {
                vars.putAll(b.vars());
                if (b.when() != null) {
                    whens.add(b.when());
                }
                tags.addAll(b.tags());
            }
            vars.putAll(t.vars());
            if (t.when() != null) {
                whens.add(t.when());
            }
            tags.addAll(t.tags());
            List<TaskNode> list = new ArrayList<>(hosts.size());
            Map<String, Object> nodeVars = Map.copyOf(vars);
            List<String> nodeWhens = List.copyOf(whens);
            List<String> nodeTags = List.copyOf(tags);
            int first = s.graph.size();
            for (String h : hosts) {
                if (rescues != null && !rescues.containsKey(h)) {
                    continue;  // a rescue task runs only where its block runs
                }
                TaskNode n = new TaskNode(TaskNode.nameOf(t.id(), h), t, h, site.module, site.args, nodeVars,
                        nodeWhens, nodeTags, site.blocks, rescues == null ? null : rescues.get(h));
                list.add(n);
                s.nodes.add(n);
                s.graph.appendVertex(n.name(), n);  // new: task ids are unique and hold no [
            }
            if (t.id() != null) {
                s.nodesByTask.put(t.id(), list);
                s.firstVertexByTask.put(t.id(), first);
            }
        }
    }

    /** The rescue of {@code block} on each host where its body has nodes. */
    private static Map<String, Rescue> rescuesOf(Task block, List<TaskNode> body) {
        Map<String, List<String>> byHost = new LinkedHashMap<>();
        for (TaskNode n : body) {
            byHost.computeIfAbsent(n.host(), h -> new ArrayList<>()).add(n.name());
        }
        Map<String, Rescue> out = new LinkedHashMap<>();
        byHost.forEach((host, names) -> out.put(host, new Rescue(block, host, names)));
        return out;
    }
}
