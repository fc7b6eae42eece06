package dev.ringplan.modules.tar;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.LocalConnection;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.modules.backup.BackupStore;
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
 * {@link BackupStore} (controller directory or another host over SFTP). Nothing is copied to a
 * temporary place on the node and no whole file is buffered on the controller.
 *
 * <p>How the files are read ({@link Source}): over SSH, through the node's own
 * {@code tar -cf - PATH...} on one exec channel per batch of files ({@link NodeTarStream}: entry
 * names and sizes checked against the listing); otherwise, or when tar cannot run on the node,
 * file by file through {@link Connection#openRead} (SFTP over SSH, direct reads locally).
 * Either way the archive written is the same: the reading thread hashes each file while a
 * second thread ({@link PipedTarOutput}) compresses and hashes the archive and a third
 * ({@link BackgroundOutputStream}) hands it to the store.
 *
 * <p>The archive is written to {@code <archive>.partial}, synced to disk, then renamed
 * atomically, so a crash never leaves a half archive under the final name. Tar format: POSIX
 * (pax headers for names over 100 bytes and sizes over 8 GiB), entries mode 0644, owner empty.
 */
public final class ArchiveWriter {
    private ArchiveWriter() {
    }

    /** How the files are read from the node. */
    public enum Source {
        /** {@link #STREAM} when the connection is remote and can stream a command, else {@link #FILES}. */
        AUTO,
        /** The node's {@code tar -cf -} over {@link Connection#execStream}; {@link #FILES} when tar cannot run. */
        STREAM,
        /** One {@link Connection#openRead} per file. */
        FILES
    }

    /**
     * What was written.
     *
     * @param archive the final archive path
     * @param bytes   archive size in bytes
     * @param sha256  archive SHA-256, lower-case hex
     * @param files   one entry per archived file, in archive order, with its SHA-256
     * @param via     how the files were read, for the task's log (e.g. "SFTP, file by file"); may be null
     */
    public record Written(String archive, long bytes, String sha256, List<SnapshotManifest.FileEntry> files,
                          String via) {
        /** Without {@code via}. */
        public Written(String archive, long bytes, String sha256, List<SnapshotManifest.FileEntry> files) {
            this(archive, bytes, sha256, files, null);
        }
    }

    /**
     * Writes {@code files} into {@code archive}, reading them as {@link Source#AUTO} chooses.
     *
     * @see #write(Connection, List, BackupStore, String, Compression, int, Source)
     */
    public static Written write(Connection conn, List<SnapshotFile> files, BackupStore store, String archive,
                                Compression compression, int level) throws ModuleException {
        return write(conn, files, store, archive, compression, level, Source.AUTO);
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
     * @param source      how to read the files
     * @throws ModuleException when a file cannot be read, changed size while being read, the
     *                         node's tar failed, or the archive cannot be written; the partial
     *                         file is removed
     */
    public static Written write(Connection conn, List<SnapshotFile> files, BackupStore store, String archive,
                                Compression compression, int level, Source source) throws ModuleException {
        String partial = archive + ".partial";
        List<SnapshotManifest.FileEntry> entries = new ArrayList<>(files.size());
        DigestingOutputStream counted;
        BackgroundOutputStream file;
        try {
            store.delete(partial);
            file = new BackgroundOutputStream(store.openWrite(partial), "ringplan-archive-file-" + conn.host());
            counted = new DigestingOutputStream(file);
        } catch (IOException e) {
            throw new ModuleException("cannot create " + store.display(partial) + ": " + e.getMessage(), e);
        }
        boolean done = false;
        PipedTarOutput out = null;
        try {
            TarArchiveOutputStream tar = new TarArchiveOutputStream(
                    compression.wrap(counted, level));
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            out = new PipedTarOutput(tar, "ringplan-archive-" + conn.host());
            PipedTarOutput sink = out;
            NodeTarStream.FileConsumer consumer = (f, in) -> entries.add(copyOne(conn, f, in, sink));
            boolean stream = source == Source.STREAM
                    || source == Source.AUTO && conn.canStreamExec() && !(conn instanceof LocalConnection);
            String via = "SFTP, file by file";
            if (conn instanceof LocalConnection) {
                via = "local file reads";
            }
            boolean streamed = false;
            if (stream && !NodeTarStream.namesAsListed(files)) {
                stream = false;
                via = "SFTP, file by file, since a path has . or .. components";
            }
            if (stream) {
                NodeTarStream node = new NodeTarStream(conn);
                try {
                    node.read(files, consumer);
                    streamed = true;
                    via = "the node's tar -cf - over " + node.batchCount() + " exec channel(s)";
                } catch (NodeTarStream.Unavailable u) {
                    via = "SFTP, file by file, since " + u.getMessage();
                }
            }
            if (!streamed) {
                for (SnapshotFile f : files) {
                    try (InputStream in = conn.openRead(f.sourcePath())) {
                        consumer.accept(f, in);
                    } catch (ConnectionException ce) {
                        throw new ModuleException("cannot read " + f.sourcePath() + " on " + conn.host() + ": "
                                + ce.getMessage(), ce);
                    }
                }
            }
            out.finish();
            store.rename(partial, archive, true);
            done = true;
            return new Written(archive, counted.count, counted.hex(), List.copyOf(entries), via);
        } catch (IOException e) {
            throw new ModuleException("cannot write archive " + store.display(partial) + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                if (out != null) {
                    out.close();
                }
                file.abort();
                try {
                    store.delete(partial);
                } catch (IOException ignored) {
                    // best effort: a leftover .partial never looks like a finished archive
                }
            }
        }
    }

    /** One file into the archive: its entry, exactly {@code f.size()} bytes of {@code in}, hashed. */
    private static SnapshotManifest.FileEntry copyOne(Connection conn, SnapshotFile f, InputStream in,
                                                      PipedTarOutput out) throws IOException, ModuleException {
        TarArchiveEntry e = new TarArchiveEntry(f.entryPath());
        e.setSize(f.size());
        e.setModTime(f.mtimeMillis());
        e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE);
        e.setUserName("");
        e.setGroupName("");
        out.begin(e);
        MessageDigest md = sha256();
        long remaining = f.size();
        while (remaining > 0) {
            byte[] buf = out.buffer();
            int want = (int) Math.min(buf.length, remaining);
            int got = 0;
            while (got < want) {
                int n = in.read(buf, got, want - got);
                if (n < 0) {
                    throw shrank(conn, f, f.size() - remaining + got);
                }
                got += n;
            }
            md.update(buf, 0, got);
            out.write(buf, got);
            remaining -= got;
        }
        if (in.read() >= 0) {
            throw grew(conn, f);
        }
        out.end();
        return new SnapshotManifest.FileEntry(f.entryPath(), f.size(), HexFormat.of().formatHex(md.digest()),
                f.dataDirIndex());
    }

    private static ModuleException shrank(Connection conn, SnapshotFile f, long read) {
        return new ModuleException(conn.host() + ": " + f.sourcePath() + " shrank while being archived: "
                + read + " of " + f.size() + " bytes read; snapshot files must not change");
    }

    private static ModuleException grew(Connection conn, SnapshotFile f) {
        return new ModuleException(conn.host() + ": " + f.sourcePath() + " grew while being archived (listed at "
                + f.size() + " bytes); snapshot files must not change");
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
                    throw shrank(conn, f, f.size() - remaining);
                }
                md.update(buf, 0, n);
                out.write(buf, 0, n);
                remaining -= n;
            }
            if (in.read() >= 0) {
                throw grew(conn, f);
            }
        } catch (ConnectionException ce) {
            throw new ModuleException("cannot read " + f.sourcePath() + " on " + conn.host() + ": " + ce.getMessage(), ce);
        }
        return HexFormat.of().formatHex(md.digest());
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
