package dev.ringplan.modules.nodetool;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ExecOptions;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.nodetool.Invocation.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs an {@link Invocation} through the host's connection and reads what nodetool printed: the
 * error line of a failure, the parsed output of the read-only commands (the parsers of this
 * package), the snapshot name, and the data every command registers.
 */
final class NodetoolRunner {
    private static final Pattern SNAPSHOT_DIR = Pattern.compile("(?m)^Snapshot directory:\\s*(\\S+)\\s*$");

    private NodetoolRunner() {
    }

    /**
     * flush, repair, cleanup: runs {@link Invocation#calls} in order (one per keyspace), stopping
     * at the first failure with a message naming the failed keyspace and the ones already done.
     */
    static Result runPerKeyspace(ModuleContext ctx, Invocation inv) throws ModuleException {
        JmxNode jmx = inv.command() == Command.FLUSH ? JmxRun.node(ctx, inv) : null;
        if (jmx != null) {
            return flushOverJmx(ctx, inv, jmx);
        }
        if (inv.calls().size() == 1) {
            ExecResult r = run(ctx, inv);
            Map<String, Object> data = baseData(inv.argv(), r);
            data.put("cmds", List.of(new ArrayList<>(inv.argv())));
            data.put("keyspaces", new ArrayList<>(inv.callKeyspaces()));
            return Result.changed("ran nodetool " + inv.command().word()
                            + (inv.callKeyspaces().isEmpty() ? "" : " " + inv.callKeyspaces().get(0)))
                    .withCommands(List.of(display(inv.argv()))).withData(data);
        }
        String word = inv.command().word();
        String done = inv.command() == Command.REPAIR ? "repaired" : inv.command() == Command.CLEANUP ? "cleaned up"
                : "flushed";
        List<String> displays = new ArrayList<>();
        List<Object> cmds = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        ExecResult last = null;
        for (int i = 0; i < inv.calls().size(); i++) {
            List<String> argv = inv.calls().get(i);
            String ks = inv.callKeyspaces().get(i);
            List<String> before = inv.callKeyspaces().subList(0, i);
            List<String> after = inv.callKeyspaces().subList(i + 1, inv.callKeyspaces().size());
            String progress = "; already " + done + ": " + (before.isEmpty() ? "none" : String.join(", ", before))
                    + (after.isEmpty() ? "" : "; not run: " + String.join(", ", after));
            ExecResult r;
            try {
                r = connection(ctx).exec(argv, options(inv.timeout()));
            } catch (ConnectionException e) {
                throw new ModuleException(ctx.host() + ": nodetool " + word + " of keyspace " + ks + " could not run: "
                        + e.getMessage() + progress, e);
            }
            if (!r.ok()) {
                throw new ModuleException(ctx.host() + ": nodetool " + word + " of keyspace " + ks + " failed ("
                        + exit(r) + "): " + errorLine(r) + progress);
            }
            displays.add(display(argv));
            cmds.add(new ArrayList<>(argv));
            out.append(nullToEmpty(r.stdout()));
            err.append(nullToEmpty(r.stderr()));
            last = r;
        }
        Map<String, Object> data = baseData(inv.calls().get(inv.calls().size() - 1), last);
        data.put("stdout", out.toString());
        data.put("stderr", err.toString());
        data.put("cmds", cmds);
        data.put("keyspaces", new ArrayList<>(inv.callKeyspaces()));
        return Result.changed("ran nodetool " + word + " on " + inv.calls().size() + " keyspaces: "
                + String.join(", ", inv.callKeyspaces())).withCommands(displays).withData(data);
    }

    /** flush over JMX: one forceKeyspaceFlush per keyspace, as the nodetool path's calls. */
    private static Result flushOverJmx(ModuleContext ctx, Invocation inv, JmxNode jmx) throws ModuleException {
        List<String> displays = new ArrayList<>();
        List<String> done = new ArrayList<>();
        for (int i = 0; i < Math.max(1, inv.callKeyspaces().size()); i++) {
            String ks = inv.callKeyspaces().isEmpty() ? null : inv.callKeyspaces().get(i);
            List<String> tables = new ArrayList<>();
            for (String t : inv.tables()) {
                if (t.substring(0, t.indexOf('.')).equals(ks)) {
                    tables.add(t.substring(t.indexOf('.') + 1));
                }
            }
            try {
                List<String> flushed = JmxRun.flush(jmx, ks, tables, inv.timeout());
                for (String f : flushed) {
                    displays.add(JmxRun.display(inv.host(), "forceKeyspaceFlush", ks == null ? List.of(f)
                            : concat(f, tables)));
                }
                done.add(ks);
            } catch (JmxNode.JmxException e) {
                String progress = ks == null ? "" : "; already flushed: " + (done.isEmpty() ? "none"
                        : String.join(", ", done));
                throw new ModuleException(JmxRun.failure(ctx, "flush" + (ks == null ? "" : " of keyspace " + ks), e)
                        .getMessage() + progress, e);
            }
        }
        Map<String, Object> data = jmxData(inv.calls().get(inv.calls().size() - 1));
        List<Object> cmds = new ArrayList<>();
        inv.calls().forEach(c -> cmds.add(new ArrayList<>(c)));
        data.put("cmds", cmds);
        data.put("keyspaces", new ArrayList<>(inv.callKeyspaces()));
        String on = inv.callKeyspaces().isEmpty() ? "" : inv.calls().size() == 1 ? " " + inv.callKeyspaces().get(0)
                : " on " + inv.calls().size() + " keyspaces: " + String.join(", ", inv.callKeyspaces());
        return Result.changed("ran nodetool flush" + on + " over JMX").withCommands(displays).withData(data);
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> l = new ArrayList<>();
        l.add(first);
        l.addAll(rest);
        return l;
    }

    /** The data a command registers when it went over JMX: the equivalent argv, rc 0, no output, via jmx. */
    static Map<String, Object> jmxData(List<String> argv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cmd", new ArrayList<>(argv));
        m.put("rc", 0L);
        m.put("stdout", "");
        m.put("stderr", "");
        m.put("via", JmxRun.JMX);
        return m;
    }

    /** status, ring, listsnapshots over JMX: the same records the output parsers return. */
    private static Result readOverJmx(ModuleContext ctx, Invocation inv, JmxNode jmx) throws ModuleException {
        Map<String, Object> data = jmxData(inv.argv());
        String msg;
        String display;
        try {
            switch (inv.command()) {
                case STATUS: {
                    NodetoolStatus s = JmxRun.cluster(jmx, inv.keyspaces().isEmpty() ? null : inv.keyspaces().get(0),
                            inv.timeout()).status().sorted();
                    data.putAll(s.toMap());
                    data.put("node", s.node(inv.host().listenAddress()).map(StatusNode::toMap).orElse(null));
                    long un = s.nodes().stream().filter(StatusNode::isUpNormal).count();
                    msg = s.nodes().size() + " nodes in " + s.datacenters().size() + " datacenter(s), " + un + " UN";
                    display = "status";
                    break;
                }
                case RING: {
                    NodetoolRing ring = JmxRun.cluster(jmx, inv.keyspaces().isEmpty() ? null : inv.keyspaces().get(0),
                            inv.timeout()).ring();
                    data.putAll(ring.toMap());
                    data.put("tokens", new ArrayList<>(ring.tokensOf(inv.host().listenAddress())));
                    msg = ring.entries().size() + " tokens on " + ring.tokensByAddress().size() + " nodes";
                    display = "ring";
                    break;
                }
                default: {
                    SnapshotList l = JmxRun.listSnapshots(jmx, inv.timeout());
                    data.putAll(l.toMap());
                    msg = l.names().size() + " snapshot(s)";
                    display = "getSnapshotDetails";
                    break;
                }
            }
        } catch (JmxNode.JmxException e) {
            throw JmxRun.failure(ctx, inv.command().word(), e);
        } catch (RuntimeException e) {
            throw new ModuleException(ctx.host() + ": nodetool " + inv.command().word() + " over JMX: unexpected"
                    + " MBean data (" + e + ")", e);
        }
        return Result.ok(msg + " (over JMX)").withCommands(List.of(JmxRun.display(inv.host(), display, List.of())))
                .withData(data);
    }

    /**
     * status, ring, describecluster, listsnapshots, info, compactionstats, netstats: runs the
     * command (status, ring, listsnapshots over JMX when {@link JmxRun#node} allows) and registers
     * its parsed output.
     */
    static Result readOnly(ModuleContext ctx, Invocation inv) throws ModuleException {
        if (inv.command() == Command.STATUS || inv.command() == Command.RING
                || inv.command() == Command.LISTSNAPSHOTS) {
            JmxNode jmx = JmxRun.node(ctx, inv);
            if (jmx != null) {
                return readOverJmx(ctx, inv, jmx);
            }
        }
        ExecResult r = run(ctx, inv);
        Map<String, Object> data = baseData(inv.argv(), r);
        String out = r.stdout() == null ? "" : r.stdout();
        String msg;
        try {
            switch (inv.command()) {
                case STATUS: {
                    NodetoolStatus s = StatusParser.parse(out).sorted();
                    data.putAll(s.toMap());
                    Optional<StatusNode> me = s.node(inv.host().listenAddress());
                    data.put("node", me.map(StatusNode::toMap).orElse(null));
                    long un = s.nodes().stream().filter(StatusNode::isUpNormal).count();
                    msg = s.nodes().size() + " nodes in " + s.datacenters().size() + " datacenter(s), " + un + " UN";
                    break;
                }
                case RING: {
                    NodetoolRing ring = RingParser.parse(out);
                    data.putAll(ring.toMap());
                    data.put("tokens", new ArrayList<>(ring.tokensOf(inv.host().listenAddress())));
                    msg = ring.entries().size() + " tokens on " + ring.tokensByAddress().size() + " nodes";
                    break;
                }
                case DESCRIBECLUSTER: {
                    ClusterDescription d = DescribeClusterParser.parse(out);
                    data.putAll(d.toMap());
                    msg = "cluster " + d.name() + ", " + d.schemaVersions().size() + " schema version(s)";
                    break;
                }
                case LISTSNAPSHOTS: {
                    SnapshotList l = ListSnapshotsParser.parse(out);
                    data.putAll(l.toMap());
                    msg = l.names().size() + " snapshot(s)";
                    break;
                }
                case COMPACTIONSTATS: {
                    CompactionStats cs = CompactionStatsParser.parse(out);
                    data.putAll(cs.toMap());
                    msg = cs.pendingTasks() + " pending compaction task(s), " + cs.active().size() + " running";
                    break;
                }
                case NETSTATS: {
                    NetStats n = NetstatsParser.parse(out);
                    data.putAll(n.toMap());
                    msg = "mode " + n.mode() + ", " + (n.streaming() ? n.streams().size() + " stream(s) in "
                            + n.plans().size() + " plan(s)" : n.plans().isEmpty() ? "not streaming"
                            : "not streaming (" + n.plans().size() + " plan(s) listed without a session)");
                    break;
                }
                default: {
                    NodeInfo i = InfoParser.parse(out);
                    data.putAll(i.toMap());
                    msg = "node " + i.id();
                    break;
                }
            }
        } catch (NodetoolParseException e) {
            throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
        }
        return Result.ok(msg).withCommands(List.of(display(inv.argv()))).withData(data);
    }

    /**
     * The snapshot name nodetool printed ({@code Snapshot directory: <name>}, 2.x to 5.0.7), or
     * null when absent.
     */
    static String snapshotDirectory(String stdout) {
        if (stdout == null) {
            return null;
        }
        Matcher m = SNAPSHOT_DIR.matcher(stdout);
        return m.find() ? m.group(1) : null;
    }

    /** The host's connection; a failure to open it names the host. */
    static Connection connection(ModuleContext ctx) throws ModuleException {
        try {
            return ctx.connection();
        } catch (ConnectionException e) {
            throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code inv}'s argv through the host's connection.
     *
     * @throws ModuleException when it cannot run or exits non-zero, with nodetool's error line
     */
    static ExecResult run(ModuleContext ctx, Invocation inv) throws ModuleException {
        return run(ctx, inv.argv(), inv.command().word(), inv.timeout());
    }

    /**
     * Runs {@code argv} (the nodetool command {@code word}) through the host's connection.
     *
     * @throws ModuleException when it cannot run or exits non-zero, with nodetool's error line
     */
    static ExecResult run(ModuleContext ctx, List<String> argv, String word, Duration timeout) throws ModuleException {
        ExecResult r = tryRun(ctx, argv, word, timeout);
        if (!r.ok()) {
            throw new ModuleException(ctx.host() + ": nodetool " + word + " failed (" + exit(r) + "): " + errorLine(r));
        }
        return r;
    }

    /**
     * Runs {@code argv} and returns its result whatever the exit status.
     *
     * @throws ModuleException when it cannot run (the connection's exception is the cause)
     */
    static ExecResult tryRun(ModuleContext ctx, List<String> argv, String word, Duration timeout)
            throws ModuleException {
        try {
            return connection(ctx).exec(argv, options(timeout));
        } catch (ConnectionException e) {
            throw new ModuleException(ctx.host() + ": nodetool " + word + " could not run: " + e.getMessage(), e);
        }
    }

    /** "exit status N", or "no exit status". */
    static String exit(ExecResult r) {
        return r.exitStatus() == null ? "no exit status" : "exit status " + r.exitStatus();
    }

    private static ExecOptions options(Duration timeout) {
        return ExecOptions.defaults().withTimeout(timeout == null ? Invocation.DEFAULT_TIMEOUT : timeout);
    }

    /**
     * The line that explains a failure: nodetool prints {@code error: <message>} followed by
     * {@code -- StackTrace --} and the trace on stderr (5.0.7), or {@code nodetool: Failed to
     * connect ...}; so the first such line wins, else the last non-empty stderr line, else stdout's.
     */
    static String errorLine(ExecResult r) {
        for (String text : new String[] {r.stderr(), r.stdout()}) {
            if (text == null) {
                continue;
            }
            for (String l : text.split("\\R")) {
                String s = l.strip();
                if (s.startsWith("error:") || s.startsWith("nodetool:") || s.startsWith("Error:")) {
                    return s;
                }
            }
        }
        for (String text : new String[] {r.stderr(), r.stdout()}) {
            if (text == null) {
                continue;
            }
            String[] lines = text.strip().split("\\R");
            for (int i = lines.length - 1; i >= 0; i--) {
                if (!lines[i].isBlank()) {
                    return lines[i].strip();
                }
            }
        }
        return "(no output)";
    }

    /** The data every command registers: cmd, rc, stdout, stderr, via ({@code r} null: not run). */
    static Map<String, Object> baseData(List<String> argv, ExecResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cmd", new ArrayList<>(argv));
        m.put("rc", r == null || r.exitStatus() == null ? null : r.exitStatus().longValue());
        m.put("stdout", r == null ? "" : nullToEmpty(r.stdout()));
        m.put("stderr", r == null ? "" : nullToEmpty(r.stderr()));
        m.put("via", r == null ? null : JmxRun.NODETOOL);
        return m;
    }

    /** Check mode's base data for a call that would run: its argv; exit status and output known after it ran. */
    static Map<String, Object> wouldRun(List<String> argv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cmd", new ArrayList<>(argv));
        m.put("rc", null);
        m.put("stdout", null);
        m.put("stderr", null);
        m.put("via", null);
        return m;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** argv as one display line, quoting words that a POSIX shell would split or expand. */
    static String display(List<String> argv) {
        return argv.isEmpty() ? "" : dev.ringplan.engine.connection.ShellQuote.join(argv);
    }
}
