package dev.ringplan.engine.connection;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The file operations of a {@link LocalConnection} with {@code java.nio}: the
 * {@link Connection} contract (a missing file is an empty answer where the contract says so,
 * renames never copy across file systems, symbolic links are not followed by {@code stat}),
 * failures as {@link ConnectionException} with a short reason ({@link #describe}).
 */
final class LocalFiles {
    private final String host;

    /** File operations reported under inventory hostname {@code host}. */
    LocalFiles(String host) {
        this.host = host;
    }

    InputStream openRead(String path) throws ConnectionException {
        try {
            Path p = path(path);
            if (Files.isDirectory(p)) {
                throw new ConnectionException(host + ": cannot read " + path + ": is a directory");
            }
            return Files.newInputStream(p);
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot read " + path + ": " + describe(e), e);
        }
    }

    OutputStream openWrite(String path) throws ConnectionException {
        try {
            return Files.newOutputStream(path(path));
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot write " + path + ": " + describe(e), e);
        }
    }

    Optional<FileStat> stat(String path) throws ConnectionException {
        Path p = path(path);
        try {
            return Optional.of(toStat(p));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot stat " + path + ": " + describe(e), e);
        }
    }

    List<FileStat> list(String dir) throws ConnectionException {
        Path d = path(dir);
        List<FileStat> result = new ArrayList<>();
        try (Stream<Path> children = Files.list(d)) {
            for (Path c : (Iterable<Path>) children::iterator) {
                try {
                    result.add(toStat(c));
                } catch (NoSuchFileException gone) {
                    // deleted while listing
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot list " + dir + ": " + describe(e), e);
        }
        result.sort(Comparator.comparing(FileStat::name));
        return result;
    }

    void mkdirs(String dir) throws ConnectionException {
        try {
            Files.createDirectories(path(dir));
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot create directory " + dir + ": " + describe(e), e);
        }
    }

    void delete(String path) throws ConnectionException {
        try {
            Files.deleteIfExists(path(path));
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot delete " + path + ": " + describe(e), e);
        }
    }

    void rename(String from, String to) throws ConnectionException {
        Path target = path(to);
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new ConnectionException(host + ": cannot rename " + from + " to " + to + ": target already exists");
            }
            // ATOMIC_MOVE: rename(2) only. Without it Files.move copies across file systems,
            // which a rename must never do (fs_clear relies on that to detect another disk).
            Files.move(path(from), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot rename " + from + " to " + to + ": " + describe(e), e);
        }
    }

    private Path path(String path) throws ConnectionException {
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new ConnectionException(host + ": invalid path " + path + ": " + e.getReason(), e);
        }
    }

    private static FileStat toStat(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        FileStat.Type type = a.isSymbolicLink() ? FileStat.Type.SYMLINK
                : a.isDirectory() ? FileStat.Type.DIRECTORY
                : a.isRegularFile() ? FileStat.Type.FILE
                : FileStat.Type.OTHER;
        Path abs = p.toAbsolutePath();
        Path name = abs.getFileName();
        return new FileStat(abs.toString(), name == null ? abs.toString() : name.toString(), type,
                type == FileStat.Type.DIRECTORY ? 0 : a.size(), a.lastModifiedTime().toMillis());
    }

    /** A short reason for an I/O failure, without the path the caller already names. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
