package dev.ringplan.modules.nodetool;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.ReturnSpec;
import dev.ringplan.engine.module.UpstreamChange;
import dev.ringplan.modules.CassandraHost;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code nodetool} module: runs the node's own nodetool through the host's connection
 * ({@link CassandraHost#nodetoolArgv}), as operators do, and registers its parsed output.
 *
 * <p>Commands and their contract (the module contract: see {@link dev.ringplan.engine.module.Module}):
 * <ul>
 * <li>{@code status}, {@code ring}, {@code describecluster}, {@code listsnapshots}, {@code info}:
 *     read-only ({@link #isReadOnly} true, so they also run in check mode); result {@code ok}
 *     with the parsed output as plain maps and lists. {@code check} runs nothing (the engine
 *     calls {@code apply} right after), to avoid starting a second JVM.</li>
 * <li>{@code snapshot}: idempotent on its tag. {@code check} looks for
 *     {@code <data_dir>/<ks>/<table>-<id>/snapshots/<tag>/} through the connection
 *     ({@link SnapshotProbe}; cheaper than nodetool and exact), falling back to
 *     {@code nodetool listsnapshots} when no data directory is visible. Tag present for every
 *     requested target → NO change ({@code ok}); absent → YES with the exact command; present for
 *     some targets only → failure, since Cassandra refuses to reuse a tag. Without a tag nodetool
 *     names the snapshot after the time: always YES, {@code changed}.</li>
 * <li>{@code clearsnapshot}: tag (or {@code all: true}) absent → {@code ok}; present →
 *     {@code changed}.</li>
 * <li>In check mode, a snapshot that an upstream {@code snapshot} of the same tag on this host
 *     would take makes {@code clearsnapshot} YES ("after snapshot[n1] takes it: would clear"),
 *     and an upstream {@code clearsnapshot} of the tag makes {@code snapshot} YES
 *     ({@link ModuleContext#upstreamChanges()}); other upstream changes leave an {@code ok} to
 *     the engine, which reports it {@code unknown}.</li>
 * <li>{@code flush}, {@code drain}, {@code repair}: not idempotent → preview YES,
 *     {@code apply} reports {@code changed} every time. {@code flush} and {@code repair}
 *     of several keyspaces run one nodetool call per keyspace, in order, stopping at the first
 *     failure.</li>
 * </ul>
 * A non-zero exit is a {@link ModuleException} carrying nodetool's error line.
 */
public final class NodetoolModule implements Module {

    /** The commands this module runs. */
    enum Command {
        FLUSH, SNAPSHOT, CLEARSNAPSHOT, LISTSNAPSHOTS, STATUS, RING, DESCRIBECLUSTER, INFO, DRAIN, REPAIR;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean readOnly() {
            return this == LISTSNAPSHOTS || this == STATUS || this == RING || this == DESCRIBECLUSTER || this == INFO;
        }
    }

    private static final Pattern IDENT = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern QUALIFIED = Pattern.compile("([A-Za-z0-9_]+)\\.([A-Za-z0-9_]+)");
    /**
     * Longest keyspace or table name Cassandra accepts ({@code SchemaConstants.NAME_LENGTH}, 48;
     * names match {@code \\w+}).
     */
    static final int MAX_NAME_LENGTH = 48;

    /**
     * Why {@code tag} cannot name a snapshot, or null when it can. A tag becomes a directory
     * name under each table's {@code snapshots/}, so it must not be empty, {@code .} or
     * {@code ..}, nor contain a path separator ({@code /}, {@code \\}) or {@code :}
     * (Cassandra's {@code StorageService.takeSnapshot} refuses {@code File.pathSeparator}),
     * nor a control character (a newline would break listsnapshots' line format), nor start
     * with {@code -} (nodetool would take it for an option). Shell metacharacters are allowed:
     * argv is never given to a shell unquoted.
     */
    static String snapshotTagProblem(String tag) {
        if (tag.isBlank()) {
            return "it is empty";
        }
        if (tag.equals(".") || tag.equals("..")) {
            return "'.' and '..' name directories that already exist";
        }
        if (tag.startsWith("-")) {
            return "it starts with '-' (nodetool would read it as an option)";
        }
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            if (c == '/' || c == '\\') {
                return "it contains a path separator ('" + c + "')";
            }
            if (c == ':') {
                return "it contains ':' (Cassandra refuses the path separator ':' in snapshot names)";
            }
            if (Character.isISOControl(c)) {
                return "it contains the control character " + String.format("U+%04X", (int) c);
            }
        }
        return null;
    }

    /** {@code s} single-quoted with control characters escaped, for messages. */
    private static String printable(String s) {
        StringBuilder sb = new StringBuilder("'");
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                sb.append(c == '\n' ? "\\n" : String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.append('\'').toString();
    }
    private static final Pattern SNAPSHOT_DIR = Pattern.compile("(?m)^Snapshot directory:\\s*(\\S+)\\s*$");

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg(ArgDef.of("command", ArgDef.Type.STR, "The nodetool command to run.").asRequired()
                    .choices("flush", "snapshot", "clearsnapshot", "listsnapshots", "status", "ring",
                            "describecluster", "info", "drain", "repair"))
            .arg(ArgDef.of("tag", ArgDef.Type.STR,
                    "Snapshot name (snapshot, clearsnapshot). Without it, snapshot uses a timestamp and is not idempotent."))
            .arg(ArgDef.of("keyspaces", ArgDef.Type.LIST,
                    "Keyspaces: snapshot/clearsnapshot any number (one call); flush/repair any number (one call per "
                    + "keyspace, in order); status/ring at most one. Default: all."))
            .arg(ArgDef.of("tables", ArgDef.Type.LIST,
                    "Tables as keyspace.table: snapshot (any keyspaces, passed as --kt-list), flush/repair (grouped into "
                    + "the call of their keyspace)."))
            .arg(ArgDef.of("all", ArgDef.Type.BOOL, "clearsnapshot: remove every snapshot (--all).").withDefault(false))
            .arg(ArgDef.of("extra_args", ArgDef.Type.LIST,
                    "More nodetool arguments, placed right after the command name (e.g. [--skip-flush], [-full])."))
            .freeForm("command")
            .onlyFor("command", List.of("snapshot", "clearsnapshot"), "tag")
            .onlyFor("command", List.of("snapshot", "clearsnapshot", "flush", "repair", "status", "ring"), "keyspaces")
            .onlyFor("command", List.of("snapshot", "flush", "repair"), "tables")
            .onlyFor("command", List.of("clearsnapshot"), "all")
            // nodetool snapshot: "When specifying the Keyspace table list (using -kt,--kt-list,-kc,--kc.list),
            // you must not also specify keyspaces to snapshot"
            .mutuallyExclusive("keyspaces", "tables").onlyWhen("command", "snapshot")
            // clearsnapshot: one snapshot (tag) or every snapshot (all: true)
            .requiredIf("all", "false", "tag")
            .onlyFor("all", List.of("false"), "tag")
            .build();

    private static final ModuleDoc DOC = new ModuleDoc(
            "Run nodetool on a Cassandra node: flush, snapshot, clearsnapshot, listsnapshots, status, ring, "
                    + "describecluster, info, drain, repair.",
            String.join("\n",
                    "Runs the node's own nodetool through the host's connection, as an operator would:",
                    "nodetool_cmd + -h jmx_host -p jmx_port + the command (host variables nodetool_cmd, jmx_host,",
                    "jmx_port; defaults [nodetool], 127.0.0.1, 7199). Every call starts a JVM (1.3-1.7 s).",
                    "",
                    "Read-only commands (status, ring, describecluster, listsnapshots, info) also run in check",
                    "mode, report ok, and register their parsed output (see RETURNS). Parsers cover the output of",
                    "Cassandra 1.2 to 5.0.7: several datacenters, vnodes, IPv6, host names, decimal commas,",
                    "unknown load or ownership ('?' becomes null), RandomPartitioner tokens (kept as strings).",
                    "",
                    "snapshot is idempotent on its tag: check looks for <data_dir>/<ks>/<table>-<id>/snapshots/<tag>/",
                    "under cassandra_data_dirs through the connection (no JVM; falls back to 'nodetool",
                    "listsnapshots' when no data directory is visible). Tag already there for every requested",
                    "keyspace/table: ok, nothing runs. Tag there for some only: the task fails (Cassandra refuses",
                    "to reuse a tag; clear it or choose another). Without a tag nodetool names the snapshot",
                    "after the current time, so the task reports changed every time (the name is registered).",
                    "snapshot passes tables (keyspace.table) to nodetool as --kt-list.",
                    "",
                    "clearsnapshot clears one tag, or every snapshot with all: true. ok when nothing matches, changed when",
                    "the snapshot existed. In check mode a snapshot an earlier task of the run takes (same tag,",
                    "same host) counts as existing: 'after snapshot[node1] takes it: would clear ...'.",
                    "",
                    "flush, drain and repair are not idempotent: check says changed and apply reports changed",
                    "each time. drain leaves the process running",
                    "with gossip and CQL off until it is stopped. repair can run for hours (1 hour timeout).",
                    "",
                    "flush and repair take any number of keyspaces: nodetool takes one keyspace per call, so",
                    "the task runs one call per keyspace ('nodetool repair <extra_args> ks1', then ks2, ...),",
                    "in the given order, and stops at the first failure; the error names the keyspace that",
                    "failed and those already done. tables (keyspace.table) go into the call of their",
                    "keyspace ('nodetool flush ks1 t1 t2'); a keyspace that is both listed in keyspaces and",
                    "has tables is limited to those tables; a keyspace of tables that is not in keyspaces is",
                    "called after the listed ones. No keyspaces and no tables: one call for all keyspaces.",
                    "",
                    "A non-zero exit fails the task with nodetool's error line. Arguments that a command does not",
                    "use are errors (see RULES), not silently ignored."),
            String.join("\n",
                    "- id: flush",
                    "  nodetool: flush",
                    "",
                    "- id: snapshot",
                    "  needs: [flush]",
                    "  nodetool: { command: snapshot, tag: \"{{ tag }}\", keyspaces: [shop, users] }",
                    "",
                    "- id: snapshot-two-tables",
                    "  nodetool: { command: snapshot, tag: before-migration, tables: [shop.orders, shop.items] }",
                    "",
                    "- id: clear",
                    "  nodetool: { command: clearsnapshot, tag: \"{{ tag }}\" }",
                    "",
                    "- id: ring",
                    "  nodetool: ring",
                    "  register: ring        # {{ hostvars['n1'].ring.tokens }} = n1's tokens",
                    "",
                    "- id: wait-un",
                    "  nodetool: status",
                    "  register: st",
                    "  until: st.node.code == 'UN'",
                    "  retries: 30",
                    "  delay: 2",
                    "",
                    "- id: repair",
                    "  nodetool: { command: repair, keyspaces: [shop], extra_args: [-pr] }",
                    "",
                    "- id: repair-restored        # nodetool repair -full ks1, then nodetool repair -full ks2",
                    "  nodetool: { command: repair, keyspaces: [ks1, ks2], extra_args: [-full] }"));

    /** Creates the module (used by ServiceLoader). */
    public NodetoolModule() {
    }

    @Override
    public String name() {
        return "nodetool";
    }

    @Override
    public ModuleDoc doc() {
        return DOC;
    }

    @Override
    public ArgSpec argSpec() {
        return SPEC;
    }

    @Override
    public ReturnSpec returns() {
        return NodetoolReturns.SPEC;
    }

    @Override
    public boolean isReadOnly(Args args) {
        String c = args.str("command");
        return c != null && parseCommand(c).map(Command::readOnly).orElse(false);
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        Invocation inv = plan(ctx);
        String display = display(inv.argv);
        switch (inv.command) {
            case SNAPSHOT:
                return checkSnapshot(ctx, inv, display);
            case CLEARSNAPSHOT:
                return checkClear(ctx, inv, display);
            case FLUSH:
            case DRAIN:
            case REPAIR: {
                List<String> displays = new ArrayList<>();
                for (List<String> argv : inv.calls) {
                    displays.add(display(argv));
                }
                // What apply registers; its output is known after it ran.
                Map<String, Object> data = wouldRun(inv.calls.get(inv.calls.size() - 1));
                if (inv.command != Command.DRAIN) {
                    data.put("cmds", inv.calls);
                    data.put("keyspaces", inv.callKeyspaces);
                }
                String calls = inv.calls.size() > 1 ? " (" + inv.calls.size() + " calls, one per keyspace: "
                        + String.join(", ", inv.callKeyspaces) + ")" : "";
                // Not idempotent: apply runs it and reports changed every time, so the preview says so.
                return Preview.willChange("would run nodetool " + inv.command.word() + calls
                        + " (not idempotent: changed on every run)", displays).withData(data);
            }
            default:
                // Read-only: apply runs in check mode too and registers the parsed output.
                return new Preview(Preview.Change.NO, "read-only: nodetool " + inv.command.word(), null,
                        List.of(display), Map.of("cmd", inv.argv));
        }
    }

    /** Check mode's base data for a call that would run: its argv; exit status and output known after it ran. */
    private static Map<String, Object> wouldRun(List<String> argv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cmd", new ArrayList<>(argv));
        m.put("rc", null);
        m.put("stdout", null);
        m.put("stderr", null);
        return m;
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        Invocation inv = plan(ctx);
        switch (inv.command) {
            case SNAPSHOT:
            case CLEARSNAPSHOT: {
                Preview p = ctx.preview() != null ? ctx.preview() : check(ctx);
                Object found = p.data().get("found");
                if (p.change() == Preview.Change.NO) {
                    Map<String, Object> data = baseData(inv.argv, null);
                    data.putAll(stateData(inv, found == null ? List.of() : found, true));
                    return Result.ok(p.summary()).withData(data);
                }
                ExecResult r = run(ctx, inv);
                Map<String, Object> data = baseData(inv.argv, r);
                data.putAll(stateData(inv, found == null ? List.of() : found, false));
                if (inv.command == Command.SNAPSHOT && inv.tag == null) {
                    data.put("tag", snapshotDirectory(r.stdout()));
                }
                return Result.changed(p.summary().replaceFirst("^would ", ""))
                        .withCommands(List.of(display(inv.argv))).withData(data);
            }
            case DRAIN: {
                ExecResult r = run(ctx, inv);
                return Result.changed("ran nodetool " + inv.command.word())
                        .withCommands(List.of(display(inv.argv))).withData(baseData(inv.argv, r));
            }
            case FLUSH:
            case REPAIR:
                return runPerKeyspace(ctx, inv);
            default:
                return readOnly(ctx, inv);
        }
    }

    /**
     * flush/repair: runs {@link Invocation#calls} in order (one per keyspace), stopping at the
     * first failure with a message naming the failed keyspace and the ones already done.
     */
    private Result runPerKeyspace(ModuleContext ctx, Invocation inv) throws ModuleException {
        if (inv.calls.size() == 1) {
            ExecResult r = run(ctx, inv);
            Map<String, Object> data = baseData(inv.argv, r);
            data.put("cmds", List.of(new ArrayList<>(inv.argv)));
            data.put("keyspaces", new ArrayList<>(inv.callKeyspaces));
            return Result.changed("ran nodetool " + inv.command.word()
                            + (inv.callKeyspaces.isEmpty() ? "" : " " + inv.callKeyspaces.get(0)))
                    .withCommands(List.of(display(inv.argv))).withData(data);
        }
        String word = inv.command.word();
        String done = inv.command == Command.REPAIR ? "repaired" : "flushed";
        List<String> displays = new ArrayList<>();
        List<Object> cmds = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        ExecResult last = null;
        for (int i = 0; i < inv.calls.size(); i++) {
            List<String> argv = inv.calls.get(i);
            String ks = inv.callKeyspaces.get(i);
            List<String> before = inv.callKeyspaces.subList(0, i);
            List<String> after = inv.callKeyspaces.subList(i + 1, inv.callKeyspaces.size());
            String progress = "; already " + done + ": " + (before.isEmpty() ? "none" : String.join(", ", before))
                    + (after.isEmpty() ? "" : "; not run: " + String.join(", ", after));
            ExecResult r;
            try {
                r = connection(ctx).exec(argv);
            } catch (ConnectionException e) {
                throw new ModuleException(ctx.host() + ": nodetool " + word + " of keyspace " + ks + " could not run: "
                        + e.getMessage() + progress, e);
            }
            if (!r.ok()) {
                throw new ModuleException(ctx.host() + ": nodetool " + word + " of keyspace " + ks + " failed ("
                        + (r.exitStatus() == null ? "no exit status" : "exit status " + r.exitStatus()) + "): "
                        + errorLine(r) + progress);
            }
            displays.add(display(argv));
            cmds.add(new ArrayList<>(argv));
            out.append(nullToEmpty(r.stdout()));
            err.append(nullToEmpty(r.stderr()));
            last = r;
        }
        Map<String, Object> data = baseData(inv.calls.get(inv.calls.size() - 1), last);
        data.put("stdout", out.toString());
        data.put("stderr", err.toString());
        data.put("cmds", cmds);
        data.put("keyspaces", new ArrayList<>(inv.callKeyspaces));
        return Result.changed("ran nodetool " + word + " on " + inv.calls.size() + " keyspaces: "
                + String.join(", ", inv.callKeyspaces)).withCommands(displays).withData(data);
    }

    // ---- read-only commands ----

    private Result readOnly(ModuleContext ctx, Invocation inv) throws ModuleException {
        ExecResult r = run(ctx, inv);
        Map<String, Object> data = baseData(inv.argv, r);
        String out = r.stdout() == null ? "" : r.stdout();
        String msg;
        try {
            switch (inv.command) {
                case STATUS: {
                    NodetoolStatus s = StatusParser.parse(out);
                    data.putAll(s.toMap());
                    Optional<StatusNode> me = s.node(inv.host.listenAddress());
                    data.put("node", me.map(StatusNode::toMap).orElse(null));
                    long un = s.nodes().stream().filter(StatusNode::isUpNormal).count();
                    msg = s.nodes().size() + " nodes in " + s.datacenters().size() + " datacenter(s), " + un + " UN";
                    break;
                }
                case RING: {
                    NodetoolRing ring = RingParser.parse(out);
                    data.putAll(ring.toMap());
                    data.put("tokens", new ArrayList<>(ring.tokensOf(inv.host.listenAddress())));
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
        return Result.ok(msg).withCommands(List.of(display(inv.argv))).withData(data);
    }

    // ---- snapshot / clearsnapshot ----

    private Preview checkSnapshot(ModuleContext ctx, Invocation inv, String display) throws ModuleException {
        if (inv.tag == null) {
            // The name nodetool generates is known after it ran; a new name cannot exist yet.
            Map<String, Object> data = wouldRun(inv.argv);
            data.putAll(stateData(inv, List.of(), false));
            return Preview.willChange("would take a snapshot named after the current time (no tag: not idempotent)",
                    List.of(display)).withData(data);
        }
        List<SnapshotProbe.Found> found = findSnapshots(ctx, inv, inv.tag);
        List<String> targets = new ArrayList<>();
        List<String> present = new ArrayList<>();
        if (!inv.tables.isEmpty()) {
            targets.addAll(inv.tables);
            for (String t : inv.tables) {
                if (found.stream().anyMatch(f -> f.qualifiedTable().equals(t))) {
                    present.add(t);
                }
            }
        } else if (!inv.keyspaces.isEmpty()) {
            targets.addAll(inv.keyspaces);
            for (String k : inv.keyspaces) {
                if (found.stream().anyMatch(f -> f.keyspace().equals(k))) {
                    present.add(k);
                }
            }
        } else {
            targets.add("all keyspaces");
            if (!found.isEmpty()) {
                present.add("all keyspaces");
            }
        }
        String what = targets.size() == 1 && targets.get(0).equals("all keyspaces") ? "all keyspaces"
                : String.join(", ", targets);
        if (present.size() == targets.size()) {
            Optional<UpstreamChange> clear = upstream(ctx, inv, Command.CLEARSNAPSHOT);
            if (clear.isPresent()) {
                // What the run finds depends on the clear before it: known after apply.
                Map<String, Object> data = wouldRun(inv.argv);
                data.putAll(stateData(inv, null, false));
                data.put("existed", null);
                return Preview.willChange("after " + clear.get().node() + " clears it: would snapshot " + what
                        + " with tag '" + inv.tag + "'", List.of(display)).withData(data);
            }
            Map<String, Object> data = baseData(inv.argv, null);
            data.putAll(stateData(inv, foundList(found), true));
            return new Preview(Preview.Change.NO, "snapshot '" + inv.tag + "' already exists for " + what, null,
                    List.of(), data);
        }
        if (!present.isEmpty()) {
            List<String> missing = new ArrayList<>(targets);
            missing.removeAll(present);
            throw new ModuleException(ctx.host() + ": snapshot tag '" + inv.tag + "' already exists for "
                    + String.join(", ", present) + " but not for " + String.join(", ", missing)
                    + "; nodetool refuses to reuse a tag: clear it first (clearsnapshot) or choose another tag");
        }
        Map<String, Object> data = wouldRun(inv.argv);
        data.putAll(stateData(inv, foundList(found), false));
        return Preview.willChange("would snapshot " + what + " with tag '" + inv.tag + "'", List.of(display))
                .withData(data);
    }

    private Preview checkClear(ModuleContext ctx, Invocation inv, String display) throws ModuleException {
        List<SnapshotProbe.Found> found = findSnapshots(ctx, inv, inv.tag);
        String what = inv.tag != null ? "snapshot '" + inv.tag + "'" : "any snapshot";
        String where = inv.keyspaces.isEmpty() ? "" : " in " + String.join(", ", inv.keyspaces);
        if (found.isEmpty()) {
            Optional<UpstreamChange> snapshot = upstream(ctx, inv, Command.SNAPSHOT);
            if (snapshot.isPresent()) {
                // What the run finds depends on the snapshot before it: known after apply.
                Map<String, Object> data = wouldRun(inv.argv);
                data.putAll(stateData(inv, null, false));
                return Preview.willChange("after " + snapshot.get().node() + " takes it: would clear " + what + where,
                        List.of(display)).withData(data);
            }
            Map<String, Object> data = baseData(inv.argv, null);
            data.putAll(stateData(inv, List.of(), true));
            return new Preview(Preview.Change.NO, "no " + what + where, null, List.of(), data);
        }
        Map<String, Object> data = wouldRun(inv.argv);
        data.putAll(stateData(inv, foundList(found), false));
        Set<String> tags = new TreeSet<>();
        found.forEach(f -> tags.add(f.tag()));
        return Preview.willChange("would clear " + (inv.tag != null ? what : "snapshots " + tags) + where
                + " (" + found.size() + " table snapshot(s))", List.of(display)).withData(data);
    }

    /**
     * In check mode, the nearest upstream nodetool {@code command} (snapshot or clearsnapshot)
     * on this host that would change the snapshot {@code inv} looks for: the same tag (either
     * side without a tag: any snapshot) and overlapping keyspaces (none given: all). Empty when
     * there is none; other upstream changes are left to the engine's rule (an {@code ok} below
     * them becomes {@code unknown}).
     */
    private static Optional<UpstreamChange> upstream(ModuleContext ctx, Invocation inv, Command command) {
        for (UpstreamChange u : ctx.upstreamChanges()) {
            if (!u.is("nodetool", ctx.host(), command.word()) || u.change() != Preview.Change.YES) {
                continue;
            }
            Object tag = u.args().get("tag");
            boolean sameTag = inv.tag == null || tag == null || inv.tag.equals(String.valueOf(tag));
            if (sameTag && overlaps(keyspacesOf(inv.keyspaces, inv.tables), keyspacesOf(u.args().get("keyspaces"),
                    u.args().get("tables")))) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }

    /** The keyspaces named by keyspaces and tables (keyspace.table) arguments; empty: all. */
    private static Set<String> keyspacesOf(Object keyspaces, Object tables) {
        Set<String> out = new TreeSet<>();
        if (keyspaces instanceof Collection<?> c) {
            c.forEach(k -> out.add(String.valueOf(k)));
        }
        if (tables instanceof Collection<?> c) {
            c.forEach(t -> out.add(String.valueOf(t).replaceFirst("[.].*$", "")));
        }
        return out;
    }

    private static boolean overlaps(Set<String> a, Set<String> b) {
        return a.isEmpty() || b.isEmpty() || a.stream().anyMatch(b::contains);
    }

    private List<SnapshotProbe.Found> findSnapshots(ModuleContext ctx, Invocation inv, String tag)
            throws ModuleException {
        Set<String> keyspaces = new LinkedHashSet<>(inv.keyspaces);
        for (String t : inv.tables) {
            keyspaces.add(t.substring(0, t.indexOf('.')));
        }
        Set<String> tables = new LinkedHashSet<>(inv.tables);
        Optional<List<SnapshotProbe.Found>> byDirs;
        try {
            byDirs = SnapshotProbe.find(connection(ctx), inv.host.dataDirs(), tag, keyspaces, tables);
        } catch (ConnectionException e) {
            throw new ModuleException(ctx.host() + ": cannot look for snapshots under " + inv.host.dataDirs()
                    + ": " + e.getMessage(), e);
        }
        if (byDirs.isPresent()) {
            return byDirs.get();
        }
        ctx.log("none of cassandra_data_dirs " + inv.host.dataDirs() + " exists on " + ctx.host()
                + "; asking nodetool listsnapshots instead");
        Invocation list = new Invocation(Command.LISTSNAPSHOTS, inv.host, inv.host.nodetoolArgv(List.of("listsnapshots")),
                null, List.of(), List.of());
        ExecResult r = run(ctx, list);
        try {
            return SnapshotProbe.fromList(ListSnapshotsParser.parse(r.stdout() == null ? "" : r.stdout()),
                    tag, keyspaces, tables);
        } catch (NodetoolParseException e) {
            throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
        }
    }

    private static List<String> foundList(List<SnapshotProbe.Found> found) {
        List<String> out = new ArrayList<>();
        for (SnapshotProbe.Found f : found) {
            out.add(f.qualifiedTable() + "/" + f.tag());
        }
        return out;
    }

    /**
     * snapshot/clearsnapshot data beside cmd/rc/stdout/stderr: tag, keyspaces, tables and existed
     * (snapshot) or all (clearsnapshot), found (null in check mode when an earlier task decides it).
     */
    private static Map<String, Object> stateData(Invocation inv, Object found, boolean existed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tag", inv.tag);
        m.put("keyspaces", new ArrayList<>(inv.keyspaces));
        if (inv.command == Command.SNAPSHOT) {
            m.put("tables", new ArrayList<>(inv.tables));
            m.put("existed", existed);
        } else {
            m.put("all", inv.all);
        }
        m.put("found", found);
        return m;
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

    // ---- argument checks and argv ----

    /**
     * One validated task: the command, the host's view, the argv (the first call) and the
     * arguments used. {@code calls} holds every argv to run in order (more than one only for
     * flush/repair of several keyspaces); {@code callKeyspaces} the keyspace of each call (empty
     * for flush/repair of all keyspaces; unused by other commands).
     */
    private record Invocation(Command command, CassandraHost host, List<String> argv, String tag,
                              List<String> keyspaces, List<String> tables, boolean all,
                              List<List<String>> calls, List<String> callKeyspaces) {
        Invocation(Command command, CassandraHost host, List<String> argv, String tag, List<String> keyspaces,
                   List<String> tables) {
            this(command, host, argv, tag, keyspaces, tables, false, List.of(argv), List.of());
        }
    }

    private static Optional<Command> parseCommand(String s) {
        for (Command c : Command.values()) {
            if (c.word().equals(s.strip())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    private Invocation plan(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        String word = a.str("command");
        Command cmd = parseCommand(word == null ? "" : word).orElseThrow(() -> new ModuleException(
                "nodetool: unknown command '" + word + "'; expected one of flush, snapshot, clearsnapshot, "
                        + "listsnapshots, status, ring, describecluster, info, drain, repair"));
        CassandraHost host = CassandraHost.of(ctx);
        String tag = a.str("tag");
        List<String> keyspaces = a.list("keyspaces");
        List<String> tables = a.list("tables");
        boolean all = a.bool("all", false);
        List<String> extra = a.list("extra_args");
        String p = "nodetool " + cmd.word() + ": ";
        // Which arguments a command takes, and tag/all of clearsnapshot, are the spec's rules.
        for (String k : keyspaces) {
            if (!IDENT.matcher(k).matches() || k.length() > MAX_NAME_LENGTH) {
                throw new ModuleException(p + "keyspace " + printable(k) + " is not a valid keyspace name (Cassandra:"
                        + " 1 to " + MAX_NAME_LENGTH + " letters, digits and _)");
            }
        }
        for (String t : tables) {
            java.util.regex.Matcher m = QUALIFIED.matcher(t);
            if (!m.matches() || m.group(1).length() > MAX_NAME_LENGTH || m.group(2).length() > MAX_NAME_LENGTH) {
                throw new ModuleException(p + "table " + printable(t) + " must be written keyspace.table (Cassandra:"
                        + " each 1 to " + MAX_NAME_LENGTH + " letters, digits and _)");
            }
        }
        String badTag = tag == null ? null : snapshotTagProblem(tag);
        if (badTag != null) {
            throw new ModuleException(p + "tag " + printable(tag) + " is not usable as a snapshot name: " + badTag);
        }

        List<String> args = new ArrayList<>();
        args.add(cmd.word());
        args.addAll(extra);
        switch (cmd) {
            case SNAPSHOT:
                if (tag != null) {
                    args.add("-t");
                    args.add(tag);
                }
                if (!tables.isEmpty()) {
                    args.add("--kt-list");
                    args.add(String.join(",", tables));
                }
                args.addAll(keyspaces);
                break;
            case CLEARSNAPSHOT:
                if (all) {
                    args.add("--all");
                } else {
                    args.add("-t");
                    args.add(tag);
                }
                args.addAll(keyspaces);
                break;
            case FLUSH:
            case REPAIR: {
                // nodetool flush/repair take one keyspace (and its tables) per call: one call each.
                Map<String, List<String>> byKs = new LinkedHashMap<>();
                for (String k : keyspaces) {
                    byKs.putIfAbsent(k, new ArrayList<>());
                }
                for (String t : tables) {
                    byKs.computeIfAbsent(t.substring(0, t.indexOf('.')), k -> new ArrayList<>())
                            .add(t.substring(t.indexOf('.') + 1));
                }
                if (byKs.isEmpty()) {
                    List<String> argv = host.nodetoolArgv(args);
                    return new Invocation(cmd, host, argv, tag, List.of(), List.of(), all, List.of(argv), List.of());
                }
                List<List<String>> calls = new ArrayList<>();
                for (Map.Entry<String, List<String>> e : byKs.entrySet()) {
                    List<String> one = new ArrayList<>(args);
                    one.add(e.getKey());
                    one.addAll(e.getValue());
                    calls.add(host.nodetoolArgv(one));
                }
                return new Invocation(cmd, host, calls.get(0), tag, List.copyOf(keyspaces), List.copyOf(tables), all,
                        List.copyOf(calls), List.copyOf(byKs.keySet()));
            }
            case STATUS:
            case RING: {
                Set<String> ks = new LinkedHashSet<>(keyspaces);
                for (String t : tables) {
                    ks.add(t.substring(0, t.indexOf('.')));
                }
                if (ks.size() > 1) {
                    throw new ModuleException(p + "takes at most one keyspace (nodetool " + cmd.word()
                            + " [<keyspace>]), got "
                            + String.join(", ", ks) + "; use one task per keyspace");
                }
                args.addAll(ks);
                for (String t : tables) {
                    args.add(t.substring(t.indexOf('.') + 1));
                }
                break;
            }
            default:
                break;
        }
        List<String> argv = host.nodetoolArgv(args);
        return new Invocation(cmd, host, argv, tag, List.copyOf(keyspaces), List.copyOf(tables), all, List.of(argv),
                List.of());
    }

    // ---- running ----

    private static Connection connection(ModuleContext ctx) throws ModuleException {
        try {
            return ctx.connection();
        } catch (ConnectionException e) {
            throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
        }
    }

    private static ExecResult run(ModuleContext ctx, Invocation inv) throws ModuleException {
        ExecResult r;
        try {
            r = connection(ctx).exec(inv.argv);
        } catch (ConnectionException e) {
            throw new ModuleException(ctx.host() + ": nodetool " + inv.command.word() + " could not run: "
                    + e.getMessage(), e);
        }
        if (!r.ok()) {
            throw new ModuleException(ctx.host() + ": nodetool " + inv.command.word() + " failed ("
                    + (r.exitStatus() == null ? "no exit status" : "exit status " + r.exitStatus()) + "): "
                    + errorLine(r));
        }
        return r;
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

    private static Map<String, Object> baseData(List<String> argv, ExecResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cmd", new ArrayList<>(argv));
        m.put("rc", r == null || r.exitStatus() == null ? null : r.exitStatus().longValue());
        m.put("stdout", r == null ? "" : nullToEmpty(r.stdout()));
        m.put("stderr", r == null ? "" : nullToEmpty(r.stderr()));
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
