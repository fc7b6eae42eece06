package dev.ringplan.modules.nodetool;

import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.UpstreamChange;
import dev.ringplan.modules.nodetool.Invocation.Command;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code nodetool snapshot} (with a tag) and {@code clearsnapshot} would do, read before
 * running anything: the snapshot directories under the host's data directories
 * ({@link SnapshotProbe}; {@code nodetool listsnapshots} when none is visible), and in check mode
 * the upstream snapshot/clearsnapshot tasks predicted to change them
 * ({@link ModuleContext#upstreamChanges()}).
 */
final class SnapshotPrediction {
    private SnapshotPrediction() {
    }

    /**
     * snapshot with a tag: ok when the tag exists for every target, YES when it exists for none
     * (or an upstream clearsnapshot of it is predicted), a failure when it exists for some only.
     */
    static Preview checkSnapshot(ModuleContext ctx, Invocation inv, String display) throws ModuleException {
        if (inv.tag() == null) {
            // The name nodetool generates is known after it ran; a new name cannot exist yet.
            Map<String, Object> data = NodetoolRunner.wouldRun(inv.argv());
            data.putAll(stateData(inv, List.of(), false));
            return Preview.willChange("would take a snapshot named after the current time (no tag: not idempotent)",
                    List.of(display)).withData(data);
        }
        List<SnapshotProbe.Found> found = findSnapshots(ctx, inv, inv.tag());
        List<String> targets = new ArrayList<>();
        List<String> present = new ArrayList<>();
        if (!inv.tables().isEmpty()) {
            targets.addAll(inv.tables());
            for (String t : inv.tables()) {
                if (found.stream().anyMatch(f -> f.qualifiedTable().equals(t))) {
                    present.add(t);
                }
            }
        } else if (!inv.keyspaces().isEmpty()) {
            targets.addAll(inv.keyspaces());
            for (String k : inv.keyspaces()) {
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
                Map<String, Object> data = NodetoolRunner.wouldRun(inv.argv());
                data.putAll(stateData(inv, null, false));
                data.put("existed", null);
                return Preview.willChange("after " + clear.get().node() + " clears it: would snapshot " + what
                        + " with tag '" + inv.tag() + "'", List.of(display)).withData(data);
            }
            Map<String, Object> data = NodetoolRunner.baseData(inv.argv(), null);
            data.putAll(stateData(inv, foundList(found), true));
            return new Preview(Preview.Change.NO, "snapshot '" + inv.tag() + "' already exists for " + what, null,
                    List.of(), data);
        }
        if (!present.isEmpty()) {
            List<String> missing = new ArrayList<>(targets);
            missing.removeAll(present);
            throw new ModuleException(ctx.host() + ": snapshot tag '" + inv.tag() + "' already exists for "
                    + String.join(", ", present) + " but not for " + String.join(", ", missing)
                    + "; nodetool refuses to reuse a tag: clear it first (clearsnapshot) or choose another tag");
        }
        Map<String, Object> data = NodetoolRunner.wouldRun(inv.argv());
        data.putAll(stateData(inv, foundList(found), false));
        return Preview.willChange("would snapshot " + what + " with tag '" + inv.tag() + "'", List.of(display))
                .withData(data);
    }

    /** clearsnapshot: YES when the snapshot exists (or an upstream snapshot is predicted to take it), else ok. */
    static Preview checkClear(ModuleContext ctx, Invocation inv, String display) throws ModuleException {
        List<SnapshotProbe.Found> found = findSnapshots(ctx, inv, inv.tag());
        String what = inv.tag() != null ? "snapshot '" + inv.tag() + "'" : "any snapshot";
        String where = inv.keyspaces().isEmpty() ? "" : " in " + String.join(", ", inv.keyspaces());
        if (found.isEmpty()) {
            Optional<UpstreamChange> snapshot = upstream(ctx, inv, Command.SNAPSHOT);
            if (snapshot.isPresent()) {
                // What the run finds depends on the snapshot before it: known after apply.
                Map<String, Object> data = NodetoolRunner.wouldRun(inv.argv());
                data.putAll(stateData(inv, null, false));
                return Preview.willChange("after " + snapshot.get().node() + " takes it: would clear " + what + where,
                        List.of(display)).withData(data);
            }
            Map<String, Object> data = NodetoolRunner.baseData(inv.argv(), null);
            data.putAll(stateData(inv, List.of(), true));
            return new Preview(Preview.Change.NO, "no " + what + where, null, List.of(), data);
        }
        Map<String, Object> data = NodetoolRunner.wouldRun(inv.argv());
        data.putAll(stateData(inv, foundList(found), false));
        Set<String> tags = new TreeSet<>();
        found.forEach(f -> tags.add(f.tag()));
        return Preview.willChange("would clear " + (inv.tag() != null ? what : "snapshots " + tags) + where
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
            boolean sameTag = inv.tag() == null || tag == null || inv.tag().equals(String.valueOf(tag));
            if (sameTag && overlaps(keyspacesOf(inv.keyspaces(), inv.tables()), keyspacesOf(u.args().get("keyspaces"),
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

    private static List<SnapshotProbe.Found> findSnapshots(ModuleContext ctx, Invocation inv, String tag)
            throws ModuleException {
        Set<String> keyspaces = new LinkedHashSet<>(inv.keyspaces());
        for (String t : inv.tables()) {
            keyspaces.add(t.substring(0, t.indexOf('.')));
        }
        Set<String> tables = new LinkedHashSet<>(inv.tables());
        Optional<List<SnapshotProbe.Found>> byDirs;
        try {
            byDirs = SnapshotProbe.find(NodetoolRunner.connection(ctx), inv.host().dataDirs(), tag, keyspaces, tables);
        } catch (ConnectionException e) {
            throw new ModuleException(ctx.host() + ": cannot look for snapshots under " + inv.host().dataDirs()
                    + ": " + e.getMessage(), e);
        }
        if (byDirs.isPresent()) {
            return byDirs.get();
        }
        ctx.log("none of cassandra_data_dirs " + inv.host().dataDirs() + " exists on " + ctx.host()
                + "; asking nodetool listsnapshots instead");
        JmxNode jmx = JmxRun.node(ctx, inv.host(), Command.LISTSNAPSHOTS, true);
        if (jmx != null) {
            try {
                return SnapshotProbe.fromList(JmxRun.listSnapshots(jmx, inv.timeout()), tag, keyspaces, tables);
            } catch (JmxNode.JmxException e) {
                throw JmxRun.failure(ctx, "listsnapshots", e);
            }
        }
        Invocation list = new Invocation(Command.LISTSNAPSHOTS, inv.host(),
                inv.host().nodetoolArgv(List.of("listsnapshots")), null, List.of(), List.of());
        ExecResult r = NodetoolRunner.run(ctx, list);
        try {
            return SnapshotProbe.fromList(ListSnapshotsParser.parse(r.stdout() == null ? "" : r.stdout()),
                    tag, keyspaces, tables);
        } catch (NodetoolParseException e) {
            throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
        }
    }

    /**
     * snapshot or clearsnapshot over JMX ({@link JmxRun}), after the preview said it would change:
     * the same data as the nodetool path, via jmx; without a tag the snapshot is named as nodetool
     * names it (the current time in milliseconds).
     */
    static Result applyOverJmx(ModuleContext ctx, Invocation inv, JmxNode jmx, Preview p, Object found)
            throws ModuleException {
        Map<String, Object> data = NodetoolRunner.jmxData(inv.argv());
        data.putAll(stateData(inv, found, false));
        String display;
        try {
            if (inv.command() == Command.SNAPSHOT) {
                String tag = inv.tag() != null ? inv.tag() : Long.toString(System.currentTimeMillis());
                List<String> entities = inv.tables().isEmpty() ? inv.keyspaces() : inv.tables();
                JmxRun.snapshot(jmx, tag, entities, inv.timeout());
                data.put("tag", tag);
                display = JmxRun.display(inv.host(), "takeSnapshot", List.of(tag, "{skipFlush=false}",
                        String.join(", ", entities)));
            } else {
                String tag = inv.all() ? "" : inv.tag();
                JmxRun.clearSnapshot(jmx, tag, inv.keyspaces(), inv.timeout());
                display = JmxRun.display(inv.host(), "clearSnapshot", List.of("{}", inv.all() ? "\"\"" : tag,
                        String.join(", ", inv.keyspaces())));
            }
        } catch (JmxNode.JmxException e) {
            throw JmxRun.failure(ctx, inv.command().word(), e);
        }
        return Result.changed(p.summary().replaceFirst("^would ", "") + " (over JMX)")
                .withCommands(List.of(display)).withData(data);
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
    static Map<String, Object> stateData(Invocation inv, Object found, boolean existed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tag", inv.tag());
        m.put("keyspaces", new ArrayList<>(inv.keyspaces()));
        if (inv.command() == Command.SNAPSHOT) {
            m.put("tables", new ArrayList<>(inv.tables()));
            m.put("existed", existed);
        } else {
            m.put("all", inv.all());
        }
        m.put("found", found);
        return m;
    }
}
