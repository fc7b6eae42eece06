package dev.ringplan.engine.exec;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.inventory.Inventory;
import dev.ringplan.engine.template.TemplateException;
import dev.ringplan.engine.template.Templater;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the variables a node sees, lowest precedence first (DESIGN.md, "Variables"):
 * host defaults (the modules' documented defaults), inventory (group &lt; host), plan {@code vars}, registered results of the host, block and
 * task {@code vars}, {@code -e} extra vars; then the magic variables
 * ({@code inventory_hostname}, {@code group_names}, {@code groups}, {@code hostvars},
 * {@code run}, {@code plan}, {@code ansible_check_mode}, {@code playbook_dir}). Values that are
 * themselves templates are rendered against the same map (a few passes, as Ansible's lazy
 * templating would resolve them). Thread-safe.
 */
public final class Variables {
    private static final int PASSES = 5;
    private final CompiledPlan plan;
    private final RunOptions options;
    private final Templater templater;
    private final Map<String, Map<String, Object>> registered = new ConcurrentHashMap<>();

    /** Variables of one run. */
    public Variables(CompiledPlan plan, RunOptions options, Templater templater) {
        this.plan = plan;
        this.options = options;
        this.templater = templater;
    }

    /** Stores a registered result under {@code name} for {@code host}. */
    public void register(String host, String name, Map<String, Object> data) {
        registered.computeIfAbsent(host, h -> new ConcurrentHashMap<>()).put(name, data);
    }

    /** The variables of {@code node}, templates in values rendered where they can be. */
    public Map<String, Object> forNode(TaskNode node) {
        Map<String, Object> vars = hostLevel(node.host());
        vars.putAll(node.vars());
        vars.putAll(plan.extraVars());
        addMagic(vars, node.host());
        resolve(vars);
        return vars;
    }

    /**
     * The variables of {@code host} outside any task: host defaults, inventory, plan vars,
     * registered results, extra vars and magic variables, templates resolved. Used to open the
     * connection of a host a module asks for.
     */
    public Map<String, Object> forHost(String host) {
        Map<String, Object> vars = hostLevel(host);
        vars.putAll(plan.extraVars());
        addMagic(vars, host);
        resolve(vars);
        return vars;
    }

    private Map<String, Object> hostLevel(String host) {
        Map<String, Object> vars = new LinkedHashMap<>(plan.hostDefaults());
        vars.putAll(plan.inventory().hostVars(host));
        vars.putAll(plan.plan().vars());
        vars.putAll(registered.getOrDefault(host, Map.of()));
        return vars;
    }

    private void addMagic(Map<String, Object> vars, String host) {
        Inventory inv = plan.inventory();
        vars.put("inventory_hostname", host);
        vars.put("inventory_hostname_short", host.contains(".") ? host.substring(0, host.indexOf('.')) : host);
        vars.put("group_names", inv.groupsOf(host));
        vars.put("groups", inv.groups());
        vars.put("hostvars", new HostVars());
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("id", options.runId());
        run.put("started", options.started().toString());
        run.put("check_mode", options.checkMode());
        run.put("timestamp", java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(options.started()));
        vars.put("run", run);
        vars.put("plan", options.planFacts());
        vars.put("ansible_check_mode", options.checkMode());
        vars.put("ansible_diff_mode", options.diffMode());
        Path planFile = Path.of(plan.plan().file()).toAbsolutePath().normalize();
        vars.put("playbook_dir", planFile.getParent() == null ? "/" : planFile.getParent().toString());
    }

    private void resolve(Map<String, Object> vars) {
        for (int pass = 0; pass < PASSES; pass++) {
            boolean any = false;
            for (Map.Entry<String, Object> e : vars.entrySet()) {
                if (e.getKey().equals("hostvars") || !templated(e.getValue())) {
                    continue;
                }
                try {
                    Object r = templater.render(e.getValue(), vars);
                    if (!r.equals(e.getValue())) {
                        e.setValue(r);
                        any = true;
                    }
                } catch (TemplateException | RuntimeException ex) {
                    // Left as written: the error surfaces where the variable is used.
                }
            }
            if (!any) {
                return;
            }
        }
    }

    private static boolean templated(Object v) {
        if (v instanceof String s) {
            return s.contains("{{") || s.contains("{%");
        }
        if (v instanceof List<?> l) {
            return l.stream().anyMatch(Variables::templated);
        }
        if (v instanceof Map<?, ?> m) {
            return m.values().stream().anyMatch(Variables::templated);
        }
        return false;
    }

    /** {@code hostvars}: every host's inventory, plan and registered variables, built on access. */
    private final class HostVars extends AbstractMap<String, Object> {
        @Override
        public Object get(Object key) {
            if (!(key instanceof String h) || !plan.inventory().hosts().contains(h)) {
                return null;
            }
            Map<String, Object> v = hostLevel(h);
            v.put("inventory_hostname", h);
            resolve(v);
            return v;
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String h && plan.inventory().hosts().contains(h);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Set<Entry<String, Object>> out = new LinkedHashSet<>();
            for (String h : plan.inventory().hosts()) {
                out.add(new SimpleEntry<>(h, get(h)));
            }
            return out;
        }
    }
}
