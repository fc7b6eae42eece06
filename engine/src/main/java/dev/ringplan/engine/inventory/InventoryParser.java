package dev.ringplan.engine.inventory;

import dev.ringplan.engine.diag.Diagnostic;
import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.diag.Suggest;
import dev.ringplan.engine.yaml.SafeYaml;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads Ansible's YAML inventory format exactly as ansible-core 2.14's {@code yaml} inventory
 * plugin ({@code ansible/plugins/inventory/yaml.py}) and {@code InventoryData} do: top-level
 * keys are groups ({@code all} or any other); each group may have {@code hosts} (host keys,
 * possibly ranges such as {@code node[01:03]} and {@code host:port}, with a mapping of host
 * vars or nothing), {@code vars} and {@code children} (nested groups, same shape). A section
 * given as a single string means a one-key mapping ({@code hosts: web1}). Groups without a
 * parent become children of {@code all}; hosts in no group land in {@code ungrouped}.
 *
 * <p>{@link #parse(Path)} also reads {@code group_vars/} and {@code host_vars/} next to the file,
 * as Ansible's {@code host_group_vars} vars plugin does: for each group / host the first of
 * {@code NAME}, {@code NAME.yml}, {@code NAME.yaml}, {@code NAME.json} that exists; when it is a
 * directory, every file in it (recursively, sorted, hidden and {@code ~} backups skipped,
 * extension none/.yml/.yaml/.json), merged in that order.
 *
 * <p>Where Ansible only warns and skips (an unknown key such as {@code host:} in a group, a
 * group that is not a mapping), this parser reports an error, and it refuses duplicate keys
 * (Ansible keeps the last). All problems are reported at once, as {@link InvalidInputException}
 * diagnostics with {@code file:line:column}.
 */
public final class InventoryParser {
    private static final List<String> SECTIONS = List.of("vars", "children", "hosts");
    private static final List<String> VARS_EXTENSIONS = List.of("", ".yml", ".yaml", ".json");
    private static final Pattern INI_SECTION = Pattern.compile("(?m)^\\s*\\[[^\\]\\n]+\\]\\s*$");

    private final String file;
    private final Diagnostics diags = new Diagnostics();
    private final YamlValues values;
    private final Map<String, MGroup> groups = new LinkedHashMap<>();
    private final Map<String, MHost> hosts = new LinkedHashMap<>();

    private InventoryParser(String file) {
        this.file = file;
        this.values = new YamlValues(file, diags);
        addGroup("all");
        addGroup("ungrouped");
        groups.get("all").children.add("ungrouped");
        groups.get("ungrouped").parents.add("all");
    }

    /**
     * Parses the YAML inventory {@code file} and the {@code group_vars/} and {@code host_vars/}
     * directories beside it.
     *
     * @throws InvalidInputException with every problem found (unreadable file, YAML syntax,
     *                               structure), each at {@code file:line:column}
     */
    public static Inventory parse(Path file) throws InvalidInputException {
        String name = file.toString();
        String text = SafeYaml.readUtf8(file, "inventory");
        InventoryParser p = new InventoryParser(name);
        p.parseText(text);
        Path dir = file.toAbsolutePath().getParent();
        Map<String, Map<String, Object>> groupFiles = new LinkedHashMap<>();
        Map<String, Map<String, Object>> hostFiles = new LinkedHashMap<>();
        if (dir != null) {
            for (String g : p.groups.keySet()) {
                p.loadVarsFiles(dir.resolve("group_vars"), g, groupFiles);
            }
            for (String h : p.hosts.keySet()) {
                p.loadVarsFiles(dir.resolve("host_vars"), h, hostFiles);
            }
        }
        return p.finish(groupFiles, hostFiles);
    }

    /**
     * Parses inventory {@code text}; {@code fileName} is used in error positions and as the
     * inventory's {@link Inventory#source()}. No {@code group_vars/}/{@code host_vars/} are read.
     *
     * @throws InvalidInputException with every problem found
     */
    public static Inventory parse(String fileName, String text) throws InvalidInputException {
        InventoryParser p = new InventoryParser(fileName);
        p.parseText(text);
        return p.finish(Map.of(), Map.of());
    }

    private void parseText(String text) throws InvalidInputException {
        Node root;
        try {
            root = SafeYaml.compose(file, text);
        } catch (InvalidInputException e) {
            if (INI_SECTION.matcher(text).find()) {
                List<Diagnostic> ds = new ArrayList<>();
                for (Diagnostic d : e.diagnostics()) {
                    ds.add(new Diagnostic(d.severity(), d.pos(), d.summary(),
                            "this looks like an INI inventory; only Ansible's YAML inventory format is supported"));
                }
                throw new InvalidInputException(ds);
            }
            throw e;
        }
        if (root == null || YamlValues.isNull(root) || (root instanceof MappingNode m && m.getValue().isEmpty())
                || (root instanceof ScalarNode s && YamlValues.isString(s) && s.getValue().isEmpty())) {
            throw new InvalidInputException(root == null ? new SourcePos(file, 1, 1) : SafeYaml.pos(file, root),
                    "Parsed empty YAML file: an inventory needs groups");
        }
        if (!(root instanceof MappingNode map)) {
            String hint = INI_SECTION.matcher(text).find()
                    ? "this looks like an INI inventory; only Ansible's YAML inventory format is supported"
                    : "expected top-level groups such as 'all:'";
            throw new InvalidInputException(List.of(Diagnostic.error(SafeYaml.pos(file, root),
                    "YAML inventory has invalid structure, it should be a mapping, got " + SafeYaml.kind(root), hint)));
        }
        List<YamlValues.Entry> entries = values.entries(map);
        for (YamlValues.Entry e : entries) {
            if ("plugin".equals(e.key()) && !YamlValues.isNull(e.value())) {
                throw new InvalidInputException(SafeYaml.pos(file, e.keyNode()),
                        "Plugin configuration YAML file, not YAML inventory: inventory plugins are not supported");
            }
        }
        for (YamlValues.Entry e : entries) {
            parseGroup(e.key(), e.keyNode(), e.value());
        }
        reconcile();
    }

    /** Mirrors {@code InventoryModule._parse_group}; returns the group's name or null when refused. */
    private String parseGroup(Object name, Node keyNode, Node data) {
        SourcePos at = SafeYaml.pos(file, keyNode);
        if (!(data instanceof MappingNode) && !YamlValues.isNull(data)) {
            diags.error(SafeYaml.pos(file, data), "'" + name + "' is not a valid group definition: expected a mapping "
                    + "with hosts/vars/children, found " + SafeYaml.kind(data));
            return null;
        }
        if (!(name instanceof String group) || !YamlValues.isString(keyNode)) {
            diags.error(at, "Unable to add group " + name + ": invalid group name, expected a string"
                    + (name == null ? "" : " but got " + pyType(name)),
                    "quote the name in the inventory");
            return null;
        }
        if (group.isEmpty()) {
            diags.error(at, "Invalid empty group name");
            return null;
        }
        addGroup(group);
        if (data instanceof MappingNode m) {
            List<YamlValues.Entry> entries = values.entries(m);
            for (YamlValues.Entry e : entries) {
                String key = e.key() instanceof String s ? s : String.valueOf(e.key());
                Node v = e.value();
                if (!SECTIONS.contains(key)) {
                    diags.error(SafeYaml.pos(file, e.keyNode()), "unexpected key '" + key + "' in group '" + group
                            + "', only \"vars\", \"children\" and \"hosts\" are valid", Suggest.didYouMean(key, SECTIONS));
                    continue;
                }
                if (YamlValues.isNull(v)) {
                    continue;
                }
                List<YamlValues.Entry> items;
                if (YamlValues.isString(v)) {
                    items = List.of(new YamlValues.Entry(((ScalarNode) v).getValue(), v, null));
                } else if (v instanceof MappingNode vm) {
                    items = values.entries(vm);
                } else {
                    diags.error(SafeYaml.pos(file, v), "Invalid \"" + key + "\" entry for \"" + group
                            + "\" group, requires a mapping, found " + SafeYaml.kind(v) + " instead",
                            v instanceof SequenceNode ? "write each item as a key ending in ':'" : null);
                    continue;
                }
                switch (key) {
                    case "vars" -> {
                        for (YamlValues.Entry var : items) {
                            setGroupVar(group, var);
                        }
                    }
                    case "children" -> {
                        for (YamlValues.Entry sub : items) {
                            String child = parseGroup(sub.key(), sub.keyNode(), sub.value());
                            if (child != null) {
                                addChild(group, child, SafeYaml.pos(file, sub.keyNode()));
                            }
                        }
                    }
                    default -> {
                        for (YamlValues.Entry h : items) {
                            parseHost(group, h);
                        }
                    }
                }
            }
        }
        return group;
    }

    private void setGroupVar(String group, YamlValues.Entry var) {
        if (!(var.key() instanceof String name)) {
            diags.error(SafeYaml.pos(file, var.keyNode()), "variable name " + var.key() + " must be a string");
            return;
        }
        Object value = values.value(var.value());
        MGroup g = groups.get(group);
        if (name.equals("ansible_group_priority")) {
            Integer p = toInt(value);
            if (p == null) {
                diags.error(SafeYaml.pos(file, var.value()), "ansible_group_priority must be an integer, got " + value);
            } else {
                g.priority = p;
            }
            return;
        }
        g.vars.put(name, value);
    }

    private static Integer toInt(Object v) {
        if (v instanceof Number n && !(v instanceof Double)) {
            return n.intValue();
        }
        if (v instanceof Double d) {
            return d.intValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private void parseHost(String group, YamlValues.Entry entry) {
        SourcePos at = SafeYaml.pos(file, entry.keyNode());
        if (!(entry.key() instanceof String pattern) || !YamlValues.isString(entry.keyNode())) {
            diags.error(at, "Host pattern " + pyStr(entry.key()) + " must be a string. "
                    + "Enclose integers/floats in quotation marks.");
            return;
        }
        HostRanges.Expansion exp;
        try {
            exp = HostRanges.expandHostPattern(pattern);
        } catch (IllegalArgumentException e) {
            diags.error(at, e.getMessage());
            return;
        }
        Node vnode = entry.value();
        Map<String, Object> hostVars = new LinkedHashMap<>();
        if (vnode instanceof MappingNode vm) {
            for (YamlValues.Entry var : values.entries(vm)) {
                if (var.key() instanceof String name) {
                    hostVars.put(name, values.value(var.value()));
                } else {
                    diags.error(SafeYaml.pos(file, var.keyNode()), "variable name " + var.key() + " must be a string");
                }
            }
        } else if (vnode != null && !YamlValues.isNull(vnode) && truthy(values.value(vnode))) {
            diags.error(SafeYaml.pos(file, vnode), "Invalid data for host '" + pattern
                    + "': expected a mapping of host variables, got " + SafeYaml.kind(vnode));
            return;
        }
        for (String h : exp.names()) {
            if (h.isEmpty()) {
                diags.error(at, "Invalid empty host name provided");
                continue;
            }
            MHost host = hosts.get(h);
            if (host == null) {
                host = new MHost();
                if (exp.port() != null && exp.port() != 0) {
                    host.vars.put("ansible_port", exp.port());
                }
                hosts.put(h, host);
            }
            MGroup g = groups.get(group);
            if (!g.hosts.contains(h)) {
                g.hosts.add(h);
                host.groups.add(group);
            }
            host.vars.putAll(hostVars);
        }
    }

    private static boolean truthy(Object v) {
        if (v == null || Boolean.FALSE.equals(v) || "".equals(v)) {
            return false;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        return !(v instanceof Map<?, ?> m) || !m.isEmpty();
    }

    private void addGroup(String name) {
        groups.computeIfAbsent(name, n -> new MGroup());
    }

    /** {@code Group.add_child_group}, with its loop checks. */
    private boolean addChild(String parent, String child, SourcePos at) {
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
        if (!c.parents.contains(parent)) {
            c.parents.add(parent);
        }
        return true;
    }

    private List<String> ancestorsOf(String group) {
        List<String> out = new ArrayList<>();
        List<String> todo = new ArrayList<>(groups.get(group).parents);
        while (!todo.isEmpty()) {
            String g = todo.remove(0);
            if (!out.contains(g)) {
                out.add(g);
                todo.addAll(groups.get(g).parents);
            }
        }
        return out;
    }

    /** {@code InventoryData.reconcile_inventory}. */
    private void reconcile() {
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

    private void loadVarsFiles(Path dir, String entity, Map<String, Map<String, Object>> into) {
        if (entity.startsWith("/") || entity.contains("/") || entity.contains("\\") || entity.equals("..")
                || entity.equals(".") || !Files.isDirectory(dir)) {
            return;
        }
        List<Path> found = new ArrayList<>();
        for (String ext : VARS_EXTENSIONS) {
            Path p = dir.resolve(entity + ext);
            if (Files.exists(p)) {
                if (Files.isDirectory(p)) {
                    collectDir(p, found);
                } else {
                    found.add(p);
                }
                break;
            }
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        for (Path f : found) {
            merged.putAll(loadVarsFile(f));
        }
        if (!found.isEmpty()) {
            into.put(entity, merged);
        }
    }

    private void collectDir(Path dir, List<Path> found) {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted((a, b) -> Inventory.comparePython(a.getFileName().toString(),
                    b.getFileName().toString())).toList();
        } catch (IOException e) {
            diags.error(SourcePos.ofFile(dir.toString()), "cannot list vars directory: " + e.getMessage());
            return;
        }
        for (Path c : children) {
            String n = c.getFileName().toString();
            if (n.startsWith(".") || n.endsWith("~")) {
                continue;
            }
            int dot = n.lastIndexOf('.');
            String ext = dot > 0 ? n.substring(dot) : "";
            if (Files.isDirectory(c) && ext.isEmpty()) {
                collectDir(c, found);
            } else if (Files.isRegularFile(c) && (ext.isEmpty() || VARS_EXTENSIONS.contains(ext))) {
                found.add(c);
            }
        }
    }

    private Map<String, Object> loadVarsFile(Path f) {
        String name = f.toString();
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            String text = SafeYaml.readUtf8(f, "vars file");
            Node root = SafeYaml.compose(name, text);
            if (root == null || YamlValues.isNull(root)) {
                return out;
            }
            if (!(root instanceof MappingNode m)) {
                diags.error(SafeYaml.pos(name, root), "a vars file must hold a mapping of variables, found "
                        + SafeYaml.kind(root));
                return out;
            }
            YamlValues fileValues = new YamlValues(name, diags);
            for (YamlValues.Entry e : fileValues.entries(m)) {
                if (e.key() instanceof String k) {
                    out.put(k, fileValues.value(e.value()));
                } else {
                    diags.error(SafeYaml.pos(name, e.keyNode()), "variable name " + e.key() + " must be a string");
                }
            }
        } catch (InvalidInputException e) {
            diags.addAll(e.diagnostics());
        }
        return out;
    }

    private Inventory finish(Map<String, Map<String, Object>> groupFiles, Map<String, Map<String, Object>> hostFiles)
            throws InvalidInputException {
        diags.throwIfErrors();
        Map<String, Integer> depth = new LinkedHashMap<>();
        for (String g : groups.keySet()) {
            depthOf(g, depth);
        }
        Map<String, InventoryGroup> out = new LinkedHashMap<>();
        groups.forEach((n, g) -> out.put(n, new InventoryGroup(n, g.parents, g.children, g.hosts, g.vars,
                g.priority, depth.get(n))));
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

    private static String pyType(Object o) {
        if (o instanceof Boolean) {
            return "<class 'bool'>";
        }
        if (o instanceof Number n) {
            return n instanceof Double ? "<class 'float'>" : "<class 'int'>";
        }
        return "<class '" + o.getClass().getSimpleName() + "'>";
    }

    private static String pyStr(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return String.valueOf(o);
    }

    /** A group being built. */
    private static final class MGroup {
        final List<String> parents = new ArrayList<>();
        final List<String> children = new ArrayList<>();
        final List<String> hosts = new ArrayList<>();
        final Map<String, Object> vars = new LinkedHashMap<>();
        int priority = 1;
    }

    /** A host being built. */
    private static final class MHost {
        final List<String> groups = new ArrayList<>();
        final Map<String, Object> vars = new LinkedHashMap<>();
    }
}
