package dev.ringplan.modules.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.compile.CompileOptions;
import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.Compiler;
import dev.ringplan.engine.exec.Executor;
import dev.ringplan.engine.exec.NodeResult;
import dev.ringplan.engine.exec.RunListener;
import dev.ringplan.engine.exec.RunOptions;
import dev.ringplan.engine.exec.RunReport;
import dev.ringplan.engine.exec.Status;
import dev.ringplan.engine.inventory.InventoryParser;
import dev.ringplan.engine.module.ModuleRegistry;
import dev.ringplan.engine.plan.PlanParser;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.modules.testing.CountingConnection;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore issue's building blocks as one plan under the real compiler and executor: stop the
 * node, set its commitlog aside, start it, wait until UN. A {@code sleep 300} is the node, a
 * script printing the 5.0.7 {@code nodetool status} fixture is its nodetool.
 */
class RestoreStepsTest {
    static final String PLAN = """
            name: restore-steps
            hosts: cassandra
            tasks:
              - id: stop
                service: { state: stopped, drain: true }
              - id: clear
                needs: [stop]
                fs_clear:
                  path: "{{ cassandra_commitlog_dir }}"
                  move_to: "{{ aside }}"
              - id: start
                needs: [clear]
                service: started
              - id: wait
                needs: [start]
                wait_for: { node_up: "{{ inventory_hostname }}", timeout: 20, delay: 0 }
            """;

    @TempDir
    Path tmp;
    Path pidFile;
    Path commitlog;
    Process node;
    CompiledPlan plan;

    @BeforeEach
    void setUp() throws Exception {
        pidFile = tmp.resolve("cassandra.pid");
        commitlog = Files.createDirectories(tmp.resolve("commitlog"));
        Files.writeString(commitlog.resolve("CommitLog-7-1.log"), "x".repeat(64));
        Files.createDirectories(tmp.resolve("data"));
        Path start = tmp.resolve("start.sh");
        Files.writeString(start, "nohup sleep 300 >/dev/null 2>&1 </dev/null &\necho $! > '" + pidFile + "'\n");
        Path stop = tmp.resolve("stop.sh");
        Files.writeString(stop, "kill \"$(cat '" + pidFile + "')\"; rm -f '" + pidFile + "'\n");
        Path status = tmp.resolve("status.txt");
        try (InputStream in = getClass().getResourceAsStream("/nodetool/cassandra-5.0.7__status.txt")) {
            Files.write(status, in.readAllBytes());
        }
        Path nodetool = tmp.resolve("nodetool.sh");
        Files.writeString(nodetool, "echo \"$*\" >> '" + tmp.resolve("nodetool.log") + "'\n"
                + "[ \"${@: -1}\" = status ] && cat '" + status + "'\nexit 0\n");
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        String inventory = """
                all:
                  children:
                    cassandra:
                      hosts:
                        n1:
                          ansible_connection: local
                          listen_address: 127.0.0.2
                          jmx_port: %d
                          cql_host: 127.0.0.1
                          cql_port: %d
                          cassandra_data_dirs: ['%s']
                          cassandra_commitlog_dir: '%s'
                          cassandra_hints_dir: '%s'
                          cassandra_saved_caches_dir: '%s'
                          cassandra_pid_file: '%s'
                          cassandra_start_cmd: [bash, '%s']
                          cassandra_stop_cmd: [bash, '%s']
                          nodetool_cmd: [bash, '%s']
                          aside: '%s'
                """.formatted(free, free, tmp.resolve("data"), commitlog, tmp.resolve("hints"),
                tmp.resolve("saved_caches"), pidFile, start, stop, nodetool, tmp.resolve("aside"));
        ModuleRegistry modules = ModuleRegistry.load();
        plan = new Compiler(modules, Templater.shared()).compile(
                PlanParser.parse("restore-steps.yaml", PLAN, modules.all().keySet()),
                InventoryParser.parse("inventory.yaml", inventory), CompileOptions.defaults());
        node = new ProcessBuilder("sleep", "300").start();  // the running node
        Files.writeString(pidFile, Long.toString(node.pid()), StandardCharsets.UTF_8);
    }

    @AfterEach
    void tearDown() throws IOException {
        node.destroyForcibly();
        if (Files.exists(pidFile)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    RunReport run(boolean check) {
        return new Executor(Templater.shared(), (host, vars) -> new CountingConnection(host))
                .run(plan, new RunOptions("r1", Instant.now(), check, false, 1, tmp, Map.of()), new RunListener() {
                });
    }

    static Map<String, NodeResult> byTask(RunReport r) {
        Map<String, NodeResult> m = new LinkedHashMap<>();
        for (NodeResult n : r.results()) {
            m.put(n.node().task().id(), n);
        }
        return m;
    }

    @Test
    void checkMode_previewsEveryStepAndTouchesNothing() throws Exception {
        Map<String, NodeResult> r = byTask(run(true));
        assertEquals(Status.CHANGED, r.get("stop").status(), r.get("stop").msg());
        assertEquals(Status.CHANGED, r.get("clear").status(), r.get("clear").msg());
        assertTrue(r.get("clear").msg().contains("apply refuses unless it is stopped"), r.get("clear").msg());
        assertTrue(r.get("clear").msg().contains("CommitLog-7-1.log"), r.get("clear").msg());
        // The node runs now, but stop[n1] would stop it first: the run starts it.
        assertEquals(Status.CHANGED, r.get("start").status(), r.get("start").msg());
        assertTrue(r.get("start").msg().startsWith("after stop[n1]: would start the node"), r.get("start").msg());
        assertEquals(Status.OK, r.get("wait").status(), r.get("wait").msg());
        assertTrue(r.get("wait").msg().startsWith("would wait for node 127.0.0.2 UN"), r.get("wait").msg());
        assertTrue(node.isAlive());
        assertTrue(Files.exists(commitlog.resolve("CommitLog-7-1.log")));
        assertFalse(Files.exists(tmp.resolve("aside")));
        assertFalse(Files.exists(tmp.resolve("nodetool.log")), "no nodetool ran in check mode");
    }

    @Test
    void apply_stopsClearsStartsAndWaits() throws Exception {
        RunReport report = run(false);
        Map<String, NodeResult> r = byTask(report);
        for (String t : new String[] {"stop", "clear", "start"}) {
            assertEquals(Status.CHANGED, r.get(t).status(), t + ": " + r.get(t).msg());
        }
        assertEquals(Status.OK, r.get("wait").status(), r.get("wait").msg());
        assertFalse(report.anyFailed());
        assertTrue(NodeLiveness.pidAlive(new CountingConnection("n1"), Long.parseLong(Files.readString(pidFile).strip())));
        assertFalse(NodeLiveness.pidAlive(new CountingConnection("n1"), node.pid()));
        assertTrue(Files.exists(Path.of(tmp.resolve("aside") + commitlog.toString(), "CommitLog-7-1.log")));
        assertTrue(Files.isDirectory(commitlog));
        assertEquals(1L, r.get("clear").data().get("removed"));
        assertTrue(Files.readString(tmp.resolve("nodetool.log")).lines().anyMatch(l -> l.endsWith(" drain")));

        Map<String, NodeResult> again = byTask(run(false));
        assertEquals(Status.OK, again.get("clear").status(), "second run: the commitlog is already empty, so clear is ok");
    }
}
