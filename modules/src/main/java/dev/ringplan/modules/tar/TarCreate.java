package dev.ringplan.modules.tar;

import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.CassandraHost;
import dev.ringplan.modules.backup.BackupLocation;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tar} {@code action: create}: resolves the task to a {@link CreateJob} (snapshot files on
 * the node, where the backup goes), then archives the snapshot into {@code <dest>/<name>.tar[.gz|.zst]}
 * with its manifest ({@code mode: full}, {@link ArchiveWriter}), or hands the job to
 * {@link Differential} ({@code mode: differential}). Idempotent: an up-to-date manifest and archive
 * give ok and nothing is written.
 */
final class TarCreate {
    private TarCreate() {
    }

    /** Check mode (and the check before apply): reads the node's listing and the manifest only. */
    static Preview check(ModuleContext ctx) throws ModuleException {
        CreateJob job = resolve(ctx);
        if (job.found().files().isEmpty()) {
            // What the snapshot will hold is known after an earlier task takes it: the keys, values null.
            // A differential backup has no archive of its own (its files go to the content store).
            Map<String, Object> data = new LinkedHashMap<>();
            if (job.archive() != null) {
                data.put("archive", job.archive().toString());
            }
            data.put("manifest", job.manifest().toString());
            if (job.diff() != null) {
                data.put("store", job.diff().store.root().toString());
                data.put("mode", "differential");
            }
            List<String> unknown = job.diff() != null ? List.of("files", "bytes", "uploaded_files", "uploaded_bytes",
                    "reused_files", "reused_bytes", "read_bytes", "unchanged_files")
                    : List.of("files", "bytes", "archive_bytes", "sha256");
            unknown.forEach(k -> data.put(k, null));
            return Preview.unknown("snapshot '" + job.tag() + "' has no files on " + ctx.host() + " yet"
                    + " (not taken; an earlier task may take it)", List.of()).withData(data);
        }
        if (job.diff() != null) {
            return Differential.check(ctx, job);
        }
        SnapshotManifest current = upToDate(job, ctx);
        if (current != null) {
            return Preview.noChange("archive " + job.archive() + " is up to date (" + job.found().describe() + ")")
                    .withData(registered(job, current));
        }
        return Preview.willChange("would archive " + job.found().describe() + " of snapshot '" + job.tag() + "' to "
                        + job.archive(),
                List.of("tar create " + job.archive() + " <- " + job.found().files().size() + " files"))
                .withData(wouldArchive(job));
    }

    /** Check mode's data for a full archive to write: its size and SHA-256 are known after apply. */
    private static Map<String, Object> wouldArchive(CreateJob job) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("archive", job.archive().toString());
        d.put("manifest", job.manifest().toString());
        d.put("files", (long) job.found().files().size());
        d.put("bytes", job.found().totalBytes());
        d.put("archive_bytes", null);
        d.put("sha256", null);
        return d;
    }

    /** Writes the archive and then its manifest, unless they are up to date. */
    static Result apply(ModuleContext ctx) throws ModuleException {
        CreateJob job = resolve(ctx);
        if (job.found().files().isEmpty()) {
            throw new ModuleException("snapshot '" + job.tag() + "' not found on " + ctx.host() + ": no files under "
                    + "<data_dir>/<ks>/<table>/snapshots/" + job.tag() + "/ in " + String.join(", ", job.dataDirs())
                    + (job.keyspaces().isEmpty() ? "" : " for keyspaces " + String.join(", ", job.keyspaces()))
                    + "; was the snapshot taken (nodetool snapshot -t " + job.tag() + ")?");
        }
        if (job.diff() != null) {
            return Differential.apply(ctx, job);
        }
        SnapshotManifest current = upToDate(job, ctx);
        if (current != null) {
            return Result.ok("archive " + job.archive() + " is up to date (" + job.found().describe() + ")")
                    .withData(registered(job, current));
        }
        try {
            job.destDir().store().mkdirs(job.destDir().path());
            job.manifest().store().delete(job.manifest().path());
        } catch (IOException e) {
            throw new ModuleException("cannot prepare " + job.destDir() + ": " + e.getMessage(), e);
        }
        long t0 = System.nanoTime();
        ctx.log("archiving " + job.found().describe() + " of snapshot '" + job.tag() + "' to " + job.archive());
        ArchiveWriter.Written w = ArchiveWriter.write(Locations.connection(ctx), job.found().files(),
                job.archive().store(), job.archive().path(), job.compression(), job.level());
        double secs = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
        ctx.log(String.format(java.util.Locale.ROOT, "archived %d bytes in %.1f s (%.1f MB/s), archive %d bytes;"
                        + " files read through %s", job.found().totalBytes(), secs,
                job.found().totalBytes() / secs / 1e6, w.bytes(), w.via()));
        SnapshotManifest m = CreateJob.newManifest(ctx, job, w);
        Locations.writeAtomically(job.manifest(), m.toJson());
        return Result.changed("archived " + job.found().describe() + " of snapshot '" + job.tag() + "' to "
                        + job.archive())
                .withCommands(List.of("tar create " + job.archive()))
                .withData(registered(job, m));
    }

    private static CreateJob resolve(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        boolean differential = "differential".equals(a.str("mode"));
        String tag = a.str("snapshot");
        String tagErr = SnapshotScanner.checkTag(tag);
        if (tagErr != null) {
            throw new ModuleException("tar: " + tagErr);
        }
        String name = Locations.archiveName(ctx);
        Compression c;
        try {
            c = Compression.parse(a.str("compression") == null ? Compression.DEFAULT.argName() : a.str("compression"));
        } catch (IllegalArgumentException e) {
            throw new ModuleException("tar: " + e.getMessage());
        }
        int level = (int) a.integer("level", c.defaultLevel());
        String levelErr = c.checkLevel(level);
        if (levelErr != null) {
            throw new ModuleException("tar: " + levelErr);
        }
        BackupLocation dest = Locations.location("dest", a.str("dest"), ctx);
        List<String> dataDirs = CassandraHost.of(ctx).dataDirs();
        for (String d : dataDirs) {
            if (!d.startsWith("/")) {
                throw new ModuleException("tar: cassandra_data_dirs entry '" + d + "' of " + ctx.host() + " is not absolute");
            }
        }
        List<String> keyspaces = a.list("keyspaces");
        SnapshotScanner.Found found = new SnapshotScanner(Locations.connection(ctx)).scan(dataDirs, tag, keyspaces);
        if (!found.files().isEmpty()) {
            List<String> missing = keyspaces.stream().filter(k -> !found.keyspacesWithFiles().contains(k)).toList();
            if (!missing.isEmpty()) {
                throw new ModuleException("tar: snapshot '" + tag + "' on " + ctx.host() + " holds no files of keyspace(s) "
                        + String.join(", ", missing) + " (misspelt, or not part of the snapshot?)");
            }
        }
        BackupLocation archive = dest.resolve(name + c.suffix());
        BackupLocation manifest = dest.resolve(name + Locations.MANIFEST_SUFFIX);
        CreateJob job = new CreateJob(tag, dest, name, c, level, keyspaces, dataDirs, archive, manifest, found, null);
        if (differential) {
            job = new CreateJob(tag, dest, name, Compression.NONE, 0, keyspaces, dataDirs, null, manifest, found,
                    Differential.resolve(ctx, dest, name));
        }
        return job;
    }

    /** The existing manifest when it matches the snapshot now and the archive is intact by size; else null. */
    private static SnapshotManifest upToDate(CreateJob job, ModuleContext ctx) {
        SnapshotManifest m;
        try {
            if (!Locations.isFile(job.manifest()) || !Locations.isFile(job.archive())) {
                return null;
            }
            m = SnapshotManifest.parse(job.manifest().store().readAll(job.manifest().path()),
                    job.manifest().toString());
            if (m.differential()) {
                return null;
            }
            long size = job.archive().store().stat(job.archive().path()).map(FileStat::size).orElse(-1L);
            if (size != m.archive().bytes()) {
                ctx.log("archive " + job.archive() + " has not the size its manifest records; rewriting");
                return null;
            }
        } catch (IOException | ModuleException e) {
            ctx.log("ignoring unreadable manifest " + job.manifest() + ": " + e.getMessage());
            return null;
        }
        if (!job.tag().equals(m.snapshot()) || !job.archive().name().equals(m.archive().file())) {
            return null;
        }
        List<String> have = m.files().stream().map(f -> f.path() + "\0" + f.size()).sorted().toList();
        List<String> now = job.found().files().stream().map(f -> f.entryPath() + "\0" + f.size()).sorted().toList();
        return have.equals(now) ? m : null;
    }

    private static Map<String, Object> registered(CreateJob job, SnapshotManifest m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("archive", job.archive().toString());
        d.put("manifest", job.manifest().toString());
        d.put("files", m.totals().files());
        d.put("bytes", m.totals().bytes());
        d.put("archive_bytes", m.archive().bytes());
        d.put("sha256", m.archive().sha256());
        return d;
    }
}
