package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.inventory.Inventory;
import dev.ringplan.engine.module.ModuleRegistry;
import dev.ringplan.engine.plan.Plan;
import dev.ringplan.engine.template.Templater;
import java.util.List;
import java.util.Set;

/**
 * Compiles a {@link Plan} against an {@link Inventory} into a {@link CompiledPlan} by applying
 * an ordered list of small passes ({@link CompilePass}, each one job, each in its own class) to
 * one {@link CompileState}: the list and the reasons for its order are in {@link #passes}.
 * Every problem is collected and reported at once, sorted by source position. Compilation
 * contacts no host.
 *
 * <p>The {@code needs} rule (README, "Plans"): task B on host h waits for task A on h when A also
 * targets h; otherwise it waits for every instance of A (a barrier). {@code needs: ["A[*]"]}
 * always waits for every instance of A. A need on a block means
 * every task of the block. {@code serial: N} on a task or block splits its hosts, in inventory
 * order, into batches of N; every node of batch k+1 waits for every node of batch k.
 * A block's {@code rescue} tasks belong to the block (a need on the block, and its batches,
 * include them) and each rescue node waits for every node of its block on its host through an
 * edge that lets a failure through ({@link Rescue}, {@link CompiledPlan#toleratesFailure}).
 */
public final class Compiler {
    /** Variables the engine always defines for every node. */
    public static final Set<String> MAGIC_VARS = Set.of("inventory_hostname", "inventory_hostname_short",
            "group_names", "groups", "hostvars", "run", "plan", "ansible_check_mode", "ansible_diff_mode",
            "playbook_dir");

    private final List<CompilePass> passes;

    /** A compiler resolving module keys in {@code modules} and checking templates with {@code templater}. */
    public Compiler(ModuleRegistry modules, Templater templater) {
        this.passes = passes(modules, templater);
    }

    /**
     * The passes, in the order they run; the one place that lists them. Why this order:
     *
     * <ol>
     *   <li><b>Checks</b>, {@link IndexTasks} to {@link CheckTags}, each reading only the plan,
     *       the inventory, the options and what the passes above it resolved, so every problem
     *       they find is reported together. {@link CheckRequiredVars} precedes
     *       {@link CheckVariables} so that a missing required variable is reported once, at its
     *       declaration, not at each use. {@link FlattenBlocks}, {@link ResolveModules},
     *       {@link CheckArguments}, {@link ResolveHosts} and {@link CheckVariables} go task by
     *       task, each needing what the one before resolved: an unknown module has no arguments
     *       to check, a task without resolved hosts no variables to check on them.</li>
     *   <li><b>Stop on errors</b>, then {@link CheckRegisteredNeeds}: it follows the needs
     *       between tasks, which must be known and acyclic ({@link CheckNeeds},
     *       {@link CheckCycles}).</li>
     *   <li><b>Stop on errors</b>, then {@link ResolveSerial}: a templated {@code serial} is
     *       rendered, and its errors reported, only for an otherwise valid plan.</li>
     *   <li><b>Stop on errors</b>, then <b>build the graph</b> of the valid plan:
     *       {@link ExpandNodes} makes the nodes (a block's rescue nodes after the block's nodes
     *       they protect); {@link AddNeedsEdges}, {@link AddRescueEdges} and
     *       {@link AddSerialEdges} join them; {@link SelectTags} comes last because it keeps the
     *       ordering between the nodes it keeps through the edges of those it leaves out.</li>
     * </ol>
     *
     * <p>Diagnostics are sorted by source position when thrown (stably), so the order of the
     * checks decides which problems are reported together, and the printed order only of
     * problems at the same position.
     */
    static List<CompilePass> passes(ModuleRegistry modules, Templater templater) {
        StopOnErrors stop = new StopOnErrors();
        return List.of(
                new IndexTasks(),
                new ResolveLimit(),
                new CheckRequiredVars(),
                new FlattenBlocks(),
                new ResolveModules(modules),
                new CheckArguments(),
                new ResolveHosts(),
                new CheckVariables(templater),
                new CheckNeeds(),
                new CheckCycles(),
                new CheckTags(),
                stop,
                new CheckRegisteredNeeds(),
                stop,
                new ResolveSerial(templater),
                stop,
                new ExpandNodes(),
                new AddNeedsEdges(),
                new AddRescueEdges(),
                new AddSerialEdges(),
                new SelectTags());
    }

    /**
     * Compiles.
     *
     * @throws InvalidInputException with every diagnostic when the plan is invalid for this inventory
     */
    public CompiledPlan compile(Plan plan, Inventory inventory, CompileOptions opts) throws InvalidInputException {
        CompileState state = new CompileState(plan, inventory, opts);
        Diagnostics diags = new Diagnostics();
        for (CompilePass pass : passes) {
            pass.apply(state, diags);
        }
        diags.throwIfErrors();
        return state.toCompiledPlan();
    }
}
