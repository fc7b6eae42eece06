package dev.ringplan.engine.compile;

import dev.ringplan.engine.dag.Cycles;
import dev.ringplan.engine.dag.Graph;
import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.diag.Suggest;
import dev.ringplan.engine.inventory.Inventory;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleRegistry;
import dev.ringplan.engine.plan.Plan;
import dev.ringplan.engine.plan.Task;
import dev.ringplan.engine.template.Templater;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compiles a {@link Plan} against an {@link Inventory} into a {@link CompiledPlan}, in small
 * named steps: resolve modules, check arguments, resolve hosts, check {@code needs}, check
 * variables, expand one node per (task, host), add {@code needs} edges, add {@code serial}
 * edges, filter tags, reject cycles. Every problem is collected and reported at once.
 * Compilation contacts no host.
 *
 * <p>The {@code needs} rule (README, "Plans"): task B on host h waits for task A on h when A also
 * targets h; otherwise it waits for every instance of A (a barrier). {@code needs: [A[*]]}
 * always waits for every instance of A. A need on a block means
 * every task of the block. {@code serial: N} on a task or block splits its hosts, in inventory
 * order, into batches of N; every node of batch k+1 waits for every node of batch k.
 * A block's {@code rescue} tasks belong to the block (a need on the block, and its batches,
 * include them) and each rescue node waits for every node of its block on its host through an
 * edge that lets a failure through ({@link CompiledPlan#toleratesFailure}).
 */
public final class Compiler {
    /** Variables the engine always defines for every node. */
    public static final Set<String> MAGIC_VARS = Set.of("inventory_hostname", "inventory_hostname_short",
            "group_names", "groups", "hostvars", "run", "plan", "ansible_check_mode", "ansible_diff_mode",
            "playbook_dir", "omit", "item");

    private final ModuleRegistry modules;
    private final Templater templater;

    /** A compiler resolving module keys in {@code modules}. */
    public Compiler(ModuleRegistry modules, Templater templater) {
        this.modules = modules;
        this.templater = templater;
    }

    /**
     * Compiles.
     *
     * @throws InvalidInputException with every diagnostic when the plan is invalid for this inventory
     */
    public CompiledPlan compile(Plan plan, Inventory inventory, CompileOptions opts) throws InvalidInputException {
        Diagnostics diags = new Diagnostics();
        Map<String, Task> byId = new LinkedHashMap<>();
        for (Task t : plan.allTasks()) {
            if (t.id() != null) {
                byId.putIfAbsent(t.id(), t);
            }
        }
        Set<String> limitHosts = null;
        if (opts.limit() != null && !opts.limit().isBlank()) {
            try {
                limitHosts = new LinkedHashSet<>(inventory.resolve(opts.limit(), SourcePos.ofFile("--limit")));
            } catch (InvalidInputException e) {
                diags.addAll(e.diagnostics());
            }
        }
        Set<String> registered = new TreeSet<>();
        for (Task t : plan.moduleTasks()) {
            if (t.register() != null) {
                registered.add(t.register());
            }
        }

        List<TaskNode> nodes = new ArrayList<>();
        Map<String, List<TaskNode>> nodesByTask = new LinkedHashMap<>();
        Set<String> missingRequired = checkRequired(plan, inventory, opts, diags);
        VariableCheck variables = new VariableCheck(plan, inventory, opts, registered, missingRequired, templater, diags);
        expand(plan, plan.tasks(), List.of(), inventory, limitHosts, variables, opts, diags, nodes, nodesByTask, null);
        checkNeeds(plan, byId, diags);
        checkCycles(plan, byId, diags);
        checkTags(plan, opts, diags);
        if (!diags.hasErrors()) {
            checkRegisteredNeeds(plan, byId, variables.registeredUses(), diags);
        }
        diags.throwIfErrors();

        Graph<TaskNode> graph = new Graph<>();
        for (TaskNode n : nodes) {
            graph.addVertex(n.name(), n);
        }
        addNeedsEdges(plan, byId, nodesByTask, graph);
        addRescueEdges(nodes, graph);
        Map<String, Integer> serials = serials(plan, opts, diags);
        diags.throwIfErrors();
        addSerialEdges(plan.tasks(), serials, nodesByTask, graph);
        Set<String> selected = selectByTags(nodes, opts.tags(), opts.skipTags());
        if (selected.size() < nodes.size()) {
            graph = filterTags(graph, nodes, selected);
            List<TaskNode> kept = new ArrayList<>();
            for (TaskNode n : nodes) {
                if (graph.contains(n.name())) {
                    kept.add(n);
                }
            }
            nodes = kept;
        }
        return new CompiledPlan(plan, inventory, graph, List.copyOf(nodes), Map.copyOf(opts.extraVars()),
                opts.hostDefaults() == null ? Map.of() : Map.copyOf(opts.hostDefaults()));
    }

    // ---- step: expand tasks into nodes, resolving modules, arguments, hosts and variables ----

    private void expand(Plan plan, List<Task> tasks, List<Task> blocks, Inventory inventory, Set<String> limit,
                        VariableCheck registered, CompileOptions opts, Diagnostics diags,
                        List<TaskNode> out, Map<String, List<TaskNode>> byTask, Map<String, List<String>> rescueOf) {
        for (Task t : tasks) {
            if (t.isBlock()) {
                List<Task> inner = new ArrayList<>(blocks);
                inner.add(t);
                int first = out.size();
                expand(plan, t.block(), inner, inventory, limit, registered, opts, diags, out, byTask, rescueOf);
                if (!t.rescue().isEmpty()) {
                    Map<String, List<String>> body = new LinkedHashMap<>();
                    for (TaskNode n : out.subList(first, out.size())) {
                        body.computeIfAbsent(n.host(), h -> new ArrayList<>()).add(n.name());
                    }
                    expand(plan, t.rescue(), inner, inventory, limit, registered, opts, diags, out, byTask, body);
                }
                continue;
            }
            Module module = modules.find(t.module()).orElse(null);
            if (module == null) {
                String hint = Suggest.didYouMean(t.module(), modules.all().keySet());
                diags.error(t.modulePos(), "unknown module '" + t.module() + "'",
                        hint != null ? hint : "known modules: " + String.join(", ", modules.all().keySet()));
                continue;
            }
            Map<String, Object> args = mapFreeForm(t, module, diags);
            // A refused free-form value already has its diagnostic; checking the (empty) mapping
            // would add a misleading "missing required argument".
            boolean freeFormRefused = t.args().containsKey(Task.FREE_FORM) && module.argSpec().freeForm() == null;
            for (ArgSpec.ArgProblem p : freeFormRefused ? List.<ArgSpec.ArgProblem>of() : module.argSpec().checkStatic(args)) {
                SourcePos at = p.arg() != null && t.argPos().containsKey(p.arg()) ? t.argPos().get(p.arg()) : t.modulePos();
                if (p.arg() != null && Task.FREE_FORM.equals(firstKey(t.argPos())) && t.argPos().size() == 1) {
                    at = t.argPos().get(Task.FREE_FORM);
                }
                diags.error(at, module.name() + ": " + p.message());
            }
            String pattern = effectiveHosts(t, blocks, plan);
            SourcePos patternPos = effectiveHostsPos(t, blocks, plan);
            if (pattern == null) {
                diags.error(t.pos(), "task '" + t.id() + "' has no target: set 'hosts' on the task, its block or the plan");
                continue;
            }
            List<String> hosts;
            try {
                hosts = inventory.resolve(pattern, patternPos);
            } catch (InvalidInputException e) {
                diags.addAll(e.diagnostics());
                continue;
            }
            // Variables are checked against every target, --limit or not: a limited run must not
            // reject a plan whose excluded hosts define what the task uses.
            List<String> allTargets = hosts;
            if (limit != null) {
                hosts = hosts.stream().filter(limit::contains).toList();
            }
            Map<String, Object> vars = new LinkedHashMap<>();
            List<String> whens = new ArrayList<>();
            Set<String> tags = new LinkedHashSet<>();
            for (Task b : blocks) {
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
            registered.check(t, blocks, args, allTargets);
            List<TaskNode> list = new ArrayList<>();
            for (String h : hosts) {
                if (rescueOf != null && !rescueOf.containsKey(h)) {
                    continue;  // a rescue task runs only where its block runs
                }
                TaskNode n = new TaskNode(TaskNode.nameOf(t.id(), h), t, h, module, args, Map.copyOf(vars),
                        List.copyOf(whens), List.copyOf(tags), List.copyOf(blocks),
                        rescueOf == null ? List.of() : List.copyOf(rescueOf.get(h)));
                list.add(n);
                out.add(n);
            }
            if (t.id() != null) {
                byTask.put(t.id(), list);
            }
        }
    }

    private static String firstKey(Map<String, ?> m) {
        return m.isEmpty() ? null : m.keySet().iterator().next();
    }

    private static Map<String, Object> mapFreeForm(Task t, Module module, Diagnostics diags) {
        if (!t.args().containsKey(Task.FREE_FORM)) {
            return t.args();
        }
        String ff = module.argSpec().freeForm();
        if (ff == null) {
            diags.error(t.argPos().get(Task.FREE_FORM), module.name() + ": takes a mapping of arguments, not a single value",
                    "arguments: " + String.join(", ", module.argSpec().args().keySet()));
            return Map.of();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ff, t.args().get(Task.FREE_FORM));
        return m;
    }

    private static String effectiveHosts(Task t, List<Task> blocks, Plan plan) {
        if (t.hosts() != null) {
            return t.hosts();
        }
        for (int i = blocks.size() - 1; i >= 0; i--) {
            if (blocks.get(i).hosts() != null) {
                return blocks.get(i).hosts();
            }
        }
        return plan.hosts();
    }

    private static SourcePos effectiveHostsPos(Task t, List<Task> blocks, Plan plan) {
        if (t.hosts() != null) {
            return t.hostsPos();
        }
        for (int i = blocks.size() - 1; i >= 0; i--) {
            if (blocks.get(i).hosts() != null) {
                return blocks.get(i).hostsPos();
            }
        }
        return plan.hostsPos() != null ? plan.hostsPos() : t.pos();
    }

    // ---- step: required variables ----

    /**
     * Reports each {@code vars_required} variable that neither {@code -e}, the plan's vars, the
     * modules' host defaults nor any inventory host defines; returns their names.
     */
    private static Set<String> checkRequired(Plan plan, Inventory inventory, CompileOptions opts, Diagnostics diags) {
        Set<String> missing = new LinkedHashSet<>();
        for (Plan.RequiredVar r : plan.varsRequired()) {
            String name = r.name();
            boolean defined = opts.extraVars().containsKey(name) || plan.vars().containsKey(name)
                    || (opts.hostDefaults() != null && opts.hostDefaults().containsKey(name));
            for (String h : inventory.hosts()) {
                if (defined) {
                    break;
                }
                defined = inventory.hostVars(h).containsKey(name);
            }
            if (!defined) {
                missing.add(name);
                String what = r.description() == null ? "" : " (" + r.description() + ")";
                diags.error(r.pos(), "required variable '" + name + "' is not set" + what,
                        "give it with -e " + name + "=... (the plan declares it in vars_required)");
            }
        }
        return missing;
    }

    // ---- step: a task that uses a registered variable needs the task that registers it ----

    /**
     * Reports each task that uses a variable registered by another task without (transitively)
     * needing one of the tasks that register it: without the edge, whether the value exists
     * when the task runs depends on timing.
     */
    private static void checkRegisteredNeeds(Plan plan, Map<String, Task> byId, Map<String, Map<String, SourcePos>> uses,
                                             Diagnostics diags) {
        Map<String, List<String>> registrars = new LinkedHashMap<>();
        for (Task t : plan.moduleTasks()) {
            if (t.register() != null && t.id() != null) {
                registrars.computeIfAbsent(t.register(), k -> new ArrayList<>()).add(t.id());
            }
        }
        Map<String, Set<String>> direct = new HashMap<>();
        Map<String, List<Task>> parents = blockParents(plan);
        for (Task t : plan.moduleTasks()) {
            Set<String> d = direct.computeIfAbsent(t.id(), k -> new LinkedHashSet<>());
            for (Task.Need n : effectiveNeeds(t, parents)) {
                Task target = byId.get(n.id());
                if (target != null) {
                    moduleTasksOf(target).forEach(x -> d.add(x.id()));
                }
            }
        }
        for (Task b : plan.allTasks()) {
            for (Task r : b.rescue()) {
                for (Task rt : moduleTasksOf(r)) {
                    bodyTasksOf(b).forEach(x -> direct.computeIfAbsent(rt.id(), k -> new LinkedHashSet<>()).add(x.id()));
                }
            }
        }
        for (Map.Entry<String, Map<String, SourcePos>> e : uses.entrySet()) {
            String task = e.getKey();
            Set<String> ancestors = null;
            for (Map.Entry<String, SourcePos> use : e.getValue().entrySet()) {
                List<String> regs = registrars.getOrDefault(use.getKey(), List.of());
                if (regs.isEmpty() || regs.contains(task)) {
                    continue;
                }
                if (ancestors == null) {
                    ancestors = ancestors(task, direct);
                }
                if (regs.stream().noneMatch(ancestors::contains)) {
                    String by = regs.size() == 1 ? "task '" + regs.get(0) + "'"
                            : "tasks '" + String.join("', '", regs) + "'";
                    diags.error(use.getValue(), "task '" + task + "' uses '" + use.getKey() + "' registered by " + by
                                    + " but does not need it: add needs: [" + regs.get(0) + "]",
                            "without the need, whether '" + use.getKey() + "' is set when '" + task
                                    + "' runs depends on timing");
                }
            }
        }
    }

    private static Set<String> ancestors(String task, Map<String, Set<String>> direct) {
        Set<String> seen = new HashSet<>();
        List<String> stack = new ArrayList<>(direct.getOrDefault(task, Set.of()));
        while (!stack.isEmpty()) {
            String x = stack.remove(stack.size() - 1);
            if (seen.add(x)) {
                stack.addAll(direct.getOrDefault(x, Set.of()));
            }
        }
        return seen;
    }

    // ---- step: needs references ----

    private static void checkNeeds(Plan plan, Map<String, Task> byId, Diagnostics diags) {
        for (Task t : plan.allTasks()) {
            for (Task.Need n : t.needs()) {
                if (!byId.containsKey(n.id())) {
                    String hint = Suggest.didYouMean(n.id(), byId.keySet());
                    diags.error(n.pos(), "task '" + t.id() + "' needs unknown task '" + n.id() + "'",
                            hint != null ? hint : "known tasks: " + String.join(", ", byId.keySet()));
                }
            }
        }
    }

    // ---- step: cycles, reported at task level by task ids ----

    private static void checkCycles(Plan plan, Map<String, Task> byId, Diagnostics diags) {
        Graph<Task> g = new Graph<>();
        for (Task t : plan.moduleTasks()) {
            if (t.id() != null) {
                g.addVertex(t.id(), t);
            }
        }
        Map<String, List<Task>> parents = blockParents(plan);
        for (Task t : plan.moduleTasks()) {
            if (t.id() == null) {
                continue;
            }
            for (Task.Need n : effectiveNeeds(t, parents)) {
                Task target = byId.get(n.id());
                if (target == null) {
                    continue;
                }
                for (Task dep : moduleTasksOf(target)) {
                    if (dep.id() != null && g.contains(dep.id())) {
                        g.addEdge(dep.id(), t.id());
                    }
                }
            }
        }
        for (Task b : plan.allTasks()) {
            for (Task r : b.rescue()) {
                for (Task body : bodyTasksOf(b)) {
                    if (body.id() != null && r.id() != null && g.contains(body.id()) && g.contains(r.id())) {
                        g.addEdge(body.id(), r.id());
                    }
                }
            }
        }
        for (List<String> cycle : Cycles.findCycles(g)) {
            Task first = byId.get(cycle.get(0));
            List<String> path = new ArrayList<>(cycle);
            path.add(cycle.get(0));
            diags.error(first.pos(), "dependency cycle between tasks: " + String.join(" -> ", path),
                    "remove one of these 'needs' so the tasks can be ordered");
        }
    }

    private static Map<String, List<Task>> blockParents(Plan plan) {
        Map<String, List<Task>> out = new HashMap<>();
        walkParents(plan.tasks(), List.of(), out);
        return out;
    }

    private static void walkParents(List<Task> tasks, List<Task> parents, Map<String, List<Task>> out) {
        for (Task t : tasks) {
            if (t.id() != null) {
                out.put(t.id(), parents);
            }
            if (t.isBlock()) {
                List<Task> inner = new ArrayList<>(parents);
                inner.add(t);
                walkParents(t.blockAndRescue(), inner, out);
            }
        }
    }

    /** A task's own needs plus those of its enclosing blocks. */
    private static List<Task.Need> effectiveNeeds(Task t, Map<String, List<Task>> parents) {
        List<Task.Need> out = new ArrayList<>();
        for (Task b : parents.getOrDefault(t.id(), List.of())) {
            out.addAll(b.needs());
        }
        out.addAll(t.needs());
        return out;
    }

    private static List<Task> moduleTasksOf(Task t) {
        if (!t.isBlock()) {
            return List.of(t);
        }
        List<Task> out = new ArrayList<>();
        for (Task c : t.blockAndRescue()) {
            out.addAll(moduleTasksOf(c));
        }
        return out;
    }

    /** A block's own tasks, nested blocks' (and their rescue tasks) included, without its rescue. */
    private static List<Task> bodyTasksOf(Task block) {
        List<Task> out = new ArrayList<>();
        for (Task c : block.block()) {
            out.addAll(moduleTasksOf(c));
        }
        return out;
    }

    // ---- step: rescue edges ----

    /**
     * Every rescue node waits for each node of its block on the same host, through an edge the
     * walker lets through a failure ({@link CompiledPlan#toleratesFailure}).
     */
    private static void addRescueEdges(List<TaskNode> nodes, Graph<TaskNode> graph) {
        for (TaskNode n : nodes) {
            for (String body : n.rescueOf()) {
                graph.addEdge(body, n.name());
            }
        }
    }

    // ---- step: needs edges ----

    private static void addNeedsEdges(Plan plan, Map<String, Task> byId, Map<String, List<TaskNode>> nodesByTask,
                                      Graph<TaskNode> graph) {
        Map<String, List<Task>> parents = blockParents(plan);
        for (Task t : plan.moduleTasks()) {
            List<TaskNode> mine = nodesByTask.getOrDefault(t.id(), List.of());
            for (Task.Need need : effectiveNeeds(t, parents)) {
                Task target = byId.get(need.id());
                for (Task dep : moduleTasksOf(target)) {
                    List<TaskNode> theirs = nodesByTask.getOrDefault(dep.id(), List.of());
                    Map<String, TaskNode> theirsByHost = new HashMap<>();
                    for (TaskNode n : theirs) {
                        theirsByHost.put(n.host(), n);
                    }
                    for (TaskNode n : mine) {
                        TaskNode same = need.all() ? null : theirsByHost.get(n.host());
                        if (same != null) {
                            graph.addEdge(same.name(), n.name());
                        } else {
                            for (TaskNode other : theirs) {
                                graph.addEdge(other.name(), n.name());
                            }
                        }
                    }
                }
            }
        }
    }

    // ---- step: serial (rolling) batches ----

    /**
     * The batch size of every task or block with {@code serial}; a templated one is rendered
     * with the plan's and the extra variables, and 0, false or empty means no batching.
     */
    private Map<String, Integer> serials(Plan plan, CompileOptions opts, Diagnostics diags) {
        Map<String, Integer> out = new HashMap<>();
        dev.ringplan.engine.template.LazyVars vars = new dev.ringplan.engine.template.LazyVars(templater);
        plan.vars().forEach((k, v) -> vars.define(k, v, new dev.ringplan.engine.template.LazyVars.Origin(
                "plan variable '" + k + "'", dev.ringplan.engine.plan.SourcedVars.posOf(plan.vars(), k))));
        opts.extraVars().forEach((k, v) -> vars.define(k, v,
                new dev.ringplan.engine.template.LazyVars.Origin("-e variable '" + k + "'", null)));
        for (Task t : plan.allTasks()) {
            if (t.serial() != null) {
                out.put(t.id(), t.serial());
            } else if (t.serialTemplate() != null) {
                try {
                    Object v = templater.render(t.serialTemplate(), vars);
                    String text = String.valueOf(v).strip();
                    if (Boolean.FALSE.equals(dev.ringplan.engine.template.Truth.parse(v))) {
                        continue;  // 0, false, no, '' or null: no batching (the one truthiness rule)
                    }
                    int n = Integer.parseInt(text);
                    if (n < 0) {
                        throw new NumberFormatException(text);
                    }
                    out.put(t.id(), n);
                } catch (NumberFormatException e) {
                    diags.error(t.pos(), "task '" + t.id() + "': serial rendered to '" + e.getMessage()
                            + "', expected a positive integer (or 0/false for no batching)");
                } catch (dev.ringplan.engine.template.TemplateException e) {
                    diags.error(t.pos(), "task '" + t.id() + "': serial: " + e.getMessage());
                }
            }
        }
        return out;
    }

    private static void addSerialEdges(List<Task> tasks, Map<String, Integer> serials,
                                       Map<String, List<TaskNode>> nodesByTask, Graph<TaskNode> graph) {
        for (Task t : tasks) {
            Integer serial = serials.get(t.id());
            if (serial != null) {
                List<TaskNode> all = new ArrayList<>();
                for (Task m : moduleTasksOf(t)) {
                    all.addAll(nodesByTask.getOrDefault(m.id(), List.of()));
                }
                List<String> hostOrder = new ArrayList<>();
                for (TaskNode n : all) {
                    if (!hostOrder.contains(n.host())) {
                        hostOrder.add(n.host());
                    }
                }
                List<List<TaskNode>> batches = new ArrayList<>();
                for (int i = 0; i < hostOrder.size(); i += serial) {
                    Set<String> batchHosts = new LinkedHashSet<>(hostOrder.subList(i, Math.min(hostOrder.size(), i + serial)));
                    batches.add(all.stream().filter(n -> batchHosts.contains(n.host())).toList());
                }
                for (int b = 1; b < batches.size(); b++) {
                    for (TaskNode prev : batches.get(b - 1)) {
                        for (TaskNode next : batches.get(b)) {
                            graph.addEdge(prev.name(), next.name());
                        }
                    }
                }
            }
            if (t.isBlock()) {
                addSerialEdges(t.blockAndRescue(), serials, nodesByTask, graph);
            }
        }
    }

    // ---- step: tags ----

    /** Words {@code --tags}/{@code --skip-tags} accept without a task carrying them (ansible-playbook's). */
    private static final Set<String> SPECIAL_TAGS = Set.of("all", "tagged", "untagged");

    /**
     * Every tag named by {@code --tags} or {@code --skip-tags} must be carried by a task (or
     * block) of the plan, or be one of {@link #SPECIAL_TAGS}: a mistyped tag would otherwise
     * select nothing and the run would succeed having done nothing.
     */
    private static void checkTags(Plan plan, CompileOptions opts, Diagnostics diags) {
        Set<String> planTags = new TreeSet<>();
        for (Task t : plan.allTasks()) {
            planTags.addAll(t.tags());
        }
        checkTagOption("--tags", opts.tags(), planTags, diags);
        checkTagOption("--skip-tags", opts.skipTags(), planTags, diags);
    }

    private static void checkTagOption(String option, List<String> named, Set<String> planTags, Diagnostics diags) {
        for (String tag : named) {
            String t = tag.strip();
            if (t.isEmpty() || SPECIAL_TAGS.contains(t) || planTags.contains(t)) {
                continue;
            }
            String hint = Suggest.didYouMean(t, planTags);
            String known = planTags.isEmpty() ? "the plan has no tags"
                    : "the plan's tags: " + String.join(", ", planTags);
            diags.error(SourcePos.ofFile(option), "unknown tag '" + t + "': no task of the plan carries it",
                    hint != null ? hint + "; " + known : known);
        }
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
        Set<String> onlyTags = cleanTags(only);
        if (onlyTags.isEmpty()) {
            onlyTags.add("all");
        }
        Set<String> skipTags = cleanTags(skip);
        Set<String> keep = new LinkedHashSet<>();
        for (TaskNode n : nodes) {
            Set<String> tags = cleanTags(n.tags());
            if (tags.isEmpty()) {
                tags.add("untagged");
            }
            boolean untagged = tags.equals(Set.of("untagged"));
            boolean run = tags.contains("always")
                    || (onlyTags.contains("all") && !tags.contains("never"))
                    || !java.util.Collections.disjoint(tags, onlyTags)
                    || (onlyTags.contains("tagged") && !untagged && !tags.contains("never"));
            if (run && !skipTags.isEmpty()) {
                if (skipTags.contains("all")) {
                    run = tags.contains("always") && !skipTags.contains("always");
                } else if (!java.util.Collections.disjoint(tags, skipTags)) {
                    run = false;
                } else if (skipTags.contains("tagged") && !untagged) {
                    run = false;
                }
            }
            if (run) {
                keep.add(n.name());
            }
        }
        return keep;
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

    private static Graph<TaskNode> filterTags(Graph<TaskNode> graph, List<TaskNode> nodes, Set<String> keep) {
        Graph<TaskNode> out = new Graph<>();
        for (TaskNode n : nodes) {
            if (keep.contains(n.name())) {
                out.addVertex(n.name(), n);
            }
        }
        // Keep ordering through removed vertices: connect kept ancestors to kept descendants.
        for (String v : keep) {
            Set<String> seen = new LinkedHashSet<>();
            List<String> stack = new ArrayList<>(graph.dependencies(v));
            while (!stack.isEmpty()) {
                String p = stack.remove(stack.size() - 1);
                if (!seen.add(p)) {
                    continue;
                }
                if (keep.contains(p)) {
                    out.addEdge(p, v);
                } else {
                    stack.addAll(graph.dependencies(p));
                }
            }
        }
        return out;
    }
}
