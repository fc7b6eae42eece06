package dev.ringplan.engine.exec;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import java.util.Map;

/** Opens the connection to a host from its variables (ansible_connection, ansible_host, ...). */
@FunctionalInterface
public interface ConnectionProvider {
    /**
     * Opens a connection.
     *
     * @throws ConnectionException ({@link dev.ringplan.engine.connection.UnreachableException}
     *                             when the host cannot be reached)
     */
    Connection open(String host, Map<String, Object> hostVars) throws ConnectionException;
}
