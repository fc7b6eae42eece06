package dev.ringplan.modules.backup;

/**
 * A directory or file on some backup storage.
 *
 * @param store the storage
 * @param path  absolute, normalised POSIX path on it (no trailing slash except for {@code /})
 */
public record BackupLocation(BackupStore store, String path) {
    /** The entry {@code name} under this directory. */
    public BackupLocation resolve(String name) {
        return new BackupLocation(store, BackupStore.child(path, name));
    }

    /** The parent directory. */
    public BackupLocation parent() {
        return new BackupLocation(store, BackupStore.parent(path));
    }

    /** Last path element. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** As shown to the user ({@link BackupStore#display}). */
    @Override
    public String toString() {
        return store.display(path);
    }

    /**
     * Normalises an absolute POSIX path: removes {@code .}, empty elements and trailing
     * slashes, applies {@code ..}.
     *
     * @return the normalised path, or null when it is not absolute or {@code ..} climbs above /
     */
    public static String normalize(String p) {
        if (p == null || !p.startsWith("/")) {
            return null;
        }
        java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
        for (String seg : p.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (out.isEmpty()) {
                    return null;
                }
                out.removeLast();
            } else {
                out.addLast(seg);
            }
        }
        return "/" + String.join("/", out);
    }
}
