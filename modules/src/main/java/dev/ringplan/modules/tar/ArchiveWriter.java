package dev.ringplan.modules.tar;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.modules.backup.BackupStore;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Streams snapshot files from a node into a tar archive on the controller (commons-compress),
 * computing the SHA-256 of every file and of the archive on the fly. The archive goes to a
 * {@link BackupStore} (controller directory or another host over SFTP). Each file is read once
 * through {@link Connection#openRead} and written straight into the archive: no temporary copy
 * on the node and no whole-file buffer on the controller (one 256 KiB buffer).
 *
 * <p>The archive is written to {@code <archive>.partial}, synced to disk, then renamed
 * atomically, so a crash never leaves a half archive under the final name. Tar format: POSIX
 * (pax headers for names over 100 bytes and sizes over 8 GiB), entries mode 0644, owner empty.
 */
public final class ArchiveWriter {
    private static final int BUF = 256 * 1024;

    private ArchiveWriter() {
    }

    /**
     * What was written.
     *
     * @param archive the final archive path
     * @param bytes   archive size in bytes
     * @param sha256  archive SHA-256, lower-case hex
     * @param files   one entry per archived file, in archive order, with its SHA-256
     */
    public record Written(String archive, long bytes, String sha256, List<SnapshotManifest.FileEntry> files) {
    }

    /**
     * Writes {@code files} into {@code archive}.
     *
     * @param conn        connection of the node holding the files
     * @param files       the files, in the order wanted in the archive
     * @param store       the backup storage receiving the archive
     * @param archive     final archive path on {@code store}; its directory must exist
     * @param compression compression to apply
     * @param level       compression level ({@link Compression#checkLevel} passed)
     * @throws ModuleException when a file cannot be read, changed size while being read, or the
     *                         archive cannot be written; the partial file is removed
     */
    public static Written write(Connection conn, List<SnapshotFile> files, BackupStore store, String archive,
                                Compression compression, int level) throws ModuleException {
        String partial = archive + ".partial";
        List<SnapshotManifest.FileEntry> entries = new ArrayList<>(files.size());
        DigestingOutputStream counted;
        try {
            store.delete(partial);
            counted = new DigestingOutputStream(store.openWrite(partial));
        } catch (IOException e) {
            throw new ModuleException("cannot create " + store.display(partial) + ": " + e.getMessage(), e);
        }
        boolean done = false;
        try {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(
                    compression.wrap(new BufferedOutputStream(counted, 1 << 20), level));
            try (tar) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                tar.setAddPaxHeadersForNonAsciiNames(true);
                byte[] buf = new byte[BUF];
                for (SnapshotFile f : files) {
                    entries.add(copyOne(conn, f, tar, buf));
                }
                tar.finish();
            }
            store.rename(partial, archive, true);
            done = true;
            return new Written(archive, counted.count, counted.hex(), List.copyOf(entries));
        } catch (IOException e) {
            throw new ModuleException("cannot write archive " + store.display(partial) + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                try {
                    counted.close();
                } catch (IOException ignored) {
                    // already failing; the partial file is removed below
                }
                try {
                    store.delete(partial);
                } catch (IOException ignored) {
                    // best effort: a leftover .partial never looks like a finished archive
                }
            }
        }
    }

    /**
     * Copies exactly {@code f.size()} bytes of {@code f} from the node to {@code out}, hashing them.
     *
     * @return the SHA-256, lower-case hex
     * @throws ModuleException when the file cannot be read or changed size while being read
     */
    static String copyFile(Connection conn, SnapshotFile f, OutputStream out, byte[] buf)
            throws IOException, ModuleException {
        MessageDigest md = sha256();
        try (InputStream in = conn.openRead(f.sourcePath())) {
            long remaining = f.size();
            while (remaining > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
                if (n < 0) {
                    throw new ModuleException(conn.host() + ": " + f.sourcePath() + " shrank while being archived: "
                            + (f.size() - remaining) + " of " + f.size() + " bytes read; snapshot files must not change");
                }
                md.update(buf, 0, n);
                out.write(buf, 0, n);
                remaining -= n;
            }
            if (in.read() >= 0) {
                throw new ModuleException(conn.host() + ": " + f.sourcePath() + " grew while being archived (listed at "
                        + f.size() + " bytes); snapshot files must not change");
            }
        } catch (ConnectionException ce) {
            throw new ModuleException("cannot read " + f.sourcePath() + " on " + conn.host() + ": " + ce.getMessage(), ce);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static SnapshotManifest.FileEntry copyOne(Connection conn, SnapshotFile f, TarArchiveOutputStream tar,
                                                      byte[] buf) throws IOException, ModuleException {
        TarArchiveEntry e = new TarArchiveEntry(f.entryPath());
        e.setSize(f.size());
        e.setModTime(f.mtimeMillis());
        e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE);
        e.setUserName("");
        e.setGroupName("");
        tar.putArchiveEntry(e);
        String sha = copyFile(conn, f, tar, buf);
        tar.closeArchiveEntry();
        return new SnapshotManifest.FileEntry(f.entryPath(), f.size(), sha, f.dataDirIndex());
    }

    /** A new SHA-256 digest (every JDK has it). */
    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }

    /** Counts and digests what goes to the file (the store's stream syncs it on close). */
    private static final class DigestingOutputStream extends FilterOutputStream {
        private final OutputStream file;
        private final MessageDigest md = sha256();
        private long count;
        private boolean closed;

        DigestingOutputStream(OutputStream file) {
            super(file);
            this.file = file;
        }

        @Override
        public void write(int b) throws IOException {
            file.write(b);
            md.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            file.write(b, off, len);
            md.update(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            file.close();
        }

        String hex() {
            return HexFormat.of().formatHex(md.digest());
        }
    }
}
