package dev.ringplan.modules.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.ModuleRegistry;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.UpstreamChange;
import dev.ringplan.modules.FakeConnection;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceModuleTest {
    @TempDir
    Path tmp;
    Path pidFile;
    Path log;
    final ServiceModule mod = new ServiceModule();
    final CountingConnection conn = new CountingConnection("n1");
    final Map<String, Object> vars = new LinkedHashMap<>();
    final List<Long> pids = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        pidFile = tmp.resolve("cassandra.pid");
        log = tmp.resolve("calls.log");
        // Tiny stand-ins for the sandbox's bin/start and bin/stop: a `sleep 300` is "the node".
        Path start = script("start.sh", """
                echo start >> '%LOG%'
                if [[ -f '%PID%' ]] && kill -0 "$(cat '%PID%')" 2>/dev/null; then exit 0; fi
                nohup sleep 300 >/dev/null 2>&1 </dev/null &
                echo $! > '%PID%'
                """);
        Path stop = script("stop.sh", """
                echo stop >> '%LOG%'
                pid=$(cat '%PID%' 2>/dev/null || true)
                if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; fi
                rm -f '%PID%'
                """);
        Path nodetool = script("nodetool.sh", """
                echo "nodetool $*" >> '%LOG%'
                """);
        vars.put("ansible_connection", "local");
        vars.put("cassandra_start_cmd", List.of("bash", start.toString()));
        vars.put("cassandra_stop_cmd", List.of("bash", stop.toString()));
        vars.put("cassandra_pid_file", pidFile.toString());
        vars.put("nodetool_cmd", List.of("bash", nodetool.toString()));
        vars.put("jmx_port", 7777);
    }

    @AfterEach
    void tearDown() throws Exception {
        readPid().ifPresent(p -> pids.add(p));
        for (long p : pids) {
            ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    Path script(String name, String body) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, "#!/usr/bin/env bash\nset -u\n" + body.replace("%LOG%", log.toString())
                .replace("%PID%", pidFile.toString()), StandardCharsets.UTF_8);
        return p;
    }

    OptionalLong readPid() throws IOException {
        if (!Files.exists(pidFile)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(Files.readString(pidFile).strip()));
    }

    List<String> calls() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
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
        if (p.change() == Preview.Change.NO) {
            return Result.ok(p.summary()).withData(p.data());  // what the executor does
        }
        return mod.apply(ctx.withPreview(p));
    }

    /** Alive and not a zombie (an orphan killed here may wait for a reaper that never comes). */
    boolean alive(long pid) throws ModuleException {
        return NodeLiveness.pidAlive(conn, pid);
    }

    void startNode() throws Exception {
        Result r = run(args("state", "started"));
        assertTrue(r.changed());
        pids.add(readPid().orElseThrow());
    }

    @Test
    void registry_findsService() {
        assertTrue(ModuleRegistry.load().find("service").isPresent());
    }

    @Test
    void started_custom_runsStartCommandAndNodeRuns() throws Exception {
        Result r = mod.apply(Contexts.of(mod, args("state", "started"), vars, conn, false, tmp));
        assertTrue(r.changed());
        long pid = readPid().orElseThrow();
        pids.add(pid);
        assertTrue(alive(pid));
        assertEquals("custom", r.data().get("manager"));
        assertEquals(false, r.data().get("running_before"));
        assertEquals(true, r.data().get("running"));
        assertEquals(List.of("start"), calls());
    }

    @Test
    void started_alreadyRunning_isOkAndRunsNothing() throws Exception {
        startNode();
        Preview p = mod.check(Contexts.of(mod, args("state", "started"), vars, conn, false, tmp));
        assertEquals(Preview.Change.NO, p.change());
        Result r = mod.apply(Contexts.of(mod, args("state", "started"), vars, conn, false, tmp));
        assertFalse(r.changed());
        assertEquals(List.of("start"), calls());
    }

    @Test
    void stopped_running_stopsAndSecondTimeIsOk() throws Exception {
        startNode();
        long pid = readPid().orElseThrow();
        Result r = run(args("state", "stopped"));
        assertTrue(r.changed());
        assertEquals(false, r.data().get("running"));
        assertFalse(alive(pid));
        Result again = run(args("state", "stopped"));
        assertFalse(again.changed());
        assertEquals(List.of("start", "stop"), calls());
    }

    @Test
    void stopped_withDrain_drainsFirstThroughNodetool() throws Exception {
        startNode();
        Result r = run(args("state", "stopped", "drain", true));
        assertEquals(true, r.data().get("drained"));
        assertEquals(List.of("start", "nodetool -h 127.0.0.1 -p 7777 drain", "stop"), calls());
    }

    @Test
    void stopped_notRunning_doesNotDrain() throws Exception {
        Result r = run(args("state", "stopped", "drain", true));
        assertFalse(r.changed());
        assertEquals(List.of(), calls());
    }

    @Test
    void restarted_running_stopsThenStartsNewProcess() throws Exception {
        startNode();
        long before = readPid().orElseThrow();
        Result r = run(args("state", "restarted"));
        assertTrue(r.changed());
        long after = readPid().orElseThrow();
        pids.add(after);
        assertNotEquals(before, after);
        assertFalse(alive(before));
        assertTrue(alive(after));
        assertEquals(List.of("start", "stop", "start"), calls());
    }

    @Test
    void restarted_stopped_justStarts() throws Exception {
        Result r = run(args("state", "restarted"));
        pids.add(readPid().orElseThrow());
        assertTrue(r.changed());
        assertEquals(List.of("start"), calls());
    }

    @Test
    void check_checkMode_previewsAndStartsOrStopsNothing() throws Exception {
        Preview p = mod.check(Contexts.of(mod, args("state", "started"), vars, conn, true, tmp));
        assertEquals(Preview.Change.YES, p.change());
        assertTrue(p.summary().startsWith("would start the node via custom"), p.summary());
        assertEquals(List.of("bash " + tmp.resolve("start.sh")), p.commands());
        assertFalse(Files.exists(pidFile));
        assertEquals(List.of(), calls());

        startNode();
        long pid = readPid().orElseThrow();
        Preview stop = mod.check(Contexts.of(mod, args("state", "stopped", "drain", true), vars, conn, true, tmp));
        assertEquals(Preview.Change.YES, stop.change());
        assertEquals(2, stop.commands().size());
        assertTrue(alive(pid));
        assertEquals(List.of("start"), calls());
    }

    @Test
    void check_checkMode_startAfterAnUpstreamStop_isChanged() throws Exception {
        startNode();
        String host = conn.host();
        ModuleContext start = Contexts.of(mod, args("state", "started"), vars, conn, true, tmp);
        assertEquals(Preview.Change.NO, mod.check(start).change(), "running now");
        UpstreamChange stop = new UpstreamChange("stop[" + host + "]", "stop", host, "service",
                Map.of("state", "stopped"), Preview.Change.YES, "would stop the node");
        Preview p = mod.check(start.withUpstreamChanges(() -> List.of(stop)));
        assertEquals(Preview.Change.YES, p.change(), "the run finds it stopped by stop[" + host + "]");
        assertTrue(p.summary().startsWith("after stop[" + host + "]: would start the node via custom"), p.summary());
        assertEquals(List.of("bash " + tmp.resolve("start.sh")), p.commands());

        UpstreamChange otherHost = new UpstreamChange("stop[elsewhere]", "stop", "elsewhere", "service",
                Map.of("state", "stopped"), Preview.Change.YES, "would stop the node");
        assertEquals(Preview.Change.NO, mod.check(start.withUpstreamChanges(() -> List.of(otherHost))).change());
        assertEquals(List.of("start"), calls(), "check started nothing");
    }

    @Test
    void stopped_stopCommandThatDoesNotStop_fails() throws Exception {
        startNode();
        vars.put("cassandra_stop_cmd", List.of("true"));
        ModuleException e = assertThrows(ModuleException.class,
                () -> run(args("state", "stopped", "timeout", 1)));
        assertTrue(e.getMessage().contains("still runs"), e.getMessage());
    }

    @Test
    void started_failingStartCommand_failsWithItsMessage() throws Exception {
        vars.put("cassandra_start_cmd", List.of("bash", "-c", "echo 'no java here' >&2; exit 3"));
        ModuleException e = assertThrows(ModuleException.class, () -> run(args("state", "started")));
        assertTrue(e.getMessage().contains("exit status 3: no java here"), e.getMessage());
    }

    @Test
    void custom_withoutStartCmd_isAnError() throws Exception {
        vars.remove("cassandra_start_cmd");
        ModuleException e = assertThrows(ModuleException.class,
                () -> run(args("state", "started", "manager", "custom")));
        assertTrue(e.getMessage().contains("cassandra_start_cmd"), e.getMessage());
    }

    @Test
    void custom_withoutPidFile_judgesByPorts() throws Exception {
        vars.remove("cassandra_pid_file");
        try (ServerSocket jmx = new ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"))) {
            vars.put("jmx_port", jmx.getLocalPort());
            Preview p = mod.check(Contexts.of(mod, args("state", "started"), vars, conn, true, tmp));
            assertEquals(Preview.Change.NO, p.change());
            assertTrue(p.summary().contains("JMX port"), p.summary());
        }
    }

    // ---- systemd and docker, through a scripted connection ----

    ModuleContext fakeCtx(FakeConnection fake, Map<String, Object> a, Map<String, Object> hostVars, boolean check)
            throws ModuleException {
        return new ModuleContext("n1", mod.argSpec().validate("service", a), hostVars, () -> fake, check, false,
                new ModuleContext.RunInfo("t", tmp, tmp), null, null);
    }

    static FakeConnection systemd(AtomicBoolean active) {
        return new FakeConnection(argv -> {
            if (argv.equals(List.of("systemctl", "is-active", "cassandra"))) {
                return active.get() ? FakeConnection.ok(argv, "active\n")
                        : new ExecResult(argv, 3, "inactive\n", "", 1);
            }
            if (argv.equals(List.of("systemctl", "start", "cassandra"))) {
                active.set(true);
                return FakeConnection.ok(argv, "");
            }
            if (argv.equals(List.of("systemctl", "stop", "cassandra"))) {
                active.set(false);
                return FakeConnection.ok(argv, "");
            }
            return null;
        });
    }

    @Test
    void systemd_autoWithoutStartCmd_startsUnitOnce() throws Exception {
        AtomicBoolean active = new AtomicBoolean(false);
        FakeConnection fake = systemd(active);
        Map<String, Object> hv = Map.of();
        ModuleContext ctx = fakeCtx(fake, args("state", "started"), hv, false);
        Preview p = mod.check(ctx);
        assertEquals(Preview.Change.YES, p.change());
        assertEquals(List.of("systemctl start cassandra"), p.commands());
        Result r = mod.apply(ctx.withPreview(p));
        assertTrue(r.changed());
        assertEquals("systemd", r.data().get("manager"));
        assertTrue(fake.execs.contains(List.of("systemctl", "start", "cassandra")));
        Preview again = mod.check(fakeCtx(fake, args("state", "started"), hv, false));
        assertEquals(Preview.Change.NO, again.change());
    }

    @Test
    void systemd_checkMode_onlyReadsState() throws Exception {
        AtomicBoolean active = new AtomicBoolean(true);
        FakeConnection fake = systemd(active);
        Preview p = mod.check(fakeCtx(fake, args("state", "stopped", "manager", "systemd"), Map.of(), true));
        assertEquals(Preview.Change.YES, p.change());
        assertEquals(List.of(List.of("systemctl", "is-active", "cassandra")), fake.execs);
        assertTrue(active.get());
    }

    @Test
    void systemd_stopThatLeavesUnitActive_fails() throws Exception {
        FakeConnection fake = new FakeConnection(argv -> argv.get(1).equals("is-active")
                ? FakeConnection.ok(argv, "active\n") : FakeConnection.ok(argv, ""));
        ModuleException e = assertThrows(ModuleException.class,
                () -> mod.apply(fakeCtx(fake, args("state", "stopped", "manager", "systemd"), Map.of(), false)));
        assertTrue(e.getMessage().contains("still runs"), e.getMessage());
    }

    @Test
    void docker_stopRunningContainer_withGracePeriod() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        FakeConnection fake = new FakeConnection(argv -> {
            if (argv.equals(List.of("docker", "inspect", "-f", "{{.State.Running}}", "c1"))) {
                return FakeConnection.ok(argv, running.get() + "\n");
            }
            if (argv.get(1).equals("stop")) {
                running.set(false);
                return FakeConnection.ok(argv, "c1\n");
            }
            return null;
        });
        Result r = mod.apply(fakeCtx(fake, args("state", "stopped", "manager", "docker", "container", "c1",
                "timeout", 120), Map.of(), false));
        assertTrue(r.changed());
        assertTrue(fake.execs.contains(List.of("docker", "stop", "--time", "120", "c1")));
        assertEquals(false, r.data().get("running"));
    }

    @Test
    void docker_unknownContainer_fails() {
        FakeConnection fake = new FakeConnection(argv -> FakeConnection.fail(argv, 1,
                "Error: No such object: nope"));
        ModuleException e = assertThrows(ModuleException.class, () -> mod.check(fakeCtx(fake,
                args("state", "started", "manager", "docker", "container", "nope"), Map.of(), true)));
        assertTrue(e.getMessage().contains("No such object"), e.getMessage());
    }

    @Test
    void unit_optionLikeName_refused() {
        FakeConnection fake = new FakeConnection(argv -> null);
        ModuleException e = assertThrows(ModuleException.class, () -> mod.check(fakeCtx(fake,
                args("state", "started", "manager", "systemd", "unit", "--all"), Map.of(), true)));
        assertTrue(e.getMessage().contains("unit must be a name"), e.getMessage());
    }
}
