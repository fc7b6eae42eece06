package dev.ringplan.sandbox;

import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.RingplanException;
import dev.ringplan.engine.yaml.SafeYaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sandbox state and files without starting any node (a fake lib directory). */
class SandboxTest {

    static Path fakeLib(Path dir) throws Exception {
        Path lib = dir.resolve("fake-lib");
        if (Files.isDirectory(lib)) {
            return lib;
        }
        Files.createDirectories(lib);
        Files.createFile(lib.resolve("cassandra-all-" + CassandraLib.CASSANDRA_VERSION + ".jar"));
        for (int i = 0; i < 60; i++) {
            Files.createFile(lib.resolve("dep" + i + ".jar"));
        }
        return lib;
    }

    private static Sandbox sandbox(Path work, String name) throws Exception {
        Sandbox s = new Sandbox(work, name);
        s.setCassandraLib(fakeLib(work));
        return s;
    }

    @Test
    void validateName_rejectsBadNames() {
        for (String bad : List.of("", "Upper", "-x", "a b", "a/b", "x".repeat(33), "..")) {
            assertThrows(InvalidInputException.class, () -> Sandbox.validateName(bad), bad);
        }
        assertThrows(InvalidInputException.class, () -> new Sandbox(Path.of("."), "a;b"));
    }

    @Test
    void create_writesNodeFilesAndInventory(@TempDir Path work) throws Exception {
        Sandbox s = sandbox(work, "default");
        List<String> log = new ArrayList<>();
        List<NodeSpec> nodes = s.create(2, 2, log::add);
        assertEquals(2, nodes.size());
        assertTrue(log.get(0).contains("127.0.0.1..127.0.0.2"), log.toString());
        NodeSpec n2 = nodes.get(1);
        assertEquals("127.0.0.2", n2.address());
        assertEquals(List.of("127.0.0.1"), n2.seeds());
        assertEquals(7299, n2.jmxPort());
        for (Path p : List.of(n2.cassandraYaml(), n2.logbackXml(), n2.rackdcProperties(), n2.jvmArgsFile(),
                n2.startScript(), n2.stopScript())) {
            assertTrue(Files.isRegularFile(p), p.toString());
        }
        assertTrue(Files.isExecutable(n2.startScript()));
        assertTrue(Files.readString(n2.jvmArgsFile()).contains("--add-opens java.base/java.nio=ALL-UNNAMED"));
        for (Path d : List.of(n2.dataDirPaths().get(0), n2.dataDirPaths().get(1), n2.commitlogDir(), n2.hintsDir(),
                n2.savedCachesDir(), n2.cdcRawDir(), n2.logsDir())) {
            assertTrue(Files.isDirectory(d), d.toString());
        }

        Map<String, Map<String, Object>> vars = s.hostVars();
        assertEquals(List.of("node1", "node2"), List.copyOf(vars.keySet()));
        Map<String, Object> v = vars.get("node2");
        assertEquals(Set.of("ansible_connection", "ansible_host", "listen_address", "cql_host", "cql_port",
                "jmx_host", "jmx_port", "datacenter", "rack", "nodetool_cmd", "cassandra_version", "cassandra_yaml",
                "cassandra_data_dirs", "cassandra_commitlog_dir", "cassandra_hints_dir",
                "cassandra_saved_caches_dir", "cassandra_start_cmd", "cassandra_stop_cmd", "cassandra_pid_file",
                "cassandra_log_dir", "sstableloader_cmd"), v.keySet());
        assertEquals("local", v.get("ansible_connection"));
        assertEquals("127.0.0.2", v.get("ansible_host"));
        assertEquals(7299, v.get("jmx_port"));
        assertEquals("127.0.0.1", v.get("jmx_host"));
        assertEquals(9042, v.get("cql_port"));
        assertEquals("5.0.7", v.get("cassandra_version"));
        assertEquals("datacenter1", v.get("datacenter"));
        assertEquals("rack1", v.get("rack"));
        List<?> loader = (List<?>) v.get("sstableloader_cmd");
        assertEquals("@" + n2.jvmArgsFile(), loader.get(4));
        assertEquals("org.apache.cassandra.tools.BulkLoader", loader.get(loader.size() - 1));
        assertEquals(List.of(n2.startScript().toString()), v.get("cassandra_start_cmd"));
        assertEquals(2, ((List<?>) v.get("cassandra_data_dirs")).size());
        List<?> nodetool = (List<?>) v.get("nodetool_cmd");
        assertEquals(s.cassandraLib() + "/*", nodetool.get(nodetool.size() - 2));
        assertEquals("org.apache.cassandra.tools.NodeTool", nodetool.get(nodetool.size() - 1));

        Map<?, ?> inv = (Map<?, ?>) SafeYaml.toJava(SafeYaml.compose("inventory.yaml",
                Files.readString(s.inventoryFile())));
        Map<?, ?> hosts = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) inv.get("all")).get("children"))
                .get("cassandra")).get("hosts");
        assertEquals(vars, hosts);
        Object hv = SafeYaml.toJava(SafeYaml.compose("node1.yaml",
                Files.readString(s.stateDir().resolve("host_vars/node1.yaml"))));
        assertEquals(vars.get("node1"), hv);
    }

    @Test
    void create_secondSandboxGetsOtherAddressesAndPorts(@TempDir Path work) throws Exception {
        List<NodeSpec> a = sandbox(work, "default").create(2, null, l -> { });
        List<NodeSpec> b = sandbox(work, "clone").create(2, null, l -> { });
        assertTrue(b.get(0).address().matches("127\\.0\\.\\d+\\.1"));
        assertNotEquals(a.get(0).address(), b.get(0).address());
        assertNotEquals(a.get(0).jmxPort(), b.get(0).jmxPort());
        assertNotEquals(a.get(1).jmxPort(), b.get(1).jmxPort());
        // recorded: a new handle sees the same allocation
        assertEquals(b, sandbox(work, "clone").nodes());
    }

    @Test
    void create_datacenterAndRack_inRackdcFileAndHostVars(@TempDir Path work) throws Exception {
        Sandbox s = sandbox(work, "old-dc");
        List<NodeSpec> nodes = s.create(new SandboxOptions(2, null, "dc1", "r1", null), l -> { });
        assertEquals("dc=dc1\nrack=r1\n", Files.readString(nodes.get(1).rackdcProperties()).lines().skip(1)
                .map(l -> l + "\n").reduce("", String::concat));
        assertFalse(Files.readString(nodes.get(0).cassandraYaml()).contains("auto_bootstrap"));
        assertEquals("dc1", s.hostVars().get("node2").get("datacenter"));
        assertEquals("r1", s.hostVars().get("node2").get("rack"));
        assertEquals("dc1", s.status().get(1).datacenter());
        assertTrue(s.joined().isEmpty());
    }

    @Test
    void create_joining_takesJoinedClusterNameAndSeedsWithoutBootstrap(@TempDir Path work) throws Exception {
        List<NodeSpec> old = sandbox(work, "old-dc").create(new SandboxOptions(2, null, "dc1", null, null), l -> { });
        List<String> log = new ArrayList<>();
        Sandbox s = sandbox(work, "new-dc");
        List<NodeSpec> nodes = s.create(new SandboxOptions(2, null, "dc2", null, "old-dc"), log::add);
        assertTrue(log.get(0).contains("joining cluster 'ringplan-old-dc' of sandbox 'old-dc'"), log.toString());
        NodeSpec n2 = nodes.get(1);
        assertNotEquals(old.get(0).address().substring(0, 8), n2.address().substring(0, 8), "its own address range");
        assertEquals(List.of(old.get(0).address(), nodes.get(0).address()), n2.seeds());
        assertEquals("ringplan-old-dc", n2.clusterName());
        assertFalse(n2.autoBootstrap());
        Map<?, ?> yaml = (Map<?, ?>) SafeYaml.toJava(SafeYaml.compose("cassandra.yaml", Files.readString(n2.cassandraYaml())));
        assertEquals(false, yaml.get("auto_bootstrap"));
        assertEquals("ringplan-old-dc", yaml.get("cluster_name"));
        assertTrue(Files.readString(n2.rackdcProperties()).contains("dc=dc2\nrack=rack1\n"));
        assertEquals("dc2", s.hostVars().get("node1").get("datacenter"));
        assertEquals("old-dc", s.joined().orElseThrow());
        // recorded: a later handle without options sees the same placement
        assertEquals(nodes, sandbox(work, "new-dc").create(SandboxOptions.counts(null, null), l -> { }));
    }

    @Test
    void up_joiningWhileJoinedSandboxDown_saysToBringItUpFirst(@TempDir Path work) throws Exception {
        sandbox(work, "old-dc").create(2, null, l -> { });
        Sandbox s = sandbox(work, "new-dc");
        RingplanException e = assertThrows(RingplanException.class,
                () -> s.up(new SandboxOptions(1, null, "dc2", null, "old-dc"), l -> { }));
        assertTrue(e.getMessage().contains("no node of 'old-dc' is running"), e.getMessage());
        assertTrue(e.getMessage().contains("ringplan sandbox up --name old-dc"), e.getMessage());
        assertTrue(s.status().stream().noneMatch(SandboxNodeProcess::running));
    }

    @Test
    void create_joiningMissingSandbox_invalidInput(@TempDir Path work) throws Exception {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> sandbox(work, "new-dc").create(new SandboxOptions(1, null, "dc2", null, "old-dc"), l -> { }));
        assertTrue(e.getMessage().contains("joins sandbox 'old-dc', which does not exist"), e.getMessage());
        assertFalse(sandbox(work, "new-dc").exists());
    }

    @Test
    void create_otherDatacenterOrJoinThanExisting_saysSo(@TempDir Path work) throws Exception {
        sandbox(work, "a").create(1, null, l -> { });
        sandbox(work, "x").create(new SandboxOptions(1, null, "dc1", null, null), l -> { });
        InvalidInputException dc = assertThrows(InvalidInputException.class,
                () -> sandbox(work, "x").create(new SandboxOptions(null, null, "dc2", null, null), l -> { }));
        assertTrue(dc.getMessage().contains("already exists with datacenter dc1 (asked dc2)"), dc.getMessage());
        InvalidInputException join = assertThrows(InvalidInputException.class,
                () -> sandbox(work, "x").create(new SandboxOptions(null, null, null, null, "a"), l -> { }));
        assertTrue(join.getMessage().contains("a cluster of its own (asked to join 'a')"), join.getMessage());
    }

    @Test
    void options_badNamesAndSelfJoin_invalidInput() {
        for (SandboxOptions bad : List.of(new SandboxOptions(null, null, "dc 2", null, null),
                new SandboxOptions(null, null, null, "r=1", null), new SandboxOptions(null, null, "", null, null),
                new SandboxOptions(null, null, null, null, "Bad!"), new SandboxOptions(null, null, null, null, "x"))) {
            assertThrows(InvalidInputException.class, () -> bad.validate("x"), bad.toString());
        }
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new SandboxOptions(null, null, null, null, "x").validate("x"));
        assertTrue(e.getMessage().contains("cannot join itself"), e.getMessage());
    }

    @Test
    void create_differentNodeCount_saysSo(@TempDir Path work) throws Exception {
        sandbox(work, "x").create(2, 1, l -> { });
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> sandbox(work, "x").create(3, null, l -> { }));
        assertTrue(e.getMessage().contains("already exists with 2 nodes (asked 3)"), e.getMessage());
        assertEquals(2, sandbox(work, "x").create(null, null, l -> { }).size());
    }

    @Test
    void create_keepsEditedCassandraYaml(@TempDir Path work) throws Exception {
        Sandbox s = sandbox(work, "x");
        NodeSpec n1 = s.create(1, null, l -> { }).get(0);
        Files.writeString(n1.cassandraYaml(), Files.readString(n1.cassandraYaml()) + "# edited\n");
        s.create(null, null, l -> { });
        assertTrue(Files.readString(n1.cassandraYaml()).endsWith("# edited\n"));
    }

    @Test
    void counts_outOfRange_invalidInput(@TempDir Path work) throws Exception {
        Sandbox s = sandbox(work, "x");
        assertThrows(InvalidInputException.class, () -> s.up(0, null, l -> { }));
        assertThrows(InvalidInputException.class, () -> s.up(Sandbox.MAX_NODES + 1, null, l -> { }));
        assertThrows(InvalidInputException.class, () -> s.up(1, 0, l -> { }));
        assertFalse(s.exists());
    }

    @Test
    void statusAndDown_missingSandbox(@TempDir Path work) throws Exception {
        Sandbox s = sandbox(work, "nope");
        RingplanException e = assertThrows(RingplanException.class, s::status);
        assertTrue(e.getMessage().contains("no sandbox named 'nope'"), e.getMessage());
        List<String> log = new ArrayList<>();
        s.down(true, log::add);
        assertTrue(log.get(0).contains("nothing to stop"), log.toString());
    }

    @Test
    void statusAndDestroy_createdButNotStarted(@TempDir Path work) throws Exception {
        Sandbox s = sandbox(work, "x");
        s.create(2, null, l -> { });
        List<SandboxNodeProcess> st = s.status();
        assertEquals(2, st.size());
        assertFalse(st.get(0).running());
        assertTrue(st.get(0).pid().isEmpty());
        s.down(true, l -> { });
        assertFalse(Files.exists(s.stateDir()));
    }

    @Test
    void locate_propertyWithoutJars_saysHowToMakeIt(@TempDir Path work) {
        System.setProperty(CassandraLib.LIB_PROPERTY, work.toString());
        try {
            RingplanException e = assertThrows(RingplanException.class, () -> CassandraLib.locate(work));
            assertTrue(e.getMessage().contains(CassandraLib.MAKE_COMMAND), e.getMessage());
        } finally {
            System.clearProperty(CassandraLib.LIB_PROPERTY);
        }
    }

    @Test
    void locate_fromRepoRootAncestor(@TempDir Path work) throws Exception {
        Path repo = work.resolve("repo");
        Files.createDirectories(repo.resolve("sandbox/target"));
        Files.writeString(repo.resolve("sandbox/pom.xml"), "<project/>");
        Path deep = Files.createDirectories(repo.resolve("a/b"));
        RingplanException e = assertThrows(RingplanException.class, () -> CassandraLib.locate(deep));
        assertTrue(e.getMessage().contains("mvn -o -q -pl sandbox/cassandra-lib generate-resources"), e.getMessage());
        Path lib = fakeLib(repo.resolve("sandbox/target"));
        Files.move(lib, repo.resolve("sandbox/target/cassandra-lib"));
        assertEquals(repo.resolve("sandbox/target/cassandra-lib"), CassandraLib.locate(deep));
    }
}
