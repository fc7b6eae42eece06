package dev.ringplan.modules.tar;

import dev.ringplan.engine.module.ModuleException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import dev.ringplan.modules.backup.BackupStore;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Reads a snapshot archive written by {@link ArchiveWriter} once, front to back, checking it
 * against its {@link SnapshotManifest}: every entry must be a regular file with a safe relative
 * name ({@link #checkEntryPath}), listed in the manifest, met once, of the recorded size and
 * SHA-256; no manifest file may be missing; the archive file itself must have the recorded size
 * and SHA-256 (computed on the raw bytes as they are read, so the archive is read exactly once).
 *
 * <p>While reading, each entry's content can be handed to a {@link Sink} (extract writes it to a
 * staging file on the node); the caller must treat whatever a sink received as unverified until
 * {@link #read} returns normally.
 */
public final class ArchiveReader {
    private static final int BUF = 256 * 1024;

    private ArchiveReader() {
    }

    /** Receives the content of the entries it wants while the archive is read. */
    @FunctionalInterface
    public interface Sink {
        /**
         * Where to copy the content of {@code entry}, or null to only check it. Called after the
         * entry's name, type and size were checked; the stream is closed by the reader.
         *
         * @throws ModuleException when the destination cannot be opened
         */
        OutputStream open(SnapshotManifest.FileEntry entry) throws ModuleException;
    }

    /**
     * What a complete, successful read found.
     *
     * @param archiveBytes  size of the archive file, bytes
     * @param archiveSha256 its SHA-256, lower-case hex
     * @param files         entries checked
     * @param bytes         their total size, bytes
     */
    public record Verified(long archiveBytes, String archiveSha256, long files, long bytes) {
    }

    /**
     * Reads and checks {@code archive} against {@code manifest}.
     *
     * @param store       the backup storage holding the archive
     * @param archivePath the archive file on {@code store}
     * @param manifest    its manifest (paths already checked with {@link #checkEntryPath})
     * @param compression how the archive is compressed
     * @param sink        receives entry contents; null checks only
     * @throws ModuleException naming the file at fault: the archive (size or SHA-256 differ from
     *                         the manifest, corrupt, truncated) or the entry (not a regular file,
     *                         unsafe name, not in the manifest, twice in the archive, wrong size or
     *                         SHA-256, missing from the archive), or when a sink fails
     */
    public static Verified read(BackupStore store, String archivePath, SnapshotManifest manifest,
                                Compression compression, Sink sink) throws ModuleException {
        String archive = store.display(archivePath);
        Map<String, SnapshotManifest.FileEntry> expected = new LinkedHashMap<>();
        for (SnapshotManifest.FileEntry f : manifest.files()) {
            if (expected.put(f.path(), f) != null) {
                throw new ModuleException("manifest lists " + f.path() + " twice");
            }
        }
        long size;
        try {
            size = store.stat(archivePath).orElseThrow(() -> new IOException("not found")).size();
        } catch (IOException e) {
            throw new ModuleException("cannot read archive " + archive + ": " + e.getMessage(), e);
        }
        if (size != manifest.archive().bytes()) {
            throw new ModuleException("archive " + archive + " is " + size + " bytes but its manifest records "
                    + manifest.archive().bytes() + " (truncated or replaced)");
        }
        long files = 0;
        long bytes = 0;
        String current = null;
        try (DigestingInputStream raw = new DigestingInputStream(store.openRead(archivePath))) {
            try (TarArchiveInputStream tar = new TarArchiveInputStream(
                    compression.unwrap(new BufferedInputStream(raw, 1 << 20)))) {
                byte[] buf = new byte[BUF];
                TarArchiveEntry e;
                while ((e = tar.getNextEntry()) != null) {
                    String name = e.getName();
                    current = name;
                    String kind = refusedKind(e);
                    if (kind != null) {
                        throw new ModuleException("archive " + archive + ": refusing entry " + quote(name) + ": " + kind
                                + "; a snapshot archive holds only regular files");
                    }
                    String bad = checkEntryPath(name);
                    if (bad != null) {
                        throw new ModuleException("archive " + archive + ": refusing entry " + quote(name) + ": " + bad);
                    }
                    SnapshotManifest.FileEntry f = expected.remove(name);
                    if (f == null) {
                        throw new ModuleException("archive " + archive + ": refusing entry " + quote(name) + ": entry "
                                + name + (manifest.files().stream().anyMatch(x -> x.path().equals(name))
                                ? " appears twice in the archive" : " is not listed in the manifest (unexpected file)"));
                    }
                    if (e.getSize() != f.size()) {
                        throw new ModuleException("archive " + archive + ": refusing entry " + quote(name) + ": its header"
                                + " declares " + e.getSize() + " bytes but the manifest records " + f.size()
                                + (e.getSize() > f.size() ? " (a size bomb, or a corrupt archive)" : ""));
                    }
                    copyChecked(archive, tar, f, sink, buf);
                    files++;
                    bytes += f.size();
                }
                current = null;
                if (!expected.isEmpty()) {
                    List<String> missing = List.copyOf(expected.keySet());
                    throw new ModuleException("archive " + archive + " lacks " + missing.size() + " file(s) listed in"
                            + " the manifest: " + String.join(", ", missing.subList(0, Math.min(5, missing.size())))
                            + (missing.size() > 5 ? ", ..." : ""));
                }
                raw.drain();
            }
            if (raw.count != manifest.archive().bytes() || !raw.hex().equals(manifest.archive().sha256())) {
                throw new ModuleException("archive " + archive + " has SHA-256 " + raw.hex() + " (" + raw.count
                        + " bytes) but its manifest records " + manifest.archive().sha256() + " ("
                        + manifest.archive().bytes() + " bytes): corrupt, or manifest altered");
            }
            return new Verified(raw.count, raw.hex(), files, bytes);
        } catch (IOException e) {
            throw new ModuleException("archive " + archive + " is corrupt or truncated"
                    + (current == null ? "" : " (reading entry " + current + ")") + ": " + e.getMessage(), e);
        }
    }

    private static void copyChecked(String archive, InputStream tar, SnapshotManifest.FileEntry f, Sink sink, byte[] buf)
            throws IOException, ModuleException {
        MessageDigest md = ArchiveWriter.sha256();
        OutputStream out = sink == null ? null : sink.open(f);
        try {
            long remaining = f.size();
            while (remaining > 0) {
                int n = tar.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    throw new ModuleException("archive " + archive + " is truncated: entry " + f.path() + " ends after "
                            + (f.size() - remaining) + " of " + f.size() + " bytes");
                }
                md.update(buf, 0, n);
                if (out != null) {
                    out.write(buf, 0, n);
                }
                remaining -= n;
            }
        } finally {
            if (out != null) {
                out.close();
            }
        }
        String sha = HexFormat.of().formatHex(md.digest());
        if (!sha.equals(f.sha256())) {
            throw new ModuleException("archive " + archive + ": entry " + f.path() + " has SHA-256 " + sha
                    + " but the manifest records " + f.sha256() + " (corrupt archive or altered manifest)");
        }
    }

    /** Null for a regular file entry, else what the entry is. */
    private static String refusedKind(TarArchiveEntry e) {
        if (e.isSymbolicLink()) {
            return "symbolic link to " + quote(e.getLinkName());
        }
        if (e.isLink()) {
            return "hard link to " + quote(e.getLinkName());
        }
        if (e.isDirectory()) {
            return "directory";
        }
        if (e.isCharacterDevice() || e.isBlockDevice()) {
            return "device";
        }
        if (e.isFIFO()) {
            return "FIFO";
        }
        byte flag = e.getLinkFlag();
        if (flag != TarConstants.LF_NORMAL && flag != TarConstants.LF_OLDNORM) {
            return "entry type '" + (char) flag + "'";
        }
        return null;
    }

    /**
     * Checks that {@code path} (an archive entry or manifest path) is a plain relative path that
     * stays under the directory it is extracted into: not empty, not absolute, no {@code .} or
     * {@code ..} element, no empty element ({@code //}), no backslash, no control character.
     *
     * @return null when fine, else what is wrong
     */
    public static String checkEntryPath(String path) {
        if (path == null || path.isEmpty()) {
            return "empty path";
        }
        if (path.startsWith("/")) {
            return "absolute path";
        }
        if (path.indexOf('\\') >= 0) {
            return "backslash in path";
        }
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) < 0x20 || path.charAt(i) == 0x7f) {
                return "control character in path";
            }
        }
        for (String seg : path.split("/", -1)) {
            if (seg.equals("..")) {
                return "'..' in path would leave the target directory";
            }
            if (seg.isEmpty() || seg.equals(".")) {
                return "empty or '.' path element";
            }
        }
        return null;
    }

    private static String quote(String s) {
        return "'" + s + "'";
    }

    /** Counts and digests every byte read through it; {@link #drain} reads to the end. */
    private static final class DigestingInputStream extends FilterInputStream {
        private final MessageDigest md = ArchiveWriter.sha256();
        private long count;
        private String hex;

        DigestingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                md.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                md.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] b = new byte[(int) Math.min(n, 8192)];
            int r = read(b, 0, b.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        /** Reads what the decompressor and tar reader left (end-of-archive padding) so the digest covers the file. */
        void drain() throws IOException {
            byte[] b = new byte[65536];
            while (read(b, 0, b.length) >= 0) {
                // digesting only
            }
        }

        String hex() {
            if (hex == null) {
                hex = HexFormat.of().formatHex(md.digest());
            }
            return hex;
        }
    }
}
