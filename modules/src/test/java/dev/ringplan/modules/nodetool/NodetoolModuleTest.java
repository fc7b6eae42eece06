package dev.ringplan.modules.nodetool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.ModuleRegistry;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.UpstreamChange;
import dev.ringplan.modules.FakeConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodetoolModuleTest {
    private static final Set<String> MUTATING = Set.of("flush", "snapshot", "clearsnapshot", "drain", "repair");

    @TempDir
    Path tmp;
    private Path data;
    private final NodetoolModule module = new NodetoolModule();
    private final Map<String, ExecResult> answers = new HashMap<>();
    private FakeConnection conn;
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        data = tmp.resolve("data");
        Files.createDirectories(data.resolve("ks1/t1-0123456789abcdef0123456789abcdef/snapshots/nightly"));
        Files.createDirectories(data.resolve("ks1/t2-fedcba9876543210fedcba9876543210/snapshots"));
        Files.createDirectories(data.resolve("ks2/t3-00000000000000000000000000000003"));
        Files.createDirectories(data.resolve("system/local-7ad54392bcdd35a684174e047860b377/snapshots/old"));
        conn = new FakeConnection(argv -> {
            ExecResult r = answers.get(FakeConnection.subcommand(argv));
            return r == null ? FakeConnection.ok(argv, "") : new ExecResult(argv, r.exitStatus(), r.stdout(),
                    r.stderr(), 1);
        });
    }

    private Map<String, Object> hostVars() {
        Map<String, Object> v = new HashMap<>();
        v.put("ansible_connection", "local");
        v.put("listen_address", "127.0.0.1");
        v.put("cassandra_data_dirs", List.of(data.toString()));
        v.put("nodetool_cmd", List.of("/opt/cassandra/bin/nodetool"));
        v.put("jmx_port", 7299);
        return v;
    }

    private ModuleContext ctx(Map<String, Object> raw, boolean check) throws ModuleException {
        return ctx(raw, check, hostVars());
    }

    private ModuleContext ctx(Map<String, Object> raw, boolean check, Map<String, Object> vars) throws ModuleException {
        Args args = module.argSpec().validate("nodetool", raw);
        return new ModuleContext("n1", args, vars, () -> conn, check, false,
                new ModuleContext.RunInfo("run1", tmp, tmp.resolve(".ringplan")), null, log::add);
    }

    private static List<String> nt(String... args) {
        List<String> l = new ArrayList<>(List.of("/opt/cassandra/bin/nodetool", "-h", "127.0.0.1", "-p", "7299"));
        l.addAll(List.of(args));
        return l;
    }

    private void assertNoMutation() {
        for (List<String> argv : conn.execs) {
            assertFalse(MUTATING.contains(FakeConnection.subcommand(argv)), "mutating command ran: " + argv);
        }
        assertEquals(List.of(), conn.mutations);
    }

    // ---- declaration ----

    @Test
    void registry_findsNodetoolThroughServiceLoader() {
        Module m = ModuleRegistry.load().find("nodetool").orElseThrow();
        assertEquals(NodetoolModule.class, m.getClass());
        assertEquals("command", m.argSpec().freeForm());
    }

    @Test
    void doc_namesEveryCommandAndReturnKey() {
        String all = module.doc().summary() + module.doc().description();
        for (String c : List.of("flush", "snapshot", "clearsnapshot", "listsnapshots", "status", "ring",
                "describecluster", "info", "drain", "repair", "rebuild", "removenode", "decommission", "cleanup",
                "compactionstats", "setstreamthroughput", "netstats")) {
            assertTrue(all.contains(c), c);
        }
        assertTrue(module.returns().keys().stream().anyMatch(k -> k.name().equals("tokens_by_address")
                && k.only().equals(Map.of("command", List.of("ring")))));
        assertTrue(module.doc().examples().contains("nodetool: flush"));
    }

    @Test
    void isReadOnly_onlyForReadingCommands() throws Exception {
        for (String c : List.of("status", "ring", "describecluster", "listsnapshots", "info")) {
            assertTrue(module.isReadOnly(ctx(Map.of("command", c), false).args()), c);
        }
        for (String c : MUTATING) {
            Map<String, Object> raw = c.equals("clearsnapshot") ? Map.of("command", c, "all", true) : Map.of("command", c);
            assertFalse(module.isReadOnly(ctx(raw, false).args()), c);
        }
    }

    @Test
    void validate_unknownCommand_rejected() {
        ModuleException e = assertThrows(ModuleException.class,
                () -> module.argSpec().validate("nodetool", Map.of("command", "move")));
        assertTrue(e.getMessage().contains("must be one of"), e.getMessage());
    }

    @Test
    void check_argumentNotForCommand_rejected() {
        ModuleException e = assertThrows(ModuleException.class,
                () -> module.check(ctx(Map.of("command", "status", "tag", "x"), true)));
        assertEquals("nodetool: argument 'tag' is only for command snapshot, clearsnapshot, import (command is status)",
                e.getMessage());
        e = assertThrows(ModuleException.class, () -> module.check(ctx(Map.of("command", "drain", "all", true), true)));
        assertEquals("nodetool: argument 'all' is only for command clearsnapshot (command is drain)", e.getMessage());
        assertEquals(List.of(), module.argSpec().checkStatic(Map.of("command", "status", "keyspaces", "ks1")));
    }

    // ---- read-only commands ----

    @Test
    void status_inCheckMode_parsesAndFindsThisNode() throws Exception {
        answers.put("status", FakeConnection.ok(null, Fixtures.read("cassandra-5.0.7__status.txt")));
        ModuleContext c = ctx(Map.of("command", "status"), true);
        Preview p = module.check(c);
        assertEquals(Preview.Change.NO, p.change());
        assertEquals(List.of("/opt/cassandra/bin/nodetool -h 127.0.0.1 -p 7299 status"), p.commands());
        assertEquals(List.of(), conn.execs, "check runs nothing for read-only commands");
        Result r = module.apply(c.withPreview(p));
        assertEquals(Result.Outcome.OK, r.status());
        assertEquals(List.of(nt("status")), conn.execs);
        assertEquals(nt("status"), r.data().get("cmd"));
        assertEquals(0L, r.data().get("rc"));
        assertTrue(((String) r.data().get("stdout")).contains("Datacenter: datacenter1"));
        assertEquals(List.of("datacenter1"), r.data().get("datacenters"));
        assertEquals(2, ((List<?>) r.data().get("nodes")).size());
        @SuppressWarnings("unchecked")
        Map<String, Object> me = (Map<String, Object>) r.data().get("node");
        assertEquals("c3468d5d-c5b9-4ff3-a31f-9ce30fa4c605", me.get("host_id"));
        assertEquals("UN", me.get("code"));
        assertEquals("2 nodes in 1 datacenter(s), 2 UN", r.msg());
        assertPlain(r.data());
        assertNoMutation();
    }

    @Test
    void status_withKeyspace_passesIt() throws Exception {
        answers.put("status", FakeConnection.ok(null, Fixtures.read("cassandra-5.0.7__status.txt")));
        module.apply(ctx(Map.of("command", "status", "keyspaces", "ks1"), false));
        assertEquals(List.of(nt("status", "ks1")), conn.execs);
    }

    @Test
    void ring_registersTokensOfThisHost() throws Exception {
        answers.put("ring", FakeConnection.ok(null, Fixtures.read("cassandra-5.0.7__ring.txt")));
        Result r = module.apply(ctx(Map.of("command", "ring"), true));
        @SuppressWarnings("unchecked")
        List<String> tokens = (List<String>) r.data().get("tokens");
        assertEquals(16, tokens.size());
        assertEquals("-8931506599953192644", tokens.get(0));
        @SuppressWarnings("unchecked")
        Map<String, List<String>> by = (Map<String, List<String>>) r.data().get("tokens_by_address");
        assertEquals(Set.of("127.0.0.1", "127.0.0.2"), by.keySet());
        assertEquals("8598971318786632289", by.get("127.0.0.2").get(15));
        assertPlain(r.data());
    }

    @Test
    void ring_hostNotInRing_emptyTokens() throws Exception {
        answers.put("ring", FakeConnection.ok(null, Fixtures.read("cassandra-5.0.7__ring.txt")));
        Map<String, Object> vars = hostVars();
        vars.put("listen_address", "10.1.1.1");
        Result r = module.apply(ctx(Map.of("command", "ring"), true, vars));
        assertEquals(List.of(), r.data().get("tokens"));
    }

    @Test
    void describecluster_listsnapshots_info_parsed() throws Exception {
        answers.put("describecluster", FakeConnection.ok(null, Fixtures.read("cassandra-5.0.7__describecluster.txt")));
        answers.put("listsnapshots", FakeConnection.ok(null, Fixtures.read("apache-cassandra__listsnapshots-4.x-docs.txt")));
        answers.put("info", FakeConnection.ok(null, Fixtures.read("datastax-labs-Montecristo__info-3.x-single-token-diag.txt")));
        Result d = module.apply(ctx(Map.of("command", "describecluster"), true));
        assertEquals("feas", d.data().get("name"));
        assertEquals(true, d.data().get("schema_agreement"));
        Result l = module.apply(ctx(Map.of("command", "listsnapshots"), true));
        assertEquals(List.of("catalog-ks", "magazine", "multi-ks", "multi-table", "multi-table-2"), l.data().get("names"));
        assertEquals(9, ((List<?>) l.data().get("snapshots")).size());
        Result i = module.apply(ctx(Map.of("command", "info"), true));
        assertEquals("19427ed3-3637-46aa-a05c-e54f36bcdfdb", i.data().get("id"));
        assertEquals(1L, i.data().get("token_count"));
        assertPlain(d.data());
        assertPlain(l.data());
        assertPlain(i.data());
        assertEquals(List.of(nt("describecluster"), nt("listsnapshots"), nt("info")), conn.execs);
    }

    @Test
    void status_unparsableOutput_failsWithLine() {
        answers.put("status", FakeConnection.ok(null, "something else entirely\n"));
        ModuleException e = assertThrows(ModuleException.class, () -> module.apply(ctx(Map.of("command", "status"), true)));
        assertTrue(e.getMessage().startsWith("n1: nodetool status output has no 'Datacenter:' section"), e.getMessage());
    }

    @Test
    void nonZeroExit_failsWithNodetoolErrorLine() {
        answers.put("flush", FakeConnection.fail(null, 1, "error: Keyspace [nope] does not exist.\n-- StackTrace --\n"
                + "java.lang.IllegalArgumentException: Keyspace [nope] does not exist.\n\tat org.apache.cassandra.X.y(X.java:1)\n"));
        ModuleException e = assertThrows(ModuleException.class,
                () -> module.apply(ctx(Map.of("command", "flush", "keyspaces", "nope"), false)));
        assertEquals("n1: nodetool flush failed (exit status 1): error: Keyspace [nope] does not exist.", e.getMessage());
    }

    @Test
    void nonZeroExit_plainStderr_lastLine() {
        answers.put("info", FakeConnection.fail(null, 2, "first\nlast line here\n"));
        ModuleException e = assertThrows(ModuleException.class, () -> module.apply(ctx(Map.of("command", "info"), true)));
        assertTrue(e.getMessage().endsWith("(exit status 2): last line here"), e.getMessage());
    }

    // ---- flush / drain / repair ----

    @Test
    void flush_checkChanged_applyChanged() throws Exception {
        ModuleContext c = ctx(Map.of("command", "flush", "tables", List.of("ks1.t1", "ks1.t2")), true);
        Preview p = module.check(c);
        assertEquals(Preview.Change.YES, p.change(), "not idempotent: changed on every run, so the preview says so");
        assertTrue(p.summary().startsWith("would run nodetool flush"), p.summary());
        assertEquals(List.of("/opt/cassandra/bin/nodetool -h 127.0.0.1 -p 7299 flush ks1 t1 t2"), p.commands());
        assertEquals(List.of(), conn.execs);
        Result r = module.apply(c.withPreview(p));
        assertTrue(r.changed());
        assertEquals(List.of(nt("flush", "ks1", "t1", "t2")), conn.execs);
        assertEquals(nt("flush", "ks1", "t1", "t2"), r.data().get("cmd"));
        assertEquals(0L, r.data().get("rc"));
        assertEquals("", r.data().get("stdout"));
    }

    @Test
    void flush_twoKeyspaces_oneCallEach() throws Exception {
        ModuleContext c = ctx(Map.of("command", "flush", "keyspaces", List.of("ks2", "ks1")), false);
        Preview p = module.check(c);
        assertEquals(Preview.Change.YES, p.change());
        assertEquals(List.of("/opt/cassandra/bin/nodetool -h 127.0.0.1 -p 7299 flush ks2",
                "/opt/cassandra/bin/nodetool -h 127.0.0.1 -p 7299 flush ks1"), p.commands());
        assertEquals(List.of(), conn.execs);
        Result r = module.apply(c.withPreview(p));
        assertTrue(r.changed());
        assertEquals(List.of(nt("flush", "ks2"), nt("flush", "ks1")), conn.execs);
        assertEquals(List.of(nt("flush", "ks2"), nt("flush", "ks1")), r.data().get("cmds"));
        assertEquals(List.of("ks2", "ks1"), r.data().get("keyspaces"));
        assertEquals(p.commands(), r.commands());
        assertPlain(r.data());
    }

    @Test
    void flush_tablesOfTwoKeyspaces_groupedPerKeyspace() throws Exception {
        module.apply(ctx(Map.of("command", "flush", "keyspaces", List.of("ks1", "ks3"),
                "tables", List.of("ks2.t3", "ks1.t1", "ks2.t4")), false));
        assertEquals(List.of(nt("flush", "ks1", "t1"), nt("flush", "ks3"), nt("flush", "ks2", "t3", "t4")), conn.execs);
    }

    @Test
    void repair_severalKeyspaces_inOrderWithExtraArgs() throws Exception {
        answers.put("repair", FakeConnection.ok(null, "[2024-01-01] Repair completed\n"));
        Result r = module.apply(ctx(Map.of("command", "repair", "keyspaces", List.of("ks1", "ks2", "ks1"),
                "extra_args", List.of("-full")), false));
        assertEquals(List.of(nt("repair", "-full", "ks1"), nt("repair", "-full", "ks2")), conn.execs);
        assertEquals(List.of("/opt/cassandra/bin/nodetool -h 127.0.0.1 -p 7299 repair -full ks1",
                "/opt/cassandra/bin/nodetool -h 127.0.0.1 -p 7299 repair -full ks2"), r.commands());
        assertEquals("ran nodetool repair on 2 keyspaces: ks1, ks2", r.msg());
        assertEquals(nt("repair", "-full", "ks2"), r.data().get("cmd"));
        assertEquals(0L, r.data().get("rc"));
        assertEquals("[2024-01-01] Repair completed\n[2024-01-01] Repair completed\n", r.data().get("stdout"));
        assertPlain(r.data());
    }

    @Test
    void repair_severalKeyspaces_stopsAtFirstFailureNamingDoneOnes() {
        conn = new FakeConnection(argv -> argv.get(argv.size() - 1).equals("ks2")
                ? FakeConnection.fail(argv, 2, "error: Repair job has failed with the error message: boom\n")
                : FakeConnection.ok(argv, ""));
        ModuleException e = assertThrows(ModuleException.class, () -> module.apply(ctx(Map.of("command", "repair",
                "keyspaces", List.of("ks1", "ks2", "ks3")), false)));
        assertEquals("n1: nodetool repair of keyspace ks2 failed (exit status 2): error: Repair job has failed with the "
                + "error message: boom; already repaired: ks1; not run: ks3", e.getMessage());
        assertEquals(List.of(nt("repair", "ks1"), nt("repair", "ks2")), conn.execs, "ks3 must not run");
    }

    @Test
    void repair_firstKeyspaceFails_saysNoneDone() {
        answers.put("repair", FakeConnection.fail(null, 1, "error: Keyspace [nope] does not exist.\n"));
        ModuleException e = assertThrows(ModuleException.class, () -> module.apply(ctx(Map.of("command", "repair",
                "keyspaces", List.of("nope", "ks1")), false)));
        assertTrue(e.getMessage().endsWith("error: Keyspace [nope] does not exist.; already repaired: none; not run: ks1"),
                e.getMessage());
        assertEquals(List.of(nt("repair", "nope")), conn.execs);
    }

    @Test
    void repair_noKeyspaces_oneCallForAll() throws Exception {
        Result r = module.apply(ctx(Map.of("command", "repair", "extra_args", List.of("-pr")), false));
        assertEquals(List.of(nt("repair", "-pr")), conn.execs);
        assertEquals(List.of(), r.data().get("keyspaces"));
        assertEquals(List.of(nt("repair", "-pr")), r.data().get("cmds"));
    }

    @Test
    void repair_badKeyspaceName_rejectedBeforeAnyCall() {
        ModuleException e = assertThrows(ModuleException.class, () -> module.apply(ctx(Map.of("command", "repair",
                "keyspaces", List.of("ks1", "ks-2")), false)));
        assertTrue(e.getMessage().contains("keyspace 'ks-2' is not a valid keyspace name"), e.getMessage());
        assertEquals(List.of(), conn.execs);
    }

    @Test
    void check_repairSeveralKeyspaces_runsNothing() throws Exception {
        Preview p = module.check(ctx(Map.of("command", "repair", "keyspaces", List.of("ks1", "ks2")), true));
        assertEquals(2, p.commands().size());
        assertTrue(p.summary().contains("2 calls, one per keyspace: ks1, ks2"), p.summary());
        assertNoMutation();
        assertEquals(List.of(), conn.execs);
    }

    @Test
    void status_twoKeyspaces_rejected() {
        ModuleException e = assertThrows(ModuleException.class,
                () -> module.check(ctx(Map.of("command", "status", "keyspaces", List.of("a", "b")), true)));
        assertTrue(e.getMessage().contains("at most one keyspace"), e.getMessage());
    }

    @Test
    void repairAndDrain_argv() throws Exception {
        module.apply(ctx(Map.of("command", "repair", "keyspaces", "ks1", "extra_args", List.of("-pr")), false));
        module.apply(ctx(Map.of("command", "drain"), false));
        assertEquals(List.of(nt("repair", "-pr", "ks1"), nt("drain")), conn.execs);
    }

    // ---- snapshot ----

    @Test
    void snapshot_tagAbsent_checkYesWithoutRunning_applyRunsExactCommand() throws Exception {
        ModuleContext c = ctx(Map.of("command", "snapshot", "tag", "weekly", "keyspaces", List.of("ks1", "ks2")), false);
        Preview p = module.check(c);
        assertEquals(Preview.Change.YES, p.change());
        assertEquals(List.of("/opt/cassandra/bin/nodetool -h 127.0.0.1 -p 7299 snapshot -t weekly ks1 ks2"), p.commands());
        assertEquals("would snapshot ks1, ks2 with tag 'weekly'", p.summary());
        assertEquals(List.of(), conn.execs, "check reads directories, runs no nodetool");
        answers.put("snapshot", FakeConnection.ok(null, "Requested creating snapshot(s) for [ks1, ks2] with snapshot "
                + "name [weekly] and options {skipFlush=false}\nSnapshot directory: weekly\n"));
        Result r = module.apply(c.withPreview(p));
        assertTrue(r.changed());
        assertEquals(List.of(nt("snapshot", "-t", "weekly", "ks1", "ks2")), conn.execs);
        assertEquals("weekly", r.data().get("tag"));
        assertEquals(List.of("ks1", "ks2"), r.data().get("keyspaces"));
        assertEquals(false, r.data().get("existed"));
        assertEquals(0L, r.data().get("rc"));
        assertPlain(r.data());
    }

    @Test
    void snapshot_tagPresent_checkNo_applyOkWithoutRunning() throws Exception {
        ModuleContext c = ctx(Map.of("command", "snapshot", "tag", "nightly", "keyspaces", "ks1"), false);
        Preview p = module.check(c);
        assertEquals(Preview.Change.NO, p.change());
        assertEquals(List.of("ks1.t1/nightly"), p.data().get("found"));
        Result r = module.apply(c.withPreview(p));
        assertEquals(Result.Outcome.OK, r.status());
        assertEquals(true, r.data().get("existed"));
        assertNull(r.data().get("rc"));
        assertEquals(nt("snapshot", "-t", "nightly", "ks1"), r.data().get("cmd"));
        assertEquals(List.of(), conn.execs);
    }

    @Test
    void snapshot_applyWithoutPreview_checksItself() throws Exception {
        Result r = module.apply(ctx(Map.of("command", "snapshot", "tag", "nightly", "tables", "ks1.t1"), false));
        assertEquals(Result.Outcome.OK, r.status());
        assertEquals(List.of(), conn.execs);
    }

    @Test
    void snapshot_tagOnSomeKeyspacesOnly_fails() {
        ModuleException e = assertThrows(ModuleException.class, () -> module.check(
                ctx(Map.of("command", "snapshot", "tag", "nightly", "keyspaces", List.of("ks1", "ks2")), true)));
        assertTrue(e.getMessage().contains("already exists for ks1 but not for ks2"), e.getMessage());
    }

    @Test
    void snapshot_wholeNode_presentAnywhereIsNo() throws Exception {
        assertEquals(Preview.Change.NO, module.check(ctx(Map.of("command", "snapshot", "tag", "old"), true)).change());
        assertEquals(Preview.Change.YES, module.check(ctx(Map.of("command", "snapshot", "tag", "new"), true)).change());
    }

    @Test
    void snapshot_tables_useKtList() throws Exception {
        ModuleContext c = ctx(Map.of("command", "snapshot", "tag", "n2", "tables", List.of("ks1.t2", "ks2.t3")), false);
        Preview p = module.check(c);
        assertEquals(Preview.Change.YES, p.change());
        module.apply(c.withPreview(p));
        assertEquals(List.of(nt("snapshot", "-t", "n2", "--kt-list", "ks1.t2,ks2.t3")), conn.execs);
    }

    @Test
    void snapshot_tablesAndKeyspaces_rejected() {
        ModuleException e = assertThrows(ModuleException.class, () -> module.check(ctx(Map.of("command", "snapshot",
                "tag", "x", "tables", "ks1.t1", "keyspaces", "ks2"), true)));
        assertTrue(e.getMessage().contains("arguments 'keyspaces' and 'tables' are mutually exclusive for command"
                + " snapshot"), e.getMessage());
        e = assertThrows(ModuleException.class, () -> module.check(ctx(Map.of("command", "snapshot",
                "tag", "x", "tables", "t1"), true)));
        assertTrue(e.getMessage().contains("keyspace.table"), e.getMessage());
        e = assertThrows(ModuleException.class, () -> module.check(ctx(Map.of("command", "snapshot",
                "tag", "../etc"), true)));
        assertTrue(e.getMessage().contains("path separator"), e.getMessage());
    }

    @Test
    void snapshot_noTag_alwaysChanged_registersGeneratedName() throws Exception {
        ModuleContext c = ctx(Map.of("command", "snapshot", "keyspaces", "ks1"), false);
        Preview p = module.check(c);
        assertEquals(Preview.Change.YES, p.change());
        answers.put("snapshot", FakeConnection.ok(null, "Requested creating snapshot(s) for [ks1] with snapshot name "
                + "[1763895001234] and options {skipFlush=false}\nSnapshot directory: 1763895001234\n"));
        Result r = module.apply(c.withPreview(p));
        assertTrue(r.changed());
        assertEquals("1763895001234", r.data().get("tag"));
        assertEquals(List.of(nt("snapshot", "ks1")), conn.execs);
    }

    @Test
    void snapshot_noDataDir_fallsBackToListsnapshots() throws Exception {
        Map<String, Object> vars = hostVars();
        vars.put("cassandra_data_dirs", List.of(tmp.resolve("absent").toString()));
        answers.put("listsnapshots", FakeConnection.ok(null, Fixtures.read("apache-cassandra__listsnapshots-4.x-docs.txt")));
        Preview p = module.check(ctx(Map.of("command", "snapshot", "tag", "multi-ks",
                "keyspaces", List.of("cqlkeyspace", "catalogkeyspace")), true, vars));
        assertEquals(Preview.Change.NO, p.change());
        assertEquals(List.of(nt("listsnapshots")), conn.execs);
        assertTrue(log.get(0).contains("asking nodetool listsnapshots"), log.toString());
        assertNoMutation();
    }

    // ---- clearsnapshot ----

    @Test
    void clearsnapshot_absentOk_presentChanged() throws Exception {
        ModuleContext absent = ctx(Map.of("command", "clearsnapshot", "tag", "weekly"), false);
        Preview pa = module.check(absent);
        assertEquals(Preview.Change.NO, pa.change());
        Result ra = module.apply(absent.withPreview(pa));
        assertEquals(Result.Outcome.OK, ra.status());
        assertEquals(List.of(), conn.execs);

        ModuleContext present = ctx(Map.of("command", "clearsnapshot", "tag", "nightly"), false);
        Preview pp = module.check(present);
        assertEquals(Preview.Change.YES, pp.change());
        assertEquals(List.of("/opt/cassandra/bin/nodetool -h 127.0.0.1 -p 7299 clearsnapshot -t nightly"), pp.commands());
        assertEquals(List.of(), conn.execs);
        Result rp = module.apply(present.withPreview(pp));
        assertTrue(rp.changed());
        assertEquals(List.of(nt("clearsnapshot", "-t", "nightly")), conn.execs);
        assertEquals(List.of("ks1.t1/nightly"), rp.data().get("found"));
        assertEquals("nightly", rp.data().get("tag"));
        assertEquals(false, rp.data().get("all"));
    }

    private static UpstreamChange upstream(String task, String host, Map<String, Object> args) {
        return new UpstreamChange(task + "[" + host + "]", task, host, "nodetool", args, Preview.Change.YES, "would " + task);
    }

    @Test
    void clearsnapshot_afterUpstreamSnapshotOfTheTag_checkChanged() throws Exception {
        // backup.yaml's dry run: the snapshot does not exist yet, but snapshot[n1] would take it first.
        ModuleContext c = ctx(Map.of("command", "clearsnapshot", "tag", "weekly"), true).withUpstreamChanges(() -> List.of(
                upstream("archive", "n1", Map.of("snapshot", "weekly")),
                upstream("snapshot", "n1", Map.of("command", "snapshot", "tag", "weekly", "keyspaces", List.of()))));
        Preview p = module.check(c);
        assertEquals(Preview.Change.YES, p.change(), p.summary());
        assertEquals("after snapshot[n1] takes it: would clear snapshot 'weekly'", p.summary());
        assertEquals(List.of("/opt/cassandra/bin/nodetool -h 127.0.0.1 -p 7299 clearsnapshot -t weekly"), p.commands());
        assertNoMutation();
    }

    @Test
    void clearsnapshot_upstreamSnapshotElsewhere_staysOkForTheEngine() throws Exception {
        Map<String, Object> clear = Map.of("command", "clearsnapshot", "tag", "weekly", "keyspaces", List.of("ks2"));
        for (UpstreamChange other : List.of(
                upstream("snapshot", "n2", Map.of("command", "snapshot", "tag", "weekly")),
                upstream("snapshot", "n1", Map.of("command", "snapshot", "tag", "daily")),
                upstream("snapshot", "n1", Map.of("command", "snapshot", "tag", "weekly", "keyspaces", List.of("ks1"))),
                upstream("snapshot", "n1", Map.of("command", "snapshot", "tag", "weekly", "tables", List.of("ks1.t1"))),
                upstream("flush", "n1", Map.of("command", "flush")))) {
            Preview p = module.check(ctx(clear, true).withUpstreamChanges(() -> List.of(other)));
            assertEquals(Preview.Change.NO, p.change(), other.toString());
            assertFalse(p.considersUpstream(), "the engine's rule applies: " + other);
        }
        Preview p = module.check(ctx(clear, true).withUpstreamChanges(() -> List.of(
                upstream("snapshot", "n1", Map.of("command", "snapshot", "tag", "weekly", "tables", List.of("ks2.t3"))))));
        assertEquals(Preview.Change.YES, p.change(), "a table snapshot in the cleared keyspace");
    }

    @Test
    void snapshot_tagPresent_afterUpstreamClear_checkChanged() throws Exception {
        ModuleContext c = ctx(Map.of("command", "snapshot", "tag", "nightly", "keyspaces", List.of("ks1")), true)
                .withUpstreamChanges(() -> List.of(upstream("clear_old", "n1",
                        Map.of("command", "clearsnapshot", "tag", "nightly"))));
        Preview p = module.check(c);
        assertEquals(Preview.Change.YES, p.change());
        assertEquals("after clear_old[n1] clears it: would snapshot ks1 with tag 'nightly'", p.summary());
        assertNoMutation();
    }

    @Test
    void clearsnapshot_all_inKeyspace() throws Exception {
        Preview none = module.check(ctx(Map.of("command", "clearsnapshot", "all", true, "keyspaces", "ks2"), true));
        assertEquals(Preview.Change.NO, none.change());
        ModuleContext c = ctx(Map.of("command", "clearsnapshot", "all", "yes"), false);
        Preview p = module.check(c);
        assertEquals(Preview.Change.YES, p.change());
        assertEquals(List.of("ks1.t1/nightly", "system.local/old"), p.data().get("found"));
        module.apply(c.withPreview(p));
        assertEquals(List.of(nt("clearsnapshot", "--all")), conn.execs);
    }

    @Test
    void clearsnapshot_needsTagOrAll() {
        ModuleException e = assertThrows(ModuleException.class,
                () -> module.check(ctx(Map.of("command", "clearsnapshot"), true)));
        assertEquals("nodetool: missing argument 'tag', required when all is false (the default)", e.getMessage());
        e = assertThrows(ModuleException.class,
                () -> module.check(ctx(Map.of("command", "clearsnapshot", "tag", "a", "all", true), true)));
        assertEquals("nodetool: argument 'tag' is only for all false (all is true)", e.getMessage());
    }

    // ---- check mode never mutates ----

    @ParameterizedTest
    @ValueSource(strings = {"flush", "snapshot", "clearsnapshot", "drain", "repair"})
    void check_mutatingCommand_runsNothingMutating(String command) throws Exception {
        Map<String, Object> raw = new HashMap<>();
        raw.put("command", command);
        if (command.equals("snapshot") || command.equals("clearsnapshot")) {
            raw.put("tag", "nightly");
        }
        Preview p = module.check(ctx(raw, true));
        assertNotNull(p.summary());
        assertNoMutation();
        assertTrue(Files.isDirectory(data.resolve("ks1/t1-0123456789abcdef0123456789abcdef/snapshots/nightly")));
    }

    @Test
    void display_quotesSpecialWords() {
        assertEquals("java -cp '/opt/c/lib/*' x 'it'\"'\"'s'", NodetoolRunner.display(List.of("java", "-cp", "/opt/c/lib/*", "x",
                "it's")));
    }

    /** Registered data must be Jackson-friendly: maps with string keys, lists, strings, numbers, booleans, null. */
    private static void assertPlain(Object o) {
        if (o == null || o instanceof String || o instanceof Long || o instanceof Double || o instanceof Boolean) {
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                assertTrue(k instanceof String, "key " + k);
                assertPlain(v);
            });
            return;
        }
        if (o instanceof List<?> l) {
            l.forEach(NodetoolModuleTest::assertPlain);
            return;
        }
        throw new AssertionError("not a plain value: " + o.getClass() + " " + o);
    }
}
