package dev.ringplan.modules.cql;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Metadata;
import dev.ringplan.engine.module.ModuleException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver I/O of the CQL modules (java-driver-core 4.x): opening a session from
 * {@link CqlSettings}, running statements, waiting for schema agreement, and turning driver
 * errors into {@link ModuleException}s that name the endpoint and never a password.
 *
 * <p>Sessions are opened with schema and token metadata off (they are loaded only when asked,
 * {@link #schema}), and without a local datacenter the driver's
 * {@code DcInferringLoadBalancingPolicy} takes the contact point's.
 */
public final class CqlSessions {
    private CqlSessions() {
    }

    /**
     * A session to the cluster of {@code s}; the caller closes it.
     *
     * @throws ModuleException when no node can be reached, authentication fails, or the
     *                         truststore does not exist
     */
    public static CqlSession open(CqlSettings s) throws ModuleException {
        return open(s, false);
    }

    /**
     * A session to the cluster of {@code s} with schema and token metadata loaded and a
     * connection pool to every node of every datacenter (so that each node's state is known:
     * down when no connection to it can be opened); for reading the ring. The caller closes it.
     *
     * @throws ModuleException as {@link #open(CqlSettings)}
     */
    public static CqlSession openWithRing(CqlSettings s) throws ModuleException {
        return open(s, true);
    }

    private static CqlSession open(CqlSettings s, boolean ring) throws ModuleException {
        if (s.truststore() != null && !Files.isRegularFile(s.truststore())) {
            throw new ModuleException("CQL " + s.endpoint() + ": truststore " + s.truststore() + " is not a file");
        }
        ProgrammaticDriverConfigLoaderBuilder cfg = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, s.requestTimeout())
                .withDuration(DefaultDriverOption.CONNECTION_CONNECT_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, s.schemaTimeout())
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, s.requestTimeout())
                .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, ring)
                .withBoolean(DefaultDriverOption.METADATA_TOKEN_MAP_ENABLED, ring)
                .withInt(DefaultDriverOption.LOAD_BALANCING_DC_FAILOVER_MAX_NODES_PER_REMOTE_DC, ring ? 10_000 : 0)
                .withInt(DefaultDriverOption.RECONNECTION_MAX_DELAY, 10_000)
                .withString(DefaultDriverOption.REQUEST_CONSISTENCY, ConsistencyLevel.LOCAL_QUORUM.name());
        if (ring) {
            // the driver's default leaves system_* keyspaces out of its schema metadata (reference.conf,
            // refreshed-keyspaces); an empty list includes every keyspace, and the ring needs system_auth
            cfg.withStringList(DefaultDriverOption.METADATA_SCHEMA_REFRESHED_KEYSPACES, List.of());
        }
        if (s.localDc() == null) {
            cfg.withString(DefaultDriverOption.LOAD_BALANCING_POLICY_CLASS, "DcInferringLoadBalancingPolicy");
        }
        if (s.ssl()) {
            cfg.withString(DefaultDriverOption.SSL_ENGINE_FACTORY_CLASS, "DefaultSslEngineFactory");
            if (s.truststore() != null) {
                cfg.withString(DefaultDriverOption.SSL_TRUSTSTORE_PATH, s.truststore().toString());
            }
            if (s.truststorePassword() != null) {
                cfg.withString(DefaultDriverOption.SSL_TRUSTSTORE_PASSWORD, s.truststorePassword());
            }
        }
        var b = CqlSession.builder().addContactPoint(new InetSocketAddress(s.host(), s.port()))
                .withConfigLoader(cfg.build());
        if (s.localDc() != null) {
            b = b.withLocalDatacenter(s.localDc());
        }
        if (s.username() != null) {
            b = b.withAuthCredentials(s.username(), s.password());
        }
        try {
            return b.build();
        } catch (AllNodesFailedException e) {
            throw new ModuleException("CQL " + s.endpoint() + ": cannot connect: " + firstError(e, s), e);
        } catch (DriverException | IllegalStateException | IllegalArgumentException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root == e || root.getMessage() == null ? "" : " (" + root.getMessage() + ")";
            throw new ModuleException("CQL " + s.endpoint() + ": cannot connect: " + clean(e.getMessage() + why, s), e);
        }
    }

    /** Why every contact point failed, in one line: the first node's error. */
    private static String firstError(AllNodesFailedException e, CqlSettings s) {
        for (List<Throwable> errs : e.getAllErrors().values()) {
            for (Throwable t : errs) {
                if (t instanceof AuthenticationException) {
                    return "authentication failed" + (s.username() == null ? " (no username given: set cql_username"
                            + " and cql_password, or the username and password arguments)" : " for role '"
                            + s.username() + "'") + ": " + clean(t.getMessage(), s);
                }
                return clean(t.getMessage(), s);
            }
        }
        return clean(e.getMessage(), s);
    }

    /** A driver message without the password (it never holds one; belt and braces) or the driver's advice lines. */
    private static String clean(String msg, CqlSettings s) {
        String m = msg == null ? "unknown error" : msg.replaceAll("\\s+", " ").strip();
        for (String secret : new String[] {s.password(), s.truststorePassword()}) {
            if (secret != null && !secret.isEmpty()) {
                m = m.replace(secret, "********");
            }
        }
        return m;
    }

    /**
     * Runs one statement, at LOCAL_QUORUM; after a schema change the driver has waited (up to the
     * schema timeout) for agreement, and this fails when it was not reached.
     *
     * @param what what the statement is for, in the message ("check query", "statement 2")
     * @throws ModuleException naming the statement and Cassandra's answer when it fails
     */
    public static ResultSet execute(CqlSession session, CqlSettings s, String cql, String what) throws ModuleException {
        return execute(session, s, cql, what, null);
    }

    /**
     * {@link #execute(CqlSession, CqlSettings, String, String)} on coordinator {@code node} (null:
     * the driver's choice). A sequence of schema changes that depend on one another (a keyspace,
     * then its tables) goes to one coordinator: it has applied its own earlier changes, where
     * another node may not have them yet although the versions were reported in agreement.
     */
    public static ResultSet execute(CqlSession session, CqlSettings s, String cql, String what,
                                    com.datastax.oss.driver.api.core.metadata.Node node) throws ModuleException {
        ResultSet rs;
        try {
            rs = session.execute(SimpleStatement.newInstance(cql).setNode(node));
        } catch (DriverException e) {
            throw new ModuleException("CQL " + s.endpoint() + ": " + what + " failed: " + clean(e.getMessage(), s)
                    + "\n    " + cql, e);
        }
        if (!rs.getExecutionInfo().isSchemaInAgreement()) {
            // the driver already waited schema_timeout: one more look, then fail
            awaitAgreement(session, s, what, Duration.ZERO);
        }
        return rs;
    }

    /**
     * Waits until every node reports the same schema version, up to {@code budget}.
     *
     * @param after what changed the schema, for the message
     * @throws ModuleException when they do not agree by then
     */
    public static void awaitAgreement(CqlSession session, CqlSettings s, String after, Duration budget)
            throws ModuleException {
        long deadline = System.nanoTime() + budget.toNanos();
        while (true) {
            try {
                if (session.checkSchemaAgreement()) {
                    return;
                }
            } catch (DriverException e) {
                // a node that cannot answer right now: keep asking until the deadline
            }
            if (System.nanoTime() >= deadline) {
                throw new ModuleException("CQL " + s.endpoint() + ": the nodes did not agree on the schema within "
                        + s.schemaTimeout().toSeconds() + " s after " + after + " (nodetool describecluster shows"
                        + " the versions); raise schema_timeout, or check for nodes that are down");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModuleException("interrupted while waiting for schema agreement", e);
            }
        }
    }

    /**
     * The rows of a query, each column name to its plain value ({@link Values#plain}).
     *
     * @param columns receives the result's column names, in order
     */
    public static List<Map<String, Object>> rows(ResultSet rs, List<String> columns) {
        for (ColumnDefinition d : rs.getColumnDefinitions()) {
            columns.add(d.getName().asInternal());
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rs) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                m.put(columns.get(i), Values.plain(r.getObject(i)));
            }
            out.add(m);
        }
        return out;
    }

    /**
     * The datacenters of the nodes the driver knows (from {@code system.local} and
     * {@code system.peers_v2} of the control connection), sorted.
     */
    public static java.util.SortedSet<String> datacenters(CqlSession session) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        session.getMetadata().getNodes().values().forEach(n -> {
            if (n.getDatacenter() != null) {
                out.add(n.getDatacenter());
            }
        });
        return out;
    }

    /**
     * The datacenters {@code r} places replicas in that the cluster does not have (Cassandra 4.0+
     * refuses them: "Unrecognized strategy option {dc2} passed to NetworkTopologyStrategy"); empty
     * for other strategies.
     */
    public static List<String> unknownDatacenters(Replication r, java.util.Set<String> known) {
        if (!r.strategy().equals(Replication.NETWORK_TOPOLOGY)) {
            return List.of();
        }
        return r.options().keySet().stream().filter(dc -> !known.contains(dc)).toList();
    }

    /** {@code cql} on one line (blank runs collapsed), for a progress line. */
    public static String oneLine(String cql) {
        return cql.replaceAll("\\s+", " ").strip();
    }

    /**
     * The cluster's schema metadata, refreshed now (sessions start without it).
     *
     * @throws ModuleException when it cannot be read
     */
    public static Metadata schema(CqlSession session, CqlSettings s) throws ModuleException {
        try {
            return session.refreshSchema();
        } catch (DriverException e) {
            throw new ModuleException("CQL " + s.endpoint() + ": cannot read the schema: " + clean(e.getMessage(), s), e);
        }
    }
}
