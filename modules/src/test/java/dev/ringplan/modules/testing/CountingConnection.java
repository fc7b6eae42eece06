package dev.ringplan.modules.testing;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ExecOptions;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.connection.LocalConnection;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test {@link Connection} to the machine running the tests: the engine's
 * {@link LocalConnection}, counting exec calls so tests can prove nothing ran. Tests override a
 * method to make one operation fail.
 */
public class CountingConnection implements Connection {
    private final LocalConnection local;
    /** Number of {@link #exec} calls so far. */
    public final AtomicInteger execCalls = new AtomicInteger();

    /** A connection calling itself {@code host}. */
    public CountingConnection(String host) {
        this.local = new LocalConnection(host);
    }

    @Override
    public String host() {
        return local.host();
    }

    @Override
    public ExecResult exec(List<String> argv, ExecOptions options) throws ConnectionException {
        execCalls.incrementAndGet();
        return local.exec(argv, options);
    }

    @Override
    public InputStream openRead(String path) throws ConnectionException {
        return local.openRead(path);
    }

    @Override
    public OutputStream openWrite(String path) throws ConnectionException {
        return local.openWrite(path);
    }

    @Override
    public Optional<FileStat> stat(String path) throws ConnectionException {
        return local.stat(path);
    }

    @Override
    public List<FileStat> list(String dir) throws ConnectionException {
        return local.list(dir);
    }

    @Override
    public void mkdirs(String dir) throws ConnectionException {
        local.mkdirs(dir);
    }

    @Override
    public void delete(String path) throws ConnectionException {
        local.delete(path);
    }

    @Override
    public void rename(String from, String to) throws ConnectionException {
        local.rename(from, to);
    }

    @Override
    public void close() {
        local.close();
    }
}
