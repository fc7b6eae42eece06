package dev.ringplan.engine.inventory;

import java.util.List;
import java.util.Map;

/**
 * One group of an {@link Inventory}, as Ansible's {@code ansible.inventory.group.Group} holds it.
 *
 * @param name     the group name ({@code all} and {@code ungrouped} always exist)
 * @param parents  direct parent groups, in the order they were linked
 * @param children direct child groups, in the order they were linked (the order
 *                 {@code ansible-inventory --graph} prints)
 * @param hosts    hosts listed directly in this group, in inventory order
 * @param vars     the group's own variables from the inventory file (without
 *                 {@code ansible_group_priority}, which becomes {@link #priority}), unmodifiable
 * @param priority {@code ansible_group_priority}, 1 by default; higher wins among groups of the
 *                 same depth
 * @param depth    the longest distance from {@code all} (0 for {@code all}); deeper groups' vars
 *                 win over shallower ones
 */
public record InventoryGroup(String name, List<String> parents, List<String> children, List<String> hosts,
                             Map<String, Object> vars, int priority, int depth) {
    /** Defensive copies: every list and map is unmodifiable. */
    public InventoryGroup {
        parents = List.copyOf(parents);
        children = List.copyOf(children);
        hosts = List.copyOf(hosts);
        vars = Inventory.frozen(vars);
    }
}
