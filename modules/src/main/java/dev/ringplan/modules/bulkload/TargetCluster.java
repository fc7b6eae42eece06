package dev.ringplan.modules.bulkload;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.internal.core.loadbalancing.DcInferringLoadBalancingPolicy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the target cluster tells over CQL before a load, read with the DataStax Java driver from
 * the controller: its {@code cluster_name} ({@code system.local}), which of the tables to load it
 * lacks, and the ids of the others. sstableloader itself skips the files of a table the target does not have and still
 * exits 0 ("Skipping file ...: table ks.t doesn't exist", Cassandra 5.0.7), so the module checks
 * first. Read only.
 */
final class TargetCluster {
    private TargetCluster() {
    }

    /**
     * What was read.
     *
     * @param clusterName   {@code cluster_name} of the target
     * @param missingTables {@code ks.table} names the target has no table for, in the order asked
     * @param tableIds      {@code ks.table} → the target table's id ({@code system_schema.tables.id}),
     *                      for the tables it has: a table dropped and created again, or a target
     *                      cluster rebuilt under the same name, has a new one
     */
    record Schema(String clusterName, List<String> missingTables, Map<String, String> tableIds) {
    }

    /**
     * Connects to {@code targets} and reads the cluster name and the tables of {@code tables}.
     *
     * @param port     native port of every target
     * @param username null for no authentication
     * @param tables   {@code ks.table} names, as Cassandra stores them (case kept)
     * @throws IllegalStateException when no target answers or the query fails, with the driver's reason
     */
    static Schema read(List<String> targets, int port, String username, String password, Collection<String> tables) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withClass(DefaultDriverOption.LOAD_BALANCING_POLICY_CLASS, DcInferringLoadBalancingPolicy.class)
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(20))
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(20))
                .build();
        CqlSessionBuilder b = CqlSession.builder().withConfigLoader(config);
        for (String t : targets) {
            b.addContactPoint(InetSocketAddress.createUnresolved(t, port));
        }
        if (username != null) {
            b.withAuthCredentials(username, password == null ? "" : password);
        }
        try (CqlSession s = b.build()) {
            Row local = s.execute("SELECT cluster_name FROM system.local").one();
            String name = local == null ? null : local.getString("cluster_name");
            if (name == null || name.isBlank()) {
                throw new IllegalStateException("system.local of the target has no cluster_name");
            }
            List<String> missing = new ArrayList<>();
            Map<String, String> ids = new LinkedHashMap<>();
            for (String qt : tables) {
                int dot = qt.indexOf('.');
                Optional<TableMetadata> table = s.getMetadata().getKeyspace(CqlIdentifier.fromInternal(qt.substring(0, dot)))
                        .flatMap(k -> k.getTable(CqlIdentifier.fromInternal(qt.substring(dot + 1))));
                if (table.isEmpty()) {
                    missing.add(qt);
                } else {
                    ids.put(qt, table.get().getId().map(Object::toString).orElse(""));
                }
            }
            return new Schema(name, missing, ids);
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException && e.getMessage() != null && e.getMessage().startsWith("system.local")) {
                throw e;
            }
            throw new IllegalStateException("cannot read the target cluster " + targets + " on port " + port + ": "
                    + e.getMessage(), e);
        }
    }
}
