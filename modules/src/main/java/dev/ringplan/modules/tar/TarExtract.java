package dev.ringplan.modules.tar;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.CassandraHost;
import dev.ringplan.modules.tar.RestorePlacements.Placement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tar} {@code action: extract}: restores a stored backup ({@link StoredBackup}, an archive
 * or a differential manifest) onto the node, into its live table directories ({@code target: data})
 * or a {@code target_dir}. {@link RestorePlanner} works out where each file goes and which are
 * already in place; {@link Restore} stages, verifies and renames the rest into place.
 */
final class TarExtract {
    private TarExtract() {
    }

    /** What an extract call resolves to before touching anything. */
    private record ExtractJob(StoredBackup stored, RestorePlanner.Options options, String target) {
    }

    private static ExtractJob resolveExtract(ModuleContext ctx) throws ModuleException {
        StoredBackup st = StoredBackup.locate(ctx);
        Args a = ctx.args();
        List<String> dataDirs = new ArrayList<>();
        for (String d : CassandraHost.of(ctx).dataDirs()) {
            dataDirs.add(nodePath("cassandra_data_dirs entry", d, ctx));
        }
        String targetDir = null;
        if (a.has("target_dir")) {
            targetDir = nodePath("target_dir", a.str("target_dir"), ctx);
            if (targetDir.equals("/")) {
                throw new ModuleException("tar: target_dir must not be /");
            }
            for (String dd : dataDirs) {
                if (targetDir.equals(dd) || targetDir.startsWith(dd + "/")) {
                    throw new ModuleException("tar: target_dir " + targetDir + " lies in data directory " + dd
                            + "; use target: data to restore into live tables, or a directory outside the data dirs");
                }
            }
        } else {
            Connection conn = Locations.connection(ctx);
            for (int i = 0; i < dataDirs.size(); i++) {
                Optional<FileStat> fs;
                try {
                    fs = conn.stat(dataDirs.get(i));
                } catch (ConnectionException e) {
                    throw new ModuleException("cannot stat " + dataDirs.get(i) + " on " + ctx.host() + ": "
                            + e.getMessage(), e);
                }
                if (fs.isEmpty() || !fs.get().isDirectory() && fs.get().type() != FileStat.Type.SYMLINK) {
                    throw new ModuleException("tar: data directory " + dataDirs.get(i) + " (cassandra_data_dirs[" + i
                            + "]) " + (fs.isEmpty() ? "does not exist" : "is not a directory") + " on " + ctx.host());
                }
            }
        }
        Map<String, String> ids = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : a.map("table_ids").entrySet()) {
            String id = e.getValue() == null ? null : RestorePlanner.normalizeId(String.valueOf(e.getValue()));
            if (!e.getKey().matches("\\w+\\.\\w+") || id == null) {
                throw new ModuleException("tar: table_ids entry " + e.getKey() + ": " + e.getValue()
                        + " must map <keyspace>.<table> to a 32-hex-digit table id");
            }
            ids.put(e.getKey(), id);
        }
        boolean importing = "import".equals(a.str("target"));
        String importName = null;
        if (importing) {
            importName = a.str("import_name");
            if (importName == null || !importName.matches("[A-Za-z0-9_.-]{1,128}") || importName.matches("\\.+")) {
                throw new ModuleException("tar: target: import needs import_name, 1 to 128 letters, digits, _, - or ."
                        + " (not only dots), got " + (importName == null ? "none" : "'" + importName + "'"));
            }
        }
        boolean backupIds = "backup".equals(a.str("table_dirs"));
        RestorePlanner.Options o = new RestorePlanner.Options(targetDir == null ? dataDirs : null, targetDir,
                new LinkedHashSet<>(a.list("keyspaces")), new LinkedHashSet<>(a.list("tables")),
                a.bool("create_missing", false) || backupIds || importing, a.bool("overwrite", false), ids,
                backupIds, importName);
        return new ExtractJob(st, o, targetDir != null ? targetDir : importing ? "import" : "data");
    }

    /** An absolute path on the node, trailing slashes removed, no '.' or '..' element. */
    private static String nodePath(String what, String p, ModuleContext ctx) throws ModuleException {
        String s = p.strip();
        if (!s.startsWith("/")) {
            throw new ModuleException("tar: " + what + " '" + s + "' of " + ctx.host() + " is not absolute");
        }
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.length() > 1 && ArchiveReader.checkEntryPath(s.substring(1)) != null) {
            throw new ModuleException("tar: " + what + " '" + s + "': " + ArchiveReader.checkEntryPath(s.substring(1)));
        }
        return s;
    }

    /**
     * Check mode (and the check before apply): lists each table directory with the files that
     * would be written; reads the node's listing and hashes present files, never the backup.
     */
    static Preview check(ModuleContext ctx) throws ModuleException {
        ExtractJob job = resolveExtract(ctx);
        RestorePlacements plan = RestorePlanner.plan(Locations.connection(ctx), job.stored.manifest(), job.options);
        List<Placement> writes = plan.writes();
        Map<String, Object> data = extractData(job, plan, writes);
        if (writes.isEmpty()) {
            return Preview.noChange(inPlace(job, plan)).withData(data);
        }
        List<String> commands = new ArrayList<>();
        for (String dir : plan.tableDirs()) {
            List<Placement> here = writes.stream().filter(p -> p.tableDir().equals(dir)).toList();
            if (!here.isEmpty()) {
                commands.add((job.options.importName() != null ? "stage for nodetool import " : "restore ") + here.size()
                        + " files (" + RestorePlacements.bytes(here) + " bytes) into " + dir
                        + (plan.missingDirs().contains(dir) ? " (directory created)" : "")
                        + (job.options.importName() != null ? sstables(here) : ""));
            }
        }
        return Preview.willChange("would restore " + describe(writes) + " of " + plan.tables().size() + " table(s) from "
                + job.stored.source() + " into " + commands.size() + " table director" + (commands.size() == 1 ? "y" : "ies")
                + skippedNote(plan), commands).withData(data);
    }

    /** Restores the files not already in place (staged, verified, renamed: {@link Restore#execute}). */
    static Result apply(ModuleContext ctx) throws ModuleException {
        ExtractJob job = resolveExtract(ctx);
        Connection conn = Locations.connection(ctx);
        RestorePlacements plan = RestorePlanner.plan(conn, job.stored.manifest(), job.options);
        List<Placement> writes = plan.writes();
        if (writes.isEmpty()) {
            return Result.ok(inPlace(job, plan)).withData(extractData(job, plan, writes));
        }
        long t0 = System.nanoTime();
        ctx.log("restoring " + describe(writes) + " from " + job.stored.source() + " to " + ctx.host());
        Restore.Done done = Restore.execute(conn, plan, job.stored.reader(false), job.stored.manifest(), ctx::log);
        double secs = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
        ctx.log(String.format(java.util.Locale.ROOT, "restored %d files, %d bytes in %.1f s (%.1f MB/s)",
                done.written(), done.bytes(), secs, done.bytes() / secs / 1e6));
        return Result.changed("restored " + describe(writes) + " of " + plan.tables().size() + " table(s) from "
                + job.stored.source() + skippedNote(plan))
                .withCommands(List.of("tar extract " + job.stored.source() + " -> " + job.target))
                .withData(extractData(job, plan, writes));
    }

    /** For an import: {@code ": nb-1-big, nb-2-big"}, the SSTables (their Data.db files) among {@code ps}. */
    private static String sstables(List<Placement> ps) {
        List<String> names = ps.stream().map(Placement::rel).filter(r -> r.endsWith("-Data.db"))
                .map(r -> r.substring(0, r.length() - "-Data.db".length())).toList();
        return names.isEmpty() || names.size() == ps.size() ? "" : ": " + String.join(", ", names);
    }

    private static String inPlace(ExtractJob job, RestorePlacements plan) {
        return "all " + plan.placements().size() + " files (" + RestorePlacements.bytes(plan.placements())
                + " bytes) of " + plan.tables().size() + " table(s) from " + job.stored.source()
                + " are already in place";
    }

    private static String skippedNote(RestorePlacements plan) {
        long skipped = plan.placements().size() - plan.writes().size();
        return skipped == 0 ? "" : " (" + skipped + " already in place)";
    }

    private static String describe(List<Placement> ps) {
        return ps.size() + " files, " + RestorePlacements.bytes(ps) + " bytes";
    }

    private static Map<String, Object> extractData(ExtractJob job, RestorePlacements plan, List<Placement> writes) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (job.stored.archive() != null) {
            d.put("archive", job.stored.archive().toString());
        } else {
            d.put("store", job.stored.store().root().toString());
        }
        d.put("manifest", job.stored.manifestPath().toString());
        d.put("files", (long) plan.placements().size());
        d.put("bytes", RestorePlacements.bytes(plan.placements()));
        d.put("written", (long) writes.size());
        d.put("written_bytes", RestorePlacements.bytes(writes));
        d.put("skipped", (long) (plan.placements().size() - writes.size()));
        d.put("metadata_skipped", (long) plan.metadataSkipped());
        d.put("tables", plan.tables());
        d.put("target_dirs", plan.tableDirs());
        d.put("target", job.target);
        return d;
    }

    /** An extract's keys when what it would restore is known after apply (check mode): every value null. */
    static Map<String, Object> unknownData() {
        Map<String, Object> d = new LinkedHashMap<>();
        for (String k : List.of("manifest", "files", "bytes", "written", "written_bytes", "skipped", "metadata_skipped",
                "tables", "target_dirs", "target")) {
            d.put(k, null);
        }
        return d;
    }
}
