package dev.ringplan.modules.nodetool;

import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.DeclaredModule;
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
import java.util.List;
import java.util.Map;

/**
 * The {@code nodetool} module: runs the node's own nodetool through the host's connection
 * ({@link CassandraHost#nodetoolArgv}), as operators do, and registers its parsed output.
 *
 * <p>Commands and their contract (the module contract: see {@link dev.ringplan.engine.module.Module}):
 * <ul>
 * <li>{@code status}, {@code ring}, {@code describecluster}, {@code listsnapshots}, {@code info},
 *     {@code compactionstats}, {@code netstats}: read-only ({@link #isReadOnly} true, so they also run in check mode); result {@code ok}
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
 * <li>{@code flush}, {@code drain}, {@code repair}, {@code cleanup}: not idempotent → preview YES,
 *     {@code apply} reports {@code changed} every time. {@code flush}, {@code repair} and
 *     {@code cleanup} of several keyspaces run one nodetool call per keyspace, in order, stopping
 *     at the first failure.</li>
 * <li>{@code rebuild}: preview UNKNOWN after guards read from {@code describering}; a keyspace
 *     whose ranges Cassandra already streamed is {@code ok} ({@link RebuildRun}).</li>
 * <li>{@code removenode}, {@code decommission}: {@code ok} when the node already left the ring,
 *     read from {@code status} / {@code netstats} first ({@link RingMembership}).</li>
 * <li>{@code setstreamthroughput}: {@code ok} when {@code getstreamthroughput} already shows the
 *     cap ({@link StreamThroughput}).</li>
 * </ul>
 * A non-zero exit is a {@link ModuleException} carrying nodetool's error line.
 *
 * <p>This class declares the module (arguments; the doc is {@link NodetoolDoc}) and dispatches
 * each command's check and apply; {@link Invocation} checks the arguments and builds the argv per
 * command, {@link SnapshotPrediction} reads whether a snapshot exists (snapshot, clearsnapshot),
 * and {@link NodetoolRunner} runs nodetool and parses its output.
 */
public final class NodetoolModule extends DeclaredModule {

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg(ArgDef.of("command", ArgDef.Type.STR, "The nodetool command to run.").asRequired()
                    .choices(Command.words()))
            .arg(ArgDef.of("tag", ArgDef.Type.STR,
                    "Snapshot name (snapshot, clearsnapshot; import: load each table's own snapshot of this name, copied)."
                    + " Without it, snapshot uses a timestamp and is not idempotent."))
            .arg(ArgDef.of("keyspaces", ArgDef.Type.LIST,
                    "Keyspaces: snapshot/clearsnapshot any number (one call); flush/repair/cleanup/rebuild any number "
                    + "(one call per keyspace, in order); status/ring at most one. Default: all."))
            .arg(ArgDef.of("tables", ArgDef.Type.LIST,
                    "Tables as keyspace.table: snapshot (any keyspaces, passed as --kt-list), flush/repair/cleanup "
                    + "(grouped into the call of their keyspace)."))
            .arg(ArgDef.of("dirs", ArgDef.Type.LIST,
                    "import: staging roots; each table's SSTables are read from <dir>/<keyspace>/<table> (the layout"
                    + " of tar target: import). Directories without SSTables are left out."))
            .arg(ArgDef.of("copy_data", ArgDef.Type.BOOL,
                    "import: --copy-data, copy the files instead of moving them (always with tag).").withDefault(false))
            .arg(ArgDef.of("all", ArgDef.Type.BOOL, "clearsnapshot: remove every snapshot (--all).").withDefault(false))
            .arg(ArgDef.of("source_dc", ArgDef.Type.STR,
                    "rebuild: the datacenter to stream from (nodetool rebuild ... -- <source_dc>)."))
            .arg(ArgDef.of("host_id", ArgDef.Type.STR,
                    "removenode: the Host ID (a UUID, column of nodetool status) of the dead node to remove."))
            .arg(ArgDef.of("force", ArgDef.Type.BOOL,
                    "decommission: --force, leave even when fewer nodes than a replication factor remain."))
            .arg(ArgDef.of("jobs", ArgDef.Type.INT,
                    "cleanup: SSTables cleaned at once (-j; 0: every compaction thread)."))
            .arg(ArgDef.of("full", ArgDef.Type.BOOL, "repair: a full repair (-full) instead of an incremental one."))
            .arg(ArgDef.of("primary_range", ArgDef.Type.BOOL,
                    "repair: only the node's primary ranges (-pr), as when repairing every node in turn."))
            .arg(ArgDef.of("throughput", ArgDef.Type.INT,
                    "setstreamthroughput: the cap in throughput_unit; 0 means unlimited."))
            .arg(ArgDef.of("throughput_unit", ArgDef.Type.STR,
                    "setstreamthroughput: MiB/s (nodetool -m, Cassandra 4.1+) or megabits/s (every version).")
                    .withDefault(StreamThroughput.MIB).choices(StreamThroughput.MIB, StreamThroughput.MEGABITS))
            .arg(ArgDef.of("timeout", ArgDef.Type.INT,
                    "Seconds one nodetool call may run before it is stopped.").withDefault(3600L))
            .arg(ArgDef.of("extra_args", ArgDef.Type.LIST,
                    "More nodetool arguments, placed right after the command name (e.g. [--skip-flush], [-full])."))
            .freeForm("command")
            .onlyFor("command", List.of("snapshot", "clearsnapshot", "import"), "tag")
            .onlyFor("command", List.of("import"), "dirs", "copy_data")
            .mutuallyExclusive("dirs", "tag")
            .requiredIf("command", "import", "tables")
            .requiredIf("command", "refresh", "tables")
            .onlyFor("command", List.of("snapshot", "clearsnapshot", "flush", "repair", "cleanup", "rebuild", "status",
                    "ring"), "keyspaces")
            .onlyFor("command", List.of("snapshot", "flush", "repair", "cleanup", "import", "refresh"), "tables")
            .onlyFor("command", List.of("clearsnapshot"), "all")
            .onlyFor("command", List.of("rebuild"), "source_dc")
            .onlyFor("command", List.of("removenode"), "host_id")
            .onlyFor("command", List.of("decommission"), "force")
            .onlyFor("command", List.of("cleanup"), "jobs")
            .onlyFor("command", List.of("repair"), "full", "primary_range")
            .onlyFor("command", List.of("setstreamthroughput"), "throughput", "throughput_unit")
            // compared with what getstreamthroughput prints, so nothing else may change what is set
            .onlyFor("command", List.of("flush", "snapshot", "clearsnapshot", "listsnapshots", "status", "ring",
                    "describecluster", "info", "drain", "repair", "rebuild", "decommission", "cleanup"), "extra_args")
            // nodetool snapshot: "When specifying the Keyspace table list (using -kt,--kt-list,-kc,--kc.list),
            // you must not also specify keyspaces to snapshot"
            .mutuallyExclusive("keyspaces", "tables").onlyWhen("command", "snapshot")
            // clearsnapshot: one snapshot (tag) or every snapshot (all: true)
            .requiredIf("all", "false", "tag")
            .onlyFor("all", List.of("false"), "tag")
            .requiredIf("command", "rebuild", "source_dc")
            .requiredIf("command", "removenode", "host_id")
            .requiredIf("command", "setstreamthroughput", "throughput")
            .build();

    /** Creates the module (used by ServiceLoader). */
    public NodetoolModule() {
        super("nodetool", NodetoolDoc.DOC, SPEC, NodetoolReturns.SPEC);
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
            case REBUILD:
                return RebuildRun.check(ctx, inv);
            case IMPORT:
            case REFRESH:
                return ImportRun.check(ctx, inv);
            case REMOVENODE:
                return RingMembership.checkRemove(ctx, inv);
            case DECOMMISSION:
                return RingMembership.checkDecommission(ctx, inv, ctx.args().bool("force", false));
            case SETSTREAMTHROUGHPUT:
                return StreamThroughput.check(ctx, inv, ctx.args().integer("throughput", 0),
                        ctx.args().str("throughput_unit"));
            case FLUSH:
            case DRAIN:
            case REPAIR:
            case CLEANUP: {
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
                Preview p = preview(ctx);
                Object found = p.data().get("found");
                if (p.change() == Preview.Change.NO) {
                    Map<String, Object> data = NodetoolRunner.baseData(inv.argv(), null);
                    data.putAll(SnapshotPrediction.stateData(inv, found == null ? List.of() : found, true));
                    return Result.ok(p.summary()).withData(data);
                }
                JmxNode jmx = JmxRun.node(ctx, inv);
                if (jmx != null) {
                    return SnapshotPrediction.applyOverJmx(ctx, inv, jmx, p, found == null ? List.of() : found);
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
            case REMOVENODE:
            case DECOMMISSION:
            case SETSTREAMTHROUGHPUT: {
                Preview p = preview(ctx);
                if (p.change() == Preview.Change.NO) {
                    return Result.ok(p.summary()).withData(p.data());
                }
                if (inv.command() == Command.REMOVENODE) {
                    return RingMembership.applyRemove(ctx, inv, p);
                }
                if (inv.command() == Command.DECOMMISSION) {
                    return RingMembership.applyDecommission(ctx, inv, p, ctx.args().bool("force", false));
                }
                return StreamThroughput.apply(ctx.withPreview(p), inv, ctx.args().integer("throughput", 0),
                        ctx.args().str("throughput_unit"));
            }
            case REBUILD:
                return RebuildRun.apply(ctx, inv);
            case IMPORT:
            case REFRESH:
                return ImportRun.apply(ctx, inv);
            case DRAIN: {
                JmxNode jmx = JmxRun.node(ctx, inv);
                if (jmx != null) {
                    try {
                        JmxRun.drain(jmx, inv.timeout());
                    } catch (JmxNode.JmxException e) {
                        throw JmxRun.failure(ctx, "drain", e);
                    }
                    return Result.changed("ran nodetool drain over JMX")
                            .withCommands(List.of(JmxRun.display(inv.host(), "drain", List.of())))
                            .withData(NodetoolRunner.jmxData(inv.argv()));
                }
                ExecResult r = NodetoolRunner.run(ctx, inv);
                return Result.changed("ran nodetool " + inv.command().word())
                        .withCommands(List.of(NodetoolRunner.display(inv.argv())))
                        .withData(NodetoolRunner.baseData(inv.argv(), r));
            }
            case FLUSH:
            case REPAIR:
            case CLEANUP:
                return NodetoolRunner.runPerKeyspace(ctx, inv);
            default:
                return NodetoolRunner.readOnly(ctx, inv);
        }
    }

    /** What check returned (the executor passes it); called directly, apply checks first. */
    private Preview preview(ModuleContext ctx) throws ModuleException {
        return ctx.preview() != null ? ctx.preview() : check(ctx);
    }
}
