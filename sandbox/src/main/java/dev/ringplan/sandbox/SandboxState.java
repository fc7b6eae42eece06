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
 * The recorded shape of one sandbox, kept in {@code <stateDir>/sandbox.yaml} so that addresses,
 * JMX ports and the node's place in the cluster stay the same across runs and other sandboxes of
 * the work directory avoid them.
 *
 * @param name         the sandbox name
 * @param addressIndex the address index (see {@link Addresses})
 * @param nodes        the node count
 * @param dataDirs     data directories per node
 * @param jmxPorts     the JMX port of each node, node 1 first
 * @param clusterName  the cluster name: {@code ringplan-<name>}, or the joined sandbox's
 * @param datacenter   the datacenter of every node of this sandbox
 * @param rack         the rack of every node of this sandbox
 * @param join         the name of the sandbox this one joins as a new datacenter, null when it is
 *                     a cluster of its own
 * @param seeds        the seed addresses of every node: the joined sandbox's seeds, then node 1
 * @param numTokens    {@code num_tokens} of every node (1: one evenly spaced {@code initial_token} each)
 */
record SandboxState(String name, int addressIndex, int nodes, int dataDirs, List<Integer> jmxPorts,
                    String clusterName, String datacenter, String rack, String join, List<String> seeds,
                    int numTokens) {
    /** The state file name inside the sandbox directory. */
    static final String FILE = "sandbox.yaml";

    SandboxState {
        jmxPorts = List.copyOf(jmxPorts);
        seeds = List.copyOf(seeds);
    }

    /**
     * What a new sandbox joins: the sandbox name, its cluster name and its seeds.
     *
     * @param name        the joined sandbox
     * @param clusterName its cluster name, which the new sandbox takes
     * @param seeds       its seed addresses
     */
    record Joined(String name, String clusterName, List<String> seeds) {
        Joined {
            seeds = List.copyOf(seeds);
        }
    }

    /** A new state of a cluster of its own in datacenter1 / rack1, with ports from {@link Addresses#jmxPort}. */
    static SandboxState create(String name, int addressIndex, int nodes, int dataDirs) {
        return create(name, addressIndex, nodes, dataDirs, NodeFiles.DEFAULT_DATACENTER, NodeFiles.DEFAULT_RACK, null);
    }

    /**
     * A new state with ports from {@link Addresses#jmxPort}: a cluster of its own
     * ({@code ringplan-<name>}, node 1 the seed) when {@code joined} is null, else a new
     * datacenter of the joined sandbox's cluster (its cluster name, its seeds then node 1).
     */
    static SandboxState create(String name, int addressIndex, int nodes, int dataDirs, String datacenter, String rack,
                               Joined joined) {
        return create(name, addressIndex, nodes, dataDirs, datacenter, rack, joined, NodeFiles.DEFAULT_NUM_TOKENS);
    }

    /** {@link #create(String, int, int, int, String, String, Joined)} with {@code numTokens} tokens per node. */
    static SandboxState create(String name, int addressIndex, int nodes, int dataDirs, String datacenter, String rack,
                               Joined joined, int numTokens) {
        List<Integer> ports = new ArrayList<>();
        for (int n = 1; n <= nodes; n++) {
            ports.add(Addresses.jmxPort(addressIndex, n));
        }
        List<String> seeds = new ArrayList<>(joined == null ? List.of() : joined.seeds());
        String own = Addresses.address(addressIndex, 1);
        if (!seeds.contains(own)) {
            seeds.add(own);
        }
        return new SandboxState(name, addressIndex, nodes, dataDirs, ports,
                joined == null ? NodeFiles.clusterName(name) : joined.clusterName(), datacenter, rack,
                joined == null ? null : joined.name(), seeds, numTokens);
    }

    /** The YAML text of this state (names are validated; datacenter and rack are quoted). */
    String toYaml() {
        StringBuilder sb = new StringBuilder();
        sb.append("# Ringplan sandbox state: do not edit while the sandbox runs.\n");
        sb.append("name: ").append(name).append('\n');
        sb.append("cassandra_version: ").append(CassandraLib.CASSANDRA_VERSION).append('\n');
        sb.append("address_index: ").append(addressIndex).append('\n');
        sb.append("nodes: ").append(nodes).append('\n');
        sb.append("data_dirs: ").append(dataDirs).append('\n');
        sb.append("jmx_ports: ").append(jmxPorts).append('\n');
        sb.append("cluster_name: ").append(NodeFiles.yq(clusterName)).append('\n');
        sb.append("datacenter: ").append(NodeFiles.yq(datacenter)).append('\n');
        sb.append("rack: ").append(NodeFiles.yq(rack)).append('\n');
        if (join != null) {
            sb.append("join: ").append(join).append('\n');
        }
        sb.append("seeds: ").append(seeds).append('\n');
        sb.append("num_tokens: ").append(numTokens).append('\n');
        return sb.toString();
    }

    /** Writes {@link #toYaml()} to {@code file} atomically (temp file + rename). */
    void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, toYaml(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads a state file written by {@link #write}. A file written before sandboxes had a
     * datacenter (no {@code cluster_name}, {@code datacenter}, {@code rack}, {@code seeds}) reads
     * as what such a sandbox was: its own cluster, datacenter1 / rack1, node 1 the seed.
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
            List<String> seeds = new ArrayList<>();
            if (m.get("seeds") == null) {
                seeds.add(Addresses.address(index, 1));
            } else {
                for (Object o : (List<?>) m.get("seeds")) {
                    seeds.add(String.valueOf(o));
                }
            }
            return new SandboxState(name, index, nodes, dataDirs, ports,
                    text(m, "cluster_name", NodeFiles.clusterName(name)),
                    text(m, "datacenter", NodeFiles.DEFAULT_DATACENTER), text(m, "rack", NodeFiles.DEFAULT_RACK),
                    m.get("join") == null ? null : String.valueOf(m.get("join")), seeds,
                    m.get("num_tokens") == null ? NodeFiles.DEFAULT_NUM_TOKENS : ((Number) m.get("num_tokens")).intValue());
        } catch (ClassCastException | NullPointerException | IllegalArgumentException e) {
            throw new RingplanException("sandbox state " + file + " lacks a field or has a wrong type; "
                    + "remove the sandbox directory to start over", e);
        }
    }

    private static String text(Map<?, ?> m, String key, String absent) {
        Object v = m.get(key);
        return v == null ? absent : String.valueOf(v);
    }
}
