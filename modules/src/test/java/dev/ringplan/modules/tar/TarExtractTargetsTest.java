package dev.ringplan.modules.tar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tar extract into the directories the backup names ({@code table_dirs: backup}, a whole-node
 * restore) and into a staging directory for nodetool import ({@code target: import}): neither
 * looks for, nor writes into, a live table directory of another incarnation.
 */
class TarExtractTargetsTest {
    @TempDir
    Path tmp;
    FakeNode node;
    Path work;
    Path td1;
    Path td2;
    final TarModule tar = new TarModule();
    final CountingConnection conn = new CountingConnection("n1");

    @BeforeEach
    void setUp() throws Exception {
        node = new FakeNode(tmp.resolve("node"));
        work = Files.createDirectories(tmp.resolve("work"));
        td1 = Files.createDirectories(tmp.resolve("target/data1"));
        td2 = Files.createDirectories(tmp.resolve("target/data2"));
        Result r = tar.apply(Contexts.of(tar, Map.of("snapshot", FakeNode.TAG, "dest", "backups", "compression", "zstd"),
                node.hostVars(), conn, false, work));
        assertEquals(Result.Outcome.CHANGED, r.status());
    }

    private ModuleContext ctx(Map<String, Object> extra, boolean check) throws ModuleException {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("action", "extract");
        args.put("dest", "backups");
        args.put("name", "n1");
        args.putAll(extra);
        return Contexts.of(tar, args, Map.of("cassandra_data_dirs", List.of(td1.toString(), td2.toString())), conn,
                check, work);
    }

    private Result extract(Map<String, Object> extra) throws ModuleException {
        ModuleContext c = ctx(extra, false);
        Preview p = tar.check(c);
        if (p.change() == Preview.Change.NO) {
            return Result.ok(p.summary()).withData(p.data());
        }
        return tar.apply(c.withPreview(p));
    }

    private SnapshotManifest manifest() throws Exception {
        return SnapshotManifest.read(work.resolve("backups/n1.manifest.json"));
    }

    private static List<String> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void tableDirsBackup_everyFileAtItsBackedUpPath_otherIncarnationsUntouched() throws Exception {
        // t1 was dropped and recreated since the backup: a directory with a new id holds the live table,
        // the old one (with the backup's id) only its dropped- snapshot.
        Path newer = Files.createDirectories(td1.resolve("ks1").resolve("t1-" + "e5".repeat(16)));
        Files.writeString(newer.resolve("nb-9-big-Data.db"), "newer");
        Files.createDirectories(td1.resolve("ks1").resolve(FakeNode.T1).resolve("snapshots/dropped-1-t1"));

        Result r = extract(Map.of("table_dirs", "backup"));
        assertEquals(Result.Outcome.CHANGED, r.status(), r.msg());
        for (SnapshotManifest.FileEntry f : manifest().files()) {
            if (f.path().endsWith("/manifest.json") || f.path().endsWith("/schema.cql")) {
                continue;
            }
            Path dd = f.dataDirIndex() == 0 ? td1 : td2;
            assertTrue(Files.isRegularFile(dd.resolve(f.path())), f.path() + " in data dir " + f.dataDirIndex());
        }
        assertEquals(List.of("nb-9-big-Data.db"), files(newer), "the other incarnation is left alone");
        assertEquals(Result.Outcome.OK, extract(Map.of("table_dirs", "backup")).status(), "a second run is ok");
    }

    @Test
    void targetImport_stagesSstablesPerDataDirOutsideTableDirs_previewListsThem() throws Exception {
        Files.createDirectories(td1.resolve("ks1").resolve("t1-" + "e5".repeat(16)));
        Map<String, Object> a = Map.of("target", "import", "import_name", "t-1", "tables", List.of("ks1.t1"));
        Preview p = tar.check(ctx(a, true));
        assertEquals(Preview.Change.YES, p.change());
        String cmds = String.join("\n", p.commands());
        assertTrue(cmds.contains("stage for nodetool import") && cmds.contains(td1 + "/.ringplan-import/t-1/ks1/t1"),
                cmds);
        assertTrue(cmds.matches("(?s).*: nb-\\d+-big.*"), "the SSTables are named: " + cmds);
        assertFalse(Files.exists(td1.resolve(".ringplan-import")), "check mode writes nothing");

        Result r = extract(a);
        assertEquals(Result.Outcome.CHANGED, r.status(), r.msg());
        List<String> staged = files(td1.resolve(".ringplan-import/t-1/ks1/t1"));
        assertFalse(staged.isEmpty());
        assertTrue(staged.stream().noneMatch(f -> f.equals("manifest.json") || f.equals("schema.cql") || f.contains("/")),
                "SSTable components only: " + staged);
        assertEquals(List.of(), files(td1.resolve("ks1")), "no table directory written");
        assertEquals(Result.Outcome.OK, extract(a).status(), "staged files in place: ok");
    }

    @Test
    void targetImport_needsAUsableName() {
        ModuleException e = assertThrows(ModuleException.class,
                () -> extract(Map.of("target", "import", "import_name", "..")));
        assertTrue(e.getMessage().contains("import_name"), e.getMessage());
        e = assertThrows(ModuleException.class, () -> extract(Map.of("target", "import", "import_name", "a/b")));
        assertTrue(e.getMessage().contains("import_name"), e.getMessage());
    }
}
