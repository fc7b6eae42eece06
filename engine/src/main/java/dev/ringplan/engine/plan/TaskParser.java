package dev.ringplan.engine.plan;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.diag.Suggest;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.yaml.SafeYaml;
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
 * Reads the tasks of one plan file into {@link Task}s: the task keywords
 * ({@link PlanParser#TASK_KEYS}), the one module key and its arguments (a mapping, a free-form
 * value or an argv list), {@code needs}, and nested {@code block}/{@code rescue} lists. Task ids
 * must be unique across the whole file, blocks included. Problems are recorded in the file's
 * {@link Diagnostics}.
 *
 * <p>A block refuses the keys that act on one module call's result ({@link #MODULE_TASK_KEYS}),
 * as Ansible does ("'register' is not a valid attribute for a Block"). A block's
 * {@code ignore_errors} is inherited, as in Ansible, by every task inside it (its rescue tasks and
 * nested blocks included) that does not set its own: the parsed {@link Task#ignoreErrors()} of a
 * module task is the value that applies to it. Ansible's loop keys ({@code loop},
 * {@code with_*}) are refused as such, not read as a second module key.
 */
final class TaskParser {
    private static final Pattern ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    /** Task keys a block refuses: they act on the result of one module call, which a block does not have. */
    static final Set<String> MODULE_TASK_KEYS = Set.of("register", "retries", "delay", "until", "changed_when",
            "failed_when");
    /** The keys a block accepts, in the order the messages list them. */
    private static final String BLOCK_KEYS = "id, name, hosts, needs, when, vars, tags, ignore_errors, no_log, serial, "
            + "keyspaces, ignore_down_nodes, max_fail_percentage, block, rescue";

    /**
     * The keys an {@code import:} task accepts: what applies to every imported task (as a block's),
     * and {@code vars} (a task list's variables, or a role's parameter values).
     */
    static final Set<String> IMPORT_KEYS = Set.of("id", "name", "import", "hosts", "needs", "when", "vars", "tags",
            "serial", "no_log", "keyspaces", "ignore_down_nodes", "max_fail_percentage");

    private final PlanNodes nodes;
    private final Diagnostics diags;
    private final Set<String> moduleNames;
    private final Set<String> seenIds = new HashSet<>();

    /**
     * @param nodes       the file's node reader
     * @param diags       where problems are recorded
     * @param moduleNames names of the available modules: such a key is a module key even when
     *                    it is close to a task keyword ({@code tar} / {@code tags})
     */
    TaskParser(PlanNodes nodes, Diagnostics diags, Set<String> moduleNames) {
        this.nodes = nodes;
        this.diags = diags;
        this.moduleNames = moduleNames;
    }

    /**
     * A list of tasks ({@code tasks:}, {@code block:}, {@code rescue:}); items that are not
     * tasks are reported and left out.
     *
     * @param what the key holding the list, for messages
     */
    List<Task> taskList(Node v, String what) {
        return taskList(v, what, null);
    }

    /**
     * A list of tasks inside a block whose effective {@code ignore_errors} is
     * {@code inheritedIgnoreErrors} (null: no enclosing block sets it).
     */
    private List<Task> taskList(Node v, String what, Boolean inheritedIgnoreErrors) {
        if (!(v instanceof SequenceNode seq)) {
            diags.error(nodes.pos(v), "'" + what + "' must be a list of tasks, got " + SafeYaml.kind(v));
            return List.of();
        }
        List<Task> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            Task t = task(item, inheritedIgnoreErrors);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    private Task task(Node n, Boolean inheritedIgnoreErrors) {
        if (!(n instanceof MappingNode map)) {
            diags.error(nodes.pos(n), "a task must be a mapping with an 'id' and one module key, got " + SafeYaml.kind(n));
            return null;
        }
        nodes.checkDuplicateKeys(map);
        // Read first, whatever its place in the mapping: the tasks of a block inherit it.
        NodeTuple ownIgnoreErrors = SafeYaml.entries(map).get("ignore_errors");
        Boolean ignoreErrorsHere = ownIgnoreErrors == null ? inheritedIgnoreErrors
                : Boolean.valueOf(nodes.bool(ownIgnoreErrors.getValueNode(), "ignore_errors"));
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
        boolean ignoreErrors = Boolean.TRUE.equals(ignoreErrorsHere);
        boolean noLog = false;
        String changedWhen = null;
        String failedWhen = null;
        Integer serial = null;
        String serialTemplate = null;
        RollingKeys rk = new RollingKeys();
        int retries = 0;
        int delay = 5;
        String until = null;
        List<Task> block = List.of();
        List<Task> rescue = List.of();
        SourcePos rescuePos = null;
        boolean isBlock = false;
        String importSource = null;
        SourcePos importPos = null;
        Map<String, SourcePos> keyPos = new LinkedHashMap<>();
        List<String> moduleKeys = new ArrayList<>();
        Map<String, SourcePos> moduleTaskKeys = new LinkedHashMap<>();

        for (NodeTuple t : map.getValue()) {
            String key = nodes.keyOf(t);
            if (key == null) {
                continue;
            }
            Node v = t.getValueNode();
            keyPos.put(key, nodes.pos(t.getKeyNode()));
            if (MODULE_TASK_KEYS.contains(key)) {
                moduleTaskKeys.put(key, nodes.pos(t.getKeyNode()));
            }
            switch (key) {
                case "id" -> {
                    id = nodes.scalar(v, "id");
                    if (id != null && !ID.matcher(id).matches()) {
                        diags.error(nodes.pos(v), "task id '" + id + "' must start with a letter or '_' and contain only letters, digits, '_', '-', '.'");
                    } else if (id != null && !seenIds.add(id)) {
                        diags.error(nodes.pos(v), "duplicate task id '" + id + "'");
                    }
                }
                case "name" -> name = nodes.scalar(v, "name");
                case "hosts" -> {
                    hosts = nodes.hostPattern(v);
                    hostsPos = nodes.pos(v);
                }
                case "needs" -> needs = needsList(v);
                case "when" -> {
                    when = nodes.condition(v, "when");
                    whenPos = nodes.pos(v);
                }
                case "register" -> {
                    register = nodes.scalar(v, "register");
                    if (register != null && !PlanNodes.VAR_NAME.matcher(register).matches()) {
                        diags.error(nodes.pos(v), "'register' must be a variable name (letters, digits, '_'), got '" + register + "'");
                    }
                }
                case "vars" -> vars = nodes.varsMap(v);
                case "tags" -> tags = nodes.stringList(v, "tags");
                case "ignore_errors" -> {
                    // read above, before the block's tasks
                }
                case "no_log" -> noLog = nodes.bool(v, "no_log");
                case "changed_when" -> changedWhen = nodes.condition(v, "changed_when");
                case "failed_when" -> failedWhen = nodes.conditionList(v, "failed_when");
                case "serial" -> {
                    Object raw = v instanceof ScalarNode ? SafeYaml.toJava(v) : null;
                    if (raw instanceof String str && Templater.isTemplate(str)) {
                        serialTemplate = str;
                    } else if (raw instanceof String str) {
                        rk.strategy(str, nodes.pos(v));
                    } else {
                        serial = nodes.positiveInt(v, "serial");
                    }
                }
                case "keyspaces" -> rk.keyspaces(nodes.stringList(v, "keyspaces"), nodes.pos(t.getKeyNode()));
                case "ignore_down_nodes" -> rk.ignoreDownNodes(nodes.bool(v, "ignore_down_nodes"), nodes.pos(t.getKeyNode()));
                case "max_fail_percentage" -> rk.maxFailPercentage(SafeYaml.toJava(v), nodes.pos(v));
                case "retries" -> retries = nodes.nonNegativeInt(v, "retries");
                case "delay" -> delay = nodes.nonNegativeInt(v, "delay");
                case "until" -> until = nodes.condition(v, "until");
                case "block" -> {
                    isBlock = true;
                    block = taskList(v, "block", ignoreErrorsHere);
                }
                case "import" -> {
                    importSource = nodes.scalar(v, "import");
                    importPos = nodes.pos(v);
                    if (importSource != null && importSource.isBlank()) {
                        diags.error(importPos, "'import' must name a task list or a role: a path or a git+...:// URL");
                        importSource = null;
                    }
                }
                case "rescue" -> {
                    rescuePos = nodes.pos(t.getKeyNode());
                    rescue = taskList(v, "rescue", ignoreErrorsHere);
                }
                default -> {
                    if (isLoopKey(key) && !moduleNames.contains(key)) {
                        loopRefused(t.getKeyNode(), key);
                        continue;
                    }
                    String hint = Suggest.didYouMean(key, PlanParser.TASK_KEYS);
                    if (hint != null && !moduleNames.contains(key)) {
                        diags.error(nodes.pos(t.getKeyNode()), "unknown task key '" + key + "'", hint);
                        continue;
                    }
                    moduleKeys.add(key);
                    if (module == null) {
                        module = key;
                        modulePos = nodes.pos(t.getKeyNode());
                        moduleArgs(v, args, argPos);
                    }
                }
            }
        }
        SourcePos taskPos = nodes.pos(n);
        Rolling rolling = rk.build(serial != null, serialTemplate != null, taskPos, id);
        if (id == null) {
            diags.error(taskPos, "task has no 'id': every task needs a unique id that 'needs' can refer to");
        }
        if (importSource != null) {
            for (Map.Entry<String, SourcePos> k : keyPos.entrySet()) {
                if (!IMPORT_KEYS.contains(k.getKey())) {
                    diags.error(k.getValue(), "'" + k.getKey() + "' is not valid on an import"
                            + (id != null ? " ('" + id + "')" : ""),
                            "an import accepts " + String.join(", ", IMPORT_KEYS.stream().sorted().toList())
                                    + "; put the rest on the imported tasks");
                }
            }
            return new Task(id, name, taskPos, null, null, Map.of(), Map.of(), hosts, hostsPos, List.copyOf(needs),
                    when, whenPos, null, vars, tags, false, null, serial, 0, 5, null, List.of(), serialTemplate,
                    List.of(), null, noLog, importSource, importPos, null, rolling);
        }
        if (isBlock) {
            String which = id != null ? " (block '" + id + "')" : "";
            moduleTaskKeys.forEach((key, at) -> diags.error(at, "'" + key + "' is not valid on a block"
                    + which + ": it applies to one module call's result, and a block has none",
                    "put it on a task inside the block; a block accepts " + BLOCK_KEYS));
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
                serialTemplate, List.copyOf(rescue), failedWhen, noLog, null, null, null, rolling);
    }

    /** Ansible's loop keywords: {@code loop}, {@code loop_control} and the {@code with_*} lookups. */
    static boolean isLoopKey(String key) {
        return key.equals("loop") || key.equals("loop_control") || key.startsWith("with_");
    }

    private void loopRefused(Node keyNode, String key) {
        diags.error(nodes.pos(keyNode), "'" + key + "': loops are not supported (Ansible's loop, loop_control and"
                        + " with_* keys): a task runs once on each of its target hosts",
                "to act on several hosts, target them with 'hosts'; to act on several values, write one task per"
                        + " value, or give the list to a module argument that takes one (e.g. command: with a shell loop)");
    }

    private void moduleArgs(Node v, Map<String, Object> args, Map<String, SourcePos> argPos) {
        if (v instanceof MappingNode m) {
            nodes.checkDuplicateKeys(m);
            for (NodeTuple t : m.getValue()) {
                String k = nodes.keyOf(t);
                if (k != null) {
                    args.put(k, SafeYaml.toJava(t.getValueNode()));
                    argPos.put(k, nodes.pos(t.getKeyNode()));
                }
            }
        } else if (v instanceof ScalarNode s) {
            Object value = SafeYaml.toJava(s);
            if (value != null) {
                args.put(Task.FREE_FORM, value);
                argPos.put(Task.FREE_FORM, nodes.pos(s));
            }
        } else {
            // A list is a free-form argv (command: [a, b]).
            args.put(Task.FREE_FORM, SafeYaml.toJava(v));
            argPos.put(Task.FREE_FORM, nodes.pos(v));
        }
    }

    private List<Task.Need> needsList(Node v) {
        List<Task.Need> out = new ArrayList<>();
        if (v instanceof ScalarNode s) {
            out.add(Task.Need.parse(s.getValue(), nodes.pos(s)));
        } else if (v instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                if (item instanceof ScalarNode s) {
                    out.add(Task.Need.parse(s.getValue(), nodes.pos(s)));
                } else {
                    diags.error(nodes.pos(item), "'needs' items must be task ids, got " + SafeYaml.kind(item));
                }
            }
        } else {
            diags.error(nodes.pos(v), "'needs' must be a task id or a list of task ids, got " + SafeYaml.kind(v));
        }
        return out;
    }

    /**
     * Collects a task's rolling keys ({@code serial} as a word, {@code keyspaces},
     * {@code ignore_down_nodes}, {@code max_fail_percentage}) and checks them together.
     */
    private final class RollingKeys {
        private String strategy;
        private SourcePos strategyPos;
        private List<String> keyspaces = List.of();
        private SourcePos keyspacesPos;
        private Boolean ignoreDownNodes;
        private SourcePos ignorePos;
        private Double maxFail;

        void strategy(String word, SourcePos at) {
            String w = word.strip();
            if (Rolling.STRATEGIES.contains(w)) {
                strategy = w;
                strategyPos = at;
                return;
            }
            String hint = Suggest.didYouMean(w, Rolling.STRATEGIES);
            diags.error(at, "'serial' must be a positive integer, a template, or one of "
                    + String.join(", ", Rolling.STRATEGIES) + "; got '" + w + "'", hint);
        }

        void keyspaces(List<String> names, SourcePos at) {
            keyspacesPos = at;
            List<String> ok = new ArrayList<>();
            for (String k : names) {
                if (k.matches("[A-Za-z0-9_]{1,48}")) {
                    ok.add(k);
                } else {
                    diags.error(at, "'keyspaces' entry '" + k + "' is not a keyspace name (1-48 letters, digits, '_')");
                }
            }
            keyspaces = ok;
        }

        void ignoreDownNodes(boolean value, SourcePos at) {
            ignoreDownNodes = value;
            ignorePos = at;
        }

        void maxFailPercentage(Object raw, SourcePos at) {
            Double pct = null;
            if (raw instanceof Number num) {
                pct = num.doubleValue();
            } else if (raw instanceof String str && str.strip().matches("\\d+(\\.\\d+)?%")) {
                pct = Double.parseDouble(str.strip().substring(0, str.strip().length() - 1));
            }
            if (pct == null || pct < 0 || pct > 100 || pct.isNaN()) {
                diags.error(at, "'max_fail_percentage' must be a number from 0 to 100 (or 'N%'), got '" + raw + "'");
                return;
            }
            maxFail = pct;
        }

        /** The task's {@link Rolling}, or null when it sets none of the keys; errors for keys that need another. */
        Rolling build(boolean numericSerial, boolean templatedSerial, SourcePos taskPos, String id) {
            String which = id != null ? " (task '" + id + "')" : "";
            if (keyspacesPos != null && !"topology".equals(strategy) && !templatedSerial) {
                diags.error(keyspacesPos, "'keyspaces' belongs to 'serial: topology'" + which
                        + ": it names the keyspaces whose replicas must not restart at once",
                        "add 'serial: topology', or remove 'keyspaces'");
            }
            if (ignorePos != null && strategy == null && !numericSerial && !templatedSerial) {
                diags.error(ignorePos, "'ignore_down_nodes' belongs to a rolling task or block" + which
                        + ": it needs 'serial'", "add 'serial: topology' (or rack, dc, a number)");
            }
            if (strategy == null && keyspacesPos == null && ignorePos == null && maxFail == null) {
                return null;
            }
            return new Rolling(strategy, strategyPos, keyspaces, ignoreDownNodes, maxFail, taskPos);
        }
    }
}
