package dev.ringplan.engine.connection;

/**
 * Metadata of a file on a host.
 *
 * @param path       absolute path on the host
 * @param name       last path element
 * @param type       file, directory, symlink or other
 * @param size       size in bytes (0 for directories)
 * @param mtimeMillis modification time, milliseconds since the epoch
 */
public record FileStat(String path, String name, Type type, long size, long mtimeMillis) {
    /** Kinds of file. */
    public enum Type { FILE, DIRECTORY, SYMLINK, OTHER }

    /** True for a directory. */
    public boolean isDirectory() {
        return type == Type.DIRECTORY;
    }

    /** True for a regular file. */
    public boolean isFile() {
        return type == Type.FILE;
    }
}
