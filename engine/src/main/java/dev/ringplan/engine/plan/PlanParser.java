package dev.ringplan.engine.plan;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.diag.Suggest;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.yaml.SafeYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
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
 */
public final class PlanParser {
    /** Keys a plan's top level accepts. */
    public static final Set<String> PLAN_KEYS = Set.of("name", "description", "hosts", "vars", "vars_required",
            "vars_secret", "tasks");
    /** Keys a task accepts besides its one module key. */
    public static final Set<String> TASK_KEYS = Set.of("id", "name", "hosts", "needs", "when", "register",
            "vars", "tags", "ignore_errors", "changed_when", "failed_when", "serial", "retries", "delay", "until", "block",
            "rescue", "no_log");
    private static final Pattern ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern VAR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String file;
    private final Set<String> moduleNames;
    private final Diagnostics diags = new Diagnostics();
    private final Set<String> seenIds = new HashSet<>();

    private PlanParser(String file, Set<String> moduleNames) {
        this.file = file;
        this.moduleNames = moduleNames;
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

    private Plan doParse(String text) throws InvalidInputException {
        Node root = SafeYaml.compose(file, text);
        if (root == null || (root instanceof ScalarNode s && SafeYaml.toJava(s) == null)) {
            throw new InvalidInputException(root == null ? new SourcePos(file, 1, 1) : pos(root),
                    "empty plan: expected a mapping with 'tasks'");
        }
        if (!(root instanceof MappingNode map)) {
            throw new InvalidInputException(pos(root), "a plan must be a mapping (name, hosts, vars, tasks), got " + SafeYaml.kind(root));
        }
        checkDuplicateKeys(map);
        String name = null;
        String description = null;
        String hosts = null;
        SourcePos hostsPos = null;
        Map<String, Object> vars = Map.of();
        List<Plan.RequiredVar> required = List.of();
        List<Task> tasks = List.of();
        List<String> varsSecret = List.of();
        boolean sawTasks = false;
        for (NodeTuple t : map.getValue()) {
            String key = keyOf(t);
            if (key == null) {
                continue;
            }
            Node v = t.getValueNode();
            switch (key) {
                case "name" -> name = scalar(v, "name");
                case "description" -> description = scalar(v, "description");
                case "hosts" -> {
                    hosts = hostPattern(v);
                    hostsPos = pos(v);
                }
                case "vars" -> vars = varsMap(v);
                case "vars_secret" -> varsSecret = varNames(v, "vars_secret");
                case "vars_required" -> required = requiredVars(v);
                case "tasks" -> {
                    sawTasks = true;
                    tasks = taskList(v, "tasks");
                }
                default -> unknownKey(t.getKeyNode(), key, PLAN_KEYS, "plan");
            }
        }
        if (!sawTasks) {
            diags.error(pos(root), "a plan needs 'tasks': a list of tasks");
        }
        diags.throwIfErrors();
        if (name == null) {
            String base = Path.of(file).getFileName().toString();
            name = base.replaceFirst("\\.ya?ml$", "");
        }
        return new Plan(file, name, description, hosts, hostsPos, vars, tasks, required, List.copyOf(varsSecret));
    }

    /**
     * {@code vars_required:}: a list whose items are a variable name ({@code - tag}) or a
     * mapping {@code {name: tag, description: "..."}}.
     */
    private List<Plan.RequiredVar> requiredVars(Node v) {
        if (!(v instanceof SequenceNode seq)) {
            diags.error(pos(v), "'vars_required' must be a list of variable names (or {name, description} mappings), got "
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
                name = scalar(item, "vars_required");
            } else if (item instanceof MappingNode m) {
                checkDuplicateKeys(m);
                for (NodeTuple t : m.getValue()) {
                    String key = keyOf(t);
                    if ("name".equals(key)) {
                        name = scalar(t.getValueNode(), "name");
                        nameNode = t.getValueNode();
                    } else if ("description".equals(key)) {
                        description = scalar(t.getValueNode(), "description");
                    } else if (key != null) {
                        unknownKey(t.getKeyNode(), key, Set.of("name", "description"), "vars_required");
                    }
                }
                if (name == null) {
                    diags.error(pos(item), "a 'vars_required' item needs a 'name'");
                    continue;
                }
            } else {
                diags.error(pos(item), "'vars_required' items must be variable names, got " + SafeYaml.kind(item));
                continue;
            }
            if (name == null) {
                continue;
            }
            if (!VAR_NAME.matcher(name).matches()) {
                diags.error(pos(nameNode), "invalid variable name '" + name + "' in 'vars_required': letters, digits and '_' only, not starting with a digit");
            } else if (!seen.add(name)) {
                diags.error(pos(nameNode), "'" + name + "' is listed twice in 'vars_required'");
            } else {
                out.add(new Plan.RequiredVar(name, description, pos(nameNode)));
            }
        }
        return List.copyOf(out);
    }

    private List<Task> taskList(Node v, String what) {
        if (!(v instanceof SequenceNode seq)) {
            diags.error(pos(v), "'" + what + "' must be a list of tasks, got " + SafeYaml.kind(v));
            return List.of();
        }
        List<Task> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            Task t = task(item);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    private Task task(Node n) {
        if (!(n instanceof MappingNode map)) {
            diags.error(pos(n), "a task must be a mapping with an 'id' and one module key, got " + SafeYaml.kind(n));
            return null;
        }
        checkDuplicateKeys(map);
        String id = null;
        String name = null;
        String module = null;
        SourcePos modulePos = null;
        Map<String, Object> args = new LinkedHashMap<>();
        Map<String, SourcePos> argPos = new LinkedHashMap<>();
        String hosts = null;
        SourcePos hostsPos = null;
        List<Task.Need> needs = new ArrayList<>();
        String when = null;
        SourcePos whenPos = null;
        String register = null;
        Map<String, Object> vars = Map.of();
        List<String> tags = List.of();
        boolean ignoreErrors = false;
        boolean noLog = false;
        String changedWhen = null;
        String failedWhen = null;
        Integer serial = null;
        String serialTemplate = null;
        int retries = 0;
        int delay = 5;
        String until = null;
        List<Task> block = List.of();
        List<Task> rescue = List.of();
        SourcePos rescuePos = null;
        boolean isBlock = false;
        List<String> moduleKeys = new ArrayList<>();

        for (NodeTuple t : map.getValue()) {
            String key = keyOf(t);
            if (key == null) {
                continue;
            }
            Node v = t.getValueNode();
            switch (key) {
                case "id" -> {
                    id = scalar(v, "id");
                    if (id != null && !ID.matcher(id).matches()) {
                        diags.error(pos(v), "task id '" + id + "' must start with a letter or '_' and contain only letters, digits, '_', '-', '.'");
                    } else if (id != null && !seenIds.add(id)) {
                        diags.error(pos(v), "duplicate task id '" + id + "'");
                    }
                }
                case "name" -> name = scalar(v, "name");
                case "hosts" -> {
                    hosts = hostPattern(v);
                    hostsPos = pos(v);
                }
                case "needs" -> needs = needsList(v);
                case "when" -> {
                    when = condition(v, "when");
                    whenPos = pos(v);
                }
                case "register" -> {
                    register = scalar(v, "register");
                    if (register != null && !VAR_NAME.matcher(register).matches()) {
                        diags.error(pos(v), "'register' must be a variable name (letters, digits, '_'), got '" + register + "'");
                    }
                }
                case "vars" -> vars = varsMap(v);
                case "tags" -> tags = stringList(v, "tags");
                case "ignore_errors" -> ignoreErrors = bool(v, "ignore_errors");
                case "no_log" -> noLog = bool(v, "no_log");
                case "changed_when" -> changedWhen = condition(v, "changed_when");
                case "failed_when" -> failedWhen = conditionList(v, "failed_when");
                case "serial" -> {
                    Object raw = v instanceof ScalarNode ? SafeYaml.toJava(v) : null;
                    if (raw instanceof String str && Templater.isTemplate(str)) {
                        serialTemplate = str;
                    } else {
                        serial = positiveInt(v, "serial");
                    }
                }
                case "retries" -> retries = nonNegativeInt(v, "retries");
                case "delay" -> delay = nonNegativeInt(v, "delay");
                case "until" -> until = condition(v, "until");
                case "block" -> {
                    isBlock = true;
                    block = taskList(v, "block");
                }
                case "rescue" -> {
                    rescuePos = pos(t.getKeyNode());
                    rescue = taskList(v, "rescue");
                }
                default -> {
                    String hint = Suggest.didYouMean(key, TASK_KEYS);
                    if (hint != null && !moduleNames.contains(key)) {
                        diags.error(pos(t.getKeyNode()), "unknown task key '" + key + "'", hint);
                        continue;
                    }
                    moduleKeys.add(key);
                    if (module == null) {
                        module = key;
                        modulePos = pos(t.getKeyNode());
                        moduleArgs(v, args, argPos);
                    }
                }
            }
        }
        SourcePos taskPos = pos(n);
        if (id == null) {
            diags.error(taskPos, "task has no 'id': every task needs a unique id that 'needs' can refer to");
        }
        if (isBlock && !moduleKeys.isEmpty()) {
            diags.error(modulePos, "a block cannot also call a module ('" + String.join("', '", moduleKeys) + "')");
        } else if (!isBlock && moduleKeys.isEmpty()) {
            diags.error(taskPos, "task " + (id != null ? "'" + id + "' " : "") + "has no module key: expected exactly one module (e.g. nodetool:, tar:, command:) or a 'block'");
        } else if (moduleKeys.size() > 1) {
            diags.error(taskPos, "task " + (id != null ? "'" + id + "' " : "") + "has several module keys ('"
                    + String.join("', '", moduleKeys) + "'): expected exactly one");
        }
        if (rescuePos != null && !isBlock) {
            diags.error(rescuePos, "'rescue' belongs to a block: task " + (id != null ? "'" + id + "' " : "")
                    + "has no 'block'");
            rescue = List.of();
        }
        if (isBlock) {
            module = null;
            modulePos = null;
            args = Map.of();
            argPos = Map.of();
        }
        return new Task(id, name, taskPos, module, modulePos, args, argPos, hosts, hostsPos, List.copyOf(needs),
                when, whenPos, register, vars, tags, ignoreErrors, changedWhen, serial, retries, delay, until, block,
                serialTemplate, List.copyOf(rescue), failedWhen, noLog);
    }

    private void moduleArgs(Node v, Map<String, Object> args, Map<String, SourcePos> argPos) {
        if (v instanceof MappingNode m) {
            checkDuplicateKeys(m);
            for (NodeTuple t : m.getValue()) {
                String k = keyOf(t);
                if (k != null) {
                    args.put(k, SafeYaml.toJava(t.getValueNode()));
                    argPos.put(k, pos(t.getKeyNode()));
                }
            }
        } else if (v instanceof ScalarNode s) {
            Object value = SafeYaml.toJava(s);
            if (value != null) {
                args.put(Task.FREE_FORM, value);
                argPos.put(Task.FREE_FORM, pos(s));
            }
        } else {
            // A list is a free-form argv (command: [a, b]).
            args.put(Task.FREE_FORM, SafeYaml.toJava(v));
            argPos.put(Task.FREE_FORM, pos(v));
        }
    }

    private List<Task.Need> needsList(Node v) {
        List<Task.Need> out = new ArrayList<>();
        if (v instanceof ScalarNode s) {
            out.add(Task.Need.parse(s.getValue(), pos(s)));
        } else if (v instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                if (item instanceof ScalarNode s) {
                    out.add(Task.Need.parse(s.getValue(), pos(s)));
                } else {
                    diags.error(pos(item), "'needs' items must be task ids, got " + SafeYaml.kind(item));
                }
            }
        } else {
            diags.error(pos(v), "'needs' must be a task id or a list of task ids, got " + SafeYaml.kind(v));
        }
        return out;
    }

    private Map<String, Object> varsMap(Node v) {
        if (v instanceof ScalarNode s && SafeYaml.toJava(s) == null) {
            return Map.of();
        }
        if (!(v instanceof MappingNode m)) {
            diags.error(pos(v), "'vars' must be a mapping of variable names to values, got " + SafeYaml.kind(v));
            return Map.of();
        }
        checkDuplicateKeys(m);
        SourcedVars out = new SourcedVars();
        for (NodeTuple t : m.getValue()) {
            String k = keyOf(t);
            if (k == null) {
                continue;
            }
            if (!VAR_NAME.matcher(k).matches()) {
                diags.error(pos(t.getKeyNode()), "invalid variable name '" + k + "': letters, digits and '_' only, not starting with a digit");
                continue;
            }
            out.put(k, SafeYaml.toJava(t.getValueNode()), pos(t.getValueNode()));
        }
        return out;
    }

    /** A list of variable names ({@code vars_secret}), each checked. */
    private List<String> varNames(Node v, String what) {
        List<String> out = new ArrayList<>();
        if (!(v instanceof SequenceNode seq)) {
            diags.error(pos(v), "'" + what + "' must be a list of variable names, got " + SafeYaml.kind(v));
            return out;
        }
        for (Node item : seq.getValue()) {
            String s = scalar(item, what);
            if (s != null && !VAR_NAME.matcher(s).matches()) {
                diags.error(pos(item), "'" + what + "' items must be variable names (letters, digits, '_'), got '" + s + "'");
            } else if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private String hostPattern(Node v) {
        if (v instanceof SequenceNode seq) {
            List<String> parts = new ArrayList<>();
            for (Node item : seq.getValue()) {
                String s = scalar(item, "hosts");
                if (s != null) {
                    parts.add(s);
                }
            }
            return String.join(":", parts);
        }
        return scalar(v, "hosts");
    }

    private List<String> stringList(Node v, String what) {
        List<String> out = new ArrayList<>();
        if (v instanceof ScalarNode s) {
            for (String part : s.getValue().split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        } else if (v instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                String s = scalar(item, what);
                if (s != null) {
                    out.add(s);
                }
            }
        } else {
            diags.error(pos(v), "'" + what + "' must be a list of strings, got " + SafeYaml.kind(v));
        }
        return out;
    }

    private String condition(Node v, String what) {
        Object o = v instanceof ScalarNode ? SafeYaml.toJava(v) : null;
        if (o instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (o instanceof String s) {
            String x = s.strip();
            if (x.startsWith("{{") && x.endsWith("}}")) {
                x = x.substring(2, x.length() - 2).strip();
            }
            return x;
        }
        diags.error(pos(v), "'" + what + "' must be an expression (e.g. \"ring.nodes | length > 1\"), got " + SafeYaml.kind(v));
        return null;
    }

    /** A condition, or a list of conditions that must all hold (Ansible's list form of {@code failed_when}). */
    private String conditionList(Node v, String what) {
        if (!(v instanceof SequenceNode seq)) {
            return condition(v, what);
        }
        List<String> parts = new ArrayList<>();
        for (Node item : seq.getValue()) {
            String c = condition(item, what);
            if (c != null) {
                parts.add("(" + c + ")");
            }
        }
        if (parts.isEmpty()) {
            diags.error(pos(v), "'" + what + "' must be an expression or a non-empty list of expressions");
            return null;
        }
        return String.join(" and ", parts);
    }

    private boolean bool(Node v, String what) {
        Object o = SafeYaml.toJava(v);
        if (o instanceof Boolean b) {
            return b;
        }
        diags.error(pos(v), "'" + what + "' must be true or false, got " + describe(o, v));
        return false;
    }

    private Integer positiveInt(Node v, String what) {
        Object o = SafeYaml.toJava(v);
        if (o instanceof Integer i && i > 0) {
            return i;
        }
        diags.error(pos(v), "'" + what + "' must be a positive integer, got " + describe(o, v));
        return null;
    }

    private int nonNegativeInt(Node v, String what) {
        Object o = SafeYaml.toJava(v);
        if (o instanceof Integer i && i >= 0) {
            return i;
        }
        diags.error(pos(v), "'" + what + "' must be a non-negative integer, got " + describe(o, v));
        return 0;
    }

    private String scalar(Node v, String what) {
        if (v instanceof ScalarNode s) {
            Object o = SafeYaml.toJava(s);
            return o == null ? null : String.valueOf(o);
        }
        diags.error(pos(v), "'" + what + "' must be a single value, got " + SafeYaml.kind(v));
        return null;
    }

    private String keyOf(NodeTuple t) {
        if (t.getKeyNode() instanceof ScalarNode s) {
            return s.getValue();
        }
        diags.error(pos(t.getKeyNode()), "keys must be plain names, got " + SafeYaml.kind(t.getKeyNode()));
        return null;
    }

    /**
     * Reports a key written twice in one mapping (snakeyaml's duplicate-key refusal acts only when
     * constructing Java objects, not on the composed node tree this parser reads).
     */
    private void checkDuplicateKeys(MappingNode m) {
        Map<String, ScalarNode> seen = new java.util.HashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode s) {
                ScalarNode first = seen.putIfAbsent(s.getValue(), s);
                if (first != null) {
                    SourcePos at = pos(s);
                    SourcePos was = pos(first);
                    diags.error(at, "duplicate key '" + s.getValue() + "' at line " + at.line() + ", first at line "
                            + was.line() + " (" + was + "): a key may appear only once in a mapping");
                }
            }
        }
    }

    private void unknownKey(Node keyNode, String key, Set<String> known, String where) {
        String hint = Suggest.didYouMean(key, known);
        diags.error(pos(keyNode), "unknown " + where + " key '" + key + "'",
                hint != null ? hint : "expected one of: " + String.join(", ", new java.util.TreeSet<>(known)));
    }

    private static String describe(Object o, Node v) {
        return o == null ? SafeYaml.kind(v) : "'" + o + "'";
    }

    private SourcePos pos(Node n) {
        return SafeYaml.pos(file, n);
    }
}
