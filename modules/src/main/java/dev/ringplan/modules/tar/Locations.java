package dev.ringplan.modules.tar;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.modules.backup.BackupLocation;
import dev.ringplan.modules.backup.BackupStore;
import dev.ringplan.modules.backup.ConnectionBackupStore;
import dev.ringplan.modules.backup.LocalBackupStore;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a {@code tar} task reads and writes: its storage arguments ({@code dest}, {@code src},
 * {@code store}, {@code previous}, {@code root}) resolved to {@link BackupLocation}s, the backup's
 * base {@code name} and the {@code <name>.manifest.json} beside it, and the node's own connection.
 * Shared by every action; calls nothing of theirs.
 */
final class Locations {
    /** The file name suffix of a backup manifest: {@code <name>.manifest.json}. */
    static final String MANIFEST_SUFFIX = ".manifest.json";

    /** The controller's file system as backup storage. */
    static final BackupStore LOCAL = new LocalBackupStore();

    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

    private Locations() {
    }

    /**
     * Resolves the {@code dest} argument: a {@code file:} URL ({@code file:///abs/dir}) or a path,
     * relative paths against {@code workDir} (the controller's working directory).
     *
     * @throws ModuleException for another URL scheme, a URL with a host part, or an invalid path
     */
    static Path resolveDest(String dest, Path workDir) throws ModuleException {
        return resolvePath("dest", dest, workDir);
    }

    /**
     * Resolves a controller path argument ({@code dest}, {@code src}) as {@link #resolveDest} does.
     *
     * @param arg the argument's name, for messages
     * @throws ModuleException for another URL scheme, a URL with a host part, or an invalid path
     */
    static Path resolvePath(String arg, String value, Path workDir) throws ModuleException {
        if (value == null || value.isBlank()) {
            throw new ModuleException("tar: " + arg + " is empty");
        }
        String d = value.strip();
        try {
            if (URL.matcher(d).matches()) {
                URI u = new URI(d);
                if (!"file".equalsIgnoreCase(u.getScheme())) {
                    throw new ModuleException("tar: " + arg + " '" + d + "': unsupported scheme '" + u.getScheme()
                            + "'; use file:///absolute/path, a path or ssh://<inventory host>/absolute/path");
                }
                if (u.getAuthority() != null && !u.getAuthority().isEmpty() && !u.getAuthority().equals("localhost")) {
                    throw new ModuleException("tar: " + arg + " '" + d + "': file URLs must have no host (file:///abs/path)");
                }
                return Path.of(u.getPath()).normalize();
            }
            Path p = Path.of(d);
            if (!p.isAbsolute()) {
                p = (workDir == null ? Path.of("").toAbsolutePath() : workDir).resolve(p);
            }
            return p.toAbsolutePath().normalize();
        } catch (URISyntaxException | InvalidPathException e) {
            throw new ModuleException("tar: " + arg + " '" + d + "' is not a valid path or file URL: " + e.getMessage());
        }
    }

    /**
     * Resolves a storage argument ({@code dest}, {@code src}, {@code store}, {@code previous},
     * {@code root}): {@code ssh://<inventory host>/abs/path} is a directory on that host, reached
     * through {@link ModuleContext#connectionTo}; anything else is a controller path as
     * {@link #resolvePath} reads it.
     *
     * @throws ModuleException for a malformed value or an unreachable storage host
     */
    static BackupLocation location(String arg, String value, ModuleContext ctx) throws ModuleException {
        String v = value == null ? "" : value.strip();
        if (v.regionMatches(true, 0, "ssh://", 0, 6)) {
            String rest = v.substring(6);
            int slash = rest.indexOf('/');
            String host = slash < 0 ? rest : rest.substring(0, slash);
            String path = slash < 0 ? null : BackupLocation.normalize(rest.substring(slash));
            if (host.isEmpty() || host.contains("@") || host.contains(":")) {
                throw new ModuleException("tar: " + arg + " '" + v + "': expected ssh://<inventory host>/absolute/path"
                        + " (the host's user and port come from the inventory)");
            }
            if (path == null || path.equals("/")) {
                throw new ModuleException("tar: " + arg + " '" + v + "': the path after the host must be an absolute"
                        + " directory other than /");
            }
            try {
                return new BackupLocation(new ConnectionBackupStore(ctx.connectionTo(host)), path);
            } catch (ConnectionException e) {
                throw new ModuleException("tar: " + arg + ": cannot reach storage host " + host + ": " + e.getMessage(), e);
            }
        }
        Path p = resolvePath(arg, v, ctx.run() == null ? null : ctx.run().workDir());
        return new BackupLocation(LOCAL, p.toString());
    }

    /** The {@code name} argument (default the inventory hostname), checked to be a plain file name. */
    static String archiveName(ModuleContext ctx) throws ModuleException {
        String name = ctx.args().str("name") == null ? ctx.host() : ctx.args().str("name").strip();
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..") || name.indexOf('\0') >= 0) {
            throw new ModuleException("tar: name '" + name + "' must be a plain file name (no '/')");
        }
        return name;
    }

    /** True when {@code l} is a regular file. */
    static boolean isFile(BackupLocation l) throws ModuleException {
        try {
            return l.store().stat(l.path()).map(FileStat::isFile).orElse(false);
        } catch (IOException e) {
            throw new ModuleException("tar: cannot stat " + l + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a small file (a manifest) atomically ({@link BackupStore#writeAtomically}).
     *
     * @throws ModuleException naming {@code target} when the write fails
     */
    static void writeAtomically(BackupLocation target, byte[] data) throws ModuleException {
        try {
            target.store().writeAtomically(target.path(), data);
        } catch (IOException e) {
            throw new ModuleException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** The connection of the task's host (the node whose snapshots are read or restored). */
    static Connection connection(ModuleContext ctx) throws ModuleException {
        try {
            return Objects.requireNonNull(ctx.connection(), "connection");
        } catch (ConnectionException e) {
            throw new ModuleException("cannot reach " + ctx.host() + ": " + e.getMessage(), e);
        }
    }
}
