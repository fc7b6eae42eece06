package dev.ringplan.modules.tar;

import dev.ringplan.engine.connection.CommandStream;
import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ExecOptions;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.module.ModuleException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads snapshot files from a node as the output of the node's own {@code tar -cf - PATH...}
 * ({@link Connection#execStream}: one SSH exec channel per batch, no request/response round trip
 * per 32 KiB as with SFTP). The argument list is built as a list (the connection quotes it), with
 * absolute paths (never taken for options), at most {@value #MAX_ARGV_BYTES} bytes of paths per
 * command: a big snapshot takes several batches.
 *
 * <p>The node's tar output is not trusted: every entry must be the next listed file (its name is
 * the listed path without the leading {@code /}, as every tar writes it), a regular file, and of
 * the listed size, else the backup fails with the same "grew"/"shrank" messages as reading over
 * SFTP; a hard link entry (two listed paths on one inode, which tar stores once) is read over
 * SFTP instead. A non-zero exit status of tar fails the backup with tar's own message (e.g. GNU
 * tar's "file changed as we read it"). Entry data is handed on as read: nothing is buffered.
 */
final class NodeTarStream {
    /** Most bytes of paths in one command line (Linux allows 2 MiB of argv; 128 KiB per argument). */
    static final int MAX_ARGV_BYTES = 100_000;

    /** Most bytes of tar output skipped, after a surprise, to reach tar's exit status and reason. */
    private static final long DRAIN_FOR_REASON = 8L << 20;

    /** Receives each file's content: exactly the file's listed size, then EOF. */
    interface FileConsumer {
        /** Consumes {@code content} of {@code f}; {@code content} is closed by the caller. */
        void accept(SnapshotFile f, InputStream content) throws IOException, ModuleException;
    }

    /** The node cannot stream (no tar, or it cannot run): nothing was consumed, read another way. */
    static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private final Connection conn;
    private int batches;
    private boolean consumedAny;

    NodeTarStream(Connection conn) {
        this.conn = conn;
    }

    /** The argument lists of the batches for {@code files}, in order. */
    static List<List<SnapshotFile>> batches(List<SnapshotFile> files) {
        List<List<SnapshotFile>> out = new ArrayList<>();
        List<SnapshotFile> cur = new ArrayList<>();
        int bytes = 0;
        for (SnapshotFile f : files) {
            int n = f.sourcePath().getBytes(StandardCharsets.UTF_8).length + 3;
            if (!cur.isEmpty() && bytes + n > MAX_ARGV_BYTES) {
                out.add(cur);
                cur = new ArrayList<>();
                bytes = 0;
            }
            cur.add(f);
            bytes += n;
        }
        if (!cur.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    /**
     * True when tar names every file as its path without the leading {@code /}: absolute paths
     * without {@code .} or {@code ..} components (GNU tar strips everything up to a {@code ..}).
     */
    static boolean namesAsListed(List<SnapshotFile> files) {
        for (SnapshotFile f : files) {
            String p = f.sourcePath();
            if (!p.startsWith("/") || p.contains("\0")) {
                return false;
            }
            for (String part : p.split("/")) {
                if (part.equals(".") || part.equals("..")) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Number of tar commands run so far. */
    int batchCount() {
        return batches;
    }

    /**
     * Streams every file of {@code files} to {@code consumer}, in order.
     *
     * @throws Unavailable     when the first command could not run tar (exit 126/127) before any
     *                         file was consumed: the caller may read the files another way
     * @throws ModuleException when a file changed size, tar failed, or its output was not what was asked
     */
    void read(List<SnapshotFile> files, FileConsumer consumer) throws IOException, ModuleException, Unavailable {
        for (List<SnapshotFile> batch : batches(files)) {
            readBatch(batch, consumer);
        }
    }

    private void readBatch(List<SnapshotFile> batch, FileConsumer consumer)
            throws IOException, ModuleException, Unavailable {
        List<String> argv = new ArrayList<>(batch.size() + 3);
        argv.add("tar");
        argv.add("-cf");
        argv.add("-");
        batch.forEach(f -> argv.add(f.sourcePath()));
        batches++;
        try (CommandStream cmd = conn.execStream(argv, ExecOptions.defaults().withTimeout(java.time.Duration.ofMinutes(5)))) {
            InputStream raw = cmd.stdout();
            TarArchiveInputStream tin = new TarArchiveInputStream(raw, StandardCharsets.UTF_8.name());
            for (SnapshotFile f : batch) {
                TarArchiveEntry e;
                try {
                    e = tin.getNextTarEntry();
                } catch (IOException bad) {
                    e = null;
                }
                if (e == null) {
                    throw failure(cmd, raw, f.sourcePath() + " is missing from the output of tar");
                }
                String want = name(f.sourcePath());
                if (!name(e.getName()).equals(want)) {
                    throw failure(cmd, raw, "tar sent " + e.getName() + " where " + want + " was expected");
                }
                if (e.isLink()) {
                    readOne(f, consumer);
                    continue;
                }
                if (!e.isFile()) {
                    throw failure(cmd, raw, f.sourcePath() + " is no longer a regular file");
                }
                if (e.getSize() < f.size()) {
                    throw new ModuleException(conn.host() + ": " + f.sourcePath() + " shrank while being archived: "
                            + e.getSize() + " of " + f.size() + " bytes read; snapshot files must not change");
                }
                if (e.getSize() > f.size()) {
                    throw new ModuleException(conn.host() + ": " + f.sourcePath() + " grew while being archived"
                            + " (listed at " + f.size() + " bytes); snapshot files must not change");
                }
                consumedAny = true;
                consumer.accept(f, tin);
            }
            if (tin.getNextTarEntry() != null) {
                throw failure(cmd, raw, "tar sent more entries than the " + batch.size() + " files asked for");
            }
            raw.transferTo(java.io.OutputStream.nullOutputStream());
            ExecResult r = cmd.finish();
            if (!r.ok()) {
                throw new ModuleException("tar on " + conn.host() + " failed (" + r.failureSummary()
                        + "); snapshot files must not change while they are archived");
            }
        } catch (ConnectionException ce) {
            throw new ModuleException("cannot read the snapshot from " + conn.host() + " through tar: "
                    + ce.getMessage(), ce);
        }
    }

    /** One file over {@link Connection#openRead} (SFTP), e.g. a hard link tar did not send twice. */
    private void readOne(SnapshotFile f, FileConsumer consumer) throws IOException, ModuleException {
        try (InputStream in = conn.openRead(f.sourcePath())) {
            consumedAny = true;
            consumer.accept(f, in);
        } catch (ConnectionException ce) {
            throw new ModuleException("cannot read " + f.sourcePath() + " on " + conn.host() + ": " + ce.getMessage(), ce);
        }
    }

    /**
     * The error for output that is not what was asked: tar's own failure when it exited non-zero
     * (e.g. a file it could not open), else {@code what}; {@link Unavailable} when tar could not
     * run at all before anything was read.
     */
    private ModuleException failure(CommandStream cmd, InputStream raw, String what) throws Unavailable {
        ExecResult r;
        try {
            // tar's own reason comes with its exit status, after its output: worth reading a
            // little more for it, not the rest of a big batch (closing the stream stops tar)
            if (!drainsWithin(raw, DRAIN_FOR_REASON)) {
                return new ModuleException("cannot read the snapshot from " + conn.host() + " through tar: " + what);
            }
            r = cmd.finish();
        } catch (IOException | ConnectionException e) {
            return new ModuleException("cannot read the snapshot from " + conn.host() + " through tar: " + what);
        }
        Integer status = r.exitStatus();
        if (!consumedAny && status != null && (status == 126 || status == 127)) {
            throw new Unavailable("tar cannot run on " + conn.host() + " (" + r.failureSummary() + ")");
        }
        if (!r.ok()) {
            return new ModuleException("tar on " + conn.host() + " failed (" + r.failureSummary() + "); " + what);
        }
        return new ModuleException("cannot read the snapshot from " + conn.host() + " through tar: " + what);
    }

    /** Reads {@code in} to its end unless more than {@code limit} bytes remain; true when the end came. */
    private static boolean drainsWithin(InputStream in, long limit) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = limit;
        int n;
        while ((n = in.read(buf)) >= 0) {
            left -= n;
            if (left < 0) {
                return false;
            }
        }
        return true;
    }

    /** A path as tar names it: no leading {@code /} or {@code ./}, repeated slashes collapsed. */
    static String name(String path) {
        String s = path.replaceAll("/{2,}", "/");
        while (s.startsWith("/") || s.startsWith("./")) {
            s = s.startsWith("/") ? s.substring(1) : s.substring(2);
        }
        return s;
    }
}
