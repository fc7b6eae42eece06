package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nodetool module's two paths against a real 2-node Cassandra 5.0.7 sandbox of its own
 * ({@code jmx}), through the CLI: status, ring and listsnapshots read over JMX
 * ({@code nodetool_via: jmx}) and by the nodetool program ({@code nodetool_via: process}) in the
 * same run register the same parsed data; snapshot, flush and clearsnapshot over JMX do what the
 * program does (the snapshot is listed, then gone); {@code auto} falls back to the program for
 * arguments JMX does not cover, and {@code jmx} with an unreachable port fails naming it.
 */
class JmxPathIT {
    private static final String SANDBOX = "jmx";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DATA = Pattern.compile(
            "(?m)^  (ok|changed|unknown|failed)\\s+(\\S+) .*\\n(?:(?!  \\S).*\\n)*?      => (\\{.*})$");
    private static boolean wasRunning;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void recordState() throws Exception {
        wasRunning = SandboxCluster.running(SANDBOX);
    }

    @AfterAll
    static void stopWhatWeStarted() {
        if (!wasRunning) {
            Cli.Run r = Cli.run("sandbox", "down", "--name", SANDBOX);
            if (r.code() != 0) {
                System.err.println("sandbox down failed: " + r.all());
            }
        }
    }

    private static Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** task[host] -> registered data, from -v output. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> data(Cli.Run r) throws IOException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        Matcher m = DATA.matcher(r.out());
        while (m.find()) {
            out.put(m.group(2), JSON.readValue(m.group(3), Map.class));
        }
        return out;
    }

    /** The parsed part of a result: without what differs by path (argv, output, path, status keys). */
    private static Map<String, Object> parsed(Map<String, Object> d) {
        Map<String, Object> m = new LinkedHashMap<>(d);
        for (String k : List.of("cmd", "rc", "stdout", "stderr", "via", "msg", "changed", "failed", "status")) {
            m.remove(k);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutLoad(Map<String, Object> d) {
        // a node's load can change between two reads (a system table flushed or compacted in
        // between); JmxReadsTest checks load equality on values read at one moment
        Map<String, Object> m = new LinkedHashMap<>(d);
        for (String key : List.of("nodes", "node")) {
            Object v = m.get(key);
            if (v instanceof List<?> l) {
                m.put(key, l.stream().map(n -> {
                    Map<String, Object> c = new LinkedHashMap<>((Map<String, Object>) n);
                    assertNotNull(c.remove("load_bytes"), "load_bytes present: " + n);
                    return c;
                }).toList());
            } else if (v instanceof Map<?, ?> n) {
                Map<String, Object> c = new LinkedHashMap<>((Map<String, Object>) n);
                assertNotNull(c.remove("load_bytes"));
                m.put(key, c);
            }
        }
        return m;
    }

    @Test
    void bothPaths_registerTheSameParsedData() throws Exception {
        Path inv = write("inventory.yaml", """
                all:
                  vars:
                    ringplan_sandbox: {name: jmx, nodes: 2, load: true}
                  children:
                    cassandra:
                      hosts:
                        node1: {ansible_host: 127.0.30.1}
                        node2: {ansible_host: 127.0.30.2}
                """);
        Path plan = write("parity.yaml", """
                hosts: cassandra
                tasks:
                  - id: reset
                    nodetool: {command: clearsnapshot, tag: jmxit}
                  - id: snap
                    needs: [reset]
                    nodetool: {command: snapshot, tag: jmxit, keyspaces: [ringplan_shop]}
                    vars: {nodetool_via: jmx}
                  - id: status_jmx
                    needs: [snap]
                    nodetool: status
                    vars: {nodetool_via: jmx}
                  - id: status_nt
                    needs: [status_jmx]
                    nodetool: status
                    vars: {nodetool_via: process}
                  - id: ring_jmx
                    needs: [snap]
                    nodetool: {command: ring, keyspaces: [ringplan_shop]}
                    vars: {nodetool_via: jmx}
                  - id: ring_nt
                    needs: [ring_jmx]
                    nodetool: {command: ring, keyspaces: [ringplan_shop]}
                    vars: {nodetool_via: process}
                  - id: ls_jmx
                    needs: [snap]
                    nodetool: listsnapshots
                    vars: {nodetool_via: jmx}
                  - id: ls_nt
                    needs: [ls_jmx]
                    nodetool: listsnapshots
                    vars: {nodetool_via: process}
                  - id: ls_auto_extra
                    needs: [ls_nt]
                    nodetool: {command: listsnapshots, extra_args: [-nt]}
                  - id: flush
                    needs: [ls_auto_extra, status_nt, ring_nt]
                    nodetool: {command: flush, keyspaces: [ringplan_shop]}
                    vars: {nodetool_via: jmx}
                  - id: clear
                    needs: [flush]
                    nodetool: {command: clearsnapshot, tag: jmxit}
                    vars: {nodetool_via: jmx}
                  - id: ls_after
                    needs: [clear]
                    nodetool: listsnapshots
                    vars: {nodetool_via: jmx}
                """);
        Cli.Run r = Cli.run("run", plan.toString(), "-i", inv.toString(), "-v");
        assertEquals(0, r.code(), r.all());
        Map<String, Map<String, Object>> d = data(r);
        for (String h : List.of("node1", "node2")) {
            for (String t : List.of("snap", "status_jmx", "ring_jmx", "ls_jmx", "flush", "clear", "ls_after")) {
                assertEquals("jmx", d.get(t + "[" + h + "]").get("via"), t + "[" + h + "]\n" + r.out());
            }
            for (String t : List.of("status_nt", "ring_nt", "ls_nt", "ls_auto_extra")) {
                assertEquals("nodetool", d.get(t + "[" + h + "]").get("via"), t + "[" + h + "]\n" + r.out());
            }
            assertEquals(withoutLoad(parsed(d.get("status_nt[" + h + "]"))),
                    withoutLoad(parsed(d.get("status_jmx[" + h + "]"))), h);
            assertEquals(withoutLoad(parsed(d.get("ring_nt[" + h + "]"))),
                    withoutLoad(parsed(d.get("ring_jmx[" + h + "]"))), h);
            assertEquals(parsed(d.get("ls_nt[" + h + "]")), parsed(d.get("ls_jmx[" + h + "]")), h);
            assertTrue(((List<?>) d.get("ls_jmx[" + h + "]").get("names")).contains("jmxit"), r.out());
            assertEquals(2, ((List<?>) d.get("ls_jmx[" + h + "]").get("snapshots")).stream()
                    .filter(s -> "jmxit".equals(((Map<?, ?>) s).get("name"))).count(), r.out());
            assertFalse(((List<?>) d.get("ls_after[" + h + "]").get("names")).contains("jmxit"), r.out());
            assertEquals(List.of("ringplan_shop"), d.get("flush[" + h + "]").get("keyspaces"));
            Map<?, ?> node = (Map<?, ?>) d.get("status_jmx[" + h + "]").get("node");
            assertEquals("UN", node.get("code"), r.out());
        }
        assertTrue(r.out().contains("snapshot ringplan_shop with tag 'jmxit' (over JMX)"), r.out());

        // jmx forced on a port nothing listens on: the task fails and says why
        Path bad = write("bad.yaml", """
                hosts: cassandra
                tasks:
                  - id: st
                    hosts: "cassandra[0]"
                    nodetool: status
                    vars: {nodetool_via: jmx, jmx_port: 1}
                """);
        Cli.Run b = Cli.run("run", bad.toString(), "-i", inv.toString());
        assertNotEquals(0, b.code(), b.all());
        assertTrue(b.out().contains("nodetool_via is jmx, but JMX 127.0.0.1:1 cannot be reached"), b.all());
    }
}
