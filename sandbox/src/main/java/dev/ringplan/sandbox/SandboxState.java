package dev.ringplan.sandbox;

import dev.ringplan.engine.diag.RingplanException;
import dev.ringplan.engine.yaml.SafeYaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The recorded shape of one sandbox, kept in {@code <stateDir>/sandbox.yaml} so that addresses and
 * JMX ports stay the same across runs and other sandboxes of the work directory avoid them.
 *
 * @param name         the sandbox name
 * @param addressIndex the address index (see {@link Addresses})
 * @param nodes        the node count
 * @param dataDirs     data directories per node
 * @param jmxPorts     the JMX port of each node, node 1 first
 */
record SandboxState(String name, int addressIndex, int nodes, int dataDirs, List<Integer> jmxPorts) {
    /** The state file name inside the sandbox directory. */
    static final String FILE = "sandbox.yaml";

    SandboxState {
        jmxPorts = List.copyOf(jmxPorts);
    }

    /** A new state with ports from {@link Addresses#jmxPort}. */
    static SandboxState create(String name, int addressIndex, int nodes, int dataDirs) {
        List<Integer> ports = new ArrayList<>();
        for (int n = 1; n <= nodes; n++) {
            ports.add(Addresses.jmxPort(addressIndex, n));
        }
        return new SandboxState(name, addressIndex, nodes, dataDirs, ports);
    }

    /** The YAML text of this state (plain scalars only: names are validated to [a-z0-9_-]). */
    String toYaml() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Ringplan sandbox state: do not edit while the sandbox runs.\n");
        sb.append("name: ").append(name).append('\n');
        sb.append("cassandra_version: ").append(CassandraLib.CASSANDRA_VERSION).append('\n');
        sb.append("address_index: ").append(addressIndex).append('\n');
        sb.append("nodes: ").append(nodes).append('\n');
        sb.append("data_dirs: ").append(dataDirs).append('\n');
        sb.append("jmx_ports: ").append(jmxPorts).append('\n');
        return sb.toString();
    }

    /** Writes {@link #toYaml()} to {@code file} atomically (temp file + rename). */
    void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, toYaml(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads a state file written by {@link #write}.
     *
     * @throws RingplanException when it cannot be read or lacks a field
     */
    static SandboxState read(Path file) throws RingplanException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RingplanException("cannot read sandbox state " + file + ": " + e.getMessage(), e);
        }
        Object root = SafeYaml.toJava(SafeYaml.compose(file.toString(), text));
        if (!(root instanceof Map<?, ?> m)) {
            throw new RingplanException("sandbox state " + file + " is not a mapping");
        }
        try {
            String name = String.valueOf(m.get("name"));
            int index = ((Number) m.get("address_index")).intValue();
            int nodes = ((Number) m.get("nodes")).intValue();
            int dataDirs = ((Number) m.get("data_dirs")).intValue();
            List<Integer> ports = new ArrayList<>();
            for (Object o : (List<?>) m.get("jmx_ports")) {
                ports.add(((Number) o).intValue());
            }
            if (ports.size() != nodes || nodes < 1 || dataDirs < 1) {
                throw new RingplanException("sandbox state " + file + " is inconsistent (nodes " + nodes
                        + ", " + ports.size() + " JMX ports)");
            }
            return new SandboxState(name, index, nodes, dataDirs, ports);
        } catch (ClassCastException | NullPointerException e) {
            throw new RingplanException("sandbox state " + file + " lacks a field or has a wrong type; "
                    + "remove the sandbox directory to start over", e);
        }
    }
}
