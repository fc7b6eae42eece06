package dev.ringplan.engine.exec;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.inventory.Inventory;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.plan.Param;
import dev.ringplan.engine.plan.SourcedVars;
import dev.ringplan.engine.plan.Task;
import dev.ringplan.engine.template.LazyVars;
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
 * Builds the variables a node sees, lowest precedence first (README, "Plans"):
 * host defaults (the modules' documented defaults), inventory (group &lt; host), plan {@code vars}, registered results of the host, block and
 * task {@code vars}, {@code -e} extra vars; then the magic variables
 * ({@code inventory_hostname}, {@code group_names}, {@code groups}, {@code hostvars},
 * {@code run}, {@code plan}, {@code ansible_check_mode}, {@code playbook_dir}). Values that are
 * themselves templates are rendered strictly and lazily ({@link LazyVars}): when first read,
 * against the same variables; a value that refers to an undefined name (or to itself through
 * others) fails the read with the name and where the value is written, never reaches a module
 * as the literal text. Registered results and magic variables are never rendered. Thread-safe.
 */
public final class Variables {
    /**
     * The magic variables this class sets for every node, above every other source. {@code -e}
     * cannot set them (Ansible lets its magic variables win over {@code -e} with a warning;
     * Ringplan refuses such an {@code -e} at startup).
     */
    public static final Set<String> MAGIC = dev.ringplan.engine.compile.Compiler.MAGIC_VARS;

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

    /**
     * The variables of {@code node}, a {@link LazyVars}: a value is rendered when read, and a
     * read of a value that cannot be rendered throws ({@link LazyVars.Failure}).
     */
    public LazyVars forNode(TaskNode node) {
        return scoped(node.host(), node.blocks(), node.task().vars(), "variable '%s' of task '" + node.task().id() + "'");
    }

    /** A role parameter's value rendered in the scope outside the role, of the declared type. */
    private Object parameter(Object value, Map<String, Object> outer, SourcePos at) throws TemplateException {
        if (!(value instanceof Param.Given given)) {
            return templater.render(value, outer);
        }
        Object out = templater.render(given.value(), outer);
        String wrong = given.mismatch(out);
        if (wrong != null) {
            throw new TemplateException(wrong, String.valueOf(given.value()), null, at, null);
        }
        return out;
    }

    /**
     * The variables the {@code when} of {@code node}'s enclosing block number {@code blockIndex}
     * (outermost 0) is evaluated with: {@code nodeVars}, unless that block is, or lies outside,
     * an imported role enclosing the node; then the scope outside that role, where the condition
     * is written.
     */
    public Map<String, Object> whenScope(TaskNode node, int blockIndex, Map<String, Object> nodeVars) {
        List<Task> blocks = node.blocks();
        for (int r = blockIndex; r < blocks.size(); r++) {
            if (blocks.get(r).isRoleScope()) {
                return scoped(node.host(), blocks.subList(0, r), Map.of(), null);
            }
        }
        return nodeVars;
    }

    /**
     * The variables inside {@code blocks} (outermost first) with {@code own} on top. Inside an
     * imported role ({@link Task#isRoleScope()}, the innermost one counts) the plan's
     * {@code vars} and the blocks outside the role are not visible: the role sees host
     * defaults, inventory, registered results, its own {@code vars} and parameter defaults, the
     * parameter values its import gives (rendered in the scope outside it), the blocks inside
     * it, {@code -e} and the magic variables.
     */
    private LazyVars scoped(String host, List<Task> blocks, Map<String, Object> own, String ownWhat) {
        int role = -1;
        for (int i = blocks.size() - 1; i >= 0 && role < 0; i--) {
            if (blocks.get(i).isRoleScope()) {
                role = i;
            }
        }
        LazyVars vars = hostLevel(host, role < 0);
        if (role >= 0) {
            Task scope = blocks.get(role);
            LazyVars outer = scoped(host, blocks.subList(0, role), Map.of(), null);
            define(vars, scope.vars(), "variable '%s' of role import '" + scope.id() + "'");
            scope.params().forEach((k, v) -> {
                SourcePos at = SourcedVars.posOf(scope.params(), k);
                vars.defineDeferred(k, () -> parameter(v, outer, at),
                        new LazyVars.Origin("parameter '" + k + "' of import '" + scope.id() + "'", at));
            });
        }
        for (Task b : blocks.subList(role + 1, blocks.size())) {
            define(vars, b.vars(), "variable '%s' of block '" + b.id() + "'");
        }
        if (ownWhat != null) {
            define(vars, own, ownWhat);
        }
        extra(vars);
        addMagic(vars, host);
        return vars;
    }

    /**
     * The variables of {@code host} outside any task: host defaults, inventory, plan vars,
     * registered results, extra vars and magic variables, rendered when read. Used to open the
     * connection of a host a module asks for.
     */
    public LazyVars forHost(String host) {
        LazyVars vars = hostLevel(host, true);
        extra(vars);
        addMagic(vars, host);
        return vars;
    }

    private LazyVars hostLevel(String host, boolean withPlanVars) {
        LazyVars vars = new LazyVars(templater);
        plan.hostDefaults().forEach((k, v) -> vars.define(k, v, new LazyVars.Origin("default of '" + k + "'", null)));
        SourcePos inv = SourcePos.ofFile(plan.inventory().source());
        plan.inventory().hostVars(host).forEach((k, v) -> vars.define(k, v,
                new LazyVars.Origin("inventory variable '" + k + "' of " + host, inv)));
        if (withPlanVars) {
            define(vars, plan.plan().vars(), "plan variable '%s'");
        }
        registered.getOrDefault(host, Map.of()).forEach(vars::defineLiteral);
        return vars;
    }

    private static void define(LazyVars vars, Map<String, Object> values, String what) {
        values.forEach((k, v) -> vars.define(k, v, new LazyVars.Origin(what.formatted(k), SourcedVars.posOf(values, k))));
    }

    private void extra(LazyVars vars) {
        plan.extraVars().forEach((k, v) -> vars.define(k, v, new LazyVars.Origin("-e variable '" + k + "'", null)));
    }

    private void addMagic(LazyVars vars, String host) {
        Inventory inv = plan.inventory();
        vars.defineLiteral("inventory_hostname", host);
        vars.defineLiteral("inventory_hostname_short", host.contains(".") ? host.substring(0, host.indexOf('.')) : host);
        vars.defineLiteral("group_names", inv.groupsOf(host));
        vars.defineLiteral("groups", inv.groups());
        vars.defineLiteral("hostvars", new HostVars());
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("id", options.runId());
        run.put("started", options.started().toString());
        run.put("check_mode", options.checkMode());
        run.put("timestamp", java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(options.started()));
        vars.defineLiteral("run", run);
        vars.defineLiteral("plan", options.planFacts());
        vars.defineLiteral("ansible_check_mode", options.checkMode());
        vars.defineLiteral("ansible_diff_mode", options.diffMode());
        Path planFile = Path.of(plan.plan().file()).toAbsolutePath().normalize();
        vars.defineLiteral("playbook_dir", planFile.getParent() == null ? "/" : planFile.getParent().toString());
    }

    /**
     * {@code hostvars}: every host's variables outside a task, as Ansible's: host defaults,
     * inventory, plan {@code vars}, registered results, {@code -e} extra vars (which win, as
     * everywhere) and {@code inventory_hostname}; built on access and rendered when read.
     */
    private final class HostVars extends AbstractMap<String, Object> {
        @Override
        public Object get(Object key) {
            if (!(key instanceof String h) || !plan.inventory().hosts().contains(h)) {
                return null;
            }
            LazyVars v = hostLevel(h, true);
            extra(v);
            v.defineLiteral("inventory_hostname", h);
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
