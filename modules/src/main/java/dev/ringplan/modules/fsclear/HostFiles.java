package dev.ringplan.modules.fsclear;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.ModuleException;
import java.util.List;
import java.util.Optional;

/**
 * The reads the fs_clear planners make through a host's connection, with a connection failure
 * turned into a {@link ModuleException} that names the host and the path.
 */
final class HostFiles {
    private HostFiles() {
    }

    /** The entry at {@code path} (links not followed), or empty when absent. */
    static Optional<FileStat> stat(Connection conn, String path) throws ModuleException {
        try {
            return conn.stat(path);
        } catch (ConnectionException e) {
            throw new ModuleException(conn.host() + ": cannot stat " + path + ": " + e.getMessage(), e);
        }
    }

    /** The entries of directory {@code dir}. */
    static List<FileStat> list(Connection conn, String dir) throws ModuleException {
        try {
            return conn.list(dir);
        } catch (ConnectionException e) {
            throw new ModuleException(conn.host() + ": cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
