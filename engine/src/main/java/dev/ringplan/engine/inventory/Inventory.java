package dev.ringplan.engine.inventory;

import dev.ringplan.engine.diag.Diagnostic;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.diag.Suggest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable Ansible inventory: hosts, groups and their variables, as ansible-core 2.14's
 * {@code InventoryData} holds them after {@code reconcile_inventory()} (every group without a
 * parent is a child of {@code all}; hosts in no group are in {@code ungrouped}).
 *
 * <p>Variables of a host ({@link #hostVars(String)}) are merged in Ansible's order
 * ({@code VariableManager.get_vars} with the default {@code VARIABLE_PRECEDENCE}), each step
 * replacing top-level keys of the earlier ones (Ansible's default {@code hash_behaviour=replace}):
 * <ol>
 * <li>{@code all}'s vars from the inventory file;</li>
 * <li>the vars of the host's other groups, sorted by (depth, {@code ansible_group_priority},
 *     name), so children beat parents and, at equal depth, the higher priority and then the
 *     later name wins;</li>
 * <li>{@code group_vars/all} next to the inventory file;</li>
 * <li>{@code group_vars/<group>} for the host's other groups, in the same order;</li>
 * <li>extra host vars given by {@link #withExtraHostVars(Map)} (the sandbox's);</li>
 * <li>the host's own vars in the inventory (including {@code ansible_port} from
 *     {@code host:port});</li>
 * <li>{@code host_vars/<host>} next to the inventory file.</li>
 * </ol>
 * Magic variables ({@code inventory_hostname}, {@code group_names}, {@code groups}, ...) are not
 * part of {@link #hostVars}; {@link #groupsOf} and {@link #groups} give the latter two.
 */
public final class Inventory {
    private final String source;
    private final Map<String, InventoryGroup> groups;
    private final List<String> hostNames;
    private final Map<String, Map<String, Object>> ownHostVars;
    private final Map<String, Set<String>> hostGroups;
    /**
     * For each distinct set of groups of {@link #hostGroups} (hosts with equal sets share one
     * instance): the variables of those groups merged, the layers of {@link #hostVars} below the
     * host's own.
     */
    private final Map<Set<String>, Map<String, Object>> groupLayers = new java.util.IdentityHashMap<>();
    private final Map<String, Map<String, Object>> groupFileVars;
    private final Map<String, Map<String, Object>> hostFileVars;
    private final Map<String, Map<String, Object>> extraHostVars;
    private final Map<String, List<String>> groupHosts;
    private final List<String> orderedHosts;

    Inventory(String source, Map<String, InventoryGroup> groups, List<String> hostNames,
              Map<String, Map<String, Object>> ownHostVars, Map<String, Map<String, Object>> groupFileVars,
              Map<String, Map<String, Object>> hostFileVars, Map<String, Map<String, Object>> extraHostVars) {
        this.source = source;
        this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        this.hostNames = List.copyOf(hostNames);
        this.ownHostVars = frozenNested(ownHostVars);
        this.groupFileVars = frozenNested(groupFileVars);
        this.hostFileVars = frozenNested(hostFileVars);
        this.extraHostVars = frozenNested(extraHostVars);
        Map<String, Set<String>> hg = new LinkedHashMap<>();
        for (String h : hostNames) {
            hg.put(h, new LinkedHashSet<>());
        }
        for (InventoryGroup g : groups.values()) {
            for (String h : g.hosts()) {
                Set<String> set = hg.get(h);
                set.add(g.name());
                set.addAll(ancestors(g.name()));
            }
        }
        Map<Set<String>, Set<String>> shared = new java.util.HashMap<>();
        hg.replaceAll((k, v) -> shared.computeIfAbsent(v, Collections::unmodifiableSet));
        this.hostGroups = Collections.unmodifiableMap(hg);
        for (Set<String> set : shared.values()) {
            groupLayers.put(set, groupLayer(set));
        }
        Map<String, List<String>> gh = new LinkedHashMap<>();
        for (String g : groups.keySet()) {
            gh.put(g, List.copyOf(computeGroupHosts(g)));
        }
        this.groupHosts = Collections.unmodifiableMap(gh);
        this.orderedHosts = gh.getOrDefault("all", List.of());
    }

    /** The inventory's source as the user named it (file name), for messages. */
    public String source() {
        return source;
    }

    /**
     * Every host, in the order Ansible's {@code get_hosts('all')} returns them: hosts listed
     * directly under {@code all}, then those of {@code all}'s descendant groups, walked level by
     * level (children of a group in the order they were defined). Ansible itself orders the
     * groups of one level by Python object hashes, which can vary from run to run; this order
     * is the deterministic one that matches the file order.
     */
    public List<String> hosts() {
        return orderedHosts;
    }

    /** True when {@code host} is a host of this inventory. */
    public boolean hasHost(String host) {
        return hostGroups.containsKey(host);
    }

    /** Every group by name, in the order they were first defined ({@code all}, {@code ungrouped} first). */
    public Map<String, InventoryGroup> groupDefinitions() {
        return groups;
    }

    /** The group named {@code name}, if any. */
    public Optional<InventoryGroup> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    /**
     * Ansible's {@code groups} magic variable: each group's name mapped to all its hosts (its
     * own and its descendants', without duplicates), including {@code all} and
     * {@code ungrouped}.
     */
    public Map<String, List<String>> groups() {
        return groupHosts;
    }

    /**
     * Ansible's {@code group_names} for {@code host}: the names of every group the host is in,
     * directly or through a child group, sorted, without {@code all}.
     *
     * @throws NoSuchElementException when the host is not in the inventory
     */
    public List<String> groupsOf(String host) {
        List<String> out = new ArrayList<>();
        for (String g : requireHost(host)) {
            if (!g.equals("all")) {
                out.add(g);
            }
        }
        out.sort(Inventory::comparePython);
        return List.copyOf(out);
    }

    /**
     * The variables of {@code host}, merged in Ansible's precedence (see the class comment).
     * The map is unmodifiable and ordered by first definition; values are what the YAML held
     * (String, Integer/Long/BigInteger, Double, Boolean, null, List, Map).
     *
     * @throws NoSuchElementException when the host is not in the inventory
     */
    public Map<String, Object> hostVars(String host) {
        Map<String, Object> out = new LinkedHashMap<>(groupLayers.get(requireHost(host)));
        out.putAll(extraHostVars.getOrDefault(host, Map.of()));
        out.putAll(ownHostVars.getOrDefault(host, Map.of()));
        out.putAll(hostFileVars.getOrDefault(host, Map.of()));
        return Collections.unmodifiableMap(out);
    }

    /** The group layers of {@link #hostVars} of a host in groups {@code mine}. */
    private Map<String, Object> groupLayer(Set<String> mine) {
        List<InventoryGroup> sorted = sortedGroups(mine);
        Map<String, Object> out = new LinkedHashMap<>();
        InventoryGroup all = groups.get("all");
        if (all != null) {
            out.putAll(all.vars());
        }
        for (InventoryGroup g : sorted) {
            out.putAll(g.vars());
        }
        out.putAll(groupFileVars.getOrDefault("all", Map.of()));
        for (InventoryGroup g : sorted) {
            out.putAll(groupFileVars.getOrDefault(g.name(), Map.of()));
        }
        return out;
    }

    /**
     * A copy of this inventory with extra variables for some hosts, ranked just below each
     * host's own inventory variables and above every group variable. Calling it again merges
     * the new extra vars over the earlier ones (per top-level key).
     *
     * @param perHost host name → variables; every host must exist in this inventory
     * @throws IllegalArgumentException when a host is not in the inventory
     */
    public Inventory withExtraHostVars(Map<String, Map<String, Object>> perHost) {
        Map<String, Map<String, Object>> merged = new LinkedHashMap<>();
        extraHostVars.forEach((h, v) -> merged.put(h, new LinkedHashMap<>(v)));
        for (Map.Entry<String, Map<String, Object>> e : perHost.entrySet()) {
            if (!hasHost(e.getKey())) {
                String hint = Suggest.didYouMean(e.getKey(), hostNames);
                throw new IllegalArgumentException("host '" + e.getKey() + "' is not in inventory " + source
                        + (hint == null ? "" : " (" + hint + ")"));
            }
            merged.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()).putAll(e.getValue());
        }
        return new Inventory(source, groups, hostNames, ownHostVars, groupFileVars, hostFileVars, merged);
    }

    /**
     * The hosts matched by an Ansible host pattern, in Ansible's order, without duplicates.
     * Supported as in {@code InventoryManager.get_hosts}: {@code all} or {@code *}; group and
     * host names; {@code ,} or {@code :} separated lists (union); {@code &name} intersection;
     * {@code !name} exclusion; shell globs ({@code web*}, {@code db?}, {@code [ab]*}); regular
     * expressions after {@code ~} (matched at the start of the name, as Python's
     * {@code re.match}); subscripts {@code group[0]}, {@code group[-1]}, {@code group[1:3]}.
     *
     * <p>Unlike Ansible, which only warns, a sub-pattern that matches no group and no host is
     * an error (a typo would otherwise silently shrink the target). Ansible's implicit
     * {@code localhost} is not created.
     *
     * @throws HostPatternException naming the sub-pattern, with a "did you mean" hint
     */
    public List<String> resolve(String pattern) throws HostPatternException {
        return new PatternResolver(this).resolve(pattern);
    }

    /**
     * {@link #resolve(String)} for a pattern written at {@code pos} (e.g. a plan's
     * {@code hosts:}), turning a failure into a diagnostic at that position.
     *
     * @throws InvalidInputException when the pattern cannot be resolved
     */
    public List<String> resolve(String pattern, SourcePos pos) throws InvalidInputException {
        try {
            return resolve(pattern);
        } catch (HostPatternException e) {
            throw new InvalidInputException(List.of(Diagnostic.error(pos, e.summary(), e.detail())));
        }
    }

    /** Host names in the order they were first defined in the file (Ansible's hosts dict order). */
    List<String> definitionOrder() {
        return hostNames;
    }

    private Set<String> requireHost(String host) {
        Set<String> mine = hostGroups.get(host);
        if (mine == null) {
            String hint = Suggest.didYouMean(host, hostNames);
            throw new NoSuchElementException("host '" + host + "' is not in inventory " + source
                    + (hint == null ? "" : " (" + hint + ")"));
        }
        return mine;
    }

    /** Ansible's {@code sort_groups}: by depth, priority, name; without {@code all}. */
    private List<InventoryGroup> sortedGroups(Set<String> names) {
        List<InventoryGroup> out = new ArrayList<>();
        for (String n : names) {
            if (!n.equals("all")) {
                out.add(groups.get(n));
            }
        }
        out.sort(Comparator.comparingInt(InventoryGroup::depth).thenComparingInt(InventoryGroup::priority)
                .thenComparing(InventoryGroup::name, Inventory::comparePython));
        return out;
    }

    private Set<String> ancestors(String group) {
        Set<String> out = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(groups.get(group).parents());
        while (!todo.isEmpty()) {
            String p = todo.remove(0);
            if (out.add(p)) {
                todo.addAll(groups.get(p).parents());
            }
        }
        return out;
    }

    /**
     * Ansible's {@code Group.get_hosts()}: the group itself, then its descendants level by
     * level (see {@link #hosts()} on the order within a level), collecting hosts once.
     */
    private List<String> computeGroupHosts(String name) {
        List<String> ordered = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        ordered.add(name);
        seen.add(name);
        List<String> level = new ArrayList<>(List.of(name));
        while (!level.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (String g : level) {
                for (String c : groups.get(g).children()) {
                    if (seen.add(c)) {
                        ordered.add(c);
                        next.add(c);
                    }
                }
            }
            level = next;
        }
        LinkedHashSet<String> hosts = new LinkedHashSet<>();
        for (String g : ordered) {
            hosts.addAll(groups.get(g).hosts());
        }
        return new ArrayList<>(hosts);
    }

    /** Python's default str ordering: by code point (not UTF-16 unit, as String.compareTo). */
    static int comparePython(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** An unmodifiable insertion-ordered copy that allows null values. */
    static Map<String, Object> frozen(Map<String, Object> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    private static Map<String, Map<String, Object>> frozenNested(Map<String, Map<String, Object>> m) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, frozen(v)));
        return Collections.unmodifiableMap(out);
    }
}
