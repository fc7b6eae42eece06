package dev.ringplan.modules;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ExecOptions;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.connection.FileStat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A {@link Connection} for module tests: {@code exec} records every argv and answers from a
 * function; file operations are served from the real local file system (tests point host paths
 * into a temporary directory); every mutating file operation is recorded in {@link #mutations}.
 */
public final class FakeConnection implements Connection {
    /** Every argv passed to exec, in order. */
    public final List<List<String>> execs = new ArrayList<>();
    /** Every mkdirs/delete/rename/openWrite, as "op path". */
    public final List<String> mutations = new ArrayList<>();
    private final Function<List<String>, ExecResult> responder;

    /** Answers exec calls with {@code responder}. */
    public FakeConnection(Function<List<String>, ExecResult> responder) {
        this.responder = responder;
    }

    /** An exit-0 result with {@code stdout}. */
    public static ExecResult ok(List<String> argv, String stdout) {
        return new ExecResult(argv, 0, stdout, "", 5);
    }

    /** A failed result. */
    public static ExecResult fail(List<String> argv, int rc, String stderr) {
        return new ExecResult(argv, rc, "", stderr, 5);
    }

    /** The nodetool subcommand of an argv built by CassandraHost (the word after -p PORT). */
    public static String subcommand(List<String> argv) {
        int p = argv.indexOf("-p");
        return p >= 0 && p + 2 < argv.size() ? argv.get(p + 2) : "";
    }

    @Override
    public String host() {
        return "n1";
    }

    @Override
    public ExecResult exec(List<String> argv, ExecOptions options) throws ConnectionException {
        execs.add(List.copyOf(argv));
        ExecResult r = responder.apply(argv);
        if (r == null) {
            throw new ConnectionException("n1: fake has no answer for " + argv);
        }
        return r;
    }

    @Override
    public InputStream openRead(String path) throws ConnectionException {
        try {
            return Files.newInputStream(Path.of(path));
        } catch (IOException e) {
            throw new ConnectionException("n1: cannot read " + path, e);
        }
    }

    @Override
    public OutputStream openWrite(String path) throws ConnectionException {
        mutations.add("write " + path);
        try {
            return Files.newOutputStream(Path.of(path));
        } catch (IOException e) {
            throw new ConnectionException("n1: cannot write " + path, e);
        }
    }

    @Override
    public Optional<FileStat> stat(String path) throws ConnectionException {
        Path p = Path.of(path);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            FileStat.Type t = a.isSymbolicLink() ? FileStat.Type.SYMLINK : a.isDirectory() ? FileStat.Type.DIRECTORY
                    : a.isRegularFile() ? FileStat.Type.FILE : FileStat.Type.OTHER;
            return Optional.of(new FileStat(path, p.getFileName().toString(), t, a.isDirectory() ? 0 : a.size(),
                    a.lastModifiedTime().toMillis()));
        } catch (IOException e) {
            throw new ConnectionException("n1: cannot stat " + path, e);
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
            for (Path p : s.sorted(Comparator.comparing(Path::toString)).toList()) {
                out.add(stat(p.toString()).orElseThrow());
            }
        } catch (IOException e) {
            throw new ConnectionException("n1: cannot list " + dir, e);
        }
        return out;
    }

    @Override
    public void mkdirs(String dir) throws ConnectionException {
        mutations.add("mkdirs " + dir);
        try {
            Files.createDirectories(Path.of(dir));
        } catch (IOException e) {
            throw new ConnectionException("n1: cannot mkdirs " + dir, e);
        }
    }

    @Override
    public void delete(String path) throws ConnectionException {
        mutations.add("delete " + path);
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (IOException e) {
            throw new ConnectionException("n1: cannot delete " + path, e);
        }
    }

    @Override
    public void rename(String from, String to) throws ConnectionException {
        mutations.add("rename " + from + " " + to);
        try {
            Files.move(Path.of(from), Path.of(to));
        } catch (IOException e) {
            throw new ConnectionException("n1: cannot rename " + from, e);
        }
    }

    @Override
    public void close() {
    }
}
