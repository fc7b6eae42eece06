package dev.ringplan.modules.nodetool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parsed {@code nodetool describecluster}.
 *
 * @param name                  cluster name
 * @param snitch                snitch class
 * @param dynamicEndpointSnitch {@code enabled}/{@code disabled} (4.0+), null when not printed
 * @param partitioner           partitioner class
 * @param schemaVersions        schema version → endpoints; more than one key means schema
 *                              disagreement ({@code UNREACHABLE} is a key too when nodes are down)
 * @param datacenters           (4.0+) datacenter → {@code {nodes: n, down: n}}, empty when not printed
 * @param databaseVersions      (4.0+) Cassandra version → endpoints, empty when not printed
 * @param keyspaces             (4.0+) keyspace → replication text, empty when not printed
 */
public record ClusterDescription(String name, String snitch, String dynamicEndpointSnitch, String partitioner,
                                 Map<String, List<String>> schemaVersions, Map<String, Map<String, Long>> datacenters,
                                 Map<String, List<String>> databaseVersions, Map<String, String> keyspaces) {

    /** True when every reachable node reports the same schema version. */
    public boolean schemaAgreement() {
        return schemaVersions.keySet().stream().filter(k -> !k.equals("UNREACHABLE")).count() <= 1;
    }

    /**
     * Plain map for registered data: {@code name, snitch, dynamic_endpoint_snitch, partitioner,
     * schema_versions} ({@code {version: [endpoints]}}), {@code schema_agreement} (bool),
     * {@code datacenters} ({@code {dc: {nodes, down}}}), {@code database_versions},
     * {@code keyspaces} ({@code {ks: replication text}}).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("snitch", snitch);
        m.put("dynamic_endpoint_snitch", dynamicEndpointSnitch);
        m.put("partitioner", partitioner);
        m.put("schema_versions", copy(schemaVersions));
        m.put("schema_agreement", schemaAgreement());
        Map<String, Object> dcs = new LinkedHashMap<>();
        datacenters.forEach((k, v) -> dcs.put(k, new LinkedHashMap<>(v)));
        m.put("datacenters", dcs);
        m.put("database_versions", copy(databaseVersions));
        m.put("keyspaces", new LinkedHashMap<>(keyspaces));
        return m;
    }

    private static Map<String, Object> copy(Map<String, List<String>> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        return out;
    }
}
