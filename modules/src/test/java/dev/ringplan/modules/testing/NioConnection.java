package dev.ringplan.modules.testing;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ExecOptions;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.connection.FileStat;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A test {@link Connection} to the machine running the tests: exec through
 * {@link ProcessBuilder}, files through {@link Files}. Counts exec calls so tests can prove
 * nothing ran.
 */
public class NioConnection implements Connection {
    private final String host;
    /** Number of {@link #exec} calls so far. */
    public final AtomicInteger execCalls = new AtomicInteger();

    /** A connection calling itself {@code host}. */
    public NioConnection(String host) {
        this.host = host;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public ExecResult exec(List<String> argv, ExecOptions options) throws ConnectionException {
        execCalls.incrementAndGet();
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (options.cwd() != null) {
            pb.directory(new File(options.cwd()));
        }
        if (options.env() != null) {
            pb.environment().putAll(options.env());
        }
        try {
            Process p = pb.start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            try (OutputStream in = p.getOutputStream()) {
                if (options.stdin() != null) {
                    in.write(options.stdin());
                }
            }
            Integer status;
            if (p.waitFor(options.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                status = p.exitValue();
            } else {
                p.destroyForcibly();
                throw new ConnectionException(host + ": timed out: " + argv);
            }
            return new ExecResult(argv, status, new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1_000_000);
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot run " + argv + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionException(host + ": interrupted", e);
        }
    }

    private static byte[] drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream openRead(String path) throws ConnectionException {
        try {
            return Files.newInputStream(Path.of(path));
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot open " + path + ": " + e, e);
        }
    }

    @Override
    public OutputStream openWrite(String path) throws ConnectionException {
        try {
            return Files.newOutputStream(Path.of(path));
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot write " + path + ": " + e, e);
        }
    }

    @Override
    public Optional<FileStat> stat(String path) throws ConnectionException {
        Path p = Path.of(path);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            FileStat.Type t = a.isSymbolicLink() ? FileStat.Type.SYMLINK : a.isDirectory() ? FileStat.Type.DIRECTORY
                    : a.isRegularFile() ? FileStat.Type.FILE : FileStat.Type.OTHER;
            String name = p.getFileName() == null ? "/" : p.getFileName().toString();
            return Optional.of(new FileStat(p.toAbsolutePath().toString(), name, t,
                    t == FileStat.Type.DIRECTORY ? 0 : a.size(), a.lastModifiedTime().toMillis()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot stat " + path + ": " + e, e);
        }
    }

    @Override
    public List<FileStat> list(String dir) throws ConnectionException {
        Path d = Path.of(dir);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        List<FileStat> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.sorted(Comparator.comparing(x -> x.getFileName().toString())).toList()) {
                stat(p.toString()).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot list " + dir + ": " + e, e);
        }
        return out;
    }

    @Override
    public void mkdirs(String dir) throws ConnectionException {
        try {
            Files.createDirectories(Path.of(dir));
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot mkdir " + dir + ": " + e, e);
        }
    }

    @Override
    public void delete(String path) throws ConnectionException {
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot delete " + path + ": " + e, e);
        }
    }

    @Override
    public void rename(String from, String to) throws ConnectionException {
        try {
            Files.move(Path.of(from), Path.of(to));
        } catch (IOException e) {
            throw new ConnectionException(host + ": cannot rename " + from + ": " + e, e);
        }
    }

    @Override
    public void close() {
    }
}
