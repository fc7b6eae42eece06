package dev.ringplan.modules.tar;

import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.modules.backup.BackupLocation;
import dev.ringplan.modules.backup.ContentStore;
import java.io.IOException;
import java.util.List;

/**
 * A stored backup, as {@code action: extract} and {@code action: verify} find it: archive (null
 * when differential), manifest file, parsed manifest, compression, content store (differential
 * only). {@link #locate} finds it from the task's {@code src} or {@code dest} + {@code name}.
 *
 * @param archive      the archive file; null for a differential backup
 * @param manifestPath the {@code <name>.manifest.json} file
 * @param manifest     its content
 * @param compression  the archive's compression ({@link Compression#NONE} when differential)
 * @param store        the content store of a differential backup; else null
 */
record StoredBackup(BackupLocation archive, BackupLocation manifestPath, SnapshotManifest manifest,
                    Compression compression, ContentStore store) {
    /** How the backup is named in messages. */
    String source() {
        return archive != null ? archive.toString() : "differential backup " + manifestPath;
    }

    /** Reads the backup (every file when {@code all}), checked against the manifest. */
    Restore.Source reader(boolean all) {
        if (store != null) {
            return sink -> StoreReader.read(store, manifest, sink, all);
        }
        return sink -> ArchiveReader.read(archive.store(), archive.path(), manifest, compression, sink);
    }

    /** The archive or manifest named by an extract or verify task does not exist. */
    static final class MissingBackup extends ModuleException {
        MissingBackup(String message) {
            super(message);
        }
    }

    /**
     * Finds the archive and manifest named by {@code src} or {@code dest} + {@code name}, and
     * checks they belong together.
     *
     * @throws MissingBackup when the manifest or the archive it names does not exist
     * @throws ModuleException for an unreadable manifest, or an archive and
     *                         manifest that do not belong together
     */
    static StoredBackup locate(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        BackupLocation manifestPath;
        BackupLocation named = null;
        if (a.has("src")) {
            BackupLocation p = Locations.location("src", a.str("src"), ctx);
            String fn = p.name();
            if (fn.endsWith(Locations.MANIFEST_SUFFIX) && fn.length() > Locations.MANIFEST_SUFFIX.length()) {
                manifestPath = p;
            } else {
                Compression c = Compression.ofFileName(fn);
                if (c == null) {
                    throw new ModuleException("tar: src '" + a.str("src") + "' must name an archive (.tar, .tar.gz,"
                            + " .tar.zst) or its .manifest.json");
                }
                named = p;
                manifestPath = p.parent().resolve(fn.substring(0, fn.length() - c.suffix().length())
                        + Locations.MANIFEST_SUFFIX);
            }
        } else {  // the spec's rules give src or dest
            manifestPath = Locations.location("dest", a.str("dest"), ctx)
                    .resolve(Locations.archiveName(ctx) + Locations.MANIFEST_SUFFIX);
        }
        if (!Locations.isFile(manifestPath)) {
            throw new MissingBackup("tar: manifest " + manifestPath + " not found"
                    + (named == null ? "" : " beside " + named) + "; an archive without its manifest is incomplete");
        }
        SnapshotManifest m;
        try {
            m = SnapshotManifest.parse(manifestPath.store().readAll(manifestPath.path()), manifestPath.toString());
        } catch (IOException e) {
            throw new ModuleException("tar: cannot read manifest " + manifestPath + ": " + e.getMessage(), e);
        }
        if (a.has("snapshot") && !a.str("snapshot").equals(m.snapshot())) {
            throw new ModuleException("tar: " + manifestPath + " holds snapshot '" + m.snapshot() + "', not '"
                    + a.str("snapshot") + "'");
        }
        if (m.differential()) {
            if (named != null) {
                throw new ModuleException("tar: " + manifestPath + " describes a differential backup (files in a"
                        + " content store), not archive " + named + "; give the manifest as src");
            }
            return new StoredBackup(null, manifestPath, m, Compression.NONE, new ContentStore(storeOf(manifestPath, m)));
        }
        String file = m.archive().file();
        if (file == null || ArchiveReader.checkEntryPath(file) != null || file.contains("/")) {
            throw new ModuleException("tar: manifest " + manifestPath + " names archive '" + file
                    + "', not a plain file name");
        }
        if (named != null && !named.name().equals(file)) {
            throw new ModuleException("tar: manifest " + manifestPath + " describes archive " + file + ", not " + named);
        }
        BackupLocation archive = manifestPath.parent().resolve(file);
        Compression c;
        try {
            c = Compression.parse(String.valueOf(m.compression()));
        } catch (IllegalArgumentException e) {
            throw new ModuleException("tar: manifest " + manifestPath + ": " + e.getMessage());
        }
        if (Compression.ofFileName(file) != c) {
            throw new ModuleException("tar: manifest " + manifestPath + " records compression " + c.argName()
                    + " but archive " + file + " is not named *" + c.suffix());
        }
        if (!Locations.isFile(archive)) {
            throw new MissingBackup("tar: archive " + archive + " not found (named by " + manifestPath + ")");
        }
        return new StoredBackup(archive, manifestPath, m, c, null);
    }

    /**
     * The content store a differential manifest refers to: its {@code store}, relative to the
     * manifest's directory or absolute, on the manifest's storage.
     */
    static BackupLocation storeOf(BackupLocation manifestPath, SnapshotManifest m) throws ModuleException {
        String ref = m.store();
        String p = BackupLocation.normalize(ref.startsWith("/") ? ref : manifestPath.parent().path() + "/" + ref);
        if (p == null || p.equals("/")) {
            throw new ModuleException("tar: manifest " + manifestPath + " names store '" + ref + "', not a directory");
        }
        return new BackupLocation(manifestPath.store(), p);
    }
}
