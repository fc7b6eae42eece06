package dev.ringplan.modules.nodetool;

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
import dev.ringplan.modules.CassandraHost;
import dev.ringplan.modules.nodetool.Invocation.Command;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 *
 * <p>This class declares the module (arguments, doc) and holds each command's check and apply;
 * {@link Invocation} checks the arguments and builds the argv per command,
 * {@link SnapshotPrediction} reads whether a snapshot exists (snapshot, clearsnapshot), and
 * {@link NodetoolRunner} runs nodetool and parses its output.
 */
public final class NodetoolModule implements Module {

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
        return c != null && Invocation.parseCommand(c).map(Command::readOnly).orElse(false);
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        Invocation inv = Invocation.of(ctx);
        String display = NodetoolRunner.display(inv.argv());
        switch (inv.command()) {
            case SNAPSHOT:
                return SnapshotPrediction.checkSnapshot(ctx, inv, display);
            case CLEARSNAPSHOT:
                return SnapshotPrediction.checkClear(ctx, inv, display);
            case FLUSH:
            case DRAIN:
            case REPAIR: {
                List<String> displays = new ArrayList<>();
                for (List<String> argv : inv.calls()) {
                    displays.add(NodetoolRunner.display(argv));
                }
                // What apply registers; its output is known after it ran.
                Map<String, Object> data = NodetoolRunner.wouldRun(inv.calls().get(inv.calls().size() - 1));
                if (inv.command() != Command.DRAIN) {
                    data.put("cmds", inv.calls());
                    data.put("keyspaces", inv.callKeyspaces());
                }
                String calls = inv.calls().size() > 1 ? " (" + inv.calls().size() + " calls, one per keyspace: "
                        + String.join(", ", inv.callKeyspaces()) + ")" : "";
                // Not idempotent: apply runs it and reports changed every time, so the preview says so.
                return Preview.willChange("would run nodetool " + inv.command().word() + calls
                        + " (not idempotent: changed on every run)", displays).withData(data);
            }
            default:
                // Read-only: apply runs in check mode too and registers the parsed output.
                return new Preview(Preview.Change.NO, "read-only: nodetool " + inv.command().word(), null,
                        List.of(display), Map.of("cmd", inv.argv()));
        }
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        Invocation inv = Invocation.of(ctx);
        switch (inv.command()) {
            case SNAPSHOT:
            case CLEARSNAPSHOT: {
                Preview p = ctx.preview() != null ? ctx.preview() : check(ctx);
                Object found = p.data().get("found");
                if (p.change() == Preview.Change.NO) {
                    Map<String, Object> data = NodetoolRunner.baseData(inv.argv(), null);
                    data.putAll(SnapshotPrediction.stateData(inv, found == null ? List.of() : found, true));
                    return Result.ok(p.summary()).withData(data);
                }
                ExecResult r = NodetoolRunner.run(ctx, inv);
                Map<String, Object> data = NodetoolRunner.baseData(inv.argv(), r);
                data.putAll(SnapshotPrediction.stateData(inv, found == null ? List.of() : found, false));
                if (inv.command() == Command.SNAPSHOT && inv.tag() == null) {
                    data.put("tag", NodetoolRunner.snapshotDirectory(r.stdout()));
                }
                return Result.changed(p.summary().replaceFirst("^would ", ""))
                        .withCommands(List.of(NodetoolRunner.display(inv.argv()))).withData(data);
            }
            case DRAIN: {
                ExecResult r = NodetoolRunner.run(ctx, inv);
                return Result.changed("ran nodetool " + inv.command().word())
                        .withCommands(List.of(NodetoolRunner.display(inv.argv())))
                        .withData(NodetoolRunner.baseData(inv.argv(), r));
            }
            case FLUSH:
            case REPAIR:
                return NodetoolRunner.runPerKeyspace(ctx, inv);
            default:
                return NodetoolRunner.readOnly(ctx, inv);
        }
    }
}
