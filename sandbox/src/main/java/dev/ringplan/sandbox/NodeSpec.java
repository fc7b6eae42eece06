package dev.ringplan.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one sandbox node lives and how it is reached: its number, addresses, JMX port and the
 * absolute paths of its files under {@code <workDir>/.ringplan/sandbox/<sandbox>/node<N>/}.
 * Pure value; nothing is created on disk by this type.
 *
 * @param sandbox       the sandbox name (e.g. {@code default})
 * @param number        1-based node number; node 1 of every sandbox is a seed
 * @param address       the node's loopback address (listen, rpc and CQL), e.g. {@code 127.0.0.2}
 * @param jmxPort       the node's JMX port (JMX binds to 127.0.0.1 only)
 * @param dir           the node's directory (absolute)
 * @param dataDirs      how many {@code data_file_directories} the node has (JBOD when above 1)
 * @param clusterName   the {@code cluster_name} (the joined sandbox's when the sandbox joins one)
 * @param datacenter    the node's datacenter (GossipingPropertyFileSnitch, {@code dc=})
 * @param rack          the node's rack ({@code rack=})
 * @param seeds         the seed addresses, storage port implied: the joined sandbox's seeds first,
 *                      then node 1 of this sandbox
 * @param autoBootstrap false for the nodes of a sandbox that joins another as a new datacenter
 *                      (they start empty and get their data from {@code nodetool rebuild})
 * @param numTokens     the node's {@code num_tokens}
 * @param initialToken  the node's {@code initial_token} when it has one token ({@link #evenToken}), else null
 */
public record NodeSpec(String sandbox, int number, String address, int jmxPort, Path dir, int dataDirs,
                       String clusterName, String datacenter, String rack, List<String> seeds,
                       boolean autoBootstrap, int numTokens, String initialToken) {

    /** A node with the default vnodes ({@value NodeFiles#DEFAULT_NUM_TOKENS} tokens, allocated by Cassandra). */
    public NodeSpec(String sandbox, int number, String address, int jmxPort, Path dir, int dataDirs,
                    String clusterName, String datacenter, String rack, List<String> seeds, boolean autoBootstrap) {
        this(sandbox, number, address, jmxPort, dir, dataDirs, clusterName, datacenter, rack, seeds, autoBootstrap,
                NodeFiles.DEFAULT_NUM_TOKENS, null);
    }

    /**
     * The Murmur3 token of node {@code number} (1-based) of {@code nodes} nodes with one token each:
     * {@code -2^63 + (number - 1) * floor(2^64 / nodes) + offset}, evenly spaced over the
     * partitioner's range ({@code Murmur3Partitioner}: tokens are signed 64-bit integers). The
     * offset (the sandbox's address index) keeps two datacenters of one cluster off each other's
     * tokens, which Cassandra refuses.
     */
    public static String evenToken(int number, int nodes, int offset) {
        java.math.BigInteger step = java.math.BigInteger.ONE.shiftLeft(64).divide(java.math.BigInteger.valueOf(nodes));
        return java.math.BigInteger.ONE.shiftLeft(63).negate()
                .add(step.multiply(java.math.BigInteger.valueOf(number - 1L)))
                .add(java.math.BigInteger.valueOf(offset)).toString();
    }

    /** Storage (gossip/streaming) port, the same on every node: each node has its own address. */
    public static final int STORAGE_PORT = 7000;
    /** CQL native protocol port, the same on every node. */
    public static final int CQL_PORT = 9042;

    /** Copies the seed list. */
    public NodeSpec {
        seeds = List.copyOf(seeds);
    }

    /** The inventory host name: {@code node<N>}. */
    public String host() {
        return "node" + number;
    }

    /** {@code <dir>/conf}. */
    public Path confDir() {
        return dir.resolve("conf");
    }

    /** {@code <dir>/conf/cassandra.yaml}. */
    public Path cassandraYaml() {
        return confDir().resolve("cassandra.yaml");
    }

    /** {@code <dir>/conf/logback.xml}, the node's logging configuration. */
    public Path logbackXml() {
        return confDir().resolve("logback.xml");
    }

    /** {@code <dir>/conf/cassandra-rackdc.properties}, read by GossipingPropertyFileSnitch. */
    public Path rackdcProperties() {
        return confDir().resolve("cassandra-rackdc.properties");
    }

    /** {@code <dir>/conf/jvm17-jpms.args}, the JPMS argfile passed to java as {@code @file}. */
    public Path jvmArgsFile() {
        return confDir().resolve("jvm17-jpms.args");
    }

    /** The data directories {@code <dir>/data1 .. data<dataDirs>}. */
    public List<Path> dataDirPaths() {
        List<Path> out = new ArrayList<>();
        for (int i = 1; i <= dataDirs; i++) {
            out.add(dir.resolve("data" + i));
        }
        return out;
    }

    /** {@code <dir>/commitlog}. */
    public Path commitlogDir() {
        return dir.resolve("commitlog");
    }

    /** {@code <dir>/hints}. */
    public Path hintsDir() {
        return dir.resolve("hints");
    }

    /** {@code <dir>/saved_caches}. */
    public Path savedCachesDir() {
        return dir.resolve("saved_caches");
    }

    /** {@code <dir>/cdc_raw}. */
    public Path cdcRawDir() {
        return dir.resolve("cdc_raw");
    }

    /** {@code <dir>/logs}. */
    public Path logsDir() {
        return dir.resolve("logs");
    }

    /** {@code <dir>/logs/system.log}: the node's INFO log. */
    public Path systemLog() {
        return logsDir().resolve("system.log");
    }

    /** {@code <dir>/logs/stdout.log}: the JVM's console (WARN and above, JVM errors). */
    public Path stdoutLog() {
        return logsDir().resolve("stdout.log");
    }

    /** {@code <dir>/cassandra.pid}: the running JVM's PID, written by {@link #startScript()}. */
    public Path pidFile() {
        return dir.resolve("cassandra.pid");
    }

    /** {@code <dir>/bin/start}: starts the node detached; no-op when it runs. */
    public Path startScript() {
        return dir.resolve("bin").resolve("start");
    }

    /** {@code <dir>/bin/stop}: stops the node (SIGTERM, then SIGKILL after a timeout). */
    public Path stopScript() {
        return dir.resolve("bin").resolve("stop");
    }

    /**
     * The {@code -Dcassandra.config=...} JVM argument of this node. It is unique per node, so it
     * also identifies the node's JVM among running processes ({@code /proc/<pid>/cmdline}).
     */
    public String configArgument() {
        return "-Dcassandra.config=" + cassandraYaml().toUri();
    }
}
