package dev.ringplan.modules.waitfor;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ExecOptions;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.DeclaredModule;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.ReturnSpec;
import dev.ringplan.modules.CassandraHost;
import dev.ringplan.modules.nodetool.JmxStatus;
import dev.ringplan.modules.nodetool.NodetoolParseException;
import dev.ringplan.modules.nodetool.NodetoolStatus;
import dev.ringplan.modules.nodetool.StatusNode;
import dev.ringplan.modules.nodetool.StatusParser;
import dev.ringplan.modules.service.NodeLiveness;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code wait_for}: waits, from one host, until a TCP port is open (or closed) or until a node is
 * Up/Normal in that host's {@code nodetool status}. Changes nothing; in check mode it does not
 * wait (the earlier tasks did not really run).
 */
public final class WaitForModule extends DeclaredModule {
    /** Default {@code timeout} in seconds. */
    public static final long DEFAULT_TIMEOUT = 300;
    /** Default {@code delay} between probes in seconds. */
    public static final long DEFAULT_DELAY = 2;
    /** Shortest pause between probes (delay: 0), milliseconds. */
    static final long MIN_PAUSE_MS = 100;

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg(ArgDef.of("port", ArgDef.Type.INT, "TCP port to wait for (probed from this host)."))
            .arg(ArgDef.of("host", ArgDef.Type.STR, "Address the port is probed on; default this host's listen_address."))
            .arg(ArgDef.of("state", ArgDef.Type.STR, "port: started (open) or stopped (closed); node_up: started only.")
                    .withDefault("started").choices("started", "stopped"))
            .arg(ArgDef.of("node_up", ArgDef.Type.STR, "Address, or inventory hostname (its listen_address), of the "
                    + "node that must be UN in this host's nodetool status."))
            .arg(ArgDef.of("timeout", ArgDef.Type.INT, "Seconds to wait in all before failing.").withDefault(DEFAULT_TIMEOUT))
            .arg(ArgDef.of("delay", ArgDef.Type.INT, "Seconds between probes (0: 0.1 s).").withDefault(DEFAULT_DELAY))
            .requiredOneOf("port", "node_up")
            .mutuallyExclusive("port", "node_up")
            .mutuallyExclusive("node_up", "host")
            .onlyFor("state", List.of("started"), "node_up")
            .build();

    private static final ModuleDoc DOC = new ModuleDoc(
            "Wait until a port is open/closed or a node is UN in nodetool status, as seen from this host.",
            """
            Exactly one of:
              port: waits until HOST:PORT accepts a TCP connection (state: started) or refuses it
                (state: stopped), probed from this host, not from the controller: on a local
                connection with a Java socket; over SSH by running
                'timeout 2 bash -c exec 3<>"/dev/tcp/$1/$2" probe HOST PORT' there (host and port
                passed as arguments; needs bash and coreutils timeout). HOST defaults to the host's
                listen_address (the storage address; for CQL give host: "{{ cql_host }}" if it
                differs).
              node_up: waits until the node is UN (Up/Normal) in 'nodetool status' run on this host
                (nodetool_cmd -h jmx_host -p jmx_port status, parsed like the nodetool module's
                status). The value is an address as nodetool prints it, or an inventory hostname,
                whose listen_address is used. A failing nodetool (e.g. this node's JMX not up yet)
                is an observation, not an error: the module keeps probing. Each probe starts a JVM
                (1.3-1.7 s measured), so keep delay at a few seconds.

            timeout (default 300 s) bounds the whole wait; delay (default 2 s) is the pause between
            probes. On timeout the task fails with the last observed state, e.g.
            "node 127.0.0.2 is DN after 300 s as seen from node1".

            Nothing changes: success is ok. Check mode does not probe or wait (the preceding tasks
            did not really start or stop anything) and previews "would wait for ...".
            """,
            """
            - id: wait-cql
              needs: [start]
              wait_for: { port: 9042, host: "{{ cql_host }}", timeout: 120 }

            - id: wait-stopped
              wait_for: { port: "{{ jmx_port }}", host: 127.0.0.1, state: stopped, timeout: 60 }

            - id: wait-un
              needs: [start]
              wait_for: { node_up: "{{ inventory_hostname }}", delay: 5 }

            - id: seen-from-seed
              hosts: seed1
              wait_for: { node_up: 127.0.0.2, timeout: 600 }
            """);

    private static final ReturnSpec RETURNS = ReturnSpec.builder()
            .key(ReturnSpec.key("target", ReturnSpec.Type.STR, "what was waited for, e.g. '127.0.0.1:9042 open' or"
                    + " 'node 127.0.0.2 UN'"))
            .key(ReturnSpec.key("timeout", ReturnSpec.Type.INT, "the timeout, seconds"))
            .key(ReturnSpec.key("elapsed_ms", ReturnSpec.Type.INT, "how long it waited, milliseconds"))
            .key(ReturnSpec.key("probes", ReturnSpec.Type.INT, "how many probes ran"))
            .key(ReturnSpec.key("observed", ReturnSpec.Type.STR, "the last observed state (open/closed; UN/DN/UJ...,"
                    + " 'absent from nodetool status', or 'nodetool failed: ...')"))
            .build();

    /** Creates the module (used by ServiceLoader). */
    public WaitForModule() {
        super("wait_for", DOC, SPEC, RETURNS);
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        Target t = target(ctx);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("target", t.describe());
        data.put("timeout", t.timeoutSeconds);
        data.put("elapsed_ms", null);
        data.put("probes", null);
        data.put("observed", null);
        String what = "for " + t.describe() + " (up to " + t.timeoutSeconds + " s, as seen from " + ctx.host() + ")";
        if (ctx.checkMode()) {
            // Waiting changes nothing, whatever earlier tasks change: ok stays ok in the preview.
            return new Preview(Preview.Change.NO, "would wait " + what, null, List.of(), data).consideringUpstream();
        }
        return new Preview(Preview.Change.UNKNOWN, "will wait " + what, null, List.of(), data);
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        Target t = target(ctx);
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(t.timeoutSeconds).toNanos();
        int probes = 0;
        String observed;
        while (true) {
            Probe p = t.node != null ? probeNode(ctx, t) : probePort(t);
            probes++;
            observed = p.observed;
            long now = System.nanoTime();
            if (p.done) {
                long ms = (now - start) / 1_000_000;
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("target", t.describe());
                data.put("timeout", t.timeoutSeconds);
                data.put("elapsed_ms", ms);
                data.put("probes", probes);
                data.put("observed", observed);
                return Result.ok(t.describe() + " after " + seconds(ms) + " (" + probes
                        + (probes == 1 ? " probe" : " probes") + ")").withData(data);
            }
            if (now >= deadline) {
                break;
            }
            long pause = Math.max(MIN_PAUSE_MS, t.delaySeconds * 1000);
            pause = Math.min(pause, Math.max(1, (deadline - now) / 1_000_000));
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModuleException(ctx.host() + ": interrupted while waiting for " + t.describe(), e);
            }
        }
        String head = t.node != null ? "node " + t.node + " is " + observed
                : "port " + t.address + ":" + t.port + " is " + observed;
        throw new ModuleException(head + " after " + t.timeoutSeconds + " s as seen from " + ctx.host()
                + " (" + probes + (probes == 1 ? " probe" : " probes") + "; wanted " + t.describe() + ")");
    }

    // ---- target ----

    /** What to wait for, resolved from the arguments and host variables. */
    private record Target(String node, String address, int port, boolean open, long timeoutSeconds, long delaySeconds,
                          CassandraHost host, Connection conn) {
        String describe() {
            return node != null ? "node " + node + " UN" : address + ":" + port + (open ? " open" : " closed");
        }
    }

    /** One probe's outcome. */
    private record Probe(boolean done, String observed) {
    }

    private static Target target(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        boolean hasNode = a.get("node_up") != null;  // else port: the spec's rules ask for exactly one
        long timeout = a.integer("timeout", DEFAULT_TIMEOUT);
        long delay = a.integer("delay", DEFAULT_DELAY);
        if (timeout < 0 || delay < 0) {
            throw new ModuleException("wait_for: timeout and delay must not be negative");
        }
        CassandraHost h = CassandraHost.of(ctx);
        String state = a.str("state") == null ? "started" : a.str("state");
        Connection conn;
        try {
            conn = ctx.connection();
        } catch (ConnectionException e) {
            throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
        }
        if (hasNode) {
            String node = a.str("node_up").strip();
            if (node.isEmpty()) {
                throw new ModuleException("wait_for: node_up is empty");
            }
            return new Target(resolveNode(ctx, node), null, 0, true, timeout, delay, h, conn);
        }
        long port = a.integer("port", 0);
        if (port < 1 || port > 65535) {
            throw new ModuleException("wait_for: port must be between 1 and 65535, got " + port);
        }
        String address = a.get("host") != null ? a.str("host").strip() : h.listenAddress();
        return new Target(null, address, (int) port, state.equals("started"), timeout, delay, h, conn);
    }

    /** An inventory hostname becomes that host's listen_address; anything else is taken as an address. */
    private static String resolveNode(ModuleContext ctx, String node) throws ModuleException {
        Object hv = ctx.hostVar("hostvars");
        if (hv instanceof Map<?, ?> all && all.containsKey(node) && all.get(node) instanceof Map<?, ?> vars) {
            Map<String, Object> m = new LinkedHashMap<>();
            vars.forEach((k, v) -> m.put(String.valueOf(k), v));
            return CassandraHost.of(node, m).listenAddress();
        }
        if (node.equals(ctx.host())) {
            return CassandraHost.of(ctx).listenAddress();
        }
        return node;
    }

    // ---- probes ----

    private static Probe probePort(Target t) throws ModuleException {
        boolean open = NodeLiveness.portOpen(t.conn, NodeLiveness.isLocal(t.host), t.address, t.port, 2000);
        return new Probe(open == t.open, open ? "open" : "closed");
    }

    private static Probe probeNode(ModuleContext ctx, Target t) throws ModuleException {
        List<String> argv = t.host.nodetoolArgv(List.of("status"));
        long perCall = Math.max(10, Math.min(120, t.timeoutSeconds));
        JmxStatus.Read jmx = JmxStatus.read(ctx, t.host, Duration.ofSeconds(perCall));
        if (jmx != null) {
            if (jmx.status() == null) {
                return new Probe(false, "unknown (status over JMX failed: " + jmx.failure() + ")");
            }
            Optional<StatusNode> n = jmx.status().node(t.node);
            return n.isEmpty() ? new Probe(false, "absent from nodetool status (over JMX)")
                    : new Probe(n.get().isUpNormal(), n.get().code());
        }
        ExecResult r;
        try {
            r = t.conn.exec(argv, ExecOptions.defaults().withTimeout(Duration.ofSeconds(perCall)));
        } catch (ConnectionException e) {
            if (e instanceof dev.ringplan.engine.connection.UnreachableException) {
                throw new ModuleException(t.conn.host() + ": " + e.getMessage(), e);
            }
            return new Probe(false, "nodetool status did not complete: " + e.getMessage());
        }
        if (!r.ok()) {
            return new Probe(false, "unknown (nodetool status failed: " + r.failureSummary() + ")");
        }
        NodetoolStatus st;
        try {
            st = StatusParser.parse(r.stdout());
        } catch (NodetoolParseException e) {
            // A node that is starting can make nodetool exit 0 with nothing printed (seen on CI while a
            // restarted node opened JMX): that is "not up yet", so keep waiting and report it if it lasts.
            return new Probe(false, "unknown (nodetool status output unreadable: " + e.getMessage() + ")");
        }
        Optional<StatusNode> n = st.node(t.node);
        if (n.isEmpty()) {
            return new Probe(false, "absent from nodetool status");
        }
        return new Probe(n.get().isUpNormal(), n.get().code());
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
