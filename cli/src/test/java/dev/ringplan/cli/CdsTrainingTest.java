package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's class-data training workload, run as the launcher runs it: its own JVM, an empty directory. */
class CdsTrainingTest {
    private static Process start(Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CdsTraining.class.getName())
                .directory(dir.toFile()).redirectErrorStream(true).start();
    }

    @Test
    void emptyDirectory_validatePlanAndRunSucceed_theRunIsJournaled(@TempDir Path dir) throws Exception {
        Process p = start(dir);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "training did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        try (Stream<Path> runs = Files.list(dir.resolve(".ringplan").resolve("runs"))) {
            List<String> names = runs.map(r -> r.getFileName().toString()).sorted().toList();
            assertEquals(2, names.size(), "plan and run journaled: " + names);
        }
        String plan = Files.readString(dir.resolve("plan.yaml"));
        assertTrue(plan.contains("command: /bin/true"), plan);
    }

    @Test
    void directoryNotEmpty_refusedWithExit2(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("keep.txt"), "mine");
        Process p = start(dir);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.exitValue(), out);
        assertTrue(out.contains("is not empty"), out);
        assertEquals("mine", Files.readString(dir.resolve("keep.txt")));
    }
}
