package dev.ringplan.engine.rolling;

import dev.ringplan.engine.diag.RingplanException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads the ring of the cluster that a rolling block's hosts belong to, when the block starts
 * (the ring is live data: nodes join and leave, keyspaces change). The engine knows no Cassandra
 * client; the CLI gives the executor one (java-driver-core's metadata in the modules).
 */
@FunctionalInterface
public interface RingReader {

    /**
     * One inventory host of the block.
     *
     * @param name the inventory hostname
     * @param vars its variables (rendered as for a task on it), where its addresses and CQL
     *             settings are
     */
    record Host(String name, Map<String, Object> vars) {
    }

    /**
     * Reads the ring through any of {@code hosts}.
     *
     * @param hosts   the block's hosts, in inventory order (at least one)
     * @param workDir the controller's working directory (relative paths, e.g. a truststore)
     * @return the ring, with {@link Ring#hostAddress()} filled for the hosts found in it
     * @throws RingplanException when no host answers, or the ring cannot be read
     */
    Ring read(List<Host> hosts, Path workDir) throws RingplanException;

    /** A reader for an executor that has none: every read fails, naming what is missing. */
    RingReader NONE = (hosts, workDir) -> {
        throw new RingplanException("this executor cannot read a Cassandra ring (no ring reader given)");
    };
}
