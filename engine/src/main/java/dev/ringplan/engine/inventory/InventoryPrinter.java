package dev.ringplan.engine.inventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Prints an {@link Inventory} exactly as ansible-core 2.14's {@code ansible-inventory} does
 * ({@code ansible/cli/inventory.py}, {@code json_inventory} and {@code inventory_graph}), so the
 * two outputs can be diffed. Each result ends with the newline Ansible's display adds.
 */
public final class InventoryPrinter {
    private InventoryPrinter() {
    }

    /**
     * The text of {@code ansible-inventory -i FILE --list}: each group with its direct
     * {@code hosts} and {@code children} (empty ones left out, groups with neither left out,
     * {@code all} without hosts) and {@code _meta.hostvars} with every host's merged variables
     * (hosts without variables left out), as JSON sorted and indented by four spaces.
     */
    public static String list(Inventory inv) {
        Map<String, Object> results = new LinkedHashMap<>();
        formatGroup(inv, "all", results, new HashSet<>());
        Map<String, Object> hostvars = new LinkedHashMap<>();
        for (String h : inv.hosts()) {
            Map<String, Object> vars = inv.hostVars(h);
            if (!vars.isEmpty()) {
                hostvars.put(h, vars);
            }
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("hostvars", hostvars);
        results.put("_meta", meta);
        return PythonJson.dumps(results) + "\n";
    }

    private static void formatGroup(Inventory inv, String name, Map<String, Object> results, Set<String> seen) {
        InventoryGroup g = inv.groupDefinitions().get(name);
        Map<String, Object> mine = new LinkedHashMap<>();
        results.put(name, mine);
        if (!name.equals("all")) {
            mine.put("hosts", new ArrayList<>(g.hosts()));
        }
        List<String> children = new ArrayList<>();
        mine.put("children", children);
        for (String sub : g.children()) {
            children.add(sub);
            if (!seen.contains(sub)) {
                formatGroup(inv, sub, results, seen);
                seen.add(sub);
            }
        }
        mine.entrySet().removeIf(e -> e.getValue() instanceof List<?> l && l.isEmpty());
        if (mine.isEmpty()) {
            results.remove(name);
        }
    }

    /** The text of {@code ansible-inventory -i FILE --graph}. */
    public static String graph(Inventory inv) {
        return graph(inv, "all");
    }

    /**
     * The text of {@code ansible-inventory -i FILE --graph GROUP}: the group, its child groups
     * (recursively, as {@code |--@name:}) and their hosts; {@code all} lists no hosts of its own.
     *
     * @throws NoSuchElementException when {@code group} is not a group of the inventory
     */
    public static String graph(Inventory inv, String group) {
        if (inv.group(group).isEmpty()) {
            throw new NoSuchElementException("Pattern must be valid group name when using --graph: " + group);
        }
        List<String> lines = new ArrayList<>();
        graphGroup(inv, group, 0, lines);
        return String.join("\n", lines) + "\n";
    }

    private static void graphGroup(Inventory inv, String name, int depth, List<String> lines) {
        lines.add(graphName("@" + name + ":", depth));
        InventoryGroup g = inv.groupDefinitions().get(name);
        for (String kid : g.children()) {
            graphGroup(inv, kid, depth + 1, lines);
        }
        if (!name.equals("all")) {
            for (String h : g.hosts()) {
                lines.add(graphName(h, depth + 1));
            }
        }
    }

    private static String graphName(String name, int depth) {
        return depth == 0 ? name : "  |".repeat(depth) + "--" + name;
    }
}
