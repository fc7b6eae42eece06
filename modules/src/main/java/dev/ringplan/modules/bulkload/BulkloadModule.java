package dev.ringplan.modules.bulkload;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.DeclaredModule;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.ReturnSpec;
import dev.ringplan.engine.module.UpstreamChange;
import dev.ringplan.modules.CassandraHost;
import dev.ringplan.modules.tar.SnapshotScanner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code bulkload}: streams the SSTables of a snapshot on this (source) node into another cluster
 * with sstableloader, per table, recording what was loaded so a second run is {@code ok}. See
 * {@link BulkloadSpec#DOC} for the behaviour, {@link NodeLoader} for what happens on the node,
 * {@link LoaderArgv} for the command line.
 */
public final class BulkloadModule extends DeclaredModule {
    /** Used by ServiceLoader. */
    public BulkloadModule() {
        super("bulkload", BulkloadSpec.DOC, BulkloadSpec.ARGS, BulkloadSpec.RETURNS);
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        String tag = a.str("snapshot");
        String bad = SnapshotScanner.checkTag(tag);
        if (bad != null) {
            throw new ModuleException("bulkload: " + bad);
        }
        List<String> keyspaces = orEmpty(a.list("keyspaces"));
        List<String> tables = orEmpty(a.list("tables"));
        for (String t : tables) {
            if (!t.matches("[^./]+\\.[^./]+")) {
                throw new ModuleException("bulkload: table '" + t + "' must be written keyspace.table");
            }
        }
        CassandraHost host = CassandraHost.of(ctx);
        LoaderArgv loader = loaderArgv(ctx, host);
        Connection conn = connection(ctx);
        NodeLoader node = new NodeLoader(conn, host.dataDirs());
        Set<String> scanKs = new LinkedHashSet<>(keyspaces);
        tables.forEach(t -> scanKs.add(t.substring(0, t.indexOf('.'))));
        SnapshotScanner.Found found = new SnapshotScanner(conn).scan(host.dataDirs(), tag, scanKs);
        List<SnapshotTables.TableFiles> files = SnapshotTables.group(found.files(), keyspaces, tables);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("snapshot", tag);
        data.put("targets", loader.targets());
        data.put("target_cluster", null);
        data.put("tables", List.of());
        data.put("files", null);
        data.put("bytes", null);
        data.put("record", node.recordPath(tag));
        if (found.files().isEmpty()) {
            Optional<UpstreamChange> snap = ctx.upstreamChanges().stream()
                    .filter(u -> u.is("nodetool", ctx.host(), "snapshot") && tag.equals(String.valueOf(u.args().get("tag"))))
                    .findFirst();
            if (snap.isPresent()) {
                return Preview.willChange("after " + snap.get().node() + " takes snapshot '" + tag
                        + "': would load its tables into " + loader.targets(), List.of()).withData(data);
            }
            throw new ModuleException("bulkload: no snapshot '" + tag + "' on " + ctx.host() + " under "
                    + host.dataDirs() + (scanKs.isEmpty() ? "" : " for " + scanKs));
        }
        Set<String> qualified = new LinkedHashSet<>();
        files.forEach(t -> qualified.add(t.qualified()));
        TargetCluster.Schema schema;
        try {
            schema = TargetCluster.read(loader.targets(), (int) a.integer("port", 9042), a.str("username"),
                    a.str("password"), qualified);
        } catch (IllegalStateException e) {
            throw new ModuleException("bulkload: " + e.getMessage(), e);
        }
        data.put("target_cluster", schema.clusterName());
        if (!schema.missingTables().isEmpty()) {
            String what = "table(s) " + String.join(", ", schema.missingTables()) + " missing on the target cluster '"
                    + schema.clusterName() + "'";
            if (ctx.checkMode() && !ctx.upstreamChanges().isEmpty()) {
                return Preview.unknown(what + " now; an upstream change may create them", List.of()).withData(data);
            }
            throw new ModuleException("bulkload: " + what + " (" + String.join(",", loader.targets())
                    + "): create the schema on the target first; sstableloader would skip their files");
        }
        LoadRecord record = node.readRecord(tag);
        boolean force = a.bool("force", false);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        for (SnapshotTables.TableFiles t : files) {
            String tableId = schema.tableIds().get(t.qualified());
            boolean recorded = !force && record.contains(t, schema.clusterName(), tableId);
            String command = recorded ? null : loader.display(node.stageDir(t, tag));
            if (command != null) {
                commands.add(command);
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("table", t.qualified());
            row.put("data_dir", (long) t.dataDirIndex());
            row.put("snapshot_files", (long) t.files().size());
            row.put("snapshot_bytes", t.bytes());
            row.put("target_table_id", tableId);
            row.put("state", recorded ? "recorded" : "load");
            row.put("command", command);
            row.put("files", null);
            row.put("bytes", null);
            rows.add(row);
        }
        data.put("tables", rows);
        if (commands.isEmpty()) {
            data.put("files", 0L);
            data.put("bytes", 0L);
            Preview done = Preview.noChange("snapshot '" + tag + "' already loaded into '" + schema.clusterName()
                    + "' (" + rows.size() + " table(s), " + node.recordPath(tag) + ")").withData(data);
            // The snapshot exists, so an upstream snapshot of the tag keeps it (nodetool does not
            // overwrite a tag); only a clearsnapshot of it on this host can change the answer (a
            // flush, or a schema change once every table exists, cannot).
            boolean cleared = ctx.upstreamChanges().stream().anyMatch(u -> u.is("nodetool", ctx.host(), "clearsnapshot")
                    && tag.equals(String.valueOf(u.args().get("tag"))));
            return cleared ? done : done.consideringUpstream();
        }
        return Preview.willChange("would load " + commands.size() + " table(s) of snapshot '" + tag + "' into '"
                + schema.clusterName() + "'" + (rows.size() > commands.size()
                ? " (" + (rows.size() - commands.size()) + " recorded)" : ""), commands).withData(data);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Result apply(ModuleContext ctx) throws ModuleException {
        Preview p = ctx.preview();
        Map<String, Object> data = new LinkedHashMap<>(p.data());
        String tag = (String) data.get("snapshot");
        String cluster = (String) data.get("target_cluster");
        if (cluster == null) {
            throw new ModuleException("bulkload: snapshot '" + tag + "' or the target cluster could not be read");
        }
        CassandraHost host = CassandraHost.of(ctx);
        LoaderArgv loader = loaderArgv(ctx, host);
        Connection conn = connection(ctx);
        NodeLoader node = new NodeLoader(conn, host.dataDirs());
        Map<String, SnapshotTables.TableFiles> byKey = new LinkedHashMap<>();
        List<String> ks = orEmpty(ctx.args().list("keyspaces"));
        List<String> tb = orEmpty(ctx.args().list("tables"));
        for (SnapshotTables.TableFiles t : SnapshotTables.group(
                new SnapshotScanner(conn).scan(host.dataDirs(), tag, List.of()).files(), ks, tb)) {
            byKey.put(t.qualified() + "@" + t.dataDirIndex(), t);
        }
        LoadRecord record = node.readRecord(tag);
        Duration timeout = Duration.ofSeconds(ctx.args().integer("timeout", 21600));
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> ran = new ArrayList<>();
        long files = 0;
        long bytes = 0;
        for (Map<String, Object> r : (List<Map<String, Object>>) data.get("tables")) {
            Map<String, Object> row = new LinkedHashMap<>(r);
            rows.add(row);
            if (!"load".equals(row.get("state"))) {
                continue;
            }
            SnapshotTables.TableFiles t = byKey.get(row.get("table") + "@" + row.get("data_dir"));
            if (t == null) {
                throw new ModuleException("bulkload: " + row.get("table") + " left snapshot '" + tag + "' on "
                        + ctx.host() + " since it was read");
            }
            String dir = node.stageDir(t, tag);
            String display = loader.display(dir);
            ctx.log("loading " + t.qualified() + " (" + t.files().size() + " files, " + t.bytes() + " bytes): " + display);
            LoaderSummary s = node.load(t, tag, loader.argv(dir), display, timeout);
            ran.add(display);
            record = record.with(new LoadRecord.Load(t.qualified(), t.dataDirIndex(), t.fingerprint(), cluster,
                    (String) row.get("target_table_id"), s.files(), s.bytes(), Instant.now().toString()));
            node.writeRecord(record);
            row.put("state", "loaded");
            row.put("command", display);
            row.put("files", s.files());
            row.put("bytes", s.bytes());
            files += s.files();
            bytes += s.bytes();
            ctx.log("loaded " + t.qualified() + ": " + s.files() + " files, " + s.bytes() + " bytes in "
                    + s.durationMs() + " ms (" + s.averageRate() + ")");
        }
        data.put("tables", rows);
        data.put("files", files);
        data.put("bytes", bytes);
        return Result.changed("loaded " + ran.size() + " table(s) of snapshot '" + tag + "' into '" + cluster + "': "
                + files + " files, " + bytes + " bytes").withData(data).withCommands(ran);
    }

    private static LoaderArgv loaderArgv(ModuleContext ctx, CassandraHost host) throws ModuleException {
        Args a = ctx.args();
        List<String> cmd = a.list("loader_cmd") == null || a.list("loader_cmd").isEmpty()
                ? host.sstableloaderCmd() : a.list("loader_cmd");
        try {
            return new LoaderArgv(cmd, orEmpty(a.list("targets")), (int) a.integer("port", 9042), a.str("username"),
                    a.str("password"), a.integer("throttle_mib", 0),
                    a.has("connections_per_host") ? (int) a.integer("connections_per_host", 1) : null,
                    a.str("config"), a.list("extra_args"));
        } catch (IllegalArgumentException e) {
            throw new ModuleException("bulkload: " + e.getMessage());
        }
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }

    /** The host's connection; the cause is kept, so an unreachable host is reported as such. */
    private static Connection connection(ModuleContext ctx) throws ModuleException {
        try {
            return ctx.connection();
        } catch (ConnectionException e) {
            throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
        }
    }
}
