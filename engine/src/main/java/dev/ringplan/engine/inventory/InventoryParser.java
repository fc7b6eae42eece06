package dev.ringplan.engine.inventory;

import dev.ringplan.engine.diag.Diagnostic;
import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.diag.Suggest;
import dev.ringplan.engine.yaml.SafeYaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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
 *
 * <p>This class reads the YAML; {@link InventoryBuilder} keeps the group and host graph and
 * {@link VarsFiles} reads {@code group_vars/} and {@code host_vars/}.
 */
public final class InventoryParser {
    private static final List<String> SECTIONS = List.of("vars", "children", "hosts");
    private static final Pattern INI_SECTION = Pattern.compile("(?m)^\\s*\\[[^\\]\\n]+\\]\\s*$");

    private final String file;
    private final Diagnostics diags = new Diagnostics();
    private final YamlValues values;
    private final InventoryBuilder inventory;

    private InventoryParser(String file) {
        this.file = file;
        this.values = new YamlValues(file, diags);
        this.inventory = new InventoryBuilder(file, diags);
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
            VarsFiles varsFiles = new VarsFiles(p.diags);
            for (String g : p.inventory.groupNames()) {
                varsFiles.load(dir.resolve("group_vars"), g, groupFiles);
            }
            for (String h : p.inventory.hostNames()) {
                varsFiles.load(dir.resolve("host_vars"), h, hostFiles);
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
        inventory.reconcile();
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
        inventory.addGroup(group);
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
                                inventory.addChild(group, child, SafeYaml.pos(file, sub.keyNode()));
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
        if (name.equals("ansible_group_priority")) {
            Integer p = toInt(value);
            if (p == null) {
                diags.error(SafeYaml.pos(file, var.value()), "ansible_group_priority must be an integer, got " + value);
            } else {
                inventory.setPriority(group, p);
            }
            return;
        }
        inventory.putGroupVar(group, name, value);
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
            inventory.addHost(group, h, exp.port(), hostVars);
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

    private Inventory finish(Map<String, Map<String, Object>> groupFiles, Map<String, Map<String, Object>> hostFiles)
            throws InvalidInputException {
        diags.throwIfErrors();
        return inventory.build(groupFiles, hostFiles);
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
}
