package dev.ringplan.cli;

import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.RingplanException;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.inventory.Inventory;
import dev.ringplan.sandbox.NodeStatus;
import dev.ringplan.sandbox.Sandbox;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Inventories that describe a sandbox. An inventory whose variables hold
 * {@code ringplan_sandbox: {name: N, nodes: K, data_dirs: D, load: true}} describes the local
 * sandbox {@code N}: {@code run} and {@code plan} bring it up first when it is not running (and
 * say so), and the host variables the sandbox generated (nodetool command, JMX port, data
 * directories, start/stop commands) are merged just below the inventory's own host variables.
 */
final class SandboxSupport {
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
     * Reads {@code file}; when it describes a sandbox, brings the sandbox up if {@code bringUp}
     * and merges its host variables (when the sandbox exists).
     */
    static Inventory inventory(Path file, boolean bringUp, PrintWriter log) throws InvalidInputException, SandboxUnavailable {
        Inventory inv = RunSupport.inventory(file);
        Map<String, Object> decl = declaration(inv);
        if (decl == null) {
            return inv;
        }
        String name = decl.get("name") == null ? Sandbox.DEFAULT_NAME : String.valueOf(decl.get("name"));
        Integer nodes = intOf(decl.get("nodes"), file, "nodes");
        Integer dataDirs = intOf(decl.get("data_dirs"), file, "data_dirs");
        boolean load = Boolean.TRUE.equals(decl.get("load")) || "true".equals(String.valueOf(decl.get("load")));
        Path workDir = Path.of("").toAbsolutePath();
        try {
            Sandbox sandbox = new Sandbox(workDir, name);
            if (bringUp && !running(sandbox)) {
                log.println("sandbox '" + name + "' is not running: bringing it up (" + (nodes == null ? "" : nodes + " nodes, ")
                        + "inventory " + file + ")");
                log.flush();
                sandbox.up(nodes, dataDirs, line -> {
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
                return inv.withExtraHostVars(sandbox.hostVars());
            }
            return inv;
        } catch (InvalidInputException e) {
            throw e;
        } catch (RingplanException e) {
            throw new SandboxUnavailable("sandbox '" + name + "': " + e.getMessage(), e);
        }
    }

    private static boolean running(Sandbox sandbox) throws RingplanException {
        if (!sandbox.exists()) {
            return false;
        }
        List<NodeStatus> st = sandbox.status();
        return !st.isEmpty() && st.stream().allMatch(s -> s.running() && s.cqlOpen());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> declaration(Inventory inv) {
        for (String h : inv.hosts()) {
            Object d = inv.hostVars(h).get("ringplan_sandbox");
            if (d instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
        }
        return null;
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
