package dev.ringplan.engine.compile;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.diag.Suggest;
import dev.ringplan.engine.inventory.Inventory;
import dev.ringplan.engine.plan.Param;
import dev.ringplan.engine.plan.Plan;
import dev.ringplan.engine.plan.SourcedVars;
import dev.ringplan.engine.plan.Task;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.template.VariableReferences;
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
 * The compiler's variable step: every template a task renders (arguments, {@code when},
 * {@code until}, {@code changed_when}, its own and its blocks' {@code vars}) must refer only
 * to defined variables, followed transitively through the variables it uses (plan
 * {@code vars}, inventory variables, {@code -e}), for every target host, as the run will
 * render them ({@link dev.ringplan.engine.template.LazyVars}). An undefined name is reported at
 * the template that refers to it: the task's argument, or the value of the variable that refers
 * to it (with the task that uses that variable). Cycles between variables, template syntax
 * errors, unknown filters and unknown tests are reported the same way. A plan or inventory
 * variable that no task uses is not checked (as in Ansible, where a variable is rendered when
 * used); task and block variables are checked even when unused.
 *
 * <p>It also records which registered variables each task uses, for the rule that a task must
 * need the task that registers what it uses ({@link #registeredUses()}).
 */
final class VariableCheck {
    /** Variables a connection or a module reads from the host without a template. */
    private static final Set<String> CONNECTION_VARS = Set.of("ansible_host", "ansible_port", "ansible_user",
            "ansible_connection", "ansible_ssh_private_key_file", "ansible_ssh_host", "ansible_ssh_port",
            "ansible_ssh_user", "ringplan_host", "ringplan_user", "ringplan_known_hosts");

    private final Plan plan;
    private final Inventory inventory;
    private final CompileOptions opts;
    private final Set<String> registered;
    private final Set<String> suppressed;
    private final Templater templater;
    private final Diagnostics diags;
    private final Map<String, Map<String, Object>> hostVarsCache = new HashMap<>();
    private final Map<String, Object> signatures = new HashMap<>();
    private final Map<Object, Object> canonical = new HashMap<>();
    private final Map<List<String>, List<List<String>>> groupCache = new HashMap<>();
    private final Set<String> reported = new HashSet<>();
    private final Map<String, List<String>> problemCache = new HashMap<>();
    private final Map<String, Map<String, SourcePos>> registeredUses = new LinkedHashMap<>();

    /**
     * @param registered names some task registers
     * @param suppressed names not to report as undefined (required variables that are missing,
     *                   reported once as such)
     */
    VariableCheck(Plan plan, Inventory inventory, CompileOptions opts, Set<String> registered, Set<String> suppressed,
                  Templater templater, Diagnostics diags) {
        this.plan = plan;
        this.inventory = inventory;
        this.opts = opts;
        this.registered = registered;
        this.suppressed = suppressed;
        this.templater = templater;
        this.diags = diags;
    }

    /** Task id → registered variable it uses → where it first uses it. */
    Map<String, Map<String, SourcePos>> registeredUses() {
        return registeredUses;
    }

    /** A definition of a variable as a host will see it. */
    private record Def(Object value, String what, SourcePos pos, boolean literal) {
    }

    /** A template of the task to check. */
    private record Root(String what, SourcePos pos, Object value, boolean expression, Set<String> extra,
                        List<Task> scope) {
        Root(String what, SourcePos pos, Object value, boolean expression, Set<String> extra) {
            this(what, pos, value, expression, extra, null);
        }
    }

    /**
     * For a block at {@code index} of {@code blocks}: the blocks of the scope its templates are
     * rendered in when an imported role lies at or inside it (the blocks outside that role; a
     * role's parameters and condition are written outside it), else null (the task's own scope).
     */
    private static List<Task> outerScope(List<Task> blocks, int index) {
        for (int r = index; r < blocks.size(); r++) {
            if (blocks.get(r).isRoleScope()) {
                return blocks.subList(0, r);
            }
        }
        return null;
    }

    /** An undefined name met while checking one task, with the hosts that lack it. */
    private static final class Missing {
        final String name;
        final String where;
        final String usedBy;
        final SourcePos pos;
        final Set<String> hosts = new LinkedHashSet<>();

        Missing(String name, String where, String usedBy, SourcePos pos) {
            this.name = name;
            this.where = where;
            this.usedBy = usedBy;
            this.pos = pos;
        }
    }

    /** Checks one task on its target hosts (every target, --limit or not). */
    void check(Task t, List<Task> blocks, Map<String, Object> args, List<String> hosts) {
        String owner = " of task '" + t.id() + "'";
        Set<String> guardedByWhen = new HashSet<>();
        for (Task w : whenTasks(t, blocks)) {
            // A name the task's (or a block's) condition tests with 'is defined' is guarded.
            for (VariableReferences.VariableRef r : VariableReferences.inExpression(w.when())) {
                if (r.guarded()) {
                    guardedByWhen.add(r.name());
                }
            }
        }
        List<Root> roots = new ArrayList<>();
        args.forEach((k, v) -> roots.add(new Root("argument '" + k + "'" + owner,
                t.argPos().getOrDefault(k, t.argPos().getOrDefault(Task.FREE_FORM, t.modulePos())), v, false, Set.of())));
        if (t.when() != null) {
            roots.add(new Root("when" + owner, t.whenPos(), t.when(), true, Set.of()));
        }
        for (int i = 0; i < blocks.size(); i++) {
            Task b = blocks.get(i);
            if (b.when() != null) {
                roots.add(new Root("when of block '" + b.id() + "'", b.whenPos(), b.when(), true, Set.of(),
                        outerScope(blocks, i)));
            }
            if (b.isRoleScope()) {
                List<Task> outer = blocks.subList(0, i);
                b.params().forEach((k, v) -> roots.add(new Root("parameter '" + k + "' of import '" + b.id() + "'",
                        posOr(b.params(), k, b.pos()), v instanceof Param.Given g ? g.value() : v, false, Set.of(), outer)));
            }
        }
        Set<String> withResult = new HashSet<>(Set.of("result"));
        if (t.register() != null) {
            withResult.add(t.register());
        }
        if (t.until() != null) {
            roots.add(new Root("until" + owner, t.pos(), t.until(), true, withResult));
        }
        if (t.changedWhen() != null) {
            roots.add(new Root("changed_when" + owner, t.pos(), t.changedWhen(), true, withResult));
        }
        if (t.failedWhen() != null) {
            roots.add(new Root("failed_when" + owner, t.pos(), t.failedWhen(), true, withResult));
        }
        for (int i = 0; i < blocks.size(); i++) {
            Task b = blocks.get(i);
            List<Task> scope = b.isRoleScope() ? null : outerScope(blocks, i);
            b.vars().forEach((k, v) -> roots.add(new Root("variable '" + k + "' of block '" + b.id() + "'",
                    posOr(b.vars(), k, b.pos()), v, false, Set.of(), scope)));
        }
        t.vars().forEach((k, v) -> roots.add(new Root("variable '" + k + "'" + owner, posOr(t.vars(), k, t.pos()),
                v, false, Set.of())));
        // Host variables a module or the connection reads directly, when a plan, inventory or -e
        // value is a template: rendered on use, so checked as if used.
        Set<String> implicit = new LinkedHashSet<>(CONNECTION_VARS);
        if (opts.hostDefaults() != null) {
            implicit.addAll(opts.hostDefaults().keySet());
        }

        List<String> targets = hosts.isEmpty() ? java.util.Collections.singletonList(null) : hosts;
        Map<String, Missing> missing = new LinkedHashMap<>();
        Map<String, SourcePos> usesRegistered = registeredUses.computeIfAbsent(t.id() == null ? "?" : t.id(),
                k -> new LinkedHashMap<>());
        for (Root r : roots) {
            for (String name : hostvarsAttributes(r.value())) {
                if (registered.contains(name)) {
                    usesRegistered.putIfAbsent(name, r.pos());
                }
            }
        }
        for (List<String> group : groups(targets)) {
            String host = group.get(0);
            for (Root r : roots) {
                if (host == targets.get(0)) {
                    problems(r.value(), r.expression(), r.pos(), r.what());
                }
                Task rt = r.scope() == null ? t : null;
                List<Task> rb = r.scope() == null ? blocks : r.scope();
                for (VariableReferences.VariableRef ref : refs(r.value(), r.expression(), true)) {
                    if (registered.contains(ref.name()) && lookupLocal(ref.name(), rt, rb) == null
                            && !opts.extraVars().containsKey(ref.name()) && !r.extra().contains(ref.name())) {
                        usesRegistered.putIfAbsent(ref.name(), r.pos());
                    }
                    if (ref.guarded() || r.extra().contains(ref.name()) || guardedByWhen.contains(ref.name())) {
                        continue;
                    }
                    Def d = lookup(ref.name(), rt, rb, host);
                    if (d == null) {
                        noteMissing(missing, ref.name(), r.what(), null, r.pos(), group);
                    } else if (!d.literal()) {
                        follow(ref.name(), d, rt, rb, group, new ArrayList<>(), r.what(), missing, usesRegistered, r.pos());
                    }
                }
            }
            if (host != null) {
                for (String name : implicit) {
                    Def d = lookup(name, t, blocks, host);
                    if (d != null && !d.literal() && !d.what().startsWith("default of")) {
                        follow(name, d, t, blocks, group, new ArrayList<>(), "the module or connection" + owner,
                                missing, usesRegistered, t.modulePos());
                    }
                }
            }
        }
        for (Missing m : missing.values()) {
            report(m, hosts, t, blocks);
        }
    }

    private void follow(String name, Def d, Task t, List<Task> blocks, List<String> group, List<String> chain,
                        String root, Map<String, Missing> missing, Map<String, SourcePos> usesRegistered,
                        SourcePos rootPos) {
        String host = group.get(0);
        if (!Templater.isTemplated(d.value())) {
            return;
        }
        int at = chain.indexOf(name);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(chain.subList(at, chain.size()));
            cycle.add(name);
            String msg = "variables refer to each other in a cycle: " + String.join(" -> ", cycle);
            if (reported.add(d.pos() + "|cycle|" + new TreeSet<>(cycle))) {
                diags.error(d.pos(), msg + " (" + d.what() + ", used by " + root + ")",
                        "a variable cannot be defined through itself; give one of them a value");
            }
            return;
        }
        if (chain.size() > 64) {
            return;
        }
        chain.add(name);
        try {
            problems(d.value(), false, d.pos(), d.what());
            for (VariableReferences.VariableRef ref : refs(d.value(), false, true)) {
                if (registered.contains(ref.name()) && lookupLocal(ref.name(), t, blocks) == null) {
                    usesRegistered.putIfAbsent(ref.name(), rootPos);
                }
                if (ref.guarded()) {
                    continue;
                }
                Def d2 = lookup(ref.name(), t, blocks, host);
                if (d2 == null) {
                    noteMissing(missing, ref.name(), d.what(), root, d.pos(), group);
                } else if (!d2.literal()) {
                    follow(ref.name(), d2, t, blocks, group, chain, root, missing, usesRegistered, rootPos);
                }
            }
        } finally {
            chain.remove(chain.size() - 1);
        }
    }

    private void noteMissing(Map<String, Missing> missing, String name, String where, String usedBy, SourcePos pos,
                             List<String> group) {
        String key = pos + "|" + name + "|" + where;
        Missing m = missing.computeIfAbsent(key, k -> new Missing(name, where, usedBy, pos));
        for (String host : group) {
            if (host != null) {
                m.hosts.add(host);
            }
        }
    }

    private void report(Missing m, List<String> hosts, Task t, List<Task> blocks) {
        if (suppressed.contains(m.name) || !reported.add(m.pos + "|" + m.name + "|" + m.where)) {
            return;
        }
        String onHosts = m.hosts.isEmpty() || m.hosts.size() == hosts.size() ? ""
                : " on host" + (m.hosts.size() > 1 ? "s " : " ") + String.join(", ", m.hosts);
        Set<String> candidates = new TreeSet<>(Compiler.MAGIC_VARS);
        candidates.addAll(plan.vars().keySet());
        candidates.addAll(opts.extraVars().keySet());
        candidates.addAll(registered);
        for (Task b : blocks) {
            candidates.addAll(b.vars().keySet());
        }
        candidates.addAll(t.vars().keySet());
        if (!hosts.isEmpty()) {
            candidates.addAll(hostVars(hosts.get(0)).keySet());
        }
        String hint = candidates.contains(m.name)
                ? "'" + m.name + "' is defined for other hosts only: define it for these too (host_vars, group vars or the plan's vars)"
                : Suggest.didYouMean(m.name, candidates);
        if (inRole(blocks) && plan.vars().containsKey(m.name)) {
            hint = "'" + m.name + "' is a variable of the plan, which an imported role does not see: give it as a"
                    + " parameter of the import (declared in the role's params)";
        }
        String usedBy = m.usedBy == null ? "" : ", used by " + m.usedBy;
        diags.error(m.pos, "undefined variable '" + m.name + "' in " + m.where + usedBy + onHosts,
                hint != null ? hint : "define it in the inventory, the plan's vars, the task's vars or with -e " + m.name + "=...");
    }

    /** Syntax errors, unknown filters and tests of every string of a value, reported once each. */
    private void problems(Object value, boolean expression, SourcePos pos, String what) {
        for (String s : strings(value)) {
            List<String> found = problemCache.computeIfAbsent((expression ? "E:" : "T:") + s,
                    k -> templater.problems(s, expression));
            for (String p : found) {
                if (reported.add(pos + "|problem|" + p)) {
                    diags.error(pos, p + " in " + what, null);
                }
            }
        }
    }

    /** The definition of {@code name} as {@code host} sees it in task {@code t}; null if none. */
    private Def lookup(String name, Task t, List<Task> blocks, String host) {
        if (opts.extraVars().containsKey(name)) {
            return new Def(opts.extraVars().get(name), "-e variable '" + name + "'", SourcePos.ofFile("-e"), false);
        }
        Def local = lookupLocal(name, t, blocks);
        if (local != null) {
            return local;
        }
        if (registered.contains(name) || Compiler.MAGIC_VARS.contains(name) || suppressed.contains(name)) {
            return new Def(null, "registered variable '" + name + "'", null, true);
        }
        if (plan.vars().containsKey(name) && !inRole(blocks)) {
            return new Def(plan.vars().get(name), "plan variable '" + name + "'",
                    posOr(plan.vars(), name, SourcePos.ofFile(plan.file())), false);
        }
        if (host != null && hostVars(host).containsKey(name)) {
            return new Def(hostVars(host).get(name), "inventory variable '" + name + "' of " + host,
                    SourcePos.ofFile(inventory.source()), false);
        }
        if (opts.hostDefaults() != null && opts.hostDefaults().containsKey(name)) {
            return new Def(opts.hostDefaults().get(name), "default of '" + name + "'", null, false);
        }
        return null;
    }

    /**
     * The definition of {@code name} in task {@code t} (null: none, for a role's parameter or a
     * block's condition) and its blocks, innermost first, up to the innermost imported role: its
     * parameters are values rendered outside it (checked there, as roots of their own), so
     * literal here.
     */
    private static Def lookupLocal(String name, Task t, List<Task> blocks) {
        if (t != null && t.vars().containsKey(name)) {
            return new Def(t.vars().get(name), "variable '" + name + "' of task '" + t.id() + "'",
                    posOr(t.vars(), name, t.pos()), false);
        }
        for (int i = blocks.size() - 1; i >= 0; i--) {
            Task b = blocks.get(i);
            if (b.isRoleScope() && b.params().containsKey(name)) {
                return new Def(null, "parameter '" + name + "' of import '" + b.id() + "'", null, true);
            }
            if (b.vars().containsKey(name)) {
                return new Def(b.vars().get(name), "variable '" + name + "' of block '" + b.id() + "'",
                        posOr(b.vars(), name, b.pos()), false);
            }
            if (b.isRoleScope()) {
                return null;
            }
        }
        return null;
    }

    /** True when an imported role encloses the scope: the plan's vars are not visible there. */
    private static boolean inRole(List<Task> blocks) {
        return blocks.stream().anyMatch(Task::isRoleScope);
    }

    /**
     * The hosts split into groups that every check treats alike: the same variable names
     * defined, and the same values where a value is a template (a plain value is never followed,
     * so which one a host has does not matter). Each group is checked once, on its first host,
     * and a finding names every host of the group: linear in the hosts, not hosts × templates.
     * A target list of one null (no host) is one group.
     */
    private List<List<String>> groups(List<String> targets) {
        if (targets.size() == 1) {
            return List.of(targets);
        }
        List<List<String>> cached = groupCache.get(targets);
        if (cached != null) {
            return cached;
        }
        Map<Object, List<String>> bySignature = new LinkedHashMap<>();
        for (String host : targets) {
            bySignature.computeIfAbsent(signature(host), k -> new ArrayList<>()).add(host);
        }
        List<List<String>> out = new ArrayList<>(bySignature.values());
        groupCache.put(targets, out);
        return out;
    }

    /** What of a host's variables the check depends on: the names, and the templated values. */
    private Object signature(String host) {
        return signatures.computeIfAbsent(host, h -> {
            Map<String, Object> vars = inventory.hostVars(h); // not cached: only a group's first host is looked up
            Map<String, Object> templated = new HashMap<>();
            vars.forEach((k, v) -> {
                if (Templater.isTemplated(v)) {
                    templated.put(k, v);
                }
            });
            return canonical.computeIfAbsent(List.of(new HashSet<>(vars.keySet()), templated), k -> k);
        });
    }

    private Map<String, Object> hostVars(String host) {
        return hostVarsCache.computeIfAbsent(host, inventory::hostVars);
    }

    private static SourcePos posOr(Map<String, ?> vars, String name, SourcePos dflt) {
        SourcePos p = SourcedVars.posOf(vars, name);
        return p != null ? p : dflt;
    }

    private static List<VariableReferences.VariableRef> refs(Object value, boolean expression, boolean all) {
        List<VariableReferences.VariableRef> out = new ArrayList<>();
        for (String s : strings(value)) {
            if (expression && !Templater.isTemplate(s)) {
                out.addAll(VariableReferences.inExpression(s));
            } else if (Templater.isTemplate(s)) {
                out.addAll(VariableReferences.inTemplate(s));
            }
        }
        return out;
    }

    private static final java.util.regex.Pattern HOSTVARS_ATTR = java.util.regex.Pattern.compile(
            "hostvars\\s*\\[[^\\]]*\\]\\s*(?:\\.\\s*([A-Za-z_][A-Za-z0-9_]*)|\\[\\s*['\"]([A-Za-z_][A-Za-z0-9_]*)['\"]\\s*\\])");

    /** The names read from another host's variables: {@code hostvars[h].ring}, {@code hostvars[h]['ring']}. */
    private static Set<String> hostvarsAttributes(Object value) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : strings(value)) {
            if (Templater.isTemplate(s)) {
                java.util.regex.Matcher m = HOSTVARS_ATTR.matcher(s);
                while (m.find()) {
                    out.add(m.group(1) != null ? m.group(1) : m.group(2));
                }
            }
        }
        return out;
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        collect(value, out);
        return out;
    }

    private static void collect(Object v, List<String> out) {
        if (v instanceof String s) {
            out.add(s);
        } else if (v instanceof List<?> l) {
            l.forEach(x -> collect(x, out));
        } else if (v instanceof Map<?, ?> m) {
            m.values().forEach(x -> collect(x, out));
        }
    }

    private static List<Task> whenTasks(Task t, List<Task> blocks) {
        List<Task> out = new ArrayList<>();
        for (Task b : blocks) {
            if (b.when() != null) {
                out.add(b);
            }
        }
        if (t.when() != null) {
            out.add(t);
        }
        return out;
    }
}
