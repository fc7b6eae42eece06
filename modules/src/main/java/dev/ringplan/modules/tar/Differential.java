package dev.ringplan.modules.tar;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.backup.BackupLocation;
import dev.ringplan.modules.backup.ContentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code tar} create with {@code mode: differential}: every snapshot file is kept once in a
 * {@link ContentStore} shared by all backups under the same root, and the backup itself is only
 * its manifest ({@code mode: differential}, {@code store}, per-file SHA-256 and mtime,
 * {@code stored_bytes}).
 *
 * <p>Which files are read from the node: a file whose path, size and modification time equal an
 * entry of the previous manifest ({@code previous:}, else the newest
 * {@code <root>/*}{@code /<name>.manifest.json} by file time) and whose name is an SSTable component
 * ({@code <version>-<generation>-<format>-<Component>}; SSTable files are immutable once
 * written, Cassandra's Descriptor naming) takes that entry's SHA-256 without being read, when
 * the store holds that content with that size. Every other file (new SSTables, snapshot
 * {@code manifest.json}/{@code schema.cql}) is streamed once from the node into
 * {@code <store>/.tmp/}, hashed on the way, then renamed to its hash, or dropped when the store
 * already had that content.
 */
final class Differential {
    /** An SSTable component file name (Cassandra Descriptor: version-generation-format-Component). */
    static final Pattern SSTABLE_COMPONENT = Pattern.compile("^[a-z]{2}-[0-9a-z_]+-[a-z]+-[A-Za-z0-9_]+\\.(db|txt|crc32)$");
    private static final int BUF = 256 * 1024;

    final ContentStore store;
    final String storeRef;
    final BackupLocation previous;

    private Differential(ContentStore store, String storeRef, BackupLocation previous) {
        this.store = store;
        this.storeRef = storeRef;
        this.previous = previous;
    }

    /** Resolves the store and previous-manifest arguments of a differential create. */
    static Differential resolve(ModuleContext ctx, BackupLocation dest, String name) throws ModuleException {
        if (dest.path().equals("/")) {
            throw new ModuleException("tar: dest must not be / for mode: differential (the store goes beside it)");
        }
        BackupLocation root = dest.parent();
        BackupLocation store;
        String ref;
        if (ctx.args().has("store")) {
            store = Locations.location("store", ctx.args().str("store"), ctx);
            if (!store.store().display("").equals(dest.store().display(""))) {
                throw new ModuleException("tar: store " + store + " must be on the same storage as dest " + dest);
            }
            ref = store.path();
        } else {
            store = root.resolve("store");
            ref = "../store";
        }
        if (dest.path().equals(store.path()) || dest.path().startsWith(store.path() + "/")) {
            throw new ModuleException("tar: dest " + dest + " lies in the store " + store);
        }
        BackupLocation prev = null;
        if (ctx.args().has("previous")) {
            prev = Locations.location("previous", ctx.args().str("previous"), ctx);
            if (!Locations.isFile(prev)) {
                throw new ModuleException("tar: previous manifest " + prev + " not found");
            }
        } else {
            prev = newestManifest(root, store, name);
        }
        return new Differential(new ContentStore(store), ref, prev);
    }

    /** The newest {@code <root>/<tag>/<name>.manifest.json} by modification time, or null. */
    private static BackupLocation newestManifest(BackupLocation root, BackupLocation store, String name)
            throws ModuleException {
        BackupLocation best = null;
        long bestTime = Long.MIN_VALUE;
        try {
            for (FileStat d : root.store().list(root.path())) {
                if (!d.isDirectory() || d.name().startsWith(".") || root.resolve(d.name()).path().equals(store.path())) {
                    continue;
                }
                BackupLocation m = root.resolve(d.name()).resolve(name + Locations.MANIFEST_SUFFIX);
                Optional<FileStat> st = m.store().stat(m.path());
                if (st.isPresent() && st.get().isFile() && st.get().mtimeMillis() > bestTime) {
                    best = m;
                    bestTime = st.get().mtimeMillis();
                }
            }
        } catch (IOException e) {
            throw new ModuleException("tar: cannot list backup root " + root + ": " + e.getMessage(), e);
        }
        return best;
    }

    /** Entries of the previous manifest by path, when it is a readable differential manifest; else empty. */
    private Map<String, SnapshotManifest.FileEntry> previousEntries(ModuleContext ctx) {
        Map<String, SnapshotManifest.FileEntry> out = new HashMap<>();
        if (previous == null) {
            return out;
        }
        try {
            SnapshotManifest m = SnapshotManifest.parse(previous.store().readAll(previous.path()), previous.toString());
            if (!m.differential()) {
                ctx.log("previous manifest " + previous + " is not differential; every file is read");
                return out;
            }
            for (SnapshotManifest.FileEntry f : m.files()) {
                if (f.mtimeMillis() != null && f.sha256() != null && ContentStore.SHA256.matcher(f.sha256()).matches()) {
                    out.put(f.path(), f);
                }
            }
        } catch (IOException e) {
            ctx.log("ignoring unreadable previous manifest " + previous + ": " + e.getMessage());
        }
        return out;
    }

    /** The previous entry whose SHA-256 may be trusted for {@code f}, or null. */
    private static SnapshotManifest.FileEntry reusable(Map<String, SnapshotManifest.FileEntry> prev, SnapshotFile f) {
        SnapshotManifest.FileEntry p = prev.get(f.entryPath());
        String fn = f.entryPath().substring(f.entryPath().lastIndexOf('/') + 1);
        if (p == null || p.size() != f.size() || p.mtimeMillis() == null || p.mtimeMillis() != f.mtimeMillis()
                || !SSTABLE_COMPONENT.matcher(fn).matches()) {
            return null;
        }
        return p;
    }

    /** The existing manifest when it records exactly the snapshot's files now and the store holds them all. */
    private static SnapshotManifest upToDate(ModuleContext ctx, CreateJob job) {
        Differential d = job.diff();
        try {
            if (!Locations.isFile(job.manifest())) {
                return null;
            }
            SnapshotManifest m = SnapshotManifest.parse(job.manifest().store().readAll(job.manifest().path()),
                    job.manifest().toString());
            if (!m.differential() || !job.tag().equals(m.snapshot()) || !d.storeRef.equals(m.store())) {
                return null;
            }
            List<String> have = m.files().stream().map(f -> f.path() + "\0" + f.size() + "\0" + f.mtimeMillis())
                    .sorted().toList();
            List<String> now = job.found().files().stream().map(f -> f.entryPath() + "\0" + f.size() + "\0"
                    + f.mtimeMillis()).sorted().toList();
            if (!have.equals(now)) {
                return null;
            }
            for (SnapshotManifest.FileEntry f : m.files()) {
                if (!d.store.has(f.sha256(), f.size())) {
                    ctx.log("store file " + d.store.locate(f.sha256()) + " of " + f.path() + " is missing; storing again");
                    return null;
                }
            }
            return m;
        } catch (IOException | ModuleException | IllegalArgumentException e) {
            ctx.log("ignoring unusable manifest " + job.manifest() + ": " + e.getMessage());
            return null;
        }
    }

    /** Check mode (and the check before apply): reads the listing and manifests only. */
    static Preview check(ModuleContext ctx, CreateJob job) throws ModuleException {
        Differential d = job.diff();
        SnapshotManifest current = upToDate(ctx, job);
        if (current != null) {
            return Preview.noChange("differential backup " + job.manifest() + " is up to date ("
                    + job.found().describe() + ")").withData(registered(job, current, 0, 0, 0,
                    current.totals().files()));
        }
        Map<String, SnapshotManifest.FileEntry> prev = d.previousEntries(ctx);
        long known = 0;
        long knownBytes = 0;
        for (SnapshotFile f : job.found().files()) {
            if (reusable(prev, f) != null) {
                known++;
                knownBytes += f.size();
            }
        }
        long toRead = job.found().files().size() - known;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("manifest", job.manifest().toString());
        data.put("store", d.store.root().toString());
        data.put("mode", "differential");
        data.put("files", (long) job.found().files().size());
        data.put("bytes", job.found().totalBytes());
        // What the store already holds, and so what is read and uploaded, is known after apply.
        for (String k : List.of("uploaded_files", "uploaded_bytes", "reused_files", "reused_bytes", "read_bytes")) {
            data.put(k, null);
        }
        data.put("unchanged_files", known);
        return Preview.willChange("would back up " + job.found().describe() + " of snapshot '" + job.tag()
                + "' into store " + d.store.root() + ": " + known + " files (" + knownBytes + " bytes) unchanged since "
                + (d.previous == null ? "-" : d.previous.toString()) + ", " + toRead + " files ("
                + (job.found().totalBytes() - knownBytes) + " bytes) to read and store unless already there",
                List.of("store " + toRead + " files in " + d.store.root(), "write " + job.manifest())).withData(data);
    }

    /** Stores the snapshot's files and writes the manifest. */
    static Result apply(ModuleContext ctx, CreateJob job) throws ModuleException {
        Differential d = job.diff();
        SnapshotManifest current = upToDate(ctx, job);
        if (current != null) {
            return Result.ok("differential backup " + job.manifest() + " is up to date ("
                    + job.found().describe() + ")").withData(registered(job, current, 0, 0, 0,
                    current.totals().files()));
        }
        Map<String, SnapshotManifest.FileEntry> prev = d.previousEntries(ctx);
        Connection conn = Locations.connection(ctx);
        long t0 = System.nanoTime();
        ctx.log("backing up " + job.found().describe() + " of snapshot '" + job.tag() + "' into store "
                + d.store.root() + (d.previous == null ? "" : " (previous: " + d.previous + ")"));
        List<SnapshotManifest.FileEntry> entries = new ArrayList<>();
        long uploadedFiles = 0;
        long uploadedBytes = 0;
        long readBytes = 0;
        long unchanged = 0;
        byte[] buf = new byte[BUF];
        for (SnapshotFile f : job.found().files()) {
            SnapshotManifest.FileEntry p = reusable(prev, f);
            String sha = null;
            try {
                if (p != null && d.store.has(p.sha256(), f.size())) {
                    sha = p.sha256();
                    unchanged++;
                } else {
                    ContentStore.Temp t = d.store.openTemp();
                    try {
                        sha = ArchiveWriter.copyFile(conn, f, t.out(), buf);
                        t.out().close();
                        readBytes += f.size();
                        if (d.store.commit(t, sha, f.size())) {
                            uploadedFiles++;
                            uploadedBytes += f.size();
                        }
                    } catch (IOException | ModuleException | RuntimeException e) {
                        d.store.discard(t);
                        throw e;
                    }
                }
            } catch (IOException e) {
                throw new ModuleException("cannot store " + f.sourcePath() + " of " + ctx.host() + " in "
                        + d.store.root() + ": " + e.getMessage(), e);
            }
            entries.add(new SnapshotManifest.FileEntry(f.entryPath(), f.size(), sha, f.dataDirIndex(), f.mtimeMillis()));
        }
        long total = job.found().totalBytes();
        SnapshotManifest base = CreateJob.newManifest(ctx, job, new ArchiveWriter.Written(null, 0, null, entries));
        SnapshotManifest.StoredBytes sb = new SnapshotManifest.StoredBytes(uploadedFiles, uploadedBytes,
                entries.size() - uploadedFiles, total - uploadedBytes, readBytes);
        SnapshotManifest m = new SnapshotManifest(base.format(), base.formatVersion(), base.host(), base.listenAddress(),
                base.cassandraVersion(), base.snapshot(), base.created(), "none", 0, null, base.dataDirs(),
                base.keyspaces(), base.tokens(), base.schemaFiles(), base.files(), base.totals(),
                SnapshotManifest.DIFFERENTIAL, d.storeRef, sb);
        String oldArchive = oldArchive(job);
        try {
            job.destDir().store().mkdirs(job.destDir().path());
        } catch (IOException e) {
            throw new ModuleException("cannot create " + job.destDir() + ": " + e.getMessage(), e);
        }
        Locations.writeAtomically(job.manifest(), m.toJson());
        if (oldArchive != null) {
            try {
                job.destDir().store().delete(job.destDir().resolve(oldArchive).path());
            } catch (IOException e) {
                ctx.log("could not delete the replaced archive " + job.destDir().resolve(oldArchive) + ": " + e.getMessage());
            }
        }
        double secs = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
        ctx.log(String.format(Locale.ROOT, "stored %d new files (%d bytes), reused %d; read %d bytes in %.1f s",
                uploadedFiles, uploadedBytes, sb.reusedFiles(), readBytes, secs));
        return Result.changed("backed up " + job.found().describe() + " of snapshot '" + job.tag() + "': "
                        + uploadedFiles + " new files (" + uploadedBytes + " bytes) stored in " + d.store.root() + ", "
                        + sb.reusedFiles() + " already there; manifest " + job.manifest())
                .withCommands(List.of("store " + uploadedFiles + " files in " + d.store.root(), "write " + job.manifest()))
                .withData(registered(job, m, uploadedFiles, uploadedBytes, readBytes, unchanged));
    }

    /** The archive file named by a full-backup manifest being replaced, or null. */
    private static String oldArchive(CreateJob job) {
        try {
            if (!Locations.isFile(job.manifest())) {
                return null;
            }
            SnapshotManifest old = SnapshotManifest.parse(job.manifest().store().readAll(job.manifest().path()),
                    job.manifest().toString());
            String f = old.differential() || old.archive() == null ? null : old.archive().file();
            return f != null && ArchiveReader.checkEntryPath(f) == null && !f.contains("/") ? f : null;
        } catch (IOException | ModuleException e) {
            return null;
        }
    }

    private static Map<String, Object> registered(CreateJob job, SnapshotManifest m, long uploadedFiles,
                                                  long uploadedBytes, long readBytes, long unchanged) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("manifest", job.manifest().toString());
        d.put("store", job.diff().store.root().toString());
        d.put("mode", "differential");
        d.put("files", m.totals().files());
        d.put("bytes", m.totals().bytes());
        d.put("uploaded_files", uploadedFiles);
        d.put("uploaded_bytes", uploadedBytes);
        d.put("reused_files", m.totals().files() - uploadedFiles);
        d.put("reused_bytes", m.totals().bytes() - uploadedBytes);
        d.put("read_bytes", readBytes);
        d.put("unchanged_files", unchanged);
        return d;
    }
}
