package dev.ringplan.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.ModuleRegistry;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.ReturnCheck;
import dev.ringplan.engine.module.ReturnSpec;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every module registers the same keys, of the same types, in check mode and in a run of the
 * same call, and those keys are the ones its {@link ReturnSpec} declares
 * ({@link ReturnCheck}, as the executor checks them). What is registered is worked out as the
 * executor does: in check mode the preview's data (read-only calls: apply's); in a run the
 * preview's data when nothing needs doing, else apply's. No module needs a live Cassandra here:
 * nodetool is a script printing real nodetool 5.0.7 output, the node of {@code service} is a
 * {@code sleep}, and {@code wait_for} waits for a local socket.
 */
class RegisteredShapeTest {
    /** Every module of the registry, each covered by a test below. */
    static final Set<String> COVERED = Set.of("assert", "command", "debug", "fail", "fs_clear", "nodetool", "service",
            "sysctl", "tar", "wait_for", "yaml_edit");
    /**
     * Modules whose run needs real clusters, so their check-mode/run parity is proven by an
     * integration test through the CLI instead (plan and run of the same tasks, keys compared):
     * {@code alter_keyspace} and {@code cql} (CqlModulesIT), {@code bulkload} (two clusters,
     * BulkloadIT), {@code restore_schema} (TableRestoreIT).
     */
    static final Set<String> PROVED_IN_IT = Set.of("alter_keyspace", "cql", "bulkload", "restore_schema");

    @TempDir
    Path tmp;
    final CountingConnection conn = new CountingConnection("n1");
    final ModuleRegistry registry = ModuleRegistry.load();
    final List<Long> pids = new ArrayList<>();

    @AfterEach
    void killNodes() {
        for (long p : pids) {
            ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private Module module(String name) {
        return registry.find(name).orElseThrow();
    }

    /** What the executor registers of one call's module data; checked against the module's ReturnSpec. */
    private Map<String, Object> register(Module m, Map<String, Object> args, Map<String, Object> vars, boolean check)
            throws ModuleException {
        ModuleContext ctx = Contexts.of(m, args, vars, conn, check, tmp.resolve("work"));
        Preview p = m.check(ctx);
        boolean readOnly = m.isReadOnly(ctx.args());
        Map<String, Object> data;
        boolean fromPreview = !readOnly && (check || p.change() == Preview.Change.NO);
        boolean failed = false;
        if (fromPreview) {
            data = p.data();
        } else {
            Result r = m.apply(ctx.withPreview(p));
            data = r.data();
            failed = r.status() == Result.Outcome.FAILED;
        }
        assertEquals(List.of(), ReturnCheck.problems(m.returns(), ctx.args(), data, check || fromPreview, failed),
                m.name() + " " + args + (check ? " (check mode)" : ""));
        return data;
    }

    /** Check mode, then the run, of the same call: the same keys and types. Returns the run's data. */
    private Map<String, Object> checkThenRun(String module, Map<String, Object> args, Map<String, Object> vars)
            throws ModuleException {
        Module m = module(module);
        Map<String, Object> check = register(m, args, vars, true);
        Map<String, Object> run = register(m, args, vars, false);
        assertSameShape(module + " " + args, check, run);
        return run;
    }

    /** Same keys; where both values are known, the same kind of value. */
    static void assertSameShape(String what, Map<String, Object> check, Map<String, Object> run) {
        assertEquals(new TreeSet<>(run.keySet()), new TreeSet<>(check.keySet()), what + ": keys in check mode vs run");
        Map<String, String> differ = new TreeMap<>();
        for (String k : run.keySet()) {
            Object c = check.get(k);
            Object r = run.get(k);
            if (c != null && r != null && !kind(c).equals(kind(r))) {
                differ.put(k, kind(c) + " vs " + kind(r));
            }
        }
        assertEquals(Map.of(), differ, what + ": types in check mode vs run");
    }

    private static String kind(Object v) {
        for (ReturnSpec.Type t : ReturnSpec.Type.values()) {
            if (t != ReturnSpec.Type.FLOAT && t != ReturnSpec.Type.ANY && t.accepts(v)) {
                return t.label();
            }
        }
        return v.getClass().getSimpleName();
    }

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private Path script(String name, String body) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, "#!/usr/bin/env bash\nset -u\n" + body, StandardCharsets.UTF_8);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void registry_everyModuleIsCoveredHere() {
        Set<String> all = new TreeSet<>(COVERED);
        all.addAll(PROVED_IN_IT);
        assertEquals(all, new TreeSet<>(registry.all().keySet()));
    }

    // ---- modules that only read variables (apply runs in check mode too) ----

    @Test
    void assert_fail_debug_sameShape() throws Exception {
        assertEquals(Map.of(), checkThenRun("assert", args("that", "1 == 1"), Map.of()));
        Map<String, Object> failed = checkThenRun("assert", args("that", List.of("1 == 1", "2 < 1")), Map.of());
        assertEquals(Set.of("assertion", "evaluated_to"), failed.keySet());
        assertEquals(Map.of(), checkThenRun("fail", args("msg", "stop"), Map.of()));
        assertEquals(Set.of("msg"), checkThenRun("debug", args("msg", "hello"), Map.of()).keySet());
        assertEquals(Map.of("ring.tokens", List.of("1", "2")),
                checkThenRun("debug", args("var", "ring.tokens"), Map.of("ring", Map.of("tokens", List.of("1", "2")))));
        assertEquals(Map.of(), checkThenRun("debug", args("msg", "quiet", "verbosity", 2), Map.of()));
    }

    // ---- command ----

    @Test
    void command_ranSkippedAndFailed_sameShape() throws Exception {
        Map<String, Object> ran = checkThenRun("command", args("cmd", "echo hi"), Map.of());
        assertEquals("hi", ran.get("stdout"));
        Path exists = Files.createFile(tmp.resolve("done"));
        checkThenRun("command", args("argv", List.of("echo", "x"), "creates", exists.toString()), Map.of());
        Map<String, Object> failed = checkThenRun("command", args("cmd", "exit 3", "shell", true), Map.of());
        assertEquals(3, failed.get("rc"));
        Map<String, Object> check = register(module("command"), args("cmd", "echo hi"), Map.of(), true);
        assertNull(check.get("stdout"), "known after the command ran");
        assertEquals(List.of("echo", "hi"), check.get("argv"));
    }

    // ---- wait_for ----

    @Test
    void waitFor_port_sameShape() throws Exception {
        try (ServerSocket open = new ServerSocket(0)) {
            Map<String, Object> vars = Map.of("ansible_connection", "local", "listen_address", "127.0.0.1");
            Map<String, Object> run = checkThenRun("wait_for", args("port", open.getLocalPort(), "timeout", 5), vars);
            assertEquals("open", run.get("observed"));
            assertEquals(5L, run.get("timeout"));
        }
    }

    // ---- yaml_edit ----

    @Test
    void yamlEdit_changeThenNothingToDo_sameShape() throws Exception {
        Path f = tmp.resolve("cassandra.yaml");
        Files.writeString(f, "cluster_name: Test\nnum_tokens: 16\n", StandardCharsets.UTF_8);
        Map<String, Object> a = args("path", f.toString(), "set", Map.of("num_tokens", 256), "backup", true);
        Map<String, Object> run = checkThenRun("yaml_edit", a, Map.of());
        assertNotNull(run.get("backup_file"));
        assertSameShape("yaml_edit again", run, checkThenRun("yaml_edit", a, Map.of()));
    }

    // ---- service ----

    @Test
    void service_startThenStartedThenStop_sameShape() throws Exception {
        Path pid = tmp.resolve("cassandra.pid");
        Path start = script("start.sh", "nohup sleep 300 >/dev/null 2>&1 </dev/null &\necho $! > '" + pid + "'\n");
        Path stop = script("stop.sh", "kill \"$(cat '" + pid + "')\" 2>/dev/null || true\nrm -f '" + pid + "'\n");
        Map<String, Object> vars = Map.of("ansible_connection", "local", "cassandra_start_cmd",
                List.of("bash", start.toString()), "cassandra_stop_cmd", List.of("bash", stop.toString()),
                "cassandra_pid_file", pid.toString(), "jmx_port", freePort(), "cql_port", freePort());
        try {
            Map<String, Object> started = checkThenRun("service", args("state", "started"), vars);
            pids.add(Long.parseLong(Files.readString(pid).strip()));
            assertEquals(true, started.get("running"));
            assertSameShape("service started again", started, checkThenRun("service", args("state", "started"), vars));
            Map<String, Object> stopped = checkThenRun("service", args("state", "stopped"), vars);
            assertEquals(false, stopped.get("running"));
            assertSameShape("service stop vs start", started, stopped);
        } finally {
            if (Files.exists(pid)) {
                pids.add(Long.parseLong(Files.readString(pid).strip()));
            }
        }
    }

    // ---- nodetool ----

    private Map<String, Object> nodetoolVars(Path data) throws IOException {
        return nodetoolVars(data, "cassandra-5.0.7__status.txt", "127.0.0.1");
    }

    /**
     * Host variables whose nodetool is a script printing recorded outputs: {@code statusFixture}
     * for status; netstats says DECOMMISSIONED after a decommission, getstreamthroughput prints
     * what setstreamthroughput set, a second rebuild is refused as 5.0.7 refuses it.
     */
    private Map<String, Object> nodetoolVars(Path data, String statusFixture, String listenAddress)
            throws IOException {
        Map<String, String> outputs = Map.ofEntries(Map.entry("status", statusFixture),
                Map.entry("ring", "cassandra-5.0.7__ring.txt"),
                Map.entry("describecluster", "cassandra-5.0.7__describecluster.txt"),
                Map.entry("listsnapshots", "apache-cassandra__listsnapshots-4.x-docs.txt"),
                Map.entry("info", "datastax-labs-Montecristo__info-3.x-single-token-diag.txt"),
                Map.entry("compactionstats", "cassandra-5.0.7__compactionstats-major-compaction.txt"),
                Map.entry("describering", "cassandra-5.0.7__describering-rebuilt-node.txt"));
        Path state = Files.createDirectories(tmp.resolve("nodetool-state-" + listenAddress));
        StringBuilder sh = new StringBuilder("cmd=$5; shift 5\nstate='" + state + "'\ncase \"$cmd\" in\n");
        for (Map.Entry<String, String> e : outputs.entrySet()) {
            sh.append("  ").append(e.getKey()).append(") cat '").append(fixture(e.getValue())).append("';;\n");
        }
        sh.append("  netstats) if [ -f \"$state/decommissioned\" ]; then cat '")
                .append(fixture("cassandra-5.0.7__netstats-decommissioned.txt")).append("'; else cat '")
                .append(fixture("cassandra-5.0.7__netstats-idle.txt")).append("'; fi;;\n");
        sh.append("  decommission) touch \"$state/decommissioned\";;\n");
        sh.append("  getstreamthroughput) cat \"$state/stream\" 2>/dev/null || cat '")
                .append(fixture("cassandra-5.0.7__getstreamthroughput-mib.txt")).append("';;\n");
        sh.append("  setstreamthroughput) echo \"Current stream throughput: $2.0 MiB/s\" > \"$state/stream\";;\n");
        sh.append("  rebuild) if [ -f \"$state/rebuilt\" ]; then cat '")
                .append(fixture("cassandra-5.0.7__rebuild-refused-already-streamed.txt"))
                .append("'; exit 1; fi; touch \"$state/rebuilt\";;\n");
        Path table = data.resolve("ks1/t1-0123456789abcdef0123456789abcdef");
        sh.append("  snapshot) tag=$(date +%s); while [ $# -gt 0 ]; do if [ \"$1\" = -t ]; then tag=$2; shift; fi;"
                + " shift; done; mkdir -p '").append(table).append("/snapshots/'\"$tag\"; echo \"Snapshot directory:"
                + " $tag\";;\n");
        sh.append("  clearsnapshot) rm -rf '").append(table).append("/snapshots'; echo cleared;;\n");
        sh.append("  *) echo \"$cmd done\";;\nesac\n");
        Path nodetool = script("nodetool-" + listenAddress + ".sh", sh.toString());
        Files.createDirectories(table);
        return Map.of("ansible_connection", "local", "listen_address", listenAddress, "cassandra_data_dirs",
                List.of(data.toString()), "nodetool_cmd", List.of("bash", nodetool.toString()));
    }

    /** A recorded output copied out of the class path, for the fake nodetool to print. */
    private Path fixture(String name) throws IOException {
        Path out = tmp.resolve(name);
        if (!Files.exists(out)) {
            try (InputStream in = RegisteredShapeTest.class.getResourceAsStream("/nodetool/" + name)) {
                Files.write(out, in.readAllBytes());
            }
        }
        return out;
    }

    @Test
    void nodetool_everyCommand_sameShape() throws Exception {
        Map<String, Object> vars = nodetoolVars(tmp.resolve("data"));
        for (String c : List.of("status", "ring", "describecluster", "listsnapshots", "info", "drain", "compactionstats",
                "netstats")) {
            checkThenRun("nodetool", args("command", c), vars);
        }
        Map<String, Object> flush = checkThenRun("nodetool", args("command", "flush", "keyspaces", List.of("ks1", "ks2")),
                vars);
        assertEquals(List.of("ks1", "ks2"), flush.get("keyspaces"));
        checkThenRun("nodetool", args("command", "repair", "tables", List.of("ks1.t1"), "full", true), vars);
        checkThenRun("nodetool", args("command", "cleanup", "keyspaces", List.of("ks1"), "jobs", 1), vars);

        Map<String, Object> taken = checkThenRun("nodetool", args("command", "snapshot", "tag", "nightly"), vars);
        assertEquals(false, taken.get("existed"));
        Map<String, Object> again = checkThenRun("nodetool", args("command", "snapshot", "tag", "nightly"), vars);
        assertEquals(true, again.get("existed"));
        assertSameShape("snapshot taken vs already there", taken, again);
        Map<String, Object> noTag = checkThenRun("nodetool", args("command", "snapshot"), vars);
        assertNotNull(noTag.get("tag"), "the generated name");

        Map<String, Object> cleared = checkThenRun("nodetool", args("command", "clearsnapshot", "tag", "nightly"), vars);
        assertEquals(List.of("ks1.t1/nightly"), cleared.get("found"));
        Map<String, Object> nothing = checkThenRun("nodetool", args("command", "clearsnapshot", "all", true), vars);
        assertSameShape("clearsnapshot cleared vs nothing there", cleared, nothing);
    }

    @Test
    void nodetool_migrationCommands_changedThenAlreadyDone_sameShape() throws Exception {
        Map<String, Object> vars = nodetoolVars(tmp.resolve("data"), "cassandra-5.0.7__status-one-down.txt",
                "127.0.60.2");
        Map<String, Object> cap = checkThenRun("nodetool", args("command", "setstreamthroughput", "throughput", 64),
                vars);
        assertEquals(16.0, cap.get("previous"));
        Map<String, Object> capAgain = checkThenRun("nodetool", args("command", "setstreamthroughput", "throughput",
                64), vars);
        assertEquals(64.0, capAgain.get("previous"));
        assertSameShape("setstreamthroughput set vs already set", cap, capAgain);

        Map<String, Object> rebuild = args("command", "rebuild", "keyspaces", List.of("mig2"), "source_dc",
                "datacenter1");
        Map<String, Object> rebuilt = checkThenRun("nodetool", rebuild, vars);
        assertEquals(List.of("mig2"), rebuilt.get("rebuilt"));
        Map<String, Object> already = checkThenRun("nodetool", rebuild, vars);
        assertEquals(List.of("mig2"), already.get("already_rebuilt"));
        assertSameShape("rebuild streamed vs already rebuilt", rebuilt, already);

        Map<String, Object> removed = checkThenRun("nodetool", args("command", "removenode", "host_id",
                "06bd4b04-5a02-4edc-966b-6543a3e1040c"), vars);
        assertEquals(true, removed.get("existed"));
        Map<String, Object> absent = checkThenRun("nodetool", args("command", "removenode", "host_id",
                "11111111-2222-3333-4444-555555555555"), vars);
        assertEquals(false, absent.get("existed"));
        assertSameShape("removenode removed vs not in the ring", removed, absent);

        Map<String, Object> left = checkThenRun("nodetool", args("command", "decommission"), vars);
        assertEquals("NORMAL", left.get("mode"));
        Map<String, Object> gone = checkThenRun("nodetool", args("command", "decommission"), vars);
        assertEquals("DECOMMISSIONED", gone.get("mode"));
        assertSameShape("decommission ran vs already decommissioned", left, gone);
    }

    // ---- sysctl ----

    @Test
    void sysctl_setThenAlreadySet_sameShape() throws Exception {
        Path proc = tmp.resolve("proc");
        Path value = proc.resolve("sys/vm/max_map_count");
        Files.createDirectories(value.getParent());
        Files.writeString(value, "65530\n", StandardCharsets.UTF_8);
        Path sysctl = script("sysctl.sh", "[ \"$1\" = -w ] && echo \"${2#*=}\" > '" + value + "'; exit 0\n");
        Map<String, Object> vars = Map.of("ansible_connection", "local", "sysctl_proc_root", proc.toString(),
                "sysctl_cmd", List.of("bash", sysctl.toString()));
        Path conf = Files.createDirectories(tmp.resolve("etc")).resolve("99-cassandra.conf");
        Map<String, Object> a = args("name", "vm.max_map_count", "value", 262144, "sysctl_set", true, "sysctl_file",
                conf.toString());
        Map<String, Object> set = checkThenRun("sysctl", a, vars);
        assertEquals("65530", set.get("running_value"));
        Map<String, Object> already = checkThenRun("sysctl", a, vars);
        assertEquals("262144", already.get("running_value"));
        assertEquals("262144", already.get("file_value"));
        assertSameShape("sysctl set vs already set", set, already);
        assertSameShape("sysctl absent", set, checkThenRun("sysctl", args("name", "vm.max_map_count", "state",
                "absent", "sysctl_file", conf.toString(), "reload", false), vars));
    }

    // ---- fs_clear ----

    @Test
    void fsClear_clearMoveAndPutBack_sameShape() throws Exception {
        Path node = tmp.resolve("node");
        Path data = Files.createDirectories(node.resolve("data"));
        Path commitlog = Files.createDirectories(node.resolve("commitlog"));
        Files.write(commitlog.resolve("CommitLog-7-1.log"), new byte[100]);
        Files.write(Files.createDirectories(data.resolve("ks/t-1")).resolve("nb-1-big-Data.db"), new byte[10]);
        Map<String, Object> vars = Map.of("ansible_connection", "local", "cassandra_data_dirs", List.of(data.toString()),
                "cassandra_commitlog_dir", commitlog.toString(), "cassandra_pid_file", node.resolve("pid").toString(),
                "jmx_host", "127.0.0.1", "jmx_port", freePort(), "cql_host", "127.0.0.1", "cql_port", freePort());
        String aside = node.resolve("aside").toString();
        Map<String, Object> moved = checkThenRun("fs_clear", args("path", commitlog.toString(), "move_to", aside), vars);
        assertEquals(1L, moved.get("removed"));
        Map<String, Object> empty = checkThenRun("fs_clear", args("path", commitlog.toString()), vars);
        assertSameShape("fs_clear moved vs nothing to remove", moved, empty);
        Map<String, Object> back = checkThenRun("fs_clear", args("path", commitlog.toString(), "restore_from", aside),
                vars);
        assertEquals(1L, back.get("put_back"));
        assertSameShape("fs_clear put back vs cleared", moved, back);
        checkThenRun("fs_clear", args("path", data + "/ks/*"), vars);
    }

    // ---- tar ----

    @Test
    void tar_everyAction_sameShape() throws Exception {
        Path data = tmp.resolve("data");
        Path snap = Files.createDirectories(data.resolve("ks1/t1-0123456789abcdef0123456789abcdef/snapshots/nightly"));
        Files.write(snap.resolve("nb-1-big-Data.db"), new byte[4096]);
        Files.writeString(snap.resolve("nb-1-big-TOC.txt"), "Data.db\nTOC.txt\n");
        Files.writeString(snap.resolve("manifest.json"), "{\"files\":[\"nb-1-big-Data.db\"]}\n");
        Files.writeString(snap.resolve("schema.cql"), "CREATE TABLE ks1.t1 (id int PRIMARY KEY);\n");
        Files.createDirectories(tmp.resolve("work"));
        Map<String, Object> vars = Map.of("cassandra_data_dirs", List.of(data.toString()), "listen_address", "127.0.0.1");

        Map<String, Object> full = args("snapshot", "nightly", "dest", "backups/b1");
        Map<String, Object> archived = checkThenRun("tar", full, vars);
        assertNotNull(archived.get("sha256"));
        assertSameShape("tar create again (up to date)", archived, checkThenRun("tar", full, vars));
        Map<String, Object> notTaken = register(module("tar"), args("snapshot", "later", "dest", "backups/b0"), vars, true);
        assertSameShape("tar create of a snapshot not taken yet (check mode) vs a run", notTaken, archived);

        Map<String, Object> diff = args("snapshot", "nightly", "dest", "backups/b2", "mode", "differential");
        Map<String, Object> stored = checkThenRun("tar", diff, vars);
        assertEquals(0L, stored.get("unchanged_files"));
        assertSameShape("tar differential again (up to date)", stored, checkThenRun("tar", diff, vars));

        String manifest = tmp.resolve("work/backups/b1/n1.manifest.json").toString();
        Map<String, Object> verified = checkThenRun("tar", args("action", "verify", "src", manifest), vars);
        assertEquals(true, verified.get("verified"));
        Map<String, Object> missing = register(module("tar"), args("action", "verify", "src",
                tmp.resolve("work/backups/none/n1.manifest.json").toString()), vars, true);
        assertEquals(false, missing.get("verified"));
        assertTrue(verified.keySet().containsAll(missing.keySet()), missing.keySet().toString());

        Map<String, Object> extract = args("action", "extract", "src", manifest, "target_dir",
                tmp.resolve("load").toString());
        Map<String, Object> restored = checkThenRun("tar", extract, vars);
        assertEquals(4L, restored.get("written"));
        assertSameShape("tar extract again (in place)", restored, checkThenRun("tar", extract, vars));
        Map<String, Object> notYet = register(module("tar"), args("action", "extract", "src",
                tmp.resolve("work/backups/none/n1.manifest.json").toString(), "target_dir", tmp.resolve("load2").toString()),
                vars, true);
        Set<String> withoutArchive = new TreeSet<>(restored.keySet());
        withoutArchive.remove("archive");
        assertEquals(withoutArchive, new TreeSet<>(notYet.keySet()), "a backup written later: every key but"
                + " archive/store (which one is known after apply)");

        Map<String, Object> purged = checkThenRun("tar", args("action", "purge", "root", "backups", "keep_last", 1), vars);
        assertEquals(List.of("b1"), purged.get("deleted_backups"));
        ModuleException gone = assertThrows(ModuleException.class, () -> register(module("tar"),
                args("action", "verify", "src", manifest), vars, false));
        assertTrue(gone.getMessage().contains("not found"), gone.getMessage());
    }
}
