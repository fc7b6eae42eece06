package dev.ringplan.modules.tar;

import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Hand-run throughput measurement of {@code tar action: extract} (not a test; bench/restore.sh
 * runs it beside GNU tar and writes modules/bench/RESTORE.md). Usage:
 * {@code RestoreBench <data_dir> <tag> <work_dir> <mode: archive|extract> [src]}: {@code archive}
 * writes a zstd-1 archive and manifest of the snapshot to {@code <work_dir>/archive/} and prints
 * the manifest's path; {@code extract} restores {@code src} (a manifest) into a fresh data
 * directory {@code <work_dir>/restore/} (every file's SHA-256 checked in staging, then moved
 * into place) and prints {@code seconds bytes}.
 */
public final class RestoreBench {
    private RestoreBench() {
    }

    /** Runs one step; see the class doc. */
    public static void main(String[] a) throws Exception {
        TarModule tar = new TarModule();
        CountingConnection conn = new CountingConnection("bench");
        Path work = Path.of(a[2]);
        // Ports nothing listens on: the "node is running" guard must not see an unrelated process.
        Map<String, Object> vars = new LinkedHashMap<>(Map.of("jmx_port", 9, "cql_port", 9));
        if (a[3].equals("archive")) {
            Path dest = Files.createDirectories(work.resolve("archive"));
            Map<String, Object> args = Map.of("snapshot", a[1], "dest", dest.toString(), "name", "bench",
                    "compression", "zstd");
            vars.put("cassandra_data_dirs", List.of(a[0]));
            Result r = tar.apply(Contexts.of(tar, args, vars, conn, false, dest));
            System.out.println(r.data().get("manifest"));
            return;
        }
        Path target = work.resolve("restore");
        if (Files.exists(target)) {
            try (Stream<Path> s = Files.walk(target)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(target);
        vars.put("cassandra_data_dirs", List.of(target.toString()));
        vars.put("cassandra_commitlog_dir", work.resolve("commitlog").toString());
        Map<String, Object> args = Map.of("action", "extract", "src", a[4], "create_missing", true);
        long t0 = System.nanoTime();
        Result r = tar.apply(Contexts.of(tar, args, vars, conn, false, work));
        double s = (System.nanoTime() - t0) / 1e9;
        if (r.status() == Result.Outcome.FAILED) {
            throw new IllegalStateException(r.msg());
        }
        System.out.printf(java.util.Locale.ROOT, "%.3f %s%n", s, r.data().get("bytes"));
    }
}
