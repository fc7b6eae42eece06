package dev.ringplan.modules.yamledit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.ModuleRegistry;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlEditModuleTest {
    @TempDir
    Path dir;

    private final YamlEditModule module = new YamlEditModule();
    private final CountingConnection conn = new CountingConnection("n1");

    private static final String YAML = "# Cassandra\ncluster_name: 'Test Cluster'\nnum_tokens: 256\n\n# initial_token:\n"
            + "seed_provider:\n  - class_name: org.apache.cassandra.locator.SimpleSeedProvider\n    parameters:\n"
            + "      - seeds: \"127.0.0.1:7000\"\n";

    private Path file(String content) throws Exception {
        Path f = dir.resolve("cassandra.yaml");
        Files.writeString(f, content);
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_000_000L));
        return f;
    }

    private ModuleContext ctx(Map<String, Object> args, boolean check) throws ModuleException {
        return ctx(args, check, Map.of());
    }

    private ModuleContext ctx(Map<String, Object> args, boolean check, Map<String, Object> hostVars) throws ModuleException {
        return Contexts.of(module, args, hostVars, conn, check, dir);
    }

    private static Map<String, Object> args(Path f, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", f.toString());
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> transplant() {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("cluster_name", "Clone");
        set.put("num_tokens", 16);
        set.put("initial_token", "-9223372036854775808,0");
        set.put("seed_provider[0].parameters[0].seeds", "10.0.0.1,10.0.0.2");
        return set;
    }

    @Test
    void check_wouldChange_diffAndNoWrite() throws Exception {
        Path f = file(YAML);
        byte[] before = Files.readAllBytes(f);
        Preview p = module.check(ctx(args(f, "set", transplant(), "backup", true), true));
        assertEquals(Preview.Change.YES, p.change());
        String name = f.toString().substring(1);
        assertTrue(p.diff().startsWith("--- a/" + name + "\n+++ b/" + name + "\n@@ -1,9 +1,9 @@\n"), p.diff());
        assertTrue(p.diff().contains("\n-num_tokens: 256\n") && p.diff().contains("\n+num_tokens: 16\n"), p.diff());
        assertTrue(p.diff().contains("\n-# initial_token:\n+initial_token: -9223372036854775808,0\n"), p.diff());
        assertTrue(p.diff().contains("\n+      - seeds: \"10.0.0.1,10.0.0.2\"\n"), p.diff());
        assertTrue(p.diff().contains("\n # Cassandra\n"), "3 lines of context: " + p.diff());
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(1_000_000_000_000L, Files.getLastModifiedTime(f).toMillis());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "no backup in check mode");
        }
        assertEquals(0, conn.execCalls.get());
        assertEquals(true, p.data().get("changed"));
    }

    @Test
    void apply_thenApplyAgain_changedThenOk() throws Exception {
        Path f = file(YAML);
        Result r = module.apply(ctx(args(f, "set", transplant()), false));
        assertTrue(r.changed());
        assertTrue(r.diff().contains("+cluster_name: 'Clone'"), r.diff());
        String now = Files.readString(f);
        assertEquals("# Cassandra\ncluster_name: 'Clone'\nnum_tokens: 16\n\ninitial_token: -9223372036854775808,0\n"
                + "seed_provider:\n  - class_name: org.apache.cassandra.locator.SimpleSeedProvider\n    parameters:\n"
                + "      - seeds: \"10.0.0.1,10.0.0.2\"\n", now);
        assertEquals(true, r.data().get("changed"));
        assertNull(r.data().get("backup_file"));
        assertEquals(f.toString(), r.data().get("path"));

        Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_000_000L));
        Preview p2 = module.check(ctx(args(f, "set", transplant()), true));
        assertEquals(Preview.Change.NO, p2.change());
        Result r2 = module.apply(ctx(args(f, "set", transplant()), false));
        assertEquals(Result.Outcome.OK, r2.status());
        assertEquals("", r2.data().get("diff"));
        assertEquals(1_000_000_000_000L, Files.getLastModifiedTime(f).toMillis(), "ok run does not write");
    }

    @Test
    void apply_backup_copiesOldBytes() throws Exception {
        Path f = file(YAML);
        Result r = module.apply(ctx(args(f, "set", Map.of("num_tokens", 8), "backup", true), false));
        String backup = (String) r.data().get("backup_file");
        assertTrue(backup.matches(java.util.regex.Pattern.quote(f.toString()) + "\\.\\d{8}T\\d{6}Z\\.bak"), backup);
        assertEquals(YAML, Files.readString(Path.of(backup)));
        assertTrue(Files.readString(f).contains("num_tokens: 8\n"));
    }

    @Test
    void apply_bomAndCrlf_kept() throws Exception {
        Path f = dir.resolve("bom.yaml");
        byte[] body = "a: 1\r\nb: x\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        Files.write(f, withBom);
        module.apply(ctx(args(f, "set", Map.of("b", "y", "c", 3)), false));
        byte[] out = Files.readAllBytes(f);
        assertEquals((byte) 0xEF, out[0]);
        assertEquals("a: 1\r\nb: y\r\nc: 3\r\n", new String(out, 3, out.length - 3, StandardCharsets.UTF_8));
    }

    @Test
    void apply_delete_removesKeyLines() throws Exception {
        Path f = file(YAML);
        module.apply(ctx(args(f, "delete", List.of("num_tokens")), false));
        assertFalse(Files.readString(f).contains("num_tokens"));
        assertTrue(Files.readString(f).contains("cluster_name: 'Test Cluster'\n\n# initial_token:"));
    }

    @Test
    void check_missingFile_failsUnlessCreate() throws Exception {
        Path f = dir.resolve("new.yaml");
        ModuleException e = assertThrows(ModuleException.class,
                () -> module.check(ctx(args(f, "set", Map.of("a", 1)), true)));
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("create: true"), e.getMessage());
        Result r = module.apply(ctx(args(f, "set", Map.of("a", 1), "create", true), false));
        assertTrue(r.changed());
        assertEquals("a: 1\n", Files.readString(f));
    }

    @Test
    void check_defaultPath_fromHostVar() throws Exception {
        Path f = file(YAML);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("set", Map.of("num_tokens", 256));
        Preview p = module.check(ctx(a, true, Map.of("cassandra_yaml", f.toString())));
        assertEquals(Preview.Change.NO, p.change());
        assertEquals(f.toString(), p.data().get("path"));
    }

    @Test
    void check_badArguments_clearErrors() throws Exception {
        Path f = file(YAML);
        assertEquals("yaml_edit: one of the arguments 'set', 'delete' is required",
                assertThrows(ModuleException.class, () -> module.check(ctx(args(f), true))).getMessage());
        assertTrue(assertThrows(ModuleException.class, () -> module.check(ctx(args(f, "set", Map.of()), true)))
                .getMessage().contains("nothing to do"));
        assertTrue(assertThrows(ModuleException.class, () -> module.check(ctx(args(f, "set", Map.of("a..b", 1)), true)))
                .getMessage().contains("bad path"));
        assertTrue(assertThrows(ModuleException.class, () -> module.check(ctx(args(f, "set", Map.of("cluster_name.x", 1)), true)))
                .getMessage().contains("not a mapping"));
        Map<String, Object> rel = new LinkedHashMap<>(Map.of("path", "conf/cassandra.yaml", "set", Map.of("a", 1)));
        assertTrue(assertThrows(ModuleException.class, () -> module.check(ctx(rel, true)))
                .getMessage().contains("absolute"));
        byte[] before = Files.readAllBytes(f);
        assertArrayEquals(before, Files.readAllBytes(f));
    }

    @Test
    void registry_findsModuleWithDoc() {
        ModuleRegistry reg = ModuleRegistry.load();
        assertTrue(reg.find("yaml_edit").isPresent());
        assertTrue(module.doc().description().contains("commented-out example"));
        assertTrue(module.argSpec().args().keySet().containsAll(List.of("path", "set", "delete", "backup", "create")));
    }
}
