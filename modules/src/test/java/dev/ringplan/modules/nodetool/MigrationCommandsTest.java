package dev.ringplan.modules.nodetool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.UpstreamChange;
import dev.ringplan.modules.FakeConnection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands added for migrations (rebuild, removenode, decommission, cleanup, repair's flags,
 * compactionstats, setstreamthroughput, netstats): the argv each builds, the rules between their
 * arguments, and check/apply against nodetool answers recorded on Cassandra 5.0.7 (a fake
 * connection plays them back).
 */
class MigrationCommandsTest {
    /** Commands that change the node; none may run in check mode. */
    private static final Set<String> MUTATING = Set.of("rebuild", "removenode", "decommission", "cleanup", "repair",
            "setstreamthroughput");
    private static final String DEAD = "06bd4b04-5a02-4edc-966b-6543a3e1040c";
    private static final String LIVE = "eeb5d9ac-def8-4d48-bbd4-f604e0d990b6";

    @TempDir
    Path tmp;
    private final NodetoolModule module = new NodetoolModule();
    /** Answers by nodetool subcommand; a function of the whole argv. */
    private final Map<String, Function<List<String>, ExecResult>> answers = new HashMap<>();
    private final List<String> log = new ArrayList<>();
    private FakeConnection conn;
    private Map<String, Object> vars;

    @BeforeEach
    void setUp() {
        conn = new FakeConnection(argv -> {
            Function<List<String>, ExecResult> a = answers.get(FakeConnection.subcommand(argv));
            return a == null ? FakeConnection.ok(argv, "") : a.apply(argv);
        });
        vars = new HashMap<>();
        vars.put("ansible_connection", "local");
        vars.put("listen_address", "127.0.60.2");
        vars.put("cassandra_data_dirs", List.of(tmp.resolve("data").toString()));
        vars.put("nodetool_cmd", List.of("/opt/cassandra/bin/nodetool"));
        vars.put("jmx_port", 7359);
    }

    private void answer(String subcommand, String fixture) {
        answers.put(subcommand, argv -> FakeConnection.ok(argv, Fixtures.read(fixture)));
    }

    private ModuleContext ctx(Map<String, Object> raw, boolean check) throws ModuleException {
        Args args = module.argSpec().validate("nodetool", raw);
        return new ModuleContext("n2", args, vars, () -> conn, check, false,
                new ModuleContext.RunInfo("run1", tmp, tmp.resolve(".ringplan")), null, log::add);
    }

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<String> nt(String... args) {
        List<String> l = new ArrayList<>(List.of("/opt/cassandra/bin/nodetool", "-h", "127.0.0.1", "-p", "7359"));
        l.addAll(List.of(args));
        return l;
    }

    private static String display(String... args) {
        return "/opt/cassandra/bin/nodetool -h 127.0.0.1 -p 7359 " + String.join(" ", args);
    }

    private List<String> subcommandsRun() {
        return conn.execs.stream().map(FakeConnection::subcommand).toList();
    }

    private void assertNothingChanged() {
        for (String c : subcommandsRun()) {
            assertFalse(MUTATING.contains(c), "a command that changes the node ran: " + c);
        }
        assertEquals(List.of(), conn.mutations);
    }

    private static UpstreamChange upstream(String task) {
        return new UpstreamChange(task + "[n2]", task, "n2", "service", Map.of("state", "stopped"),
                Preview.Change.YES, "would stop");
    }

    // ---- declaration ----

    @Test
    void isReadOnly_compactionstatsAndNetstatsOnly() throws Exception {
        assertTrue(module.isReadOnly(ctx(args("command", "compactionstats"), true).args()));
        assertTrue(module.isReadOnly(ctx(args("command", "netstats"), true).args()));
        for (Map<String, Object> a : List.of(args("command", "rebuild", "source_dc", "dc1"),
                args("command", "removenode", "host_id", DEAD), args("command", "decommission"),
                args("command", "cleanup"), args("command", "setstreamthroughput", "throughput", 1))) {
            assertFalse(module.isReadOnly(ctx(a, true).args()), a.toString());
        }
    }

    @Test
    void rules_eachArgumentOnlyForItsCommand_andRequiredOnes() {
        ArgSpec spec = module.argSpec();
        assertEquals("command: missing argument 'source_dc', required when command is rebuild",
                problem(spec, args("command", "rebuild", "keyspaces", List.of("ks1"))));
        assertEquals("command: missing argument 'host_id', required when command is removenode",
                problem(spec, args("command", "removenode")));
        assertEquals("command: missing argument 'throughput', required when command is setstreamthroughput",
                problem(spec, args("command", "setstreamthroughput")));
        assertEquals("host_id: argument 'host_id' is only for command removenode (command is decommission)",
                problem(spec, args("command", "decommission", "host_id", DEAD)));
        assertEquals("full: argument 'full' is only for command repair (command is cleanup)",
                problem(spec, args("command", "cleanup", "full", true)));
        assertEquals("jobs: argument 'jobs' is only for command cleanup (command is repair)",
                problem(spec, args("command", "repair", "jobs", 2)));
        assertEquals("tables: argument 'tables' is only for command snapshot, flush, repair, cleanup, import, refresh"
                + " (command is rebuild)", problem(spec, args("command", "rebuild", "source_dc", "dc1", "tables", List.of("a.b"))));
        assertTrue(problem(spec, args("command", "removenode", "host_id", DEAD, "extra_args", List.of("force")))
                .startsWith("extra_args: argument 'extra_args' is only for command"));
        assertEquals("throughput_unit: argument 'throughput_unit' must be one of MiB/s, megabits/s, got 'MB/s'; did"
                + " you mean 'MiB/s'?",
                problem(spec, args("command", "setstreamthroughput", "throughput", 1, "throughput_unit", "MB/s")));
        assertEquals(List.of(), spec.checkStatic(args("command", "repair", "keyspaces", List.of("ks1"), "full", true,
                "primary_range", true)));
    }

    /** The one problem checkStatic finds, as "arg: message". */
    private static String problem(ArgSpec spec, Map<String, Object> raw) {
        List<ArgSpec.ArgProblem> p = spec.checkStatic(raw);
        assertEquals(1, p.size(), p.toString());
        return p.get(0).arg() + ": " + p.get(0).message();
    }

    // ---- argv ----

    @Test
    void argv_rebuildPerKeyspaceWithSource() throws Exception {
        Invocation two = Invocation.of(ctx(args("command", "rebuild", "keyspaces", List.of("shop", "users"),
                "source_dc", "dc1"), true));
        assertEquals(List.of(nt("rebuild", "-ks", "shop", "--", "dc1"), nt("rebuild", "-ks", "users", "--", "dc1")),
                two.calls());
        assertEquals(List.of("shop", "users"), two.callKeyspaces());
        Invocation all = Invocation.of(ctx(args("command", "rebuild", "source_dc", "-odd dc", "extra_args",
                List.of("--exclude-local-dc")), true));
        assertEquals(List.of(nt("rebuild", "--exclude-local-dc", "--", "-odd dc")), all.calls());
    }

    @Test
    void argv_removenodeDecommissionCleanupRepairStreamThroughput() throws Exception {
        assertEquals(nt("removenode", "--", DEAD), Invocation.of(ctx(args("command", "removenode", "host_id",
                " " + DEAD.toUpperCase() + " "), true)).argv());
        assertEquals(nt("decommission"), Invocation.of(ctx(args("command", "decommission"), true)).argv());
        assertEquals(nt("decommission", "--force"), Invocation.of(ctx(args("command", "decommission", "force", true),
                true)).argv());
        assertEquals(List.of(nt("cleanup", "-j", "2", "shop"), nt("cleanup", "-j", "2", "users", "t1")),
                Invocation.of(ctx(args("command", "cleanup", "keyspaces", List.of("shop"), "tables", List.of("users.t1"),
                        "jobs", 2), true)).calls());
        assertEquals(List.of(nt("repair", "-full", "-pr", "-seq", "shop")), Invocation.of(ctx(args("command", "repair",
                "keyspaces", List.of("shop"), "full", true, "primary_range", true, "extra_args", List.of("-seq")),
                true)).calls());
        assertEquals(List.of(nt("repair", "shop")), Invocation.of(ctx(args("command", "repair", "keyspaces",
                List.of("shop"), "full", false), true)).calls());
        assertEquals(nt("setstreamthroughput", "-m", "64"), Invocation.of(ctx(args("command", "setstreamthroughput",
                "throughput", 64), true)).argv());
        assertEquals(nt("setstreamthroughput", "200"), Invocation.of(ctx(args("command", "setstreamthroughput",
                "throughput", 200, "throughput_unit", "megabits/s"), true)).argv());
        assertEquals(nt("compactionstats"), Invocation.of(ctx(args("command", "compactionstats"), true)).argv());
        assertEquals(nt("netstats"), Invocation.of(ctx(args("command", "netstats"), true)).argv());
    }

    @Test
    void argv_badValues_refusedBeforeAnyCall() {
        ModuleException id = assertThrows(ModuleException.class, () -> module.check(ctx(args("command", "removenode",
                "host_id", "127.0.60.2"), true)));
        assertTrue(id.getMessage().startsWith("nodetool removenode: host_id '127.0.60.2' is not a host id (a UUID"),
                id.getMessage());
        ModuleException jobs = assertThrows(ModuleException.class, () -> module.check(ctx(args("command", "cleanup",
                "jobs", -1), true)));
        assertEquals("nodetool cleanup: jobs must be 0 (all compaction threads) or more, got -1", jobs.getMessage());
        ModuleException dc = assertThrows(ModuleException.class, () -> module.check(ctx(args("command", "rebuild",
                "source_dc", "dc\n1"), true)));
        assertEquals("nodetool rebuild: source_dc 'dc\\n1' is not a datacenter name", dc.getMessage());
        ModuleException ks = assertThrows(ModuleException.class, () -> module.check(ctx(args("command", "rebuild",
                "source_dc", "dc1", "keyspaces", List.of("a;b")), true)));
        assertTrue(ks.getMessage().contains("keyspace 'a;b' is not a valid keyspace name"), ks.getMessage());
        ModuleException timeout = assertThrows(ModuleException.class, () -> module.check(ctx(args("command", "cleanup",
                "timeout", 0), true)));
        assertEquals("nodetool cleanup: timeout must be at least 1 second, got 0", timeout.getMessage());
        assertEquals(List.of(), conn.execs);
    }

    // ---- rebuild ----

    @Test
    void rebuild_check_readsDescriberingOnly_unknown() throws Exception {
        answer("describering", "cassandra-5.0.7__describering-rebuilt-node.txt");
        Preview p = module.check(ctx(args("command", "rebuild", "keyspaces", List.of("mig2"), "source_dc",
                "datacenter1"), true));
        assertEquals(Preview.Change.UNKNOWN, p.change());
        assertTrue(p.summary().startsWith("would rebuild mig2 from datacenter datacenter1"), p.summary());
        assertEquals(List.of(display("rebuild", "-ks", "mig2", "--", "datacenter1")), p.commands());
        assertEquals(List.of(nt("describering", "mig2")), conn.execs);
        assertNull(p.data().get("rebuilt"));
        assertEquals("datacenter1", p.data().get("source_dc"));
        assertNothingChanged();
    }

    @Test
    void rebuild_keyspaceNotReplicatedHere_failsInCheck() {
        answer("describering", "cassandra-5.0.7__describering-rebuilt-node.txt");
        vars.put("listen_address", "10.9.9.9");
        ModuleException e = assertThrows(ModuleException.class, () -> module.check(ctx(args("command", "rebuild",
                "keyspaces", List.of("mig2"), "source_dc", "datacenter1"), true)));
        assertTrue(e.getMessage().startsWith("n2: keyspace mig2 has no replica at this node's listen_address 10.9.9.9"
                + " (nodetool describering mig2 lists endpoints 127.0.60.2, 127.0.60.1): a rebuild would stream"
                + " nothing; add this node's datacenter"), e.getMessage());
        assertNothingChanged();
    }

    @Test
    void rebuild_sourceDcWithoutReplica_failsInCheck() {
        answer("describering", "cassandra-5.0.7__describering-rebuilt-node.txt");
        ModuleException e = assertThrows(ModuleException.class, () -> module.check(ctx(args("command", "rebuild",
                "keyspaces", List.of("mig2"), "source_dc", "dc-old"), true)));
        assertEquals("n2: keyspace mig2 has no replica in datacenter dc-old (nodetool describering mig2 lists"
                + " datacenters datacenter1): nothing to stream from there", e.getMessage());
    }

    @Test
    void rebuild_guardFailsButUpstreamAltersFirst_unknown() throws Exception {
        answer("describering", "cassandra-5.0.7__describering-rebuilt-node.txt");
        Preview p = module.check(ctx(args("command", "rebuild", "keyspaces", List.of("mig2"), "source_dc", "dc-old"),
                true).withUpstreamChanges(() -> List.of(upstream("alter"))));
        assertEquals(Preview.Change.UNKNOWN, p.change());
        assertTrue(p.summary().startsWith("after alter[n2]: keyspace mig2 has no replica in datacenter dc-old"),
                p.summary());
    }

    @Test
    void rebuild_apply_streams_changed() throws Exception {
        Result r = module.apply(ctx(args("command", "rebuild", "keyspaces", List.of("shop", "users"), "source_dc",
                "dc1"), false));
        assertTrue(r.changed());
        assertEquals("rebuilt shop, users from datacenter dc1", r.msg());
        assertEquals(List.of(nt("rebuild", "-ks", "shop", "--", "dc1"), nt("rebuild", "-ks", "users", "--", "dc1")),
                conn.execs, "apply does not read describering when nothing is refused");
        assertEquals(List.of("shop", "users"), r.data().get("rebuilt"));
        assertEquals(List.of(), r.data().get("already_rebuilt"));
        assertEquals(List.of(nt("rebuild", "-ks", "shop", "--", "dc1"), nt("rebuild", "-ks", "users", "--", "dc1")),
                r.data().get("cmds"));
    }

    @Test
    void rebuild_apply_refusedWithEveryRangeAvailable_okAlreadyRebuilt() throws Exception {
        answers.put("rebuild", argv -> new ExecResult(argv, 1,
                Fixtures.read("cassandra-5.0.7__rebuild-refused-already-streamed.txt"), "", 5));
        answer("describering", "cassandra-5.0.7__describering-rebuilt-node.txt");
        Result r = module.apply(ctx(args("command", "rebuild", "keyspaces", List.of("mig2"), "source_dc",
                "datacenter1"), false));
        assertEquals(Result.Outcome.OK, r.status());
        assertEquals("already rebuilt from datacenter datacenter1: mig2 (Cassandra had streamed every range of this"
                + " node)", r.msg());
        assertEquals(List.of(), r.data().get("rebuilt"));
        assertEquals(List.of("mig2"), r.data().get("already_rebuilt"));
        assertEquals(1L, r.data().get("rc"));
        assertEquals(List.of("rebuild", "describering"), subcommandsRun());
        assertTrue(log.get(0).startsWith("keyspace mig2: all 32 ranges of this node were already streamed"), log.get(0));
    }

    @Test
    void rebuild_apply_refusedWithARangeMissing_failsNamingIt() {
        answers.put("rebuild", argv -> new ExecResult(argv, 1,
                Fixtures.read("cassandra-5.0.7__rebuild-refused-already-streamed.txt"), "", 5));
        String ring = Fixtures.read("cassandra-5.0.7__describering-rebuilt-node.txt")
                + "\tTokenRange(start_token:1, end_token:2, endpoints:[127.0.60.2], rpc_endpoints:[127.0.60.2],"
                + " endpoint_details:[EndpointDetails(host:127.0.60.2, datacenter:datacenter1, rack:rack1)])\n";
        answers.put("describering", argv -> FakeConnection.ok(argv, ring));
        ModuleException e = assertThrows(ModuleException.class, () -> module.apply(ctx(args("command", "rebuild",
                "keyspaces", List.of("mig2", "other"), "source_dc", "datacenter1"), false)));
        assertEquals("n2: Cassandra refuses to rebuild keyspace mig2: this node already streamed 32 of its 33 ranges"
                + " (by bootstrap or an earlier rebuild that did not finish), and will not stream the 1 missing ones"
                + " ((1,2]) until the node restarts with -Dcassandra.reset_bootstrap_progress=true (Cassandra asks to"
                + " clean up the partly streamed data first); already done: none; not run: other", e.getMessage());
    }

    @Test
    void rebuild_apply_otherFailure_namesKeyspaceAndProgress() {
        answers.put("rebuild", argv -> argv.contains("users")
                ? FakeConnection.fail(argv, 2, "error: null\n-- StackTrace --\njava.lang.NullPointerException\n")
                : FakeConnection.ok(argv, ""));
        ModuleException e = assertThrows(ModuleException.class, () -> module.apply(ctx(args("command", "rebuild",
                "keyspaces", List.of("shop", "users", "x"), "source_dc", "dc1"), false)));
        assertEquals("n2: nodetool rebuild of keyspace users failed (exit status 2): error: null; already done: shop;"
                + " not run: x", e.getMessage());
    }

    @Test
    void rebuild_apply_everyKeyspaceRefused_asksForKeyspaces() {
        answers.put("rebuild", argv -> new ExecResult(argv, 1,
                Fixtures.read("cassandra-5.0.7__rebuild-refused-already-streamed.txt"), "", 5));
        ModuleException e = assertThrows(ModuleException.class, () -> module.apply(ctx(args("command", "rebuild",
                "source_dc", "dc1"), false)));
        assertTrue(e.getMessage().contains("Name the keyspaces (keyspaces: [...])"), e.getMessage());
    }

    // ---- removenode ----

    @Test
    void removenode_deadNode_checkYes_applyRuns() throws Exception {
        answer("status", "cassandra-5.0.7__status-one-down.txt");
        ModuleContext c = ctx(args("command", "removenode", "host_id", DEAD), true);
        Preview p = module.check(c);
        assertEquals(Preview.Change.YES, p.change());
        assertEquals("would remove node 127.0.60.2 (DN, datacenter datacenter1, host id " + DEAD + "): the remaining"
                + " replicas stream its ranges among themselves", p.summary());
        assertEquals(List.of(display("removenode", "--", DEAD)), p.commands());
        assertEquals(true, p.data().get("existed"));
        assertNothingChanged();
        Result r = module.apply(ctx(args("command", "removenode", "host_id", DEAD), false).withPreview(p));
        assertTrue(r.changed());
        assertTrue(r.msg().startsWith("removed node 127.0.60.2 (DN"), r.msg());
        assertEquals(List.of("status", "removenode"), subcommandsRun());
        assertEquals(DEAD, r.data().get("host_id"));
        @SuppressWarnings("unchecked")
        Map<String, Object> node = (Map<String, Object>) r.data().get("node");
        assertEquals("DN", node.get("code"));
    }

    @Test
    void removenode_hostIdNotInRing_ok() throws Exception {
        answer("status", "cassandra-5.0.7__status-one-down.txt");
        Result r = module.apply(ctx(args("command", "removenode", "host_id", "11111111-2222-3333-4444-555555555555"),
                false));
        assertEquals(Result.Outcome.OK, r.status());
        assertEquals("host id 11111111-2222-3333-4444-555555555555 is not in the ring (nodetool status on n2): nothing"
                + " to remove", r.msg());
        assertEquals(false, r.data().get("existed"));
        assertNull(r.data().get("node"));
        assertEquals(List.of("status"), subcommandsRun());
    }

    @Test
    void removenode_liveNode_refused_unlessUpstreamMayStopIt() throws Exception {
        answer("status", "cassandra-5.0.7__status-one-down.txt");
        ModuleException e = assertThrows(ModuleException.class, () -> module.check(ctx(args("command", "removenode",
                "host_id", LIVE), true)));
        assertEquals("n2: refusing to remove node 127.0.60.1 (UN, datacenter datacenter1, host id " + LIVE + "):"
                + " nodetool status shows it up; removenode is for a dead node: run 'nodetool decommission' on that"
                + " node, or stop it and wait until it shows DN", e.getMessage());
        Preview p = module.check(ctx(args("command", "removenode", "host_id", LIVE), true)
                .withUpstreamChanges(() -> List.of(upstream("stop"))));
        assertEquals(Preview.Change.UNKNOWN, p.change());
        assertTrue(p.summary().startsWith("after stop[n2] changes the cluster: node 127.0.60.1"), p.summary());
        assertNothingChanged();
    }

    @Test
    void removenode_hostLeftMeanwhile_ok() throws Exception {
        answer("status", "cassandra-5.0.7__status-one-down.txt");
        answers.put("removenode", argv -> FakeConnection.fail(argv, 2, "error: Host ID not found.\n-- StackTrace --\n"));
        Result r = module.apply(ctx(args("command", "removenode", "host_id", DEAD), false));
        assertEquals(Result.Outcome.OK, r.status());
        assertEquals("host id " + DEAD + " left the ring meanwhile (error: Host ID not found.)", r.msg());
    }

    // ---- decommission ----

    @Test
    void decommission_normal_checkYes_applyRuns() throws Exception {
        answer("netstats", "cassandra-5.0.7__netstats-idle.txt");
        Preview p = module.check(ctx(args("command", "decommission"), true));
        assertEquals(Preview.Change.YES, p.change());
        assertEquals("NORMAL", p.data().get("mode"));
        assertEquals(List.of(display("decommission")), p.commands());
        assertNothingChanged();
        Result r = module.apply(ctx(args("command", "decommission"), false).withPreview(p));
        assertTrue(r.changed());
        assertEquals("decommissioned n2: it left the ring", r.msg());
        assertEquals(List.of("netstats", "decommission"), subcommandsRun());
        assertEquals(false, r.data().get("force"));
    }

    @Test
    void decommission_alreadyDecommissioned_okWithoutRunning() throws Exception {
        answer("netstats", "cassandra-5.0.7__netstats-decommissioned.txt");
        Result r = module.apply(ctx(args("command", "decommission", "force", true), false));
        assertEquals(Result.Outcome.OK, r.status());
        assertEquals("already decommissioned (nodetool netstats: Mode: DECOMMISSIONED)", r.msg());
        assertEquals(List.of("netstats"), subcommandsRun());
        assertEquals("DECOMMISSIONED", r.data().get("mode"));
        assertEquals(true, r.data().get("force"));
    }

    @Test
    void decommission_afterAFailedOne_retried() throws Exception {
        // A decommission refused by Cassandra ("Not enough live nodes to maintain replication
        // factor") leaves the node in the ring in mode DECOMMISSION_FAILED; a new one retries it.
        answer("netstats", "cassandra-5.0.7__netstats-decommission-failed.txt");
        Preview p = module.check(ctx(args("command", "decommission", "force", true), true));
        assertEquals(Preview.Change.YES, p.change());
        assertTrue(p.summary().startsWith("would retry the decommission of n2 that failed"), p.summary());
        assertNothingChanged();
        Result r = module.apply(ctx(args("command", "decommission", "force", true), false).withPreview(p));
        assertTrue(r.changed(), r.msg());
        assertEquals(List.of("netstats", "decommission"), subcommandsRun());
    }

    @Test
    void decommission_nodetoolSaysAlreadyDone_ok() throws Exception {
        answer("netstats", "cassandra-5.0.7__netstats-idle.txt");
        answer("decommission", "cassandra-5.0.7__decommission-already-decommissioned.txt");
        Result r = module.apply(ctx(args("command", "decommission"), false));
        assertEquals(Result.Outcome.OK, r.status());
        assertEquals("already decommissioned (nodetool: Node was already decommissioned.)", r.msg());
    }

    @Test
    void decommission_leavingOrJoining_refused() {
        answer("netstats", "cassandra-5.0.7__netstats-leaving.txt");
        ModuleException leaving = assertThrows(ModuleException.class, () -> module.check(ctx(args("command",
                "decommission"), true)));
        assertTrue(leaving.getMessage().startsWith("n2: a decommission (or a move out of the ring) is already running"),
                leaving.getMessage());
        answer("netstats", "cassandra-5.0.7__netstats-joining.txt");
        ModuleException joining = assertThrows(ModuleException.class, () -> module.check(ctx(args("command",
                "decommission"), true)));
        assertEquals("n2: the node is in mode JOINING (nodetool netstats); decommission needs a NORMAL node",
                joining.getMessage());
        assertNothingChanged();
    }

    @Test
    void decommission_nodeNotAnswering_failsExplaining_unknownAfterUpstream() throws Exception {
        answers.put("netstats", argv -> new ExecResult(argv, 1, "nodetool: Failed to connect to '127.0.0.1:7359' -"
                + " ConnectException: 'Connection refused'.\n", "", 5));
        ModuleException e = assertThrows(ModuleException.class, () -> module.check(ctx(args("command",
                "decommission"), true)));
        assertTrue(e.getMessage().startsWith("n2: cannot read the node's mode: nodetool netstats failed (exit status"
                + " 1): nodetool: Failed to connect to '127.0.0.1:7359'"), e.getMessage());
        assertTrue(e.getMessage().contains("guard the task with when:"), e.getMessage());
        Preview p = module.check(ctx(args("command", "decommission"), true)
                .withUpstreamChanges(() -> List.of(upstream("start"))));
        assertEquals(Preview.Change.UNKNOWN, p.change());
        assertNull(p.data().get("mode"));
    }

    // ---- cleanup ----

    @Test
    void cleanup_checkYesRunsNothing_applyChangedPerKeyspace() throws Exception {
        ModuleContext c = ctx(args("command", "cleanup", "keyspaces", List.of("shop", "users")), true);
        Preview p = module.check(c);
        assertEquals(Preview.Change.YES, p.change());
        assertEquals(List.of(display("cleanup", "shop"), display("cleanup", "users")), p.commands());
        assertEquals(List.of(), conn.execs);
        Result r = module.apply(ctx(args("command", "cleanup", "keyspaces", List.of("shop", "users")), false));
        assertEquals("ran nodetool cleanup on 2 keyspaces: shop, users", r.msg());
        assertEquals(List.of("shop", "users"), r.data().get("keyspaces"));
    }

    @Test
    void cleanup_secondKeyspaceFails_saysCleanedUp() {
        answers.put("cleanup", argv -> argv.contains("nosuchks")
                ? new ExecResult(argv, 1, "nodetool: Keyspace [nosuchks] does not exist.\nSee 'nodetool help' or"
                        + " 'nodetool help <command>'.\n", "", 5)
                : FakeConnection.ok(argv, ""));
        ModuleException e = assertThrows(ModuleException.class, () -> module.apply(ctx(args("command", "cleanup",
                "keyspaces", List.of("shop", "nosuchks")), false)));
        assertEquals("n2: nodetool cleanup of keyspace nosuchks failed (exit status 1): nodetool: Keyspace [nosuchks]"
                + " does not exist.; already cleaned up: shop", e.getMessage());
    }

    // ---- setstreamthroughput ----

    @Test
    void setstreamthroughput_equal_ok_differs_changed() throws Exception {
        answer("getstreamthroughput", "cassandra-5.0.7__getstreamthroughput-mib.txt");
        Result same = module.apply(ctx(args("command", "setstreamthroughput", "throughput", 16), false));
        assertEquals(Result.Outcome.OK, same.status());
        assertEquals("stream throughput is already 16 MiB/s", same.msg());
        assertEquals(List.of(nt("getstreamthroughput", "-m")), conn.execs);
        assertEquals(16.0, same.data().get("previous"));

        Preview p = module.check(ctx(args("command", "setstreamthroughput", "throughput", 64), true));
        assertEquals(Preview.Change.YES, p.change());
        assertEquals("would set stream throughput to 64 MiB/s (now 16 MiB/s)", p.summary());
        assertEquals(List.of(display("setstreamthroughput", "-m", "64")), p.commands());
        assertNothingChanged();
        Result r = module.apply(ctx(args("command", "setstreamthroughput", "throughput", 64), false).withPreview(p));
        assertTrue(r.changed());
        assertEquals(nt("setstreamthroughput", "-m", "64"), conn.execs.get(conn.execs.size() - 1));
        assertEquals(16.0, r.data().get("previous"));
        assertEquals(64L, r.data().get("throughput"));
    }

    @Test
    void setstreamthroughput_unlimitedIsZero() throws Exception {
        answer("getstreamthroughput", "cassandra-5.0.7__getstreamthroughput-unlimited.txt");
        Preview p = module.check(ctx(args("command", "setstreamthroughput", "throughput", 0), true));
        assertEquals(Preview.Change.NO, p.change());
        assertEquals("stream throughput is already unlimited (0)", p.summary());
    }

    @Test
    void setstreamthroughput_megabits_plainGet_andNotWholeOn50() throws Exception {
        answer("getstreamthroughput", "cassandra-5.0.7__getstreamthroughput-megabits.txt");
        Preview same = module.check(ctx(args("command", "setstreamthroughput", "throughput", 200, "throughput_unit",
                "megabits/s"), true));
        assertEquals(Preview.Change.NO, same.change());
        assertEquals(List.of(nt("getstreamthroughput")), conn.execs);
        answers.put("getstreamthroughput", argv -> FakeConnection.fail(argv, 2, "error: Use the -d flag to quiet this"
                + " error and get the exact throughput in megabits/s\n-- StackTrace --\n"));
        Preview p = module.check(ctx(args("command", "setstreamthroughput", "throughput", 200, "throughput_unit",
                "megabits/s"), true));
        assertEquals(Preview.Change.YES, p.change());
        assertEquals("would set stream throughput to 200 megabits/s (now not a whole number of megabits/s)", p.summary());
        assertNull(p.data().get("previous"));
    }

    // ---- read-only ----

    @Test
    void compactionstats_and_netstats_registerParsedOutput() throws Exception {
        answer("compactionstats", "cassandra-5.0.7__compactionstats-major-compaction.txt");
        answer("netstats", "cassandra-5.0.7__netstats-rebuild-receiving.txt");
        Preview p = module.check(ctx(args("command", "compactionstats"), true));
        assertEquals(Preview.Change.NO, p.change());
        assertEquals(List.of(), conn.execs, "read-only: check runs nothing, apply runs it in check mode too");
        Result cs = module.apply(ctx(args("command", "compactionstats"), true));
        assertEquals("1 pending compaction task(s), 1 running", cs.msg());
        assertEquals(1L, cs.data().get("pending_tasks"));
        assertEquals(1.0, cs.data().get("throughput_mib"));
        Result ns = module.apply(ctx(args("command", "netstats"), true));
        assertEquals("mode NORMAL, 1 stream(s) in 1 plan(s)", ns.msg());
        assertEquals(true, ns.data().get("streaming"));
        assertEquals(List.of(nt("compactionstats"), nt("netstats")), conn.execs);
    }
}
