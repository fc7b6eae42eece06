package dev.ringplan.modules.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.Metadata;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.token.Token;
import dev.ringplan.engine.diag.RingplanException;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.rolling.Ring;
import dev.ringplan.engine.rolling.RingNode;
import dev.ringplan.engine.rolling.RingReader;
import dev.ringplan.modules.CassandraHost;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a ring through java-driver-core's metadata (4.x), connecting to the first of the block's
 * hosts that answers on CQL (its {@code cql_host}/{@code cql_port}, credentials and TLS settings):
 * every node's tokens ({@code TokenMap.getTokens}), datacenter, rack and state, and every
 * keyspace's replication options ({@code system_schema.keyspaces}, through the driver's schema
 * metadata). A node is down when the driver cannot open a connection to it (state DOWN, or no
 * state known): what {@code nodetool status} shows as DN when the node's process or network is
 * gone. An inventory host is the node whose storage address is its {@code listen_address}, else
 * whose CQL address is its {@code cql_host}.
 */
public final class DriverRingReader implements RingReader {

    @Override
    public Ring read(List<Host> hosts, Path workDir) throws RingplanException {
        List<String> errors = new ArrayList<>();
        Map<String, CassandraHost> parsed = new LinkedHashMap<>();
        for (Host h : hosts) {
            try {
                parsed.put(h.name(), CassandraHost.of(h.name(), h.vars()));
            } catch (ModuleException e) {
                throw new RingplanException("host " + h.name() + ": " + e.getMessage(), e);
            }
        }
        for (CassandraHost h : parsed.values()) {
            CqlSettings s = new CqlSettings(h.cqlHost(), h.cqlPort(), h.cqlLocalDc(), h.cqlUsername(),
                    h.cqlUsername() == null ? null : h.cqlPassword(), h.cqlSsl() || h.cqlTruststore() != null,
                    h.cqlTruststore() == null ? null : workDir.resolve(h.cqlTruststore()), h.cqlTruststorePassword(),
                    Duration.ofSeconds(30), Duration.ofSeconds(30));
            try (CqlSession session = CqlSessions.openWithRing(s)) {
                return ring(session.getMetadata(), parsed, s.endpoint());
            } catch (ModuleException e) {
                errors.add(e.getMessage());
            }
        }
        throw new RingplanException("cannot read the ring: no host of the block answered on CQL: "
                + String.join("; ", errors));
    }

    private static Ring ring(Metadata md, Map<String, CassandraHost> hosts, String via) throws RingplanException {
        TokenMap tokens = md.getTokenMap().orElseThrow(() -> new RingplanException(
                "the driver built no token map from " + via + " (unknown partitioner?)"));
        List<RingNode> nodes = new ArrayList<>();
        for (Node n : md.getNodes().values()) {
            List<BigInteger> ts = new ArrayList<>();
            for (Token t : tokens.getTokens(n)) {
                String text = tokens.format(t);
                try {
                    ts.add(new BigInteger(text));
                } catch (NumberFormatException e) {
                    throw new RingplanException("token " + text + " of " + address(n) + " is not a number: partitioner "
                            + tokens.getPartitionerName() + " is not supported (Murmur3Partitioner, RandomPartitioner)");
                }
            }
            String rpc = n.getBroadcastRpcAddress().map(a -> a.getAddress().getHostAddress()).orElse(null);
            nodes.add(new RingNode(address(n), rpc, String.valueOf(n.getDatacenter()), String.valueOf(n.getRack()),
                    n.getState() == NodeState.UP, ts));
        }
        Map<String, Map<String, String>> replication = new HashMap<>();
        for (KeyspaceMetadata k : md.getKeyspaces().values()) {
            if (!k.isVirtual()) {
                replication.put(k.getName().asInternal(), Map.copyOf(k.getReplication()));
            }
        }
        Map<String, String> hostAddress = new HashMap<>();
        for (Map.Entry<String, CassandraHost> e : hosts.entrySet()) {
            for (RingNode n : nodes) {
                if (n.address().equals(e.getValue().listenAddress())) {
                    hostAddress.put(e.getKey(), n.address());
                }
            }
            if (!hostAddress.containsKey(e.getKey())) {
                for (RingNode n : nodes) {
                    if (e.getValue().cqlHost().equals(n.rpcAddress())) {
                        hostAddress.put(e.getKey(), n.address());
                    }
                }
            }
        }
        return new Ring(nodes, replication, hostAddress, "java-driver-core metadata via " + via);
    }

    private static String address(Node n) {
        InetSocketAddress a = n.getBroadcastAddress().orElse(null);
        if (a == null && n.getEndPoint().resolve() instanceof InetSocketAddress e) {
            a = e;
        }
        return a == null ? n.getEndPoint().toString() : a.getAddress().getHostAddress();
    }
}
