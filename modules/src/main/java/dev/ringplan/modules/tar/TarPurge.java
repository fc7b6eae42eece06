package dev.ringplan.modules.tar;

import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.backup.BackupLocation;
import dev.ringplan.modules.backup.ContentStore;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code tar} {@code action: purge}: retention over a backup root. A backup is a subdirectory
 * of the root (its tag) holding at least one {@code *.manifest.json}; its time is the newest
 * {@code created} of its manifests. Expired backups lose their manifests (first) and archives;
 * then every store file no kept manifest references is deleted. A manifest that cannot be read
 * stops the purge before anything is deleted: what it references is unknown.
 */
final class TarPurge {
    private TarPurge() {
    }

    /** One backup (tag directory). */
    private record Backup(String tag, BackupLocation dir, Instant created, List<BackupLocation> manifests,
                          List<SnapshotManifest> parsed) {
    }

    /** What a purge deletes (or would): the expired backups, their files, the unreferenced store files. */
    private record PurgeSelection(BackupLocation root, ContentStore store, List<Backup> expired, List<Backup> kept,
                        List<BackupLocation> backupFiles, long backupBytes, List<BackupLocation> storeFiles,
                        long storeBytes) {
        long files() {
            return backupFiles.size() + storeFiles.size();
        }

        long bytes() {
            return backupBytes + storeBytes;
        }
    }

    /** Check mode: lists the backups and store files that would be deleted; deletes nothing. */
    static Preview check(ModuleContext ctx) throws ModuleException {
        PurgeSelection p = select(ctx);
        if (p.files() == 0) {
            return Preview.noChange(nothing(p)).withData(data(p));
        }
        List<String> cmds = new ArrayList<>();
        for (Backup b : p.expired) {
            cmds.add("delete backup " + b.tag + " (created " + b.created + ")");
        }
        if (!p.storeFiles.isEmpty()) {
            cmds.add("delete " + p.storeFiles.size() + " unreferenced store files (" + p.storeBytes + " bytes) in "
                    + p.store.root());
        }
        return Preview.willChange("would delete " + summary(p), cmds).withData(data(p));
    }

    /** Deletes the expired backups (manifests first), then the unreferenced store files. */
    static Result apply(ModuleContext ctx) throws ModuleException {
        PurgeSelection p = select(ctx);
        if (p.files() == 0) {
            return Result.ok(nothing(p)).withData(data(p));
        }
        try {
            for (BackupLocation f : p.backupFiles) {
                f.store().delete(f.path());
            }
            for (Backup b : p.expired) {
                if (b.dir.store().list(b.dir.path()).isEmpty()) {
                    b.dir.store().delete(b.dir.path());
                } else {
                    ctx.log("kept directory " + b.dir + ": it holds files that are not part of the backup");
                }
            }
            Set<String> prefixes = new HashSet<>();
            for (BackupLocation f : p.storeFiles) {
                f.store().delete(f.path());
                prefixes.add(f.parent().path());
            }
            for (String d : prefixes) {
                if (p.store.root().store().list(d).isEmpty()) {
                    p.store.root().store().delete(d);
                }
            }
        } catch (IOException e) {
            throw new ModuleException("tar purge of " + p.root + " interrupted: " + e.getMessage(), e);
        }
        return Result.changed("deleted " + summary(p))
                .withCommands(p.expired.stream().map(b -> "delete backup " + b.tag).toList())
                .withData(data(p));
    }

    private static String nothing(PurgeSelection p) {
        return "nothing to purge under " + p.root + ": " + p.kept.size() + " backup(s) kept, no unreferenced store file";
    }

    private static String summary(PurgeSelection p) {
        return p.expired.size() + " backup(s) (" + String.join(", ", p.expired.stream().map(Backup::tag).toList())
                + ") and " + p.storeFiles.size() + " unreferenced store files: " + p.files() + " files, " + p.bytes()
                + " bytes under " + p.root + "; kept " + p.kept.size();
    }

    private static Map<String, Object> data(PurgeSelection p) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("root", p.root.toString());
        d.put("store", p.store.root().toString());
        d.put("deleted_backups", p.expired.stream().map(Backup::tag).toList());
        d.put("deleted_files", p.files());
        d.put("deleted_store_files", (long) p.storeFiles.size());
        d.put("freed_bytes", p.bytes());
        d.put("kept", p.kept.stream().map(Backup::tag).toList());
        return d;
    }

    private static PurgeSelection select(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        // root, and keep_last and/or older_than_days, are the spec's rules for action purge.
        Long keepLast = a.has("keep_last") ? a.integer("keep_last", 0) : null;
        Long days = a.has("older_than_days") ? a.integer("older_than_days", 0) : null;
        if (keepLast != null && keepLast < 1) {
            throw new ModuleException("tar: keep_last must be at least 1 (got " + keepLast + ")");
        }
        if (days != null && days < 0) {
            throw new ModuleException("tar: older_than_days must not be negative (got " + days + ")");
        }
        BackupLocation root = Locations.location("root", a.str("root"), ctx);
        BackupLocation storeLoc = a.has("store") ? Locations.location("store", a.str("store"), ctx)
                : root.resolve("store");
        if (!storeLoc.store().display("").equals(root.store().display(""))) {
            throw new ModuleException("tar: store " + storeLoc + " must be on the same storage as root " + root);
        }
        ContentStore store = new ContentStore(storeLoc);
        try {
            if (root.store().stat(root.path()).map(f -> !f.isDirectory()).orElse(true)) {
                if (ctx.checkMode()) {
                    return new PurgeSelection(root, store, List.of(), List.of(), List.of(), 0, List.of(), 0);
                }
                throw new ModuleException("tar: backup root " + root + " does not exist or is not a directory");
            }
            List<Backup> backups = backups(root, storeLoc);
            backups.sort(Comparator.comparing(Backup::created).reversed().thenComparing(Backup::tag));
            Instant cutoff = days == null ? null : Instant.now().minus(days, ChronoUnit.DAYS);
            List<Backup> expired = new ArrayList<>();
            List<Backup> kept = new ArrayList<>();
            for (int i = 0; i < backups.size(); i++) {
                Backup b = backups.get(i);
                boolean beyond = keepLast != null && i >= keepLast;
                boolean old = cutoff != null && b.created.isBefore(cutoff);
                boolean exp = keepLast != null && cutoff != null ? beyond && old : beyond || old;
                (exp ? expired : kept).add(b);
            }
            List<BackupLocation> files = new ArrayList<>();
            long bytes = 0;
            for (Backup b : expired) {
                for (int i = 0; i < b.manifests.size(); i++) {
                    BackupLocation m = b.manifests.get(i);
                    bytes += size(m);
                    SnapshotManifest pm = b.parsed.get(i);
                    if (!pm.differential() && pm.archive() != null && pm.archive().file() != null
                            && ArchiveReader.checkEntryPath(pm.archive().file()) == null
                            && !pm.archive().file().contains("/")) {
                        BackupLocation arch = b.dir.resolve(pm.archive().file());
                        long s = size(arch);
                        if (s >= 0) {
                            files.add(arch);
                            bytes += s;
                        }
                    }
                }
            }
            Set<String> referenced = new HashSet<>();
            for (Backup b : kept) {
                for (SnapshotManifest m : b.parsed) {
                    if (!m.differential()) {
                        continue; // a full backup's files are in its archive
                    }
                    for (SnapshotManifest.FileEntry f : m.files()) {
                        if (f.sha256() != null) {
                            referenced.add(f.sha256());
                        }
                    }
                }
            }
            List<BackupLocation> storeFiles = new ArrayList<>();
            long storeBytes = 0;
            for (FileStat pre : storeLoc.store().list(storeLoc.path())) {
                if (!pre.isDirectory() || !pre.name().matches("[0-9a-f]{2}")) {
                    continue; // .tmp and anything else is not ours to judge
                }
                BackupLocation preDir = storeLoc.resolve(pre.name());
                for (FileStat f : preDir.store().list(preDir.path())) {
                    if (f.isFile() && ContentStore.SHA256.matcher(f.name()).matches() && f.name().startsWith(pre.name())
                            && !referenced.contains(f.name())) {
                        storeFiles.add(preDir.resolve(f.name()));
                        storeBytes += f.size();
                    }
                }
            }
            List<BackupLocation> all = new ArrayList<>();
            for (Backup b : expired) {
                all.addAll(b.manifests); // manifests first: a backup without manifest is incomplete, never half-valid
            }
            all.addAll(files);
            return new PurgeSelection(root, store, expired, kept, all, bytes, storeFiles, storeBytes);
        } catch (IOException e) {
            throw new ModuleException("tar: cannot read backup root " + root + ": " + e.getMessage(), e);
        }
    }

    /** Size of a file, or -1 when absent. */
    private static long size(BackupLocation l) throws IOException {
        return l.store().stat(l.path()).filter(FileStat::isFile).map(FileStat::size).orElse(-1L);
    }

    /** Every tag directory under {@code root} (not the store, not hidden) holding manifests. */
    private static List<Backup> backups(BackupLocation root, BackupLocation store) throws IOException, ModuleException {
        List<Backup> out = new ArrayList<>();
        for (FileStat d : root.store().list(root.path())) {
            BackupLocation dir = root.resolve(d.name());
            if (!d.isDirectory() || d.name().startsWith(".") || dir.path().equals(store.path())) {
                continue;
            }
            List<BackupLocation> ms = new ArrayList<>();
            List<SnapshotManifest> parsed = new ArrayList<>();
            Instant newest = null;
            for (FileStat f : dir.store().list(dir.path())) {
                if (!f.isFile() || !f.name().endsWith(Locations.MANIFEST_SUFFIX)) {
                    continue;
                }
                BackupLocation m = dir.resolve(f.name());
                SnapshotManifest sm;
                Instant created;
                try {
                    sm = SnapshotManifest.parse(m.store().readAll(m.path()), m.toString());
                    created = Instant.parse(String.valueOf(sm.created()));
                } catch (IOException | DateTimeParseException e) {
                    throw new ModuleException("tar: cannot read manifest " + m + " (" + e.getMessage() + "); purge"
                            + " deletes nothing while a manifest's references are unknown: fix or remove it by hand");
                }
                ms.add(m);
                parsed.add(sm);
                newest = newest == null || created.isAfter(newest) ? created : newest;
            }
            if (!ms.isEmpty()) {
                out.add(new Backup(d.name(), dir, newest, ms, parsed));
            }
        }
        return out;
    }
}
