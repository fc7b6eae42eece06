package dev.ringplan.modules.nodetool;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ConnectionFactory;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.modules.CassandraHost;
import dev.ringplan.modules.nodetool.Invocation.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.openmbean.TabularData;

/**
 * The nodetool commands Ringplan runs over JMX from its own JVM instead of starting the
 * {@code nodetool} program (a JVM start per call), and the choice between the two paths.
 *
 * <p>Path ({@code nodetool_via}, {@link dev.ringplan.modules.JmxAccess}): {@code process} always
 * runs the program; {@code jmx} always uses JMX and fails when the node's JMX cannot be reached or
 * the call is one JMX does not cover here; {@code auto} (default) uses JMX when the host is the
 * controller ({@code ansible_connection: local}), its JMX answers and the call is covered, else
 * the program (over SSH, RMI's per-endpoint connection pool once sent one forwarded node's call to
 * another's objects, so a forward is taken only with {@code jmx}). Covered: {@link #COVERED} without {@code extra_args} (their
 * meaning is nodetool's), {@code status}/{@code ring} without tables. Every result says which
 * path it took ({@code via: jmx|nodetool}).
 *
 * <p>The operations and their MBean names, attributes and operation signatures are those
 * nodetool 5.0.7 calls through {@code NodeProbe} (Cassandra's {@code StorageServiceMBean} and
 * {@code EndpointSnitchInfoMBean}; Cassandra is not a compile dependency):
 * <ul>
 * <li>flush: {@code forceKeyspaceFlush(String keyspace, String... tables)} per keyspace, every
 *     keyspace of {@code Keyspaces} when none is given;</li>
 * <li>snapshot: {@code takeSnapshot(String tag, Map options, String... entities)}, options
 *     {@code {skipFlush: "false"}}, entities the keyspaces or {@code keyspace.table}s; without a
 *     tag, the name nodetool gives: the current time in milliseconds;</li>
 * <li>clearsnapshot: {@code clearSnapshot(Map options, String tag, String... keyspaces)}, tag
 *     {@code ""} for all;</li>
 * <li>listsnapshots: {@code getSnapshotDetails(Map)} with {@code {no_ttl: false,
 *     include_ephemeral: false}} and {@code trueSnapshotsSize()};</li>
 * <li>status, ring: the attributes and operations {@link JmxReads} lists;</li>
 * <li>drain: {@code drain()}.</li>
 * </ul>
 */
final class JmxRun {
    /** The commands that can run over JMX. */
    static final Set<Command> COVERED = EnumSet.of(Command.FLUSH, Command.SNAPSHOT, Command.CLEARSNAPSHOT,
            Command.LISTSNAPSHOTS, Command.STATUS, Command.RING, Command.DRAIN);
    /** {@code via} of a result that went over JMX. */
    static final String JMX = "jmx";
    /** {@code via} of a result that ran the nodetool program. */
    static final String NODETOOL = "nodetool";
    private static final String MAP = "java.util.Map";
    private static final String STRING = "java.lang.String";
    private static final String STRINGS = "[Ljava.lang.String;";

    private JmxRun() {
    }

    /**
     * The JMX connection {@code inv} should use, or null for the nodetool program (logged at -v
     * with the reason when {@code nodetool_via} is auto).
     *
     * @throws ModuleException when {@code nodetool_via} is jmx and JMX cannot serve the call
     */
    static JmxNode node(ModuleContext ctx, Invocation inv) throws ModuleException {
        return node(ctx, inv.host(), inv.command(), covers(ctx, inv));
    }

    /** As {@link #node(ModuleContext, Invocation)}, for a read another command makes (status, listsnapshots). */
    static JmxNode node(ModuleContext ctx, CassandraHost host, Command cmd, boolean covered) throws ModuleException {
        String via = host.jmx().via();
        if (via.equals("process")) {
            return null;
        }
        String why;
        if (!covered) {
            why = "nodetool " + cmd.word() + " with these arguments is not run over JMX";
        } else if (via.equals("auto") && !isLocal(ctx)) {
            // Over an SSH forward, RMI's connection pool mixed two forwarded nodes' objects up in a
            // BackupIT run ("no such object in table"): forwards are taken only when asked for.
            why = "JMX through the host's connection is used only with nodetool_via: jmx";
        } else {
            Connection c;
            try {
                c = ctx.connection();
            } catch (ConnectionException e) {
                throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
            }
            String key = JmxNode.key(host);
            JmxNode n;
            try {
                n = c.shared(key, JmxNode.class, () -> JmxNode.open(c, host));
                if (n.stale()) {
                    c.forgetShared(key, n);
                    n = c.shared(key, JmxNode.class, () -> JmxNode.open(c, host));
                }
            } catch (ConnectionException e) {
                throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
            }
            if (n.failure() == null) {
                return n;
            }
            why = n.label() + " cannot be reached: " + n.failure();
        }
        if (via.equals(JMX)) {
            throw new ModuleException(ctx.host() + ": nodetool_via is jmx, but " + why);
        }
        ctx.log(ctx.host() + ": " + why + "; running the nodetool program");
        return null;
    }

    /** True when the host is the controller itself ({@code ansible_connection: local}). */
    private static boolean isLocal(ModuleContext ctx) throws ModuleException {
        try {
            return ConnectionFactory.isLocal(ctx.host(), ctx.hostVars());
        } catch (ConnectionException e) {
            throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
        }
    }

    /** JMX covers {@code inv}: its command is {@link #COVERED}, without extra_args, status/ring without tables. */
    private static boolean covers(ModuleContext ctx, Invocation inv) {
        return COVERED.contains(inv.command()) && ctx.args().list("extra_args").isEmpty()
                && !((inv.command() == Command.STATUS || inv.command() == Command.RING) && !inv.tables().isEmpty());
    }

    /** A display line for a JMX call: {@code jmx 127.0.0.1:7199 StorageService.op(args)}. */
    static String display(CassandraHost h, String op, List<String> args) {
        return "jmx " + h.jmxHost() + ":" + h.jmxPort() + " StorageService." + op + "(" + String.join(", ", args) + ")";
    }

    /** flush of one keyspace (null: every keyspace, one call each) and its tables. */
    static List<String> flush(JmxNode n, String keyspace, List<String> tables, Duration timeout)
            throws JmxNode.JmxException {
        List<String> keyspaces = new ArrayList<>();
        if (keyspace == null) {
            @SuppressWarnings("unchecked")
            List<String> all = n.call("reading Keyspaces", timeout,
                    m -> (List<String>) m.getAttribute(JmxNode.STORAGE_SERVICE, "Keyspaces"));
            keyspaces.addAll(all);
        } else {
            keyspaces.add(keyspace);
        }
        for (String ks : keyspaces) {
            n.call("flush of " + ks, timeout, m -> m.invoke(JmxNode.STORAGE_SERVICE, "forceKeyspaceFlush",
                    new Object[] {ks, tables.toArray(new String[0])}, new String[] {STRING, STRINGS}));
        }
        return keyspaces;
    }

    /** snapshot {@code tag} of {@code entities} (keyspaces or keyspace.table; none: all). */
    static void snapshot(JmxNode n, String tag, List<String> entities, Duration timeout) throws JmxNode.JmxException {
        Map<String, String> options = new HashMap<>();
        options.put("skipFlush", "false");
        n.call("snapshot " + tag, timeout, m -> m.invoke(JmxNode.STORAGE_SERVICE, "takeSnapshot",
                new Object[] {tag, options, entities.toArray(new String[0])}, new String[] {STRING, MAP, STRINGS}));
    }

    /** clearsnapshot {@code tag} ({@code ""}: all) of {@code keyspaces} (none: all). */
    static void clearSnapshot(JmxNode n, String tag, List<String> keyspaces, Duration timeout)
            throws JmxNode.JmxException {
        n.call("clearsnapshot", timeout, m -> m.invoke(JmxNode.STORAGE_SERVICE, "clearSnapshot",
                new Object[] {new HashMap<String, Object>(), tag, keyspaces.toArray(new String[0])},
                new String[] {MAP, STRING, STRINGS}));
    }

    /** drain. */
    static void drain(JmxNode n, Duration timeout) throws JmxNode.JmxException {
        n.call("drain", timeout, m -> m.invoke(JmxNode.STORAGE_SERVICE, "drain", new Object[0], new String[0]));
    }

    /** listsnapshots, as {@link JmxReads#snapshots}. */
    static SnapshotList listSnapshots(JmxNode n, Duration timeout) throws JmxNode.JmxException {
        Map<String, String> options = new HashMap<>();
        options.put("no_ttl", "false");
        options.put("include_ephemeral", "false");
        @SuppressWarnings("unchecked")
        Map<String, TabularData> details = n.call("listsnapshots", timeout, m -> (Map<String, TabularData>) m.invoke(
                JmxNode.STORAGE_SERVICE, "getSnapshotDetails", new Object[] {options}, new String[] {MAP}));
        if (details.isEmpty()) {
            return JmxReads.snapshots(details, 0);
        }
        long total = n.call("trueSnapshotsSize", timeout, m -> (Long) m.invoke(JmxNode.STORAGE_SERVICE,
                "trueSnapshotsSize", new Object[0], new String[0]));
        return JmxReads.snapshots(details, total);
    }

    /** The cluster view of status and ring, with effective ownership of {@code keyspace} (null: all). */
    @SuppressWarnings("unchecked")
    static JmxReads cluster(JmxNode n, String keyspace, Duration timeout) throws JmxNode.JmxException {
        String[] names = {"TokenToEndpointMap", "LiveNodes", "UnreachableNodes", "JoiningNodes", "LeavingNodes",
            "MovingNodes", "LoadMap", "EndpointToHostId"};
        AttributeList got = n.call("reading the ring", timeout, m -> m.getAttributes(JmxNode.STORAGE_SERVICE, names));
        Map<String, Object> a = new HashMap<>();
        for (Attribute at : got.asList()) {
            a.put(at.getName(), at.getValue());
        }
        for (String name : names) {
            if (!a.containsKey(name)) {
                throw new JmxNode.JmxException(n.label() + ": StorageService has no attribute " + name, false);
            }
        }
        Map<String, Float> owns;
        try {
            owns = JmxReads.byAddress(n.call("effective ownership", timeout, m -> (Map<String, Float>) m.invoke(
                    JmxNode.STORAGE_SERVICE, "effectiveOwnershipWithPort", new Object[] {keyspace},
                    new String[] {STRING})));
        } catch (JmxNode.JmxException e) {
            if (e.link() || !(e.getCause() instanceof IllegalStateException)) {
                throw e;
            }
            owns = null; // keyspaces with different replication: nodetool prints ? (status) and a Note
        }
        Map<String, String> tokens = (Map<String, String>) a.get("TokenToEndpointMap");
        Map<String, String> dc = new HashMap<>();
        Map<String, String> rack = new HashMap<>();
        for (String ep : new java.util.LinkedHashSet<>(tokens.values())) {
            dc.put(ep, n.call("datacenter of " + ep, timeout, m -> (String) m.invoke(JmxNode.SNITCH, "getDatacenter",
                    new Object[] {ep}, new String[] {STRING})));
            rack.put(ep, n.call("rack of " + ep, timeout, m -> (String) m.invoke(JmxNode.SNITCH, "getRack",
                    new Object[] {ep}, new String[] {STRING})));
        }
        return new JmxReads(tokens, (Collection<String>) a.get("LiveNodes"), (Collection<String>) a.get("UnreachableNodes"),
                (Collection<String>) a.get("JoiningNodes"), (Collection<String>) a.get("LeavingNodes"),
                (Collection<String>) a.get("MovingNodes"), (Map<String, String>) a.get("LoadMap"),
                (Map<String, String>) a.get("EndpointToHostId"), owns, dc, rack);
    }

    /** A JMX failure as the task's error, naming the host and the command. */
    static ModuleException failure(ModuleContext ctx, String word, JmxNode.JmxException e) {
        return new ModuleException(ctx.host() + ": nodetool " + word + " over JMX failed: " + e.getMessage()
                + (e.link() ? " (the link failed: the operation may or may not have run)" : ""), e);
    }
}
