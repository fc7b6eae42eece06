package dev.ringplan.engine.plan;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.yaml.SafeYaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Parses a plan file (README, "Plans") into a {@link Plan}. Every problem of the file
 * is collected and reported at once as {@link InvalidInputException} diagnostics with
 * {@code file:line:column}; unknown keys get a "did you mean". The module key of a task is
 * any key that is not a task keyword; whether that module exists is the compiler's question.
 *
 * <p>This class reads the plan's top level; {@link TaskParser} reads the tasks and
 * {@link PlanNodes} the typed values of both.
 */
public final class PlanParser {
    /** Keys a plan's top level accepts. */
    public static final Set<String> PLAN_KEYS = Set.of("name", "description", "hosts", "vars", "vars_required",
            "vars_secret", "tasks", "params");
    /** Keys a task accepts besides its one module key. */
    public static final Set<String> TASK_KEYS = Set.of("id", "name", "hosts", "needs", "when", "register",
            "vars", "tags", "ignore_errors", "changed_when", "failed_when", "serial", "retries", "delay", "until", "block",
            "rescue", "no_log", "import", "keyspaces", "ignore_down_nodes", "max_fail_percentage");

    private final String file;
    private final Diagnostics diags = new Diagnostics();
    private final PlanNodes nodes;
    private final TaskParser taskParser;

    private PlanParser(String file, Set<String> moduleNames) {
        this.file = file;
        this.nodes = new PlanNodes(file, diags);
        this.taskParser = new TaskParser(nodes, diags, moduleNames);
    }

    /**
     * Reads and parses {@code path}; positions name the file as given.
     *
     * @throws InvalidInputException with every problem found (syntax, structure, unknown keys)
     */
    public static Plan parse(Path path) throws InvalidInputException {
        return parse(path, Set.of());
    }

    /**
     * Reads and parses {@code path}, knowing the names of the available modules: a key that
     * names a module is a module key even when it is close to a task keyword ({@code tar} /
     * {@code tags}); other unknown keys close to a keyword are reported as misspelt keywords.
     *
     * @throws InvalidInputException with every problem found
     */
    public static Plan parse(Path path, Set<String> moduleNames) throws InvalidInputException {
        String text = SafeYaml.readUtf8(path, "plan");
        return parse(path.toString(), text, moduleNames);
    }

    /** Parses plan text; {@code file} names it in diagnostics. */
    public static Plan parse(String file, String text) throws InvalidInputException {
        return parse(file, text, Set.of());
    }

    /** Parses plan text knowing the available module names (see {@link #parse(Path, Set)}). */
    public static Plan parse(String file, String text, Set<String> moduleNames) throws InvalidInputException {
        return new PlanParser(file, moduleNames).doParse(text);
    }

    /**
     * Parses a file named by an {@code import:}: a YAML list of tasks (a task list, as Ansible's
     * {@code import_tasks} file; the result's {@link Plan#isTaskList()} is true) or a mapping with
     * {@code tasks} (a role: a whole plan, with the parameters it declares in {@code params}).
     *
     * @throws InvalidInputException with every problem found
     */
    public static Plan parseImported(String file, String text, Set<String> moduleNames) throws InvalidInputException {
        PlanParser p = new PlanParser(file, moduleNames);
        Node root = SafeYaml.compose(file, text);
        if (root instanceof SequenceNode) {
            List<Task> tasks = p.taskParser.taskList(root, "tasks");
            if (tasks.isEmpty() && !p.diags.hasErrors()) {
                p.diags.error(p.nodes.pos(root), "an imported task list must hold at least one task");
            }
            p.diags.throwIfErrors();
            String base = Path.of(file).getFileName().toString().replaceFirst("\\.ya?ml$", "");
            return new Plan(file, base, null, null, null, Map.of(), tasks, List.of(), List.of(), null);
        }
        return p.doParse(text);
    }

    private Plan doParse(String text) throws InvalidInputException {
        Node root = SafeYaml.compose(file, text);
        if (root == null || (root instanceof ScalarNode s && SafeYaml.toJava(s) == null)) {
            throw new InvalidInputException(root == null ? new SourcePos(file, 1, 1) : nodes.pos(root),
                    "empty plan: expected a mapping with 'tasks'");
        }
        if (!(root instanceof MappingNode map)) {
            throw new InvalidInputException(nodes.pos(root), "a plan must be a mapping (name, hosts, vars, tasks), got " + SafeYaml.kind(root));
        }
        nodes.checkDuplicateKeys(map);
        String name = null;
        String description = null;
        String hosts = null;
        SourcePos hostsPos = null;
        Map<String, Object> vars = Map.of();
        List<Plan.RequiredVar> required = List.of();
        List<Task> tasks = List.of();
        List<String> varsSecret = List.of();
        List<Param> params = List.of();
        boolean sawTasks = false;
        for (NodeTuple t : map.getValue()) {
            String key = nodes.keyOf(t);
            if (key == null) {
                continue;
            }
            Node v = t.getValueNode();
            switch (key) {
                case "name" -> name = nodes.scalar(v, "name");
                case "description" -> description = nodes.scalar(v, "description");
                case "hosts" -> {
                    hosts = nodes.hostPattern(v);
                    hostsPos = nodes.pos(v);
                }
                case "vars" -> vars = nodes.varsMap(v);
                case "vars_secret" -> varsSecret = nodes.varNames(v, "vars_secret");
                case "vars_required" -> required = requiredVars(v);
                case "params" -> params = ParamsParser.params(v, nodes, diags);
                case "tasks" -> {
                    sawTasks = true;
                    tasks = taskParser.taskList(v, "tasks");
                }
                default -> nodes.unknownKey(t.getKeyNode(), key, PLAN_KEYS, "plan");
            }
        }
        if (!sawTasks) {
            diags.error(nodes.pos(root), "a plan needs 'tasks': a list of tasks");
        }
        diags.throwIfErrors();
        if (name == null) {
            String base = Path.of(file).getFileName().toString();
            name = base.replaceFirst("\\.ya?ml$", "");
        }
        return new Plan(file, name, description, hosts, hostsPos, vars, tasks, required, List.copyOf(varsSecret),
                params);
    }

    /**
     * {@code vars_required:}: a list whose items are a variable name ({@code - tag}) or a
     * mapping {@code {name: tag, description: "..."}}.
     */
    private List<Plan.RequiredVar> requiredVars(Node v) {
        if (!(v instanceof SequenceNode seq)) {
            diags.error(nodes.pos(v), "'vars_required' must be a list of variable names (or {name, description} mappings), got "
                    + SafeYaml.kind(v));
            return List.of();
        }
        List<Plan.RequiredVar> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Node item : seq.getValue()) {
            String name = null;
            String description = null;
            Node nameNode = item;
            if (item instanceof ScalarNode) {
                name = nodes.scalar(item, "vars_required");
            } else if (item instanceof MappingNode m) {
                nodes.checkDuplicateKeys(m);
                for (NodeTuple t : m.getValue()) {
                    String key = nodes.keyOf(t);
                    if ("name".equals(key)) {
                        name = nodes.scalar(t.getValueNode(), "name");
                        nameNode = t.getValueNode();
                    } else if ("description".equals(key)) {
                        description = nodes.scalar(t.getValueNode(), "description");
                    } else if (key != null) {
                        nodes.unknownKey(t.getKeyNode(), key, Set.of("name", "description"), "vars_required");
                    }
                }
                if (name == null) {
                    diags.error(nodes.pos(item), "a 'vars_required' item needs a 'name'");
                    continue;
                }
            } else {
                diags.error(nodes.pos(item), "'vars_required' items must be variable names, got " + SafeYaml.kind(item));
                continue;
            }
            if (name == null) {
                continue;
            }
            if (!PlanNodes.VAR_NAME.matcher(name).matches()) {
                diags.error(nodes.pos(nameNode), "invalid variable name '" + name + "' in 'vars_required': letters, digits and '_' only, not starting with a digit");
            } else if (!seen.add(name)) {
                diags.error(nodes.pos(nameNode), "'" + name + "' is listed twice in 'vars_required'");
            } else {
                out.add(new Plan.RequiredVar(name, description, nodes.pos(nameNode)));
            }
        }
        return List.copyOf(out);
    }
}
