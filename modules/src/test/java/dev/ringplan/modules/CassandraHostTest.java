package dev.ringplan.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CassandraHostTest {

    @Test
    void of_noVars_usesDefaults() throws Exception {
        CassandraHost h = CassandraHost.of("db1", Map.of());
        assertEquals("db1", h.ansibleHost());
        assertEquals("ssh", h.connectionType());
        assertNull(h.cassandraVersion());
        assertEquals(List.of("nodetool"), h.nodetoolCmd());
        assertEquals("127.0.0.1", h.jmxHost());
        assertEquals(7199, h.jmxPort());
        assertEquals("db1", h.cqlHost());
        assertEquals(9042, h.cqlPort());
        assertEquals("db1", h.listenAddress());
        assertEquals("/etc/cassandra/cassandra.yaml", h.cassandraYaml());
        assertEquals(List.of("/var/lib/cassandra/data"), h.dataDirs());
        assertEquals("/var/lib/cassandra/commitlog", h.commitlogDir());
        assertEquals("/var/lib/cassandra/hints", h.hintsDir());
        assertEquals("/var/lib/cassandra/saved_caches", h.savedCachesDir());
        assertEquals(List.of(), h.startCmd());
        assertNull(h.pidFile());
        assertEquals("/var/lib/cassandra/ringplan-set-aside", h.setAsideDir());
        assertEquals(List.of("/var/lib/cassandra/data", "/var/lib/cassandra/commitlog", "/var/lib/cassandra/hints",
                "/var/lib/cassandra/saved_caches", "/var/lib/cassandra/ringplan-set-aside"), h.allDirs());
    }

    @Test
    void setAsideDir_besideTheCommitlogUnlessSet() throws Exception {
        assertEquals("/disk2/ringplan-set-aside",
                CassandraHost.of("db1", Map.of("cassandra_commitlog_dir", "/disk2/commitlog/")).setAsideDir());
        assertEquals("/ringplan-set-aside",
                CassandraHost.of("db1", Map.of("cassandra_commitlog_dir", "/commitlog")).setAsideDir());
        assertEquals("/data/aside",
                CassandraHost.of("db1", Map.of("cassandra_set_aside_dir", "/data/aside")).setAsideDir());
    }

    @Test
    void of_ansibleHost_isDefaultForCqlAndListen() throws Exception {
        CassandraHost h = CassandraHost.of("db1", Map.of("ansible_host", "10.0.0.7"));
        assertEquals("10.0.0.7", h.cqlHost());
        assertEquals("10.0.0.7", h.listenAddress());
    }

    @Test
    void nodetoolArgv_prefixHostPortThenArgs() throws Exception {
        CassandraHost h = CassandraHost.of("n1", Map.of(
                "nodetool_cmd", List.of("java", "-cp", "/opt/c/lib/*", "org.apache.cassandra.tools.NodeTool"),
                "jmx_host", "127.0.0.1", "jmx_port", 7299));
        assertEquals(List.of("java", "-cp", "/opt/c/lib/*", "org.apache.cassandra.tools.NodeTool",
                "-h", "127.0.0.1", "-p", "7299", "snapshot", "-t", "x"), h.nodetoolArgv(List.of("snapshot", "-t", "x")));
    }

    @Test
    void of_lenientTypes() throws Exception {
        Map<String, Object> v = new HashMap<>();
        v.put("jmx_port", "7399");
        v.put("cql_port", 9043L);
        v.put("nodetool_cmd", "/opt/cassandra/bin/nodetool");
        v.put("cassandra_data_dirs", List.of("/d1", "/d2"));
        v.put("cassandra_version", 5.0);
        v.put("cassandra_start_cmd", List.of("systemctl", "start", "cassandra"));
        CassandraHost h = CassandraHost.of("n1", v);
        assertEquals(7399, h.jmxPort());
        assertEquals(9043, h.cqlPort());
        assertEquals(List.of("/opt/cassandra/bin/nodetool"), h.nodetoolCmd());
        assertEquals(List.of("/d1", "/d2"), h.dataDirs());
        assertEquals("5.0", h.cassandraVersion());
        assertEquals(3, h.startCmd().size());
    }

    @Test
    void of_listVariables_oneRule_yamlListOrCommaSeparatedString() throws Exception {
        Map<String, Object> v = new HashMap<>();
        v.put("cassandra_data_dirs", "/d1, /d2,,");
        v.put("tokens", "-9000,42");
        v.put("nodetool_cmd", "/opt/cassandra/bin/nodetool");
        v.put("cassandra_stop_cmd", List.of("sh", "-c", "kill -TERM $(cat /p), true"));
        CassandraHost h = CassandraHost.of("n1", v);
        assertEquals(List.of("/d1", "/d2"), h.dataDirs());
        assertEquals(List.of("-9000", "42"), h.tokens());
        assertEquals(List.of("/opt/cassandra/bin/nodetool"), h.nodetoolCmd());
        assertEquals("kill -TERM $(cat /p), true", h.stopCmd().get(2), "list elements are kept as written");
        ModuleException e = assertThrows(ModuleException.class,
                () -> CassandraHost.of("n1", Map.of("cassandra_data_dirs", "['/d1', '/d2']")));
        assertTrue(e.getMessage().contains("a list printed as a string"), e.getMessage());
    }

    @Test
    void of_wrongTypes_clearErrors() {
        ModuleException e = assertThrows(ModuleException.class,
                () -> CassandraHost.of("n1", Map.of("jmx_port", "seven")));
        assertEquals("host n1: variable 'jmx_port' must be a port number (integer 1-65535), got 'seven' (String)",
                e.getMessage());
        e = assertThrows(ModuleException.class, () -> CassandraHost.of("n1", Map.of("jmx_port", 70000)));
        assertTrue(e.getMessage().contains("between 1 and 65535"), e.getMessage());
        e = assertThrows(ModuleException.class,
                () -> CassandraHost.of("n1", Map.of("cassandra_data_dirs", Map.of("a", 1))));
        assertEquals("host n1: variable 'cassandra_data_dirs' must be a list of strings, got a mapping", e.getMessage());
        e = assertThrows(ModuleException.class,
                () -> CassandraHost.of("n1", Map.of("nodetool_cmd", List.of("nodetool", List.of("x")))));
        assertTrue(e.getMessage().contains("a list containing a list"), e.getMessage());
        e = assertThrows(ModuleException.class, () -> CassandraHost.of("n1", Map.of("nodetool_cmd", List.of())));
        assertTrue(e.getMessage().contains("must not be empty"), e.getMessage());
        e = assertThrows(ModuleException.class, () -> CassandraHost.of("n1", Map.of("listen_address", List.of("a"))));
        assertTrue(e.getMessage().contains("'listen_address' must be a string"), e.getMessage());
    }
}
