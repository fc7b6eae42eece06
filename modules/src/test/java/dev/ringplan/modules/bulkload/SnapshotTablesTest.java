package dev.ringplan.modules.bulkload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ringplan.modules.tar.SnapshotScanner;
import dev.ringplan.modules.testing.CountingConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On snapshot directories laid out as Cassandra 5.0.7 writes them, found by the real SnapshotScanner. */
class SnapshotTablesTest {
    @TempDir
    Path root;

    private void sstable(Path dataDir, String ks, String tableDir, String tag, String... names) throws Exception {
        Path snap = Files.createDirectories(dataDir.resolve(ks).resolve(tableDir).resolve("snapshots").resolve(tag));
        for (String n : names) {
            Files.writeString(snap.resolve(n), n);
        }
    }

    private List<SnapshotTables.TableFiles> scan(List<String> keyspaces, List<String> tables, Path... dirs)
            throws Exception {
        List<String> dataDirs = java.util.Arrays.stream(dirs).map(Path::toString).toList();
        return SnapshotTables.group(new SnapshotScanner(new CountingConnection("n1")).scan(dataDirs, "m", List.of())
                .files(), keyspaces, tables);
    }

    @Test
    void group_default_nonSystemTablesWithoutManifestSchemaOrIndexes() throws Exception {
        Path d = root.resolve("data1");
        sstable(d, "shop", "orders-0123456789abcdef0123456789abcdef", "m", "nb-1-big-Data.db", "nb-1-big-TOC.txt",
                "manifest.json", "schema.cql");
        Files.createDirectories(d.resolve("shop/orders-0123456789abcdef0123456789abcdef/snapshots/m/.by_user"));
        Files.writeString(d.resolve("shop/orders-0123456789abcdef0123456789abcdef/snapshots/m/.by_user/nb-1-big-Data.db"), "i");
        sstable(d, "system_schema", "tables-afddfb9dbc1e30688056eed6c302ba09", "m", "nb-1-big-Data.db");
        sstable(d, "shop", "products-11111111111111111111111111111111", "other", "nb-1-big-Data.db");

        List<SnapshotTables.TableFiles> t = scan(List.of(), List.of(), d);

        assertEquals(1, t.size(), t.toString());
        assertEquals("shop.orders", t.get(0).qualified());
        assertEquals(List.of(d + "/shop/orders-0123456789abcdef0123456789abcdef/snapshots/m/nb-1-big-Data.db",
                d + "/shop/orders-0123456789abcdef0123456789abcdef/snapshots/m/nb-1-big-TOC.txt"), t.get(0).files());
        assertEquals("nb-1-big-Data.db".length() + "nb-1-big-TOC.txt".length(), t.get(0).bytes());
    }

    @Test
    void group_keyspacesAndTables_unionPerDataDirectory() throws Exception {
        Path d1 = root.resolve("data1");
        Path d2 = root.resolve("data2");
        sstable(d1, "demo", "users-aa", "m", "nb-1-big-Data.db");
        sstable(d2, "demo", "users-aa", "m", "nb-2-big-Data.db");
        sstable(d1, "shop", "orders-bb", "m", "nb-1-big-Data.db");
        sstable(d1, "shop", "products-cc", "m", "nb-1-big-Data.db");
        sstable(d1, "system", "local-dd", "m", "nb-1-big-Data.db");

        List<SnapshotTables.TableFiles> t = scan(List.of("demo"), List.of("shop.orders", "system.local"), d1, d2);

        assertEquals(List.of("demo.users@0", "demo.users@1", "shop.orders@0", "system.local@0"),
                t.stream().map(x -> x.qualified() + "@" + x.dataDirIndex()).toList());
    }

    @Test
    void fingerprint_changesWithTheSnapshotsFiles() throws Exception {
        Path d1 = root.resolve("a");
        Path d2 = root.resolve("b");
        Path d3 = root.resolve("c");
        sstable(d1, "ks", "t-aa", "m", "nb-1-big-Data.db");
        sstable(d2, "ks", "t-bb", "m", "nb-1-big-Data.db");
        sstable(d3, "ks", "t-aa", "m", "nb-2-big-Data.db");

        String a = scan(List.of(), List.of(), d1).get(0).fingerprint();

        assertEquals(a, scan(List.of(), List.of(), d2).get(0).fingerprint(), "same names and sizes");
        assertNotEquals(a, scan(List.of(), List.of(), d3).get(0).fingerprint(), "another generation");
    }

    @Test
    void tableName_withoutId() {
        assertEquals("users", SnapshotTables.tableName("users-0123456789abcdef0123456789abcdef"));
        assertEquals("legacy", SnapshotTables.tableName("legacy"));
    }
}
