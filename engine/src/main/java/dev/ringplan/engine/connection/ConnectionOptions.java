package dev.ringplan.engine.connection;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Run-wide connection settings, chosen on the command line rather than per host.
 *
 * @param acceptNewHostKeys record SSH host keys not yet in known_hosts instead of refusing the
 *                          host (OpenSSH's {@code StrictHostKeyChecking=accept-new}); a changed
 *                          key is refused regardless
 * @param knownHostsFile    the known_hosts file used for hosts without {@code ringplan_known_hosts}
 * @param connectTimeout    TCP connect and handshake timeout
 */
public record ConnectionOptions(boolean acceptNewHostKeys, Path knownHostsFile, Duration connectTimeout) {

    /** Validates. */
    public ConnectionOptions {
        Objects.requireNonNull(knownHostsFile, "knownHostsFile");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /** Refuse unknown host keys, {@code ~/.ssh/known_hosts}, 10 second connect timeout. */
    public static ConnectionOptions defaults() {
        return new ConnectionOptions(false, Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"),
                Duration.ofSeconds(10));
    }

    /** A copy that records (true) or refuses (false) unknown host keys. */
    public ConnectionOptions withAcceptNewHostKeys(boolean accept) {
        return new ConnectionOptions(accept, knownHostsFile, connectTimeout);
    }

    /** A copy with another default known_hosts file. */
    public ConnectionOptions withKnownHostsFile(Path file) {
        return new ConnectionOptions(acceptNewHostKeys, file, connectTimeout);
    }

    /** A copy with another connect timeout. */
    public ConnectionOptions withConnectTimeout(Duration timeout) {
        return new ConnectionOptions(acceptNewHostKeys, knownHostsFile, timeout);
    }
}
