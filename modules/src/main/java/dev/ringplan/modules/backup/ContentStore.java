package dev.ringplan.modules.backup;

import dev.ringplan.engine.connection.FileStat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A content-addressed file store on backup storage: each file is kept once, under its SHA-256,
 * at {@code <root>/<sha256[0:2]>/<sha256>} (lower-case hex, content stored as is, uncompressed,
 * so {@code sha256sum} of a stored file equals its name). New content is written to
 * {@code <root>/.tmp/<random>.partial} first and renamed to its hash once complete and hashed;
 * a stored file therefore always holds the content its name says (unless damaged later: readers
 * verify). Stored files are never modified, only created and (by purge) deleted.
 */
public final class ContentStore {
    /** A SHA-256 in lower-case hex. */
    public static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
    /** Name of the temporary directory under the root. */
    public static final String TMP = ".tmp";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BackupLocation root;

    /** The store rooted at {@code root}. */
    public ContentStore(BackupLocation root) {
        this.root = root;
    }

    /** The store's root directory. */
    public BackupLocation root() {
        return root;
    }

    /** Where content with SHA-256 {@code sha} is (or would be) stored. */
    public BackupLocation locate(String sha) {
        if (!SHA256.matcher(sha).matches()) {
            throw new IllegalArgumentException("not a SHA-256: " + sha);
        }
        return root.resolve(sha.substring(0, 2)).resolve(sha);
    }

    /** True when the store holds a regular file for {@code sha} of {@code size} bytes. */
    public boolean has(String sha, long size) throws IOException {
        Optional<FileStat> st = root.store().stat(locate(sha).path());
        return st.isPresent() && st.get().isFile() && st.get().size() == size;
    }

    /** A temporary file being written; {@link #commit} or {@link #discard} it. */
    public record Temp(String path, OutputStream out) {
    }

    /** Creates {@code <root>/.tmp/<random hex>.partial} and opens it for writing. */
    public Temp openTemp() throws IOException {
        String dir = root.resolve(TMP).path();
        root.store().mkdirs(dir);
        byte[] r = new byte[8];
        RANDOM.nextBytes(r);
        String p = BackupStore.child(dir, HexFormat.of().formatHex(r) + ".partial");
        return new Temp(p, root.store().openWrite(p));
    }

    /**
     * Moves a closed temporary file to its place for {@code sha}, unless the store already holds
     * that content with {@code size} bytes, in which case the temporary file is deleted.
     *
     * @return true when the file was newly stored, false when it was already there
     */
    public boolean commit(Temp t, String sha, long size) throws IOException {
        if (has(sha, size)) {
            discard(t);
            return false;
        }
        BackupLocation target = locate(sha);
        root.store().mkdirs(target.parent().path());
        if (root.store().stat(target.path()).isPresent()) {
            // a damaged file of the wrong size: replace it with the good content
            root.store().rename(t.path(), target.path(), true);
        } else {
            try {
                root.store().rename(t.path(), target.path(), false);
            } catch (IOException e) {
                if (has(sha, size)) { // stored concurrently by another task
                    discard(t);
                    return false;
                }
                throw e;
            }
        }
        return true;
    }

    /** Deletes a temporary file (best effort). */
    public void discard(Temp t) {
        try {
            t.out().close();
        } catch (IOException ignored) {
            // deleting anyway
        }
        try {
            root.store().delete(t.path());
        } catch (IOException ignored) {
            // a leftover .tmp/*.partial is never referenced and may be deleted by hand
        }
    }

    /** Opens the stored content of {@code sha}. */
    public InputStream open(String sha) throws IOException {
        return root.store().openRead(locate(sha).path());
    }
}
