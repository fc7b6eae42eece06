package dev.ringplan.modules.tar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.inventory.Inventory;
import dev.ringplan.engine.inventory.InventoryParser;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.modules.CassandraHost;
import dev.ringplan.modules.fsclear.FsClearModule;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One inventory, one meaning: {@code cassandra_data_dirs} written as a comma-separated string
 * gives tar and fs_clear the same two data directories (tar used to split the string and
 * fs_clear did not, so fs_clear refused a path under the second directory as undeclared).
 */
class SameDataDirsTest {
    @TempDir
    Path tmp;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void commaSeparatedDataDirs_tarAndFsClearSeeTheSameDirectories() throws Exception {
        FakeNode node = new FakeNode(tmp.resolve("node"));
        Path commitlog = Files.createDirectories(tmp.resolve("node/commitlog"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        String yaml = """
                all:
                  hosts:
                    n1:
                      ansible_connection: local
                      cassandra_data_dirs: "%s, %s"
                      cassandra_commitlog_dir: %s
                      cassandra_hints_dir: %s
                      cassandra_saved_caches_dir: %s
                      cassandra_pid_file: %s
                      jmx_port: %d
                      cql_port: %d
                """.formatted(node.data1, node.data2, commitlog, tmp.resolve("node/hints"),
                tmp.resolve("node/saved_caches"), tmp.resolve("node/cassandra.pid"), freePort(), freePort());
        Inventory inv = InventoryParser.parse("inv.yaml", yaml);
        Map<String, Object> vars = inv.hostVars("n1");
        CountingConnection conn = new CountingConnection("n1");

        TarModule tar = new TarModule();
        ModuleContext tc = Contexts.of(tar, Map.of("snapshot", FakeNode.TAG, "dest", "backups"), vars, conn, true, work);
        Preview tp = tar.check(tc);
        assertEquals(Preview.Change.YES, tp.change(), tp.summary());
        Map<String, Object> asList = new java.util.LinkedHashMap<>(vars);
        asList.put("cassandra_data_dirs", List.of(node.data1.toString(), node.data2.toString()));
        Map<String, Object> firstOnly = new java.util.LinkedHashMap<>(vars);
        firstOnly.put("cassandra_data_dirs", List.of(node.data1.toString()));
        Object listFiles = tar.check(Contexts.of(tar, Map.of("snapshot", FakeNode.TAG, "dest", "backups"), asList, conn,
                true, work)).data().get("files");
        Object firstFiles = tar.check(Contexts.of(tar, Map.of("snapshot", FakeNode.TAG, "dest", "backups"), firstOnly, conn,
                true, work)).data().get("files");
        assertEquals(listFiles, tp.data().get("files"), "tar: the string means the same as the YAML list");
        assertTrue(((Number) firstFiles).intValue() < ((Number) listFiles).intValue(), "the second directory counts");

        FsClearModule fs = new FsClearModule();
        for (Path dir : List.of(node.data1, node.data2)) {
            Preview fp = fs.check(Contexts.of(fs, Map.of("path", dir.resolve("ks1").toString()), vars, conn, true, work));
            assertEquals(Preview.Change.YES, fp.change(), "fs_clear accepts " + dir + " as a declared data directory: "
                    + fp.summary());
        }
        assertEquals(List.of(node.data1.toString(), node.data2.toString()), CassandraHost.of("n1", vars).dataDirs());
    }
}
