package dev.ringplan.modules.tar;

import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Hand-run throughput measurement of {@link TarModule} (not a test; see modules/bench/TAR.md).
 * Usage: {@code TarBench <data_dir> <tag> <dest_dir> [compression[:level] ...]}.
 */
public final class TarBench {
    private TarBench() {
    }

    /** Archives the snapshot once per compression and prints MB/s and ratio. */
    public static void main(String[] a) throws Exception {
        TarModule tar = new TarModule();
        CountingConnection conn = new CountingConnection("bench");
        Path dest = Path.of(a[2]);
        for (int i = 3; i < a.length; i++) {
            String[] cl = a[i].split(":");
            Map<String, Object> args = new java.util.LinkedHashMap<>();
            args.put("snapshot", a[1]);
            args.put("dest", dest.toString());
            args.put("name", "bench-" + a[i].replace(':', '-'));
            args.put("compression", cl[0]);
            if (cl.length > 1) {
                args.put("level", cl[1]);
            }
            long t0 = System.nanoTime();
            Result r = tar.apply(Contexts.of(tar, args, Map.of("cassandra_data_dirs", List.of(a[0])), conn, false, dest));
            double s = (System.nanoTime() - t0) / 1e9;
            long in = (Long) r.data().get("bytes");
            long out = (Long) r.data().get("archive_bytes");
            System.out.printf("%-8s %6.2f s %7.1f MB/s  in %d  out %d  ratio %.3f%n", a[i], s, in / s / 1e6, in, out,
                    (double) out / in);
            Files.delete(Path.of((String) r.data().get("archive")));
            Files.delete(Path.of((String) r.data().get("manifest")));
        }
    }
}
