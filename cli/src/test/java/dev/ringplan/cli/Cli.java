package dev.ringplan.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real CLI ({@code dev.ringplan.cli.Ringplan#main}, what {@code ./ringplan} runs) as
 * its own process in the repository root, as a user would, and captures exit code and output.
 */
final class Cli {
    /** The repository root (parent of the cli module). */
    static final Path ROOT = findRoot();

    private Cli() {
    }

    /**
     * What one CLI run gave back.
     *
     * @param code exit code
     * @param out  standard output
     * @param err  standard error
     */
    record Run(int code, String out, String err) {
        /** Both streams, for assertion messages. */
        String all() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /**
     * Runs {@code ringplan args...} inside this JVM ({@code Ringplan.execute} with captured
     * streams, working directory that of the test): for commands that start no Cassandra node,
     * where a process per call would only add start-up time.
     */
    static Run inProcess(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ringplan.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** Runs {@code ringplan args...} in the repository root, waiting at most 15 minutes. */
    static Run run(String... args) {
        return runIn(ROOT, args);
    }

    /** Runs {@code ringplan args...} in {@code dir}, without {@code CI} in its environment. */
    static Run runIn(Path dir, String... args) {
        return runIn(dir, java.util.Map.of(), args);
    }

    /**
     * Runs {@code ringplan args...} in {@code dir} with {@code env} added to its environment
     * ({@code CI} removed unless {@code env} sets it).
     */
    static Run runIn(Path dir, java.util.Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.ringplan.cli.Ringplan");
        cmd.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("ringplan-out", ".txt");
            Path err = Files.createTempFile("ringplan-err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("CI");
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("ringplan " + String.join(" ", args) + " timed out");
            }
            Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new AssertionError("cannot start the CLI: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Starts {@code ringplan args...} in the repository root without waiting; its standard
     * output and error go to {@code output}.
     */
    static Process start(Path output, String... args) throws IOException {
        return startIn(ROOT, output, args);
    }

    /**
     * Starts {@code ringplan args...} in {@code dir} without waiting; its standard output and
     * error go to {@code output}.
     */
    static Process startIn(Path dir, Path output, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.ringplan.cli.Ringplan");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().remove("CI"); // CI=true would require a clean git tree
        return pb.start();
    }

    private static Path findRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.exists(p.resolve("plans/backup.yaml")) && Files.exists(p.resolve("cli/pom.xml"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }
}
