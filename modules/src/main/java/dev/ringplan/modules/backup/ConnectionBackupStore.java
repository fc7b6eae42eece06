package dev.ringplan.modules.backup;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.FileStat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * Backup storage in a directory of another inventory host, through that host's
 * {@link Connection} (SFTP over SSH). SFTP has no portable fsync: data is durable when the
 * server flushes it. A replacing rename deletes the target first (SFTP v3 renames never replace).
 */
public final class ConnectionBackupStore implements BackupStore {
    private final Connection conn;

    /** Storage reached through {@code conn}. */
    public ConnectionBackupStore(Connection conn) {
        this.conn = conn;
    }

    /** The inventory host holding the storage. */
    public String host() {
        return conn.host();
    }

    @Override
    public String display(String path) {
        return "ssh://" + conn.host() + path;
    }

    @Override
    public InputStream openRead(String path) throws IOException {
        try {
            return conn.openRead(path);
        } catch (ConnectionException e) {
            throw io(e);
        }
    }

    @Override
    public OutputStream openWrite(String path) throws IOException {
        try {
            return conn.openWrite(path);
        } catch (ConnectionException e) {
            throw io(e);
        }
    }

    @Override
    public Optional<FileStat> stat(String path) throws IOException {
        try {
            return conn.stat(path);
        } catch (ConnectionException e) {
            throw io(e);
        }
    }

    @Override
    public List<FileStat> list(String dir) throws IOException {
        try {
            return conn.list(dir);
        } catch (ConnectionException e) {
            throw io(e);
        }
    }

    @Override
    public void mkdirs(String dir) throws IOException {
        try {
            conn.mkdirs(dir);
        } catch (ConnectionException e) {
            throw io(e);
        }
    }

    @Override
    public void delete(String path) throws IOException {
        try {
            conn.delete(path);
        } catch (ConnectionException e) {
            throw io(e);
        }
    }

    @Override
    public void rename(String from, String to, boolean replace) throws IOException {
        try {
            if (replace && conn.stat(to).isPresent()) {
                conn.delete(to);
            }
            conn.rename(from, to);
        } catch (ConnectionException e) {
            throw io(e);
        }
    }

    private IOException io(ConnectionException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        return new IOException(m.startsWith(conn.host()) ? m : conn.host() + ": " + m, e);
    }
}
