package dev.ringplan.modules.bulkload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.UpstreamChange;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code bulkload} decides before it reaches the target cluster. Loading itself, the schema
 * check and the record's effect on a second run are proven on real sandbox clusters (BulkloadIT in
 * cli/); staging and the loader's output in {@link NodeLoaderTest}.
 */
class BulkloadModuleTest {
    private final BulkloadModule module = new BulkloadModule();
    private final CountingConnection conn = new CountingConnection("n1");

    @TempDir
    Path root;

    private Map<String, Object> vars() {
        return Map.of("cassandra_data_dirs", root.resolve("data").toString(), "sstableloader_cmd", List.of("false"));
    }

    private ModuleContext ctx(Map<String, Object> args, boolean check) throws ModuleException {
        Map<String, Object> a = new LinkedHashMap<>(Map.of("snapshot", "m", "targets", List.of("127.0.0.1")));
        a.putAll(args);
        return Contexts.of(module, a, vars(), conn, check, root.resolve("work"));
    }

    @Test
    void check_afterUpstreamSnapshotOfTheTag_changedWithoutReadingTheTarget() throws Exception {
        Files.createDirectories(root.resolve("data"));
        UpstreamChange snap = new UpstreamChange("snap[n1]", "snap", "n1", "nodetool",
                Map.of("command", "snapshot", "tag", "m"), Preview.Change.YES, "would snapshot");
        ModuleContext ctx = ctx(Map.of(), true).withUpstreamChanges(() -> List.of(snap));

        Preview p = module.check(ctx);

        assertEquals(Preview.Change.YES, p.change());
        assertTrue(p.summary().startsWith("after snap[n1] takes snapshot 'm'"), p.summary());
        assertEquals(List.of(), p.commands());
        assertNull(p.data().get("target_cluster"));
        assertEquals(module.returns().keys().stream().map(k -> k.name()).sorted().toList(),
                p.data().keySet().stream().sorted().toList());
        assertEquals(0, conn.execCalls.get(), "check runs nothing");
        assertFalse(Files.exists(root.resolve(".ringplan")), "no record written");
    }

    @Test
    void check_noSnapshot_failsNamingTagHostAndDirectories() throws Exception {
        Files.createDirectories(root.resolve("data/ks/t-aa/snapshots/other"));

        ModuleException e = assertThrows(ModuleException.class, () -> module.check(ctx(Map.of("keyspaces", "ks"), false)));

        assertEquals("bulkload: no snapshot 'm' on n1 under [" + root.resolve("data") + "] for [ks]", e.getMessage());
    }

    @Test
    void check_targetUnreachable_failsNamingTargetsAndPort() throws Exception {
        Path snap = Files.createDirectories(root.resolve("data/ks/t-aa/snapshots/m"));
        Files.writeString(snap.resolve("nb-1-big-Data.db"), "d");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        int port = closed;

        ModuleException e = assertThrows(ModuleException.class, () -> module.check(ctx(Map.of("port", port), true)));

        assertTrue(e.getMessage().startsWith("bulkload: cannot read the target cluster [127.0.0.1] on port " + port),
                e.getMessage());
        assertEquals(0, conn.execCalls.get());
    }

    @Test
    void check_failureMessages_neverHoldThePassword() throws Exception {
        Path snap = Files.createDirectories(root.resolve("data/ks/t-aa/snapshots/m"));
        Files.writeString(snap.resolve("nb-1-big-Data.db"), "d");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Map<String, Object> auth = Map.of("port", closed, "username", "loader", "password", "pw-4f9a2c");

        ModuleException e = assertThrows(ModuleException.class, () -> module.check(ctx(auth, true)));

        assertFalse(e.getMessage().contains("pw-4f9a2c"), e.getMessage());
        assertFalse(String.valueOf(e.getCause()).contains("pw-4f9a2c"), String.valueOf(e.getCause()));
    }

    @Test
    void check_badArguments_refusedBeforeAnyRead() throws Exception {
        ModuleException table = assertThrows(ModuleException.class,
                () -> module.check(ctx(Map.of("tables", List.of("orders")), true)));
        assertEquals("bulkload: table 'orders' must be written keyspace.table", table.getMessage());
        ModuleException tag = assertThrows(ModuleException.class,
                () -> module.check(ctx(Map.of("snapshot", "../x"), true)));
        assertTrue(tag.getMessage().contains("single directory name"), tag.getMessage());
        ModuleException target = assertThrows(ModuleException.class,
                () -> module.check(ctx(Map.of("targets", List.of("--help")), true)));
        assertTrue(target.getMessage().contains("'--help'"), target.getMessage());
        assertEquals(0, conn.execCalls.get());
    }

    @Test
    void argSpec_usernameWithoutPassword_refused() {
        ModuleException e = assertThrows(ModuleException.class, () -> ctx(Map.of("username", "loader"), true));

        assertTrue(e.getMessage().contains("password"), e.getMessage());
    }
}
