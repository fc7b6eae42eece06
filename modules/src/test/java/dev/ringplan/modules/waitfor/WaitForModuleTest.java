package dev.ringplan.modules.waitfor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.ModuleRegistry;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaitForModuleTest {
    /** Real 5.0.7 output (nodes 127.0.0.2 and 127.0.0.1, both UN); see nodetool/SOURCES.tsv. */
    static final String STATUS_FIXTURE = "/nodetool/cassandra-5.0.7__status.txt";

    @TempDir
    Path tmp;
    final WaitForModule mod = new WaitForModule();
    final CountingConnection conn = new CountingConnection("node1");
    final Map<String, Object> vars = new LinkedHashMap<>();
    String status;

    @BeforeEach
    void setUp() throws IOException {
        try (InputStream in = WaitForModuleTest.class.getResourceAsStream(STATUS_FIXTURE)) {
            status = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        vars.put("ansible_connection", "local");
        vars.put("listen_address", "127.0.0.1");
    }

    /**
     * A fake nodetool_cmd: prints {@code outputs[i]} on its i-th call (the last one from then on),
     * or fails with exit 1 when that output is "FAIL".
     */
    void fakeNodetool(String... outputs) throws IOException {
        StringBuilder sh = new StringBuilder("#!/usr/bin/env bash\nset -u\n");
        Path counter = tmp.resolve("count");
        sh.append("n=$(cat '").append(counter).append("' 2>/dev/null || echo 0)\n");
        sh.append("echo $((n + 1)) > '").append(counter).append("'\n");
        sh.append("echo \"$*\" >> '").append(tmp.resolve("args.log")).append("'\n");
        for (int i = 0; i < outputs.length; i++) {
            Path f = tmp.resolve("out" + i);
            Files.writeString(f, outputs[i], StandardCharsets.UTF_8);
            sh.append(i == outputs.length - 1 ? "" : "if [ \"$n\" -eq " + i + " ]; then ");
            sh.append(outputs[i].equals("FAIL") ? "echo 'nodetool: Failed to connect to 127.0.0.1:7199' >&2; exit 1"
                    : "cat '" + f + "'; exit 0");
            sh.append(i == outputs.length - 1 ? "\n" : "; fi\n");
        }
        Path script = tmp.resolve("nodetool.sh");
        Files.writeString(script, sh.toString(), StandardCharsets.UTF_8);
        vars.put("nodetool_cmd", List.of("bash", script.toString()));
    }

    int calls() throws IOException {
        Path c = tmp.resolve("count");
        return Files.exists(c) ? Integer.parseInt(Files.readString(c).strip()) : 0;
    }

    static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    Result run(Map<String, Object> a) throws ModuleException {
        ModuleContext ctx = Contexts.of(mod, a, vars, conn, false, tmp);
        Preview p = mod.check(ctx);
        assertEquals(Preview.Change.UNKNOWN, p.change(), "apply must run outside check mode");
        return mod.apply(ctx.withPreview(p));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A listening socket that accepts and closes every connection, so many probes never fill its backlog. */
    static ServerSocket accepting() throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    s.accept().close();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return s;
    }

    @Test
    void registry_findsWaitFor() {
        assertTrue(ModuleRegistry.load().find("wait_for").isPresent());
    }

    @Test
    void port_alreadyOpen_okAfterOneProbe() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Result r = run(args("port", s.getLocalPort()));
            assertFalse(r.changed());
            assertEquals(Result.Outcome.OK, r.status());
            assertEquals(1, r.data().get("probes"));
            assertEquals("open", r.data().get("observed"));
            assertEquals("127.0.0.1:" + s.getLocalPort() + " open", r.data().get("target"));
        }
    }

    @Test
    void port_opensLater_waitsUntilOpen() throws Exception {
        int port = freePort();
        CompletableFuture<ServerSocket> later = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(700);
                return new ServerSocket(port, 5, InetAddress.getByName("127.0.0.1"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            Result r = run(args("port", port, "host", "127.0.0.1", "delay", 0, "timeout", 20));
            assertTrue((Integer) r.data().get("probes") > 1, r.data().toString());
            assertTrue((Long) r.data().get("elapsed_ms") >= 500, r.data().toString());
        } finally {
            later.join().close();
        }
    }

    @Test
    void port_neverOpens_failsWithLastState() throws Exception {
        int port = freePort();
        long t0 = System.nanoTime();
        ModuleException e = assertThrows(ModuleException.class, () -> run(args("port", port, "timeout", 1, "delay", 0)));
        assertEquals("port 127.0.0.1:" + port + " is closed after 1 s as seen from node1", e.getMessage().replaceAll(" \\(.*", ""));
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 5000);
    }

    @Test
    void port_stateStopped_okWhenClosedFailsWhenOpen() throws Exception {
        assertFalse(run(args("port", freePort(), "state", "stopped")).changed());
        try (ServerSocket s = accepting()) {
            ModuleException e = assertThrows(ModuleException.class,
                    () -> run(args("port", s.getLocalPort(), "state", "stopped", "timeout", 1, "delay", 0)));
            assertTrue(e.getMessage().startsWith("port 127.0.0.1:" + s.getLocalPort() + " is open after 1 s"), e.getMessage());
        }
    }

    @Test
    void port_overSsh_probedByBashOnTheHost() throws Exception {
        vars.put("ansible_connection", "ssh");
        try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Result r = run(args("port", s.getLocalPort()));
            assertEquals("open", r.data().get("observed"));
            assertTrue(conn.execCalls.get() >= 1, "the probe ran as a command on the host");
        }
    }

    @Test
    void nodeUp_fixtureUN_ok() throws Exception {
        fakeNodetool(status);
        vars.put("jmx_port", 7299);
        Result r = run(args("node_up", "127.0.0.2"));
        assertEquals("UN", r.data().get("observed"));
        assertEquals("node 127.0.0.2 UN", r.data().get("target"));
        assertEquals(List.of("-h 127.0.0.1 -p 7299 status"), Files.readAllLines(tmp.resolve("args.log")));
    }

    @Test
    void nodeUp_becomesUNAfterFailuresAndJoining() throws Exception {
        fakeNodetool("FAIL", status.replace("UN  127.0.0.2", "UJ  127.0.0.2"), status);
        Result r = run(args("node_up", "127.0.0.2", "delay", 0, "timeout", 30));
        assertEquals(3, r.data().get("probes"));
        assertEquals(3, calls());
    }

    @Test
    void nodeUp_emptyOutputWhileStarting_keepsWaiting() throws Exception {
        fakeNodetool("", status);
        Result r = run(args("node_up", "127.0.0.2", "timeout", 30, "delay", 0));
        assertEquals("UN", r.data().get("observed"));
        assertEquals(2, r.data().get("probes"));
    }

    @Test
    void nodeUp_outputStaysUnreadable_failsAtTimeoutSayingSo() throws Exception {
        fakeNodetool("");
        ModuleException e = assertThrows(ModuleException.class,
                () -> run(args("node_up", "127.0.0.2", "timeout", 1, "delay", 0)));
        assertTrue(e.getMessage().startsWith("node 127.0.0.2 is unknown (nodetool status output unreadable: "
                + "nodetool status output has no 'Datacenter:' section"), e.getMessage());
    }

    @Test
    void nodeUp_staysDown_failsWithLastObservedState() throws Exception {
        fakeNodetool(status.replace("UN  127.0.0.2", "DN  127.0.0.2"));
        ModuleException e = assertThrows(ModuleException.class,
                () -> run(args("node_up", "127.0.0.2", "timeout", 1, "delay", 0)));
        assertTrue(e.getMessage().startsWith("node 127.0.0.2 is DN after 1 s as seen from node1"), e.getMessage());
    }

    @Test
    void nodeUp_absentNode_saysSo() throws Exception {
        fakeNodetool(status);
        ModuleException e = assertThrows(ModuleException.class,
                () -> run(args("node_up", "127.0.0.9", "timeout", 0)));
        assertTrue(e.getMessage().startsWith("node 127.0.0.9 is absent from nodetool status after 0 s"), e.getMessage());
    }

    @Test
    void nodeUp_nodetoolKeepsFailing_reportsItsError() throws Exception {
        fakeNodetool("FAIL");
        ModuleException e = assertThrows(ModuleException.class,
                () -> run(args("node_up", "127.0.0.2", "timeout", 1, "delay", 0)));
        assertTrue(e.getMessage().contains("nodetool status failed: exit status 1: nodetool: Failed to connect"),
                e.getMessage());
    }

    @Test
    void nodeUp_inventoryHostname_usesItsListenAddress() throws Exception {
        fakeNodetool(status.replace("UN  127.0.0.1", "DN  127.0.0.1"));
        Map<String, Object> hostvars = new LinkedHashMap<>();
        hostvars.put("node2", Map.of("ansible_host", "127.0.0.2"));
        hostvars.put("node1", Map.of("listen_address", "127.0.0.1"));
        vars.put("hostvars", hostvars);
        Result r = run(args("node_up", "node2"));
        assertEquals("node 127.0.0.2 UN", r.data().get("target"));
        ModuleException e = assertThrows(ModuleException.class, () -> run(args("node_up", "node1", "timeout", 0)));
        assertTrue(e.getMessage().startsWith("node 127.0.0.1 is DN"), e.getMessage());
    }

    @Test
    void check_checkMode_doesNotProbeOrWait() throws Exception {
        fakeNodetool(status.replace("UN  127.0.0.2", "DN  127.0.0.2"));
        long t0 = System.nanoTime();
        Preview p = mod.check(Contexts.of(mod, args("node_up", "127.0.0.2", "timeout", 300), vars, conn, true, tmp));
        assertEquals(Preview.Change.NO, p.change());
        assertTrue(p.considersUpstream(), "waiting changes nothing whatever earlier tasks change: stays ok");
        assertEquals("would wait for node 127.0.0.2 UN (up to 300 s, as seen from node1)", p.summary());
        assertEquals(0, conn.execCalls.get());
        assertEquals(0, calls());
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000);
        assertFalse(mod.isReadOnly(Contexts.of(mod, args("port", 1), vars, conn, true, tmp).args()));
    }

    @Test
    void arguments_exactlyOneTargetAndNoStoppedNodeUp() {
        for (Map<String, Object> a : List.of(args(), args("port", 9042, "node_up", "127.0.0.2"),
                args("node_up", "127.0.0.2", "state", "stopped"), args("node_up", "127.0.0.2", "host", "x"),
                args("port", 0), args("port", 9042, "timeout", -1))) {
            ModuleException e = assertThrows(ModuleException.class,
                    () -> mod.check(Contexts.of(mod, a, vars, conn, true, tmp)), a.toString());
            assertTrue(e.getMessage().startsWith("wait_for: "), e.getMessage());
        }
    }
}
