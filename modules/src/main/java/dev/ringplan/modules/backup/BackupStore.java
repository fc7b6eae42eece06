package dev.ringplan.modules.backup;

import dev.ringplan.engine.connection.FileStat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where backups are kept: a directory tree on the controller ({@link LocalBackupStore}) or on
 * another inventory host reached through its connection ({@link ConnectionBackupStore}, SFTP).
 * Paths are absolute POSIX paths on that storage. Every method reports failures as
 * {@link IOException} naming the path (and the host for remote storage).
 */
public interface BackupStore {
    /**
     * How a path is shown to the user: the plain path on the controller, {@code ssh://host/path}
     * for remote storage.
     */
    String display(String path);

    /** Opens a file for streaming reads; the caller closes it. */
    InputStream openRead(String path) throws IOException;

    /**
     * Creates or truncates a file and opens it for writing; the parent directory must exist. The
     * data is complete once the stream is closed (on the controller, close also fsyncs).
     */
    OutputStream openWrite(String path) throws IOException;

    /** Metadata of {@code path} (not following a final symlink); empty when it does not exist. */
    Optional<FileStat> stat(String path) throws IOException;

    /** Direct children of {@code dir}, sorted by name; empty when it does not exist. */
    List<FileStat> list(String dir) throws IOException;

    /** Creates {@code dir} and missing parents; no-op when it exists. */
    void mkdirs(String dir) throws IOException;

    /** Deletes a file or an empty directory; no-op when absent. */
    void delete(String path) throws IOException;

    /**
     * Renames {@code from} to {@code to} on this storage (same file system: atomic). When
     * {@code to} exists: replaced if {@code replace} (over SFTP by deleting it first, so not
     * atomic there), else an {@link IOException}.
     */
    void rename(String from, String to, boolean replace) throws IOException;

    /** Reads a whole small file. */
    default byte[] readAll(String path) throws IOException {
        try (InputStream in = openRead(path)) {
            return in.readAllBytes();
        }
    }

    /**
     * Writes a small file atomically: {@code <path>.partial}, then renamed over {@code path}; on
     * failure (a full disk) the partial file is removed and {@code path} is left as it was.
     */
    default void writeAtomically(String path, byte[] data) throws IOException {
        String tmp = path + ".partial";
        boolean done = false;
        try {
            try (OutputStream out = openWrite(tmp)) {
                out.write(data);
            }
            rename(tmp, path, true);
            done = true;
        } finally {
            if (!done) {
                try {
                    delete(tmp);
                } catch (IOException ignored) {
                    // best effort: a leftover .partial never looks like a finished file
                }
            }
        }
    }

    /** Parent directory of an absolute path ({@code /} for a top-level entry). */
    static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    /** {@code dir + "/" + name} without doubling the slash of {@code /}. */
    static String child(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }
}
