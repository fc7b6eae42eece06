package dev.ringplan.sandbox;

import dev.ringplan.engine.yaml.SafeYaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeFilesTest {

    private static NodeSpec node(Path dir, int dataDirs) {
        return new NodeSpec("src", 2, "127.0.9.2", 7308, dir.resolve("node2"), dataDirs, "ringplan-src", "datacenter1",
                "rack1", List.of("127.0.9.1"), true);
    }

    @Test
    void cassandraYaml_minimalKeysWithQuotedPaths(@TempDir Path tmp) throws Exception {
        Path odd = tmp.resolve("it's a dir");
        NodeSpec n = node(odd, 3);
        Map<?, ?> y = (Map<?, ?>) SafeYaml.toJava(SafeYaml.compose("cassandra.yaml", NodeFiles.cassandraYaml(n)));
        assertEquals("ringplan-src", y.get("cluster_name"));
        assertEquals(16, y.get("num_tokens"));
        assertEquals("127.0.9.2", y.get("listen_address"));
        assertEquals("127.0.9.2", y.get("rpc_address"));
        assertEquals(9042, y.get("native_transport_port"));
        assertEquals(7000, y.get("storage_port"));
        assertEquals("GossipingPropertyFileSnitch", y.get("endpoint_snitch"));
        assertEquals(false, y.get("auto_snapshot"));
        assertEquals(List.of(n.dir().resolve("data1").toString(), n.dir().resolve("data2").toString(),
                n.dir().resolve("data3").toString()), y.get("data_file_directories"));
        assertEquals(n.commitlogDir().toString(), y.get("commitlog_directory"));
        assertEquals(n.hintsDir().toString(), y.get("hints_directory"));
        assertEquals(n.savedCachesDir().toString(), y.get("saved_caches_directory"));
        assertEquals(n.cdcRawDir().toString(), y.get("cdc_raw_directory"));
        List<?> seeds = (List<?>) y.get("seed_provider");
        Map<?, ?> provider = (Map<?, ?>) seeds.get(0);
        assertEquals("org.apache.cassandra.locator.SimpleSeedProvider", provider.get("class_name"));
        assertEquals(Map.of("seeds", "127.0.9.1:7000"), ((List<?>) provider.get("parameters")).get(0));
    }

    @Test
    void cassandraYaml_oneToken_writesNumTokens1AndItsInitialToken(@TempDir Path tmp) throws Exception {
        String token = NodeSpec.evenToken(3, 4, 50);
        NodeSpec n = new NodeSpec("ring4", 3, "127.0.50.3", 7450, tmp.resolve("node3"), 1, "ringplan-ring4",
                "datacenter1", "rack1", List.of("127.0.50.1"), true, 1, token);
        Map<?, ?> y = (Map<?, ?>) SafeYaml.toJava(SafeYaml.compose("cassandra.yaml", NodeFiles.cassandraYaml(n)));
        assertEquals(1, y.get("num_tokens"));
        assertEquals(50L, ((Number) y.get("initial_token")).longValue(), "node 3 of 4: -2^63 + 2 * 2^62 + 50");
    }

    @Test
    void evenToken_spacesNodesEvenlyOverTheMurmur3Range() {
        assertEquals(String.valueOf(Long.MIN_VALUE), NodeSpec.evenToken(1, 4, 0));
        assertEquals(String.valueOf(Long.MIN_VALUE / 2), NodeSpec.evenToken(2, 4, 0));
        assertEquals("0", NodeSpec.evenToken(3, 4, 0));
        assertEquals(String.valueOf(Long.MAX_VALUE / 2 + 1 + 7), NodeSpec.evenToken(4, 4, 7));
    }

    @Test
    void cassandraYaml_ownCluster_noAutoBootstrapKey(@TempDir Path tmp) throws Exception {
        Map<?, ?> y = (Map<?, ?>) SafeYaml.toJava(SafeYaml.compose("cassandra.yaml", NodeFiles.cassandraYaml(node(tmp, 1))));
        assertFalse(y.containsKey("auto_bootstrap"), "a node of a cluster of its own bootstraps as Cassandra's default");
    }

    @Test
    void cassandraYaml_joiningNode_joinedClusterNameSeedsAndNoBootstrap(@TempDir Path tmp) throws Exception {
        NodeSpec n = new NodeSpec("new-dc", 2, "127.0.7.2", 7206, tmp.resolve("node2"), 1, "ringplan-old-dc", "dc2", "r1",
                List.of("127.0.5.1", "127.0.7.1"), false);
        Map<?, ?> y = (Map<?, ?>) SafeYaml.toJava(SafeYaml.compose("cassandra.yaml", NodeFiles.cassandraYaml(n)));
        assertEquals("ringplan-old-dc", y.get("cluster_name"));
        assertEquals(false, y.get("auto_bootstrap"));
        assertEquals("GossipingPropertyFileSnitch", y.get("endpoint_snitch"));
        Map<?, ?> provider = (Map<?, ?>) ((List<?>) y.get("seed_provider")).get(0);
        assertEquals(Map.of("seeds", "127.0.5.1:7000,127.0.7.1:7000"), ((List<?>) provider.get("parameters")).get(0));
    }

    @Test
    void rackdcProperties_datacenterAndRackOfTheNode(@TempDir Path tmp) throws Exception {
        NodeSpec n = new NodeSpec("new-dc", 1, "127.0.7.1", 7106, tmp, 1, "ringplan-old-dc", "dc2", "r1",
                List.of("127.0.7.1"), false);
        java.util.Properties p = new java.util.Properties();
        p.load(new java.io.StringReader(NodeFiles.rackdcProperties(n)));
        assertEquals(Map.of("dc", "dc2", "rack", "r1"), p);
        p.clear();
        p.load(new java.io.StringReader(NodeFiles.rackdcProperties(node(tmp, 1))));
        assertEquals(Map.of("dc", "datacenter1", "rack", "rack1"), p);
    }

    @Test
    void sstableloaderCommand_speedFlagsJpmsArgfileAndBulkLoader() {
        List<String> c = NodeFiles.sstableloaderCommand(Path.of("/j"), Path.of("/lib"), Path.of("/n/conf/jvm17-jpms.args"),
                Path.of("/t.xml"));
        assertEquals(List.of("/j", "-Xshare:auto", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "@/n/conf/jvm17-jpms.args", "-Dlogback.configurationFile=/t.xml", "-cp", "/lib/*",
                "org.apache.cassandra.tools.BulkLoader"), c);
    }

    @Test
    void logbackXml_wellFormedWithEscapedPath(@TempDir Path tmp) throws Exception {
        NodeSpec n = node(tmp.resolve("a&b<c"), 1);
        String xml = NodeFiles.logbackXml(n);
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertEquals(n.systemLog().toString(), doc.getElementsByTagName("file").item(0).getTextContent());
        assertTrue(xml.contains("<level>WARN</level>"));
        DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(NodeFiles.toolsLogbackXml().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void nodeJvmCommand_pinsJdkArgsAndMainClass(@TempDir Path tmp) {
        NodeSpec n = node(tmp, 1);
        List<String> c = NodeFiles.nodeJvmCommand(n, Path.of("/jdk/bin/java"), Path.of("/lib"));
        assertEquals("/jdk/bin/java", c.get(0));
        assertTrue(c.contains("-Xmx512M"));
        assertTrue(c.contains("@" + n.jvmArgsFile()));
        assertTrue(c.contains(n.configArgument()));
        assertTrue(c.contains("-Dcassandra.jmx.local.port=7308"));
        assertTrue(c.contains("-Dcassandra.ring_delay_ms=1000"));
        assertTrue(c.contains("-Dcassandra-rackdc.properties=" + n.rackdcProperties().toUri()));
        assertEquals(List.of("-cp", "/lib/*", NodeFiles.DAEMON_CLASS), c.subList(c.size() - 3, c.size()));
    }

    @Test
    void nodetoolCommand_speedFlagsOnlyWhenFast() {
        List<String> fast = NodeFiles.nodetoolCommand(Path.of("/j"), Path.of("/lib"), Path.of("/t.xml"), true);
        assertEquals(List.of("/j", "-Xshare:auto", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens",
                "java.base/sun.nio.ch=ALL-UNNAMED", "-Dlogback.configurationFile=/t.xml", "-cp", "/lib/*",
                "org.apache.cassandra.tools.NodeTool"), fast);
        List<String> plain = NodeFiles.nodetoolCommand(Path.of("/j"), Path.of("/lib"), Path.of("/t.xml"), false);
        assertFalse(plain.contains("-XX:TieredStopAtLevel=1"));
        assertEquals(fast.size() - 3, plain.size());
    }

    @Test
    void sq_quotesForPosixShell() {
        assertEquals("plain", NodeFiles.sq("plain"));
        assertEquals("'it'\"'\"'s $HOME'", NodeFiles.sq("it's $HOME"));
    }

    /**
     * Runs the generated start/stop scripts for real with a stand-in "JVM" (bash looping, with the
     * node's config argument in its argv): start, start again (no-op), stop, stop again (no-op).
     */
    @Test
    void startStopScripts_startOnceStopCleanly(@TempDir Path tmp) throws Exception {
        NodeSpec n = node(tmp.resolve("dir with 'quote' and $x"), 1);
        Files.createDirectories(n.startScript().getParent());
        List<String> fakeJvm = List.of("bash", "-c", "while :; do sleep 0.2; done", n.configArgument());
        write(n.startScript(), NodeFiles.startScript(n, fakeJvm));
        write(n.stopScript(), NodeFiles.stopScript(n));

        Procs.Output started = Procs.run(List.of(n.startScript().toString()), Duration.ofSeconds(20));
        assertEquals(0, started.exitCode(), started.text());
        assertTrue(started.text().startsWith("started (pid "), started.text());
        OptionalLong pid = Procs.readPid(n.pidFile());
        assertTrue(pid.isPresent());
        // setsid, nohup (and setpriv as root) exec one another before bash has the node's argv:
        // on a loaded 2-core machine that can take seconds.
        // The check is decided once, in the loop: a second look could fall in the instant one of
        // those exec()s replaces the argv, and see none.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        boolean alive;
        while (!(alive = Procs.isAlive(pid.getAsLong(), n.configArgument())) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        try {
            assertTrue(alive, () -> "pid " + pid.getAsLong() + " argv "
                    + ProcessHandle.of(pid.getAsLong()).flatMap(h -> h.info().commandLine()).orElse("(gone)")
                    + "; log: " + readOrEmpty(n.logsDir().resolve("stdout.log")));
            assertEquals(List.of(pid.getAsLong()), Procs.findByArg(n.configArgument()));

            Procs.Output again = Procs.run(List.of(n.startScript().toString()), Duration.ofSeconds(20));
            assertEquals(0, again.exitCode(), again.text());
            assertEquals("already running (pid " + pid.getAsLong() + ")", again.text().strip());

            Procs.Output stopped = Procs.run(List.of(n.stopScript().toString()), Duration.ofSeconds(80));
            assertEquals(0, stopped.exitCode(), stopped.text());
            assertEquals("stopped (pid " + pid.getAsLong() + ")", stopped.text().strip());
            assertFalse(Procs.isAlive(pid.getAsLong(), n.configArgument()));
            assertFalse(Files.exists(n.pidFile()));

            Procs.Output stoppedAgain = Procs.run(List.of(n.stopScript().toString()), Duration.ofSeconds(20));
            assertEquals(0, stoppedAgain.exitCode(), stoppedAgain.text());
            assertEquals("not running", stoppedAgain.text().strip());
        } finally {
            ProcessHandle.of(pid.getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private static void write(Path file, String text) throws Exception {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
