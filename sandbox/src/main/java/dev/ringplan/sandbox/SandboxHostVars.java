package dev.ringplan.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The inventory variables of a sandbox's hosts in the "Cassandra host variables" contract
 * (connection, addresses and ports, datacenter and rack, nodetool and sstableloader argv prefixes,
 * Cassandra paths, start/stop commands), computed from the node specs alone: no file is read or written.
 */
final class SandboxHostVars {
    private SandboxHostVars() {
    }

    /**
     * The variables of each host, node 1 first (fresh mutable maps; see {@link Sandbox#hostVars()}).
     *
     * @param java         the JDK's java binary
     * @param lib          the Cassandra lib directory
     * @param toolsLogback the quiet logback configuration of the tools
     */
    static Map<String, Map<String, Object>> of(List<NodeSpec> specs, Path java, Path lib, Path toolsLogback) {
        List<String> nodetool = NodeFiles.nodetoolCommand(java, lib, toolsLogback, true);
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (NodeSpec n : specs) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("ansible_connection", "local");
            v.put("ansible_host", n.address());
            v.put("listen_address", n.address());
            v.put("cql_host", n.address());
            v.put("cql_port", NodeSpec.CQL_PORT);
            v.put("jmx_host", "127.0.0.1");
            v.put("jmx_port", n.jmxPort());
            v.put("datacenter", n.datacenter());
            v.put("rack", n.rack());
            v.put("nodetool_cmd", new ArrayList<>(nodetool));
            v.put("cassandra_version", CassandraLib.CASSANDRA_VERSION);
            v.put("cassandra_yaml", n.cassandraYaml().toString());
            v.put("cassandra_data_dirs", n.dataDirPaths().stream().map(Path::toString)
                    .collect(Collectors.toCollection(ArrayList::new)));
            v.put("cassandra_commitlog_dir", n.commitlogDir().toString());
            v.put("cassandra_hints_dir", n.hintsDir().toString());
            v.put("cassandra_saved_caches_dir", n.savedCachesDir().toString());
            v.put("cassandra_start_cmd", new ArrayList<>(List.of(n.startScript().toString())));
            v.put("cassandra_stop_cmd", new ArrayList<>(List.of(n.stopScript().toString())));
            v.put("cassandra_pid_file", n.pidFile().toString());
            v.put("cassandra_log_dir", n.logsDir().toString());
            v.put("sstableloader_cmd", NodeFiles.sstableloaderCommand(java, lib, n.jvmArgsFile(), toolsLogback));
            out.put(n.host(), v);
        }
        return out;
    }
}
