package dev.ringplan.engine.compile;

import dev.ringplan.engine.dag.Graph;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.inventory.Inventory;
import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.plan.Plan;
import dev.ringplan.engine.plan.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a plan compiles to, as the passes of {@link Compiler#passes} build it up: each field
 * names the pass that fills it, and a pass reads only what the passes before it filled. One per
 * compilation; not thread-safe.
 */
final class CompileState {

    /**
     * A module task where the plan's tree of blocks puts it, with what the passes resolved for
     * it. A field left null means the pass that fills it reported a problem (and the later
     * passes leave the task alone).
     */
    static final class Site {
        /** The module task. */
        final Task task;
        /** Its enclosing blocks, outermost first. */
        final List<Task> blocks;
        /** {@link ResolveModules}: the module its key names. */
        Module module;
        /** {@link CheckArguments}: its raw arguments, a free-form value mapped to the module's free-form argument. */
        Map<String, Object> args;
        /** {@link ResolveHosts}: every host it targets, in inventory order, {@code --limit} not applied. */
        List<String> targets;

        Site(Task task, List<Task> blocks) {
            this.task = task;
            this.blocks = List.copyOf(blocks);
        }
    }

    final Plan plan;
    final Inventory inventory;
    final CompileOptions options;

    /** {@link IndexTasks}: every task, blocks included, by id (the first of an id). */
    final Map<String, Task> tasksById = new LinkedHashMap<>();
    /** {@link IndexTasks}: the names module tasks register. */
    final Set<String> registeredNames = new TreeSet<>();
    /** {@link IndexTasks}: the enclosing blocks of every task with an id, outermost first. */
    final Map<String, List<Task>> enclosingBlocks = new HashMap<>();
    /** {@link ResolveLimit}: the hosts {@code --limit} keeps, or null without a (valid) limit. */
    Set<String> limitHosts;
    /** {@link CheckRequiredVars}: required variables nothing defines (reported once, as such). */
    final Set<String> missingRequired = new LinkedHashSet<>();
    /** {@link FlattenBlocks}: every module task in plan order (a block's tasks, then its rescue). */
    final List<Site> sites = new ArrayList<>();
    /** {@link CheckVariables}: task id → registered variable it uses → where it first uses it. */
    final Map<String, Map<String, SourcePos>> registeredUses = new LinkedHashMap<>();
    /** {@link ResolveSerial}: the batch size of each task or block batching its hosts. */
    final Map<String, Integer> serials = new HashMap<>();
    /** {@link ResolveSerial}: the strategy word a templated {@code serial} rendered to, by task id. */
    final Map<String, String> serialWords = new HashMap<>();
    /** {@link ExpandNodes}: every node in plan order, then inventory host order ({@link SelectTags} drops some). */
    List<TaskNode> nodes = new ArrayList<>();
    /** {@link ExpandNodes}: the nodes of each module task by task id. */
    final Map<String, List<TaskNode>> nodesByTask = new LinkedHashMap<>();
    /**
     * {@link ExpandNodes}: the graph vertex index of the first node of each module task by task
     * id; its nodes ({@link #nodesByTask}) have the consecutive indices from there.
     */
    final Map<String, Integer> firstVertexByTask = new HashMap<>();
    /** {@link ExpandNodes} adds the vertices, the {@code Add*Edges} passes the edges, {@link SelectTags} may replace it. */
    Graph<TaskNode> graph = new Graph<>();

    private final Map<Task, Site> siteByTask = new IdentityHashMap<>();
    private Map<String, Integer> hostOrdinals;

    CompileState(Plan plan, Inventory inventory, CompileOptions options) {
        this.plan = plan;
        this.inventory = inventory;
        this.options = options;
    }

    /** Adds a module task's site ({@link FlattenBlocks}). */
    void addSite(Site site) {
        sites.add(site);
        siteByTask.put(site.task, site);
    }

    /** The site of a module task of the plan, or null before {@link FlattenBlocks}. */
    Site site(Task task) {
        return siteByTask.get(task);
    }

    /** The position of each inventory host in {@link Inventory#hosts()} (made on first use). */
    Map<String, Integer> hostOrdinals() {
        if (hostOrdinals == null) {
            List<String> hosts = inventory.hosts();
            hostOrdinals = new HashMap<>(hosts.size() * 2);
            for (int i = 0; i < hosts.size(); i++) {
                hostOrdinals.putIfAbsent(hosts.get(i), i);
            }
        }
        return hostOrdinals;
    }

    /** A task's own needs plus those of its enclosing blocks (after {@link IndexTasks}). */
    List<Task.Need> effectiveNeeds(Task t) {
        List<Task.Need> out = new ArrayList<>();
        for (Task b : enclosingBlocks.getOrDefault(t.id(), List.of())) {
            out.addAll(b.needs());
        }
        out.addAll(t.needs());
        return out;
    }

    /** The module tasks of a task: itself, or a block's tasks and rescue tasks, nested blocks' included. */
    static List<Task> moduleTasksOf(Task t) {
        if (!t.isBlock()) {
            return List.of(t);
        }
        List<Task> out = new ArrayList<>();
        for (Task c : t.blockAndRescue()) {
            out.addAll(moduleTasksOf(c));
        }
        return out;
    }

    /** A block's own module tasks, nested blocks' (and their rescue tasks) included, without its rescue. */
    static List<Task> bodyTasksOf(Task block) {
        List<Task> out = new ArrayList<>();
        for (Task c : block.block()) {
            out.addAll(moduleTasksOf(c));
        }
        return out;
    }

    /** The compiled plan, once every pass has run. */
    CompiledPlan toCompiledPlan() {
        return new CompiledPlan(plan, inventory, graph, List.copyOf(nodes), Map.copyOf(options.extraVars()),
                options.hostDefaults() == null ? Map.of() : Map.copyOf(options.hostDefaults()), allSerials());
    }

    private Map<String, Object> allSerials() {
        Map<String, Object> all = new HashMap<>(serials);
        all.putAll(serialWords);
        return Map.copyOf(all);
    }
}
