package dev.ringplan.engine.inventory;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.SourcePos;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The group and host graph of an inventory while it is being read, kept as ansible-core 2.14's
 * {@code InventoryData} keeps it: groups {@code all} and {@code ungrouped} from the start,
 * parent/child links with Ansible's loop checks ({@code Group.add_child_group}), hosts listed in
 * groups in first-seen order, and {@link #reconcile()} ({@code reconcile_inventory}) to put
 * parentless groups under {@code all} and groupless hosts in {@code ungrouped}. Knows nothing of
 * YAML: {@link InventoryParser} feeds it. Group members are kept in insertion-ordered sets, so
 * adding a host to a group costs the same however many hosts the group has.
 */
final class InventoryBuilder {
    private final String file;
    private final Diagnostics diags;
    private final Map<String, MGroup> groups = new LinkedHashMap<>();
    private final Map<String, MHost> hosts = new LinkedHashMap<>();

    /**
     * An inventory with groups {@code all} and {@code ungrouped} (a child of {@code all}).
     *
     * @param file  the inventory file, for positions and {@link Inventory#source()}
     * @param diags where a refused link (a loop) is reported
     */
    InventoryBuilder(String file, Diagnostics diags) {
        this.file = file;
        this.diags = diags;
        addGroup("all");
        addGroup("ungrouped");
        groups.get("all").children.add("ungrouped");
        groups.get("ungrouped").parents.add("all");
    }

    /** The group names so far, in first-seen order. */
    Set<String> groupNames() {
        return groups.keySet();
    }

    /** The host names so far, in first-seen order. */
    Set<String> hostNames() {
        return hosts.keySet();
    }

    /** Adds group {@code name} when it does not exist yet. */
    void addGroup(String name) {
        groups.computeIfAbsent(name, n -> new MGroup());
    }

    /** Sets a variable of an existing group (the last value of a name wins). */
    void putGroupVar(String group, String name, Object value) {
        groups.get(group).vars.put(name, value);
    }

    /** Sets {@code ansible_group_priority} of an existing group. */
    void setPriority(String group, int priority) {
        groups.get(group).priority = priority;
    }

    /**
     * Lists host {@code name} in the existing {@code group} (once, however often it is listed),
     * creating the host on first sight, and adds {@code vars} to its own variables.
     *
     * @param port the port of a {@code host:port} key; null or 0 for none, else it becomes the
     *             new host's {@code ansible_port}
     */
    void addHost(String group, String name, Integer port, Map<String, Object> vars) {
        MHost host = hosts.get(name);
        if (host == null) {
            host = new MHost();
            if (port != null && port != 0) {
                host.vars.put("ansible_port", port);
            }
            hosts.put(name, host);
        }
        if (groups.get(group).hosts.add(name)) {
            host.groups.add(group);
        }
        host.vars.putAll(vars);
    }

    /**
     * {@code Group.add_child_group}, with its loop checks: a group cannot be its own child nor a
     * child of its descendants (reported at {@code at}); linking twice is a no-op.
     *
     * @return true when the link was made
     */
    boolean addChild(String parent, String child, SourcePos at) {
        if (parent.equals(child)) {
            diags.error(at, "group '" + parent + "' cannot be a child of itself");
            return false;
        }
        MGroup p = groups.get(parent);
        MGroup c = groups.get(child);
        if (p.children.contains(child)) {
            return false;
        }
        if (ancestorsOf(parent).contains(child)) {
            diags.error(at, "Adding group '" + child + "' as child to '" + parent
                    + "' creates a recursive dependency loop");
            return false;
        }
        p.children.add(child);
        c.parents.add(parent);
        return true;
    }

    /** Every group above {@code group}, nearest first (breadth-first). */
    private Set<String> ancestorsOf(String group) {
        Set<String> out = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(groups.get(group).parents);
        while (!todo.isEmpty()) {
            String g = todo.removeFirst();
            if (out.add(g)) {
                todo.addAll(groups.get(g).parents);
            }
        }
        return out;
    }

    /** {@code InventoryData.reconcile_inventory}. */
    void reconcile() {
        for (String g : new ArrayList<>(groups.keySet())) {
            if (!g.equals("all") && groups.get(g).parents.isEmpty()) {
                addChild("all", g, SourcePos.ofFile(file));
            }
        }
        MGroup ungrouped = groups.get("ungrouped");
        for (Map.Entry<String, MHost> e : hosts.entrySet()) {
            String h = e.getKey();
            List<String> mine = new ArrayList<>();
            for (String g : e.getValue().groups) {
                mine.add(g);
                mine.addAll(ancestorsOf(g));
            }
            if (mine.contains("ungrouped")) {
                if (mine.stream().anyMatch(g -> !g.equals("all") && !g.equals("ungrouped"))) {
                    ungrouped.hosts.remove(h);
                    e.getValue().groups.remove("ungrouped");
                }
            } else if (mine.stream().allMatch(g -> g.equals("all"))) {
                ungrouped.hosts.add(h);
                e.getValue().groups.add("ungrouped");
            }
        }
    }

    /**
     * The finished inventory.
     *
     * @param groupFiles variables from {@code group_vars/}, by group
     * @param hostFiles  variables from {@code host_vars/}, by host
     */
    Inventory build(Map<String, Map<String, Object>> groupFiles, Map<String, Map<String, Object>> hostFiles) {
        Map<String, Integer> depth = new LinkedHashMap<>();
        for (String g : groups.keySet()) {
            depthOf(g, depth);
        }
        Map<String, InventoryGroup> out = new LinkedHashMap<>();
        groups.forEach((n, g) -> out.put(n, new InventoryGroup(n, List.copyOf(g.parents), List.copyOf(g.children),
                List.copyOf(g.hosts), g.vars, g.priority, depth.get(n))));
        Map<String, Map<String, Object>> own = new LinkedHashMap<>();
        hosts.forEach((n, h) -> own.put(n, h.vars));
        return new Inventory(file, out, new ArrayList<>(hosts.keySet()), own, groupFiles, hostFiles, Map.of());
    }

    /** Longest path from {@code all}, which is what Ansible's incremental depth updates converge to. */
    private int depthOf(String g, Map<String, Integer> memo) {
        Integer d = memo.get(g);
        if (d != null) {
            return d;
        }
        int max = 0;
        for (String p : groups.get(g).parents) {
            max = Math.max(max, depthOf(p, memo) + 1);
        }
        memo.put(g, max);
        return max;
    }

    /** A group being built. */
    private static final class MGroup {
        final Set<String> parents = new LinkedHashSet<>();
        final Set<String> children = new LinkedHashSet<>();
        final Set<String> hosts = new LinkedHashSet<>();
        final Map<String, Object> vars = new LinkedHashMap<>();
        int priority = 1;
    }

    /** A host being built. */
    private static final class MHost {
        final Set<String> groups = new LinkedHashSet<>();
        final Map<String, Object> vars = new LinkedHashMap<>();
    }
}
