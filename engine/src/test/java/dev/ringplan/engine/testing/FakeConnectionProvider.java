package dev.ringplan.engine.testing;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ExecOptions;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.connection.UnreachableException;
import dev.ringplan.engine.exec.ConnectionProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ConnectionProvider} for engine tests: hosts named {@link #unreachable} throw
 * {@link UnreachableException} on open; others get a {@link FakeConnection} whose
 * {@code exec} answers exit 0 with empty output and whose file operations refuse. Records
 * every open and close. Thread-safe.
 */
public final class FakeConnectionProvider implements ConnectionProvider {
    private final Set<String> unreachable = ConcurrentHashMap.newKeySet();
    private final List<String> opened = new ArrayList<>();
    private final List<String> closed = new ArrayList<>();

    /** Makes {@code hosts} unreachable from now on. */
    public FakeConnectionProvider unreachable(String... hosts) {
        unreachable.addAll(List.of(hosts));
        return this;
    }

    @Override
    public Connection open(String host, Map<String, Object> hostVars) throws ConnectionException {
        synchronized (opened) {
            opened.add(host);
        }
        if (unreachable.contains(host)) {
            throw new UnreachableException(host + ": connection refused");
        }
        return new FakeConnection(host);
    }

    /** Hosts passed to {@link #open}, in call order (also the unreachable attempts). */
    public List<String> opened() {
        synchronized (opened) {
            return List.copyOf(opened);
        }
    }

    /** Hosts whose connection was closed, in call order. */
    public List<String> closed() {
        synchronized (closed) {
            return List.copyOf(closed);
        }
    }

    /** A connection that runs nothing. */
    public final class FakeConnection implements Connection {
        private final String host;

        FakeConnection(String host) {
            this.host = host;
        }

        @Override
        public String host() {
            return host;
        }

        @Override
        public ExecResult exec(List<String> argv, ExecOptions options) {
            return new ExecResult(List.copyOf(argv), 0, "", "", 0);
        }

        @Override
        public InputStream openRead(String path) throws ConnectionException {
            throw new ConnectionException(host + ": fake connection has no files");
        }

        @Override
        public OutputStream openWrite(String path) throws ConnectionException {
            throw new ConnectionException(host + ": fake connection has no files");
        }

        @Override
        public Optional<FileStat> stat(String path) {
            return Optional.empty();
        }

        @Override
        public List<FileStat> list(String dir) throws ConnectionException {
            throw new ConnectionException(host + ": fake connection has no files");
        }

        @Override
        public void mkdirs(String dir) throws ConnectionException {
            throw new ConnectionException(host + ": fake connection has no files");
        }

        @Override
        public void delete(String path) throws ConnectionException {
            throw new ConnectionException(host + ": fake connection has no files");
        }

        @Override
        public void rename(String from, String to) throws ConnectionException {
            throw new ConnectionException(host + ": fake connection has no files");
        }

        @Override
        public void close() {
            synchronized (closed) {
                closed.add(host);
            }
        }
    }
}
