package dev.ringplan.modules.tar;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A fake Cassandra node's data directories on disk: two data dirs (JBOD), two keyspaces, a
 * table spread over both data dirs, a secondary index folder, live SSTables and a second
 * snapshot that must not be archived.
 */
final class FakeNode {
    static final String TAG = "nightly";
    static final String T1 = "t1-5b4b6c10a3d911ef9e2b6f1e2a3b4c5d";
    static final String T2 = "t2-6c5c7d20a3d911ef9e2b6f1e2a3b4c5d";
    static final String T3 = "t3-7d6d8e30a3d911ef9e2b6f1e2a3b4c5d";

    final Path root;
    final Path data1;
    final Path data2;
    private final Random random = new Random(42);

    FakeNode(Path root) throws IOException {
        this.root = root;
        this.data1 = Files.createDirectories(root.resolve("data1"));
        this.data2 = Files.createDirectories(root.resolve("data2"));
        // ks1.t1 lives in both data dirs (JBOD); generations differ
        Path s1 = snap(data1, "ks1", T1);
        sstable(s1, 1, 1 << 20);
        text(s1.resolve("manifest.json"), "{\"files\":[\"nb-1-big-Data.db\",\"nb-2-big-Data.db\"]}\n");
        text(s1.resolve("schema.cql"), "CREATE TABLE IF NOT EXISTS ks1.t1 (id int PRIMARY KEY, v text);\n");
        Path s1b = snap(data2, "ks1", T1);
        sstable(s1b, 2, 700_000);
        // secondary index sstables in a .<index> subfolder
        Path idx = Files.createDirectories(s1b.resolve(".t1_v_idx"));
        sstable(idx, 2, 50_000);
        // ks1.t3 only in data2
        Path s3 = snap(data2, "ks1", T3);
        sstable(s3, 1, 300_000);
        text(s3.resolve("schema.cql"), "CREATE TABLE IF NOT EXISTS ks1.t3 (id int PRIMARY KEY);\n");
        // ks2.t2 in data1, with compressible data
        Path s2 = snap(data1, "ks2", T2);
        sstable(s2, 3, 900_000);
        text(s2.resolve("nb-4-big-Data.db"), "row,value,timestamp\n".repeat(40_000));
        text(s2.resolve("schema.cql"), "CREATE TABLE IF NOT EXISTS ks2.t2 (id int PRIMARY KEY);\n");
        // live files and another snapshot: not archived
        bytes(data1.resolve("ks1").resolve(T1).resolve("nb-9-big-Data.db"), 1000);
        Path other = Files.createDirectories(data1.resolve("ks2").resolve(T2).resolve("snapshots").resolve("other"));
        bytes(other.resolve("nb-3-big-Data.db"), 1000);
        // a stray file at keyspace level is not a keyspace
        text(data1.resolve("stray.txt"), "not a keyspace\n");
    }

    /** Host vars pointing at the two data dirs. */
    Map<String, Object> hostVars() {
        return Map.of("cassandra_data_dirs", List.of(data1.toString(), data2.toString()),
                "listen_address", "127.0.0.2", "cassandra_version", "5.0.7");
    }

    Path snap(Path dataDir, String ks, String table) throws IOException {
        return Files.createDirectories(dataDir.resolve(ks).resolve(table).resolve("snapshots").resolve(TAG));
    }

    void sstable(Path dir, int gen, int dataSize) throws IOException {
        bytes(dir.resolve("nb-" + gen + "-big-Data.db"), dataSize);
        bytes(dir.resolve("nb-" + gen + "-big-Index.db"), dataSize / 10);
        bytes(dir.resolve("nb-" + gen + "-big-Statistics.db"), 4000);
        text(dir.resolve("nb-" + gen + "-big-TOC.txt"), "Data.db\nIndex.db\nStatistics.db\nTOC.txt\n");
    }

    void bytes(Path p, int n) throws IOException {
        byte[] b = new byte[n];
        random.nextBytes(b);
        Files.write(p, b);
    }

    static void text(Path p, String s) throws IOException {
        Files.writeString(p, s, StandardCharsets.UTF_8);
    }
}
