package dev.ringplan.modules.nodetool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.UpstreamChange;
import dev.ringplan.modules.FakeConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nodetool import (from staging directories or each table's own snapshot) and refresh: the argv
 * ({@code nodetool help import} of 5.0.7: {@code import [-p|--copy-data] [--] <keyspace> <table>
 * <directory>...}), which directories are passed, idempotence, and failures.
 */
class ImportCommandTest {
    @TempDir
    Path tmp;
    private final NodetoolModule module = new NodetoolModule();
    private final List<String> log = new ArrayList<>();
    private Function<List<String>, dev.ringplan.engine.connection.ExecResult> onImport;
    private FakeConnection conn;
    private Map<String, Object> vars;
    private Path data1;
    private Path data2;

    @BeforeEach
    void setUp() throws Exception {
        data1 = Files.createDirectories(tmp.resolve("data1"));
        data2 = Files.createDirectories(tmp.resolve("data2"));
        // by default nodetool import moves the files out of the directories it is given, as Cassandra does
        onImport = argv -> {
            for (String a : argv.subList(argv.indexOf("--") + 3, argv.size())) {
                try (var s = Files.list(Path.of(a))) {
                    for (Path p : s.toList()) {
                        if (!argv.contains("--copy-data")) {
                            Files.delete(p);
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return FakeConnection.ok(argv, "");
        };
        conn = new FakeConnection(argv -> FakeConnection.subcommand(argv).equals("import") ? onImport.apply(argv)
                : FakeConnection.ok(argv, ""));
        vars = new HashMap<>();
        vars.put("ansible_connection", "local");
        vars.put("listen_address", "127.0.0.1");
        vars.put("cassandra_data_dirs", List.of(data1.toString(), data2.toString()));
        vars.put("nodetool_cmd", List.of("/opt/cassandra/bin/nodetool"));
        vars.put("jmx_port", 7199);
    }

    private ModuleContext ctx(Map<String, Object> raw, boolean check, List<UpstreamChange> upstream)
            throws ModuleException {
        Args args = module.argSpec().validate("nodetool", raw);
        ModuleContext c = new ModuleContext("n1", args, vars, () -> conn, check, false,
                new ModuleContext.RunInfo("run1", tmp, tmp.resolve(".ringplan")), null, log::add);
        return upstream == null ? c : c.withUpstreamChanges(() -> upstream);
    }

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void sstable(Path dir, int gen) throws Exception {
        Files.createDirectories(dir);
        for (String c : List.of("Data.db", "Index.db", "TOC.txt")) {
            Files.writeString(dir.resolve("nb-" + gen + "-big-" + c), "x");
        }
    }

    private Map<String, Object> stagedArgs() {
        return args("command", "import", "tables", List.of("ks.t", "ks.u"),
                "dirs", List.of(data1 + "/.ringplan-import/T", data2 + "/.ringplan-import/T/"));
    }

    @Test
    void import_staged_oneCallPerTableWithTheDirsHoldingSstables_thenOk() throws Exception {
        sstable(data1.resolve(".ringplan-import/T/ks/t"), 1);
        sstable(data2.resolve(".ringplan-import/T/ks/t"), 2);
        Files.createDirectories(data1.resolve(".ringplan-import/T/ks/u"));  // empty: nothing for u

        Preview p = module.check(ctx(stagedArgs(), true, null));
        assertEquals(Preview.Change.YES, p.change());
        assertEquals(List.of("/opt/cassandra/bin/nodetool -h 127.0.0.1 -p 7199 import -- ks t "
                + data1 + "/.ringplan-import/T/ks/t " + data2 + "/.ringplan-import/T/ks/t"), p.commands());
        assertEquals(List.of(), conn.execs, "check runs nothing");

        Result r = module.apply(ctx(stagedArgs(), false, null));
        assertEquals(Result.Outcome.CHANGED, r.status(), r.msg());
        assertTrue(r.msg().contains("ks.t (2 SSTables from 2 directories)"), r.msg());
        assertEquals(1, conn.execs.size());
        assertEquals(2L, r.data().get("sstables"));

        assertEquals(Result.Outcome.OK, module.apply(ctx(stagedArgs(), false, null)).status(), "moved out: ok");
    }

    @Test
    void import_checkMode_stagingStillToCome_unknownWithTheCommand() throws Exception {
        UpstreamChange stage = new UpstreamChange("stage[n1]", "stage", "n1", "tar", Map.of("action", "extract"),
                Preview.Change.YES, "would restore");
        Preview p = module.check(ctx(stagedArgs(), true, List.of(stage)));
        assertEquals(Preview.Change.UNKNOWN, p.change());
        assertTrue(p.summary().startsWith("after stage[n1]: would import"), p.summary());
        assertEquals(2, p.commands().size());
        assertTrue(p.commands().get(0).endsWith("import -- ks t " + data1 + "/.ringplan-import/T/ks/t " + data2
                + "/.ringplan-import/T/ks/t"), p.commands().get(0));
    }

    @Test
    void import_refusedSstablesLeftBehind_failsNamingTheDirectory() throws Exception {
        sstable(data1.resolve(".ringplan-import/T/ks/t"), 1);
        onImport = argv -> FakeConnection.ok(argv, "");  // Cassandra kept them (e.g. failed verification)
        ModuleException e = assertThrows(ModuleException.class, () -> module.apply(ctx(stagedArgs(), false, null)));
        assertTrue(e.getMessage().contains("left SSTables in " + data1 + "/.ringplan-import/T/ks/t"), e.getMessage());

        onImport = argv -> FakeConnection.fail(argv, 1, "Some directories failed to import, check server logs for"
                + " details:\n" + data1);
        e = assertThrows(ModuleException.class, () -> module.apply(ctx(stagedArgs(), false, null)));
        assertTrue(e.getMessage().contains("nodetool import of ks.t failed (exit status 1): Some directories failed to"
                + " import, check server logs for details: " + data1), e.getMessage());
    }

    @Test
    void import_fromSnapshot_copiesFromTheIncarnationThatTookIt() throws Exception {
        String live = "t-" + "ab".repeat(16);
        String dropped = "t-" + "cd".repeat(16);
        sstable(data1.resolve("ks").resolve(live).resolve("snapshots/pre-1"), 3);
        sstable(data2.resolve("ks").resolve(live).resolve("snapshots/pre-1"), 4);
        sstable(data1.resolve("ks").resolve(dropped).resolve("snapshots/dropped-9-t"), 1);
        Map<String, Object> a = args("command", "import", "tables", List.of("ks.t"), "tag", "pre-1");
        Result r = module.apply(ctx(a, false, null));
        assertEquals(Result.Outcome.CHANGED, r.status(), r.msg());
        assertEquals(List.of("/opt/cassandra/bin/nodetool", "-h", "127.0.0.1", "-p", "7199", "import", "--copy-data",
                "--", "ks", "t", data1 + "/ks/" + live + "/snapshots/pre-1", data2 + "/ks/" + live + "/snapshots/pre-1"),
                conn.execs.get(0));
        assertTrue(Files.exists(data1.resolve("ks").resolve(live).resolve("snapshots/pre-1/nb-3-big-Data.db")),
                "the snapshot stays whole");
    }

    @Test
    void import_argumentRules() throws Exception {
        ModuleException e = assertThrows(ModuleException.class,
                () -> module.check(ctx(args("command", "import", "tables", List.of("ks.t")), true, null)));
        assertTrue(e.getMessage().contains("exactly one of dirs"), e.getMessage());
        e = assertThrows(ModuleException.class, () -> module.check(ctx(args("command", "import", "tables",
                List.of("ks.t"), "dirs", List.of("relative/dir")), true, null)));
        assertTrue(e.getMessage().contains("must be an absolute path"), e.getMessage());
        assertThrows(ModuleException.class, () -> ctx(args("command", "import", "dirs", List.of("/x")), true, null));
    }

    @Test
    void refresh_oneCallPerTable() throws Exception {
        Result r = module.apply(ctx(args("command", "refresh", "tables", List.of("ks.t", "ks2.u")), false, null));
        assertEquals(Result.Outcome.CHANGED, r.status());
        assertEquals(List.of("refresh", "--", "ks", "t"), conn.execs.get(0).subList(5, 9));
        assertEquals(List.of("refresh", "--", "ks2", "u"), conn.execs.get(1).subList(5, 9));
    }
}
