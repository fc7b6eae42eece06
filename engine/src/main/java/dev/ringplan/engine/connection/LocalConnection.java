package dev.ringplan.engine.connection;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The controller itself as a host ({@code ansible_connection: local}): commands run as child
 * processes of this JVM, files are read and written with {@code java.nio}. Used by the sandbox,
 * whose Cassandra nodes run on this machine.
 *
 * <p><b>Commands</b> are started with {@link ProcessBuilder} from the argument list, with no
 * shell in between. Standard output and error are redirected to two private temporary files
 * (mode 0600, deleted after the call), so big outputs never block the child and no reader thread
 * is needed. {@code exec} waits for the <em>direct child</em> to exit, not for the end of its
 * output: a script such as a sandbox {@code bin/start} that leaves a background process behind
 * (nohup, {@code &}) returns as soon as the script exits, even when the background process
 * still holds the inherited output descriptors; what it wrote until then is returned. On timeout
 * the child and all its descendants ({@link ProcessHandle#descendants()}, taken before the kill)
 * are killed with SIGKILL and {@link CommandTimeoutException} is thrown.
 *
 * <p>To behave like a remote shell, a program that cannot be found gives exit status 127 and one
 * that cannot be executed 126, with the reason on stderr, rather than an exception. A missing
 * working directory is a {@link ConnectionException}.
 *
 * <p>Thread-safe: calls share no mutable state except the closed flag.
 */
public final class LocalConnection implements Connection {
    private final String host;
    private volatile boolean closed;

    /** A local connection reported under inventory hostname {@code host}. */
    public LocalConnection(String host) {
        this.host = host;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public ExecResult exec(List<String> argv, ExecOptions options) throws ConnectionException {
        checkOpen();
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argument list");
        }
        List<String> args = List.copyOf(argv);
        ProcessBuilder pb = new ProcessBuilder(args);
        if (options.cwd() != null) {
            File dir = new File(options.cwd());
            if (!dir.isDirectory()) {
                throw new ConnectionException(host + ": cannot run " + args.get(0) + ": working directory "
                        + options.cwd() + " does not exist or is not a directory");
            }
            pb.directory(dir);
        }
        if (options.env() != null) {
            pb.environment().putAll(options.env());
        }
        Path out = null;
        Path err = null;
        long start = System.nanoTime();
        try {
            out = Files.createTempFile("ringplan-exec-", ".out");
            err = Files.createTempFile("ringplan-exec-", ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                return notStarted(args, e, start);
            }
            feedStdin(p, options.stdin());
            Duration timeout = options.timeout() == null ? ExecOptions.defaults().timeout() : options.timeout();
            boolean exited;
            try {
                exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                killTree(p);
                Thread.currentThread().interrupt();
                throw new ConnectionException(host + ": interrupted while running " + args.get(0), e);
            }
            if (!exited) {
                killTree(p);
                ExecResult partial = new ExecResult(args, null, read(out), read(err), millisSince(start));
                throw new CommandTimeoutException(host + ": " + args.get(0) + " did not finish within "
                        + timeout.toSeconds() + " s and was killed", timeout, partial);
            }
            return new ExecResult(args, p.exitValue(), read(out), read(err), millisSince(start));
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot run " + args.get(0) + ": " + describe(e), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Maps a failed start (ProcessBuilder reports errno in the message) to shell-like 127/126. */
    private ExecResult notStarted(List<String> args, IOException e, long start) throws ConnectionException {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("error=2,")) {
            return new ExecResult(args, 127, "", args.get(0) + ": command not found\n", millisSince(start));
        }
        if (msg.contains("error=13,")) {
            return new ExecResult(args, 126, "", args.get(0) + ": permission denied\n", millisSince(start));
        }
        throw new ConnectionException(host + ": cannot start " + args.get(0) + ": " + msg, e);
    }

    private static void feedStdin(Process p, byte[] stdin) {
        OutputStream os = p.getOutputStream();
        if (stdin == null || stdin.length == 0) {
            closeQuietly(os);
            return;
        }
        Thread t = new Thread(() -> {
            try (os) {
                os.write(stdin);
            } catch (IOException ignored) {
                // the child exited or closed its stdin without reading everything: not our error
            }
        }, "ringplan-local-stdin");
        t.setDaemon(true);
        t.start();
    }

    private static void killTree(Process p) {
        List<ProcessHandle> descendants = p.descendants().toList();
        p.destroyForcibly();
        for (ProcessHandle d : descendants) {
            d.destroyForcibly();
        }
        // a descendant may have forked between the snapshot and the kill of its parent
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path f) throws IOException {
        return new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    @Override
    public InputStream openRead(String path) throws ConnectionException {
        checkOpen();
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

    @Override
    public OutputStream openWrite(String path) throws ConnectionException {
        checkOpen();
        try {
            return Files.newOutputStream(path(path));
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot write " + path + ": " + describe(e), e);
        }
    }

    @Override
    public Optional<FileStat> stat(String path) throws ConnectionException {
        checkOpen();
        Path p = path(path);
        try {
            return Optional.of(toStat(p));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot stat " + path + ": " + describe(e), e);
        }
    }

    @Override
    public List<FileStat> list(String dir) throws ConnectionException {
        checkOpen();
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

    @Override
    public void mkdirs(String dir) throws ConnectionException {
        checkOpen();
        try {
            Files.createDirectories(path(dir));
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot create directory " + dir + ": " + describe(e), e);
        }
    }

    @Override
    public void delete(String path) throws ConnectionException {
        checkOpen();
        try {
            Files.deleteIfExists(path(path));
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot delete " + path + ": " + describe(e), e);
        }
    }

    @Override
    public void rename(String from, String to) throws ConnectionException {
        checkOpen();
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

    /** Marks the connection closed; running commands are not affected. */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "LocalConnection[" + host + "]";
    }

    private void checkOpen() throws ConnectionException {
        if (closed) {
            throw new ConnectionException(host + ": connection is closed");
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

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing to do
        }
    }
}
