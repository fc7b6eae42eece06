package dev.ringplan.cli;

import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.RingplanException;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.inventory.Inventory;
import dev.ringplan.sandbox.Sandbox;
import dev.ringplan.sandbox.SandboxNodeProcess;
import dev.ringplan.sandbox.SandboxOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Inventories that describe a sandbox. An inventory whose variables hold
 * {@code ringplan_sandbox: {name: N, nodes: K, data_dirs: D, dc: DC, rack: R, join: M, load: true, num_tokens: T}}
 * describes the local sandbox {@code N} (every key but {@code name} optional; {@code dc} and
 * {@code rack} place its nodes, {@code join} makes it a new datacenter of sandbox {@code M}'s
 * cluster): {@code run} and {@code plan} bring it up first when it does not exist yet or was
 * stopped by {@code ringplan sandbox down} (and say so), a joined sandbox before the sandboxes
 * that join it; nodes a plan stopped are left to it, and the host variables the sandbox generated
 * (nodetool command, JMX port, datacenter, rack, data directories, start/stop commands) are merged
 * just below the inventory's own host variables.
 */
final class SandboxSupport {
    /** The keys a {@code ringplan_sandbox} mapping may have. */
    static final List<String> KEYS = List.of("name", "nodes", "data_dirs", "dc", "rack", "join", "load", "num_tokens");

    private SandboxSupport() {
    }

    /** The sandbox could not be brought up. */
    static final class SandboxUnavailable extends Exception {
        SandboxUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Reads {@code file} for static use (validate, graph): merges the variables of a sandbox it
     * describes when that sandbox exists, starts nothing, never fails for sandbox reasons.
     */
    static Inventory inventoryStatic(Path file) throws InvalidInputException {
        try {
            return inventory(file, false, new PrintWriter(java.io.Writer.nullWriter()));
        } catch (SandboxUnavailable e) {
            return RunSupport.inventory(file);
        }
    }

    /**
     * Reads {@code file}; for every sandbox it describes (a {@code ringplan_sandbox} variable,
     * usually on {@code all} or on a group, so one inventory can hold a source and a target
     * sandbox), brings the sandbox up if {@code bringUp} and it is not running, and merges the
     * generated host variables of its nodes (when the sandbox exists). An inventory host maps to
     * sandbox node {@code ringplan_sandbox_node} (1-based) when set, else to the node of the same
     * name ({@code node2}), else by position among the hosts that share the sandbox.
     */
    static Inventory inventory(Path file, boolean bringUp, PrintWriter log) throws InvalidInputException, SandboxUnavailable {
        Inventory inv = RunSupport.inventory(file);
        Map<String, List<String>> hostsBySandbox = new java.util.LinkedHashMap<>();
        Map<String, Map<String, Object>> declarations = new java.util.LinkedHashMap<>();
        for (String h : inv.hosts()) {
            Object d = inv.hostVars(h).get("ringplan_sandbox");
            if (d instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, Object> decl = (Map<String, Object>) m;
                String name = decl.get("name") == null ? Sandbox.DEFAULT_NAME : String.valueOf(decl.get("name"));
                declarations.putIfAbsent(name, decl);
                hostsBySandbox.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(h);
            }
        }
        Path workDir = Path.of("").toAbsolutePath();
        Map<String, Map<String, Object>> extra = new java.util.LinkedHashMap<>();
        Map<String, SandboxOptions> options = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> e : declarations.entrySet()) {
            options.put(e.getKey(), options(e.getKey(), e.getValue(), file));
        }
        for (String name : bringUpOrder(options, file)) {
            Map<String, Object> decl = declarations.get(name);
            SandboxOptions opts = options.get(name);
            Integer nodes = opts.nodes();
            boolean load = Boolean.TRUE.equals(decl.get("load")) || "true".equals(String.valueOf(decl.get("load")));
            try {
                Sandbox sandbox = new Sandbox(workDir, name);
                if (bringUp && !running(sandbox) && sandbox.exists() && !sandbox.stoppedByDown()) {
                    // Nodes stopped one by one by a plan (a restore killed half-way, a clone) are left
                    // to the plan: starting them here would start them on set-aside data.
                    log.println("sandbox '" + name + "': some nodes are not running and were not stopped by"
                            + " 'ringplan sandbox down'; not starting them (plan tasks will; or run 'ringplan sandbox up --name "
                            + name + "')");
                    log.flush();
                } else if (bringUp && !running(sandbox)) {
                    log.println("sandbox '" + name + "' is not running: bringing it up (" + (nodes == null ? "" : nodes + " nodes, ")
                            + (opts.datacenter() == null ? "" : "datacenter " + opts.datacenter() + ", ")
                            + (opts.join() == null ? "" : "joining sandbox '" + opts.join() + "', ")
                            + "inventory " + file + ")");
                    log.flush();
                    sandbox.up(opts, line -> {
                        log.println("  sandbox: " + line);
                        log.flush();
                    });
                    if (load) {
                        sandbox.load(line -> {
                            log.println("  sandbox: " + line);
                            log.flush();
                        });
                    }
                }
                if (sandbox.exists()) {
                    Map<String, Map<String, Object>> generated = sandbox.hostVars();
                    List<String> nodeNames = new java.util.ArrayList<>(generated.keySet());
                    List<String> hosts = hostsBySandbox.get(name);
                    for (int i = 0; i < hosts.size(); i++) {
                        String h = hosts.get(i);
                        Object n = inv.hostVars(h).get("ringplan_sandbox_node");
                        String node = n != null ? "node" + intOf(n, file, "ringplan_sandbox_node")
                                : generated.containsKey(h) ? h : (i < nodeNames.size() ? nodeNames.get(i) : null);
                        if (node != null && generated.containsKey(node)) {
                            extra.put(h, generated.get(node));
                        }
                    }
                }
            } catch (InvalidInputException ex) {
                throw ex;
            } catch (RingplanException ex) {
                throw new SandboxUnavailable("sandbox '" + name + "': " + ex.getMessage(), ex);
            }
        }
        return extra.isEmpty() ? inv : inv.withExtraHostVars(extra);
    }

    /**
     * The options of one {@code ringplan_sandbox} declaration, checked.
     *
     * @throws InvalidInputException for an unknown key or a bad value (position: the inventory file)
     */
    static SandboxOptions options(String name, Map<String, Object> decl, Path file) throws InvalidInputException {
        for (Object key : decl.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new InvalidInputException(SourcePos.ofFile(file.toString()), "ringplan_sandbox of sandbox '" + name
                        + "' has an unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
            }
        }
        SandboxOptions o = new SandboxOptions(intOf(decl.get("nodes"), file, "nodes"),
                intOf(decl.get("data_dirs"), file, "data_dirs"), textOf(decl.get("dc"), file, "dc"),
                textOf(decl.get("rack"), file, "rack"), textOf(decl.get("join"), file, "join"),
                intOf(decl.get("num_tokens"), file, "num_tokens"));
        try {
            Sandbox.validateName(name);
            o.validate(name);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(SourcePos.ofFile(file.toString()), "ringplan_sandbox of sandbox '" + name
                    + "': " + e.diagnostics().get(0).summary());
        }
        return o;
    }

    /**
     * The sandbox names in the order to bring them up: declaration order, except that a sandbox
     * another one joins comes before it.
     *
     * @throws InvalidInputException when joins form a cycle
     */
    static List<String> bringUpOrder(Map<String, SandboxOptions> options, Path file) throws InvalidInputException {
        List<String> order = new java.util.ArrayList<>();
        for (String name : options.keySet()) {
            List<String> chain = new java.util.ArrayList<>();
            for (String n = name; n != null && options.containsKey(n) && !order.contains(n); n = options.get(n).join()) {
                if (chain.contains(n)) {
                    chain.add(n);
                    throw new InvalidInputException(SourcePos.ofFile(file.toString()),
                            "ringplan_sandbox joins form a cycle: " + String.join(" joins ", chain));
                }
                chain.add(n);
            }
            java.util.Collections.reverse(chain);
            order.addAll(chain);
        }
        return order;
    }

    private static boolean running(Sandbox sandbox) throws RingplanException {
        if (!sandbox.exists()) {
            return false;
        }
        List<SandboxNodeProcess> st = sandbox.status();
        return !st.isEmpty() && st.stream().allMatch(s -> s.running() && s.cqlOpen());
    }

    private static String textOf(Object v, Path file, String key) throws InvalidInputException {
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> || v instanceof java.util.Collection<?>) {
            throw new InvalidInputException(SourcePos.ofFile(file.toString()),
                    "ringplan_sandbox." + key + " must be a name, got '" + v + "'");
        }
        return String.valueOf(v).strip();
    }

    private static Integer intOf(Object v, Path file, String key) throws InvalidInputException {
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(SourcePos.ofFile(file.toString()),
                    "ringplan_sandbox." + key + " must be an integer, got '" + v + "'");
        }
    }
}
