package dev.ringplan.modules.tar;

import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.modules.backup.ContentStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * Reads the files of a differential backup from its {@link ContentStore}, checking each against
 * the manifest as {@link ArchiveReader} does for archive entries: safe path, listed once, a
 * stored file of the recorded size whose content has the recorded SHA-256.
 */
final class StoreReader {
    private static final int BUF = 256 * 1024;

    private StoreReader() {
    }

    /**
     * Reads and checks the manifest's files from {@code store}.
     *
     * @param all  true: read every file (verify); false: only those the sink wants (extract: a
     *             file the sink returns null for is neither read nor checked)
     * @param sink receives contents; null checks only
     * @return archive_bytes = bytes read from the store, no archive SHA-256
     * @throws ModuleException naming the manifest entry and the store file at fault (missing,
     *                         wrong size, wrong SHA-256, unreadable), or when a sink fails
     */
    static ArchiveReader.Verified read(ContentStore store, SnapshotManifest manifest, ArchiveReader.Sink sink,
                                       boolean all) throws ModuleException {
        Set<String> seen = new HashSet<>();
        byte[] buf = new byte[BUF];
        long files = 0;
        long bytes = 0;
        for (SnapshotManifest.FileEntry f : manifest.files()) {
            String bad = ArchiveReader.checkEntryPath(f.path());
            if (bad != null) {
                throw new ModuleException("manifest lists unsafe path '" + f.path() + "': " + bad);
            }
            if (!seen.add(f.path())) {
                throw new ModuleException("manifest lists " + f.path() + " twice");
            }
            if (f.sha256() == null || !ContentStore.SHA256.matcher(f.sha256()).matches()) {
                throw new ModuleException("manifest entry " + f.path() + " has no valid sha256");
            }
            OutputStream out = sink == null ? null : sink.open(f);
            if (out == null && !all) {
                continue;
            }
            String where = store.locate(f.sha256()).toString();
            try {
                MessageDigest md = ArchiveWriter.sha256();
                long n = 0;
                try (InputStream in = store.open(f.sha256())) {
                    int r;
                    while ((r = in.read(buf)) > 0) {
                        n += r;
                        if (n > f.size()) {
                            throw new ModuleException("store file " + where + " (" + f.path() + ") is larger than the "
                                    + f.size() + " bytes the manifest records: corrupt store");
                        }
                        md.update(buf, 0, r);
                        if (out != null) {
                            out.write(buf, 0, r);
                        }
                    }
                } finally {
                    if (out != null) {
                        out.close();
                    }
                }
                if (n != f.size()) {
                    throw new ModuleException("store file " + where + " (" + f.path() + ") is " + n
                            + " bytes but the manifest records " + f.size() + ": corrupt or truncated store");
                }
                String sha = HexFormat.of().formatHex(md.digest());
                if (!sha.equals(f.sha256())) {
                    throw new ModuleException("store file " + where + " (" + f.path() + ") has SHA-256 " + sha
                            + ", not the " + f.sha256() + " it is named after: corrupt store");
                }
            } catch (IOException e) {
                throw new ModuleException("cannot read store file " + where + " (" + f.path() + "): "
                        + e.getMessage(), e);
            }
            files++;
            bytes += f.size();
        }
        return new ArchiveReader.Verified(bytes, null, files, bytes);
    }
}
