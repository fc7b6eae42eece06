package dev.ringplan.modules.backup;

import dev.ringplan.engine.connection.FileStat;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
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
 * Backup storage on the controller's file system ({@code java.nio}). Written files are fsynced
 * when their stream is closed; renames are atomic moves.
 */
public final class LocalBackupStore implements BackupStore {
    /** The controller store (stateless). */
    public LocalBackupStore() {
    }

    @Override
    public String display(String path) {
        return path;
    }

    @Override
    public InputStream openRead(String path) throws IOException {
        return Files.newInputStream(Path.of(path));
    }

    @Override
    public OutputStream openWrite(String path) throws IOException {
        FileOutputStream f = new FileOutputStream(path);
        return new FilterOutputStream(f) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                f.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    f.flush();
                    f.getFD().sync();
                } finally {
                    f.close();
                }
            }
        };
    }

    @Override
    public Optional<FileStat> stat(String path) throws IOException {
        Path p = Path.of(path);
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        FileStat.Type t = a.isRegularFile() ? FileStat.Type.FILE : a.isDirectory() ? FileStat.Type.DIRECTORY
                : a.isSymbolicLink() ? FileStat.Type.SYMLINK : FileStat.Type.OTHER;
        String name = p.getFileName() == null ? "/" : p.getFileName().toString();
        return Optional.of(new FileStat(path, name, t, a.isDirectory() ? 0 : a.size(), a.lastModifiedTime().toMillis()));
    }

    @Override
    public List<FileStat> list(String dir) throws IOException {
        List<FileStat> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            for (Path p : s.toList()) {
                stat(p.toString()).ifPresent(out::add);
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        }
        out.sort(Comparator.comparing(FileStat::name));
        return out;
    }

    @Override
    public void mkdirs(String dir) throws IOException {
        Files.createDirectories(Path.of(dir));
    }

    @Override
    public void delete(String path) throws IOException {
        Files.deleteIfExists(Path.of(path));
    }

    @Override
    public void rename(String from, String to, boolean replace) throws IOException {
        try {
            if (replace) {
                Files.move(Path.of(from), Path.of(to), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(Path.of(from), Path.of(to), StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically: " + e.getMessage(), e);
        }
    }
}
