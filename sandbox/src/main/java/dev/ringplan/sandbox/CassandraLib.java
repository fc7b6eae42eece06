package dev.ringplan.sandbox;

import dev.ringplan.engine.diag.RingplanException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Locates what a sandbox node runs with: the JDK 17 {@code java} binary and the directory of
 * cassandra-all 5.0.7 with its runtime dependencies (made by the Maven project
 * {@code sandbox/cassandra-lib}, never Ringplan's own classpath).
 */
public final class CassandraLib {
    /** The Cassandra version the sandbox runs (the cassandra-all artifact copied to the lib). */
    public static final String CASSANDRA_VERSION = "5.0.7";
    /** System property naming the lib directory explicitly. */
    public static final String LIB_PROPERTY = "ringplan.cassandra.lib";
    /** System property naming the JDK home for nodes and tools (default {@link #DEFAULT_JAVA_HOME}). */
    public static final String JAVA_HOME_PROPERTY = "ringplan.cassandra.java.home";
    /**
     * The JDK the nodes run on. Cassandra 5.0.7 needs JDK 11 or 17; the Temurin 25 JDK on the
     * build machine fails ("Setting a system-wide Policy object is not supported"), so the JDK is
     * pinned, not taken from PATH.
     */
    public static final String DEFAULT_JAVA_HOME = "/usr/lib/jvm/java-17-openjdk-amd64";
    /** The command that makes the lib directory. */
    public static final String MAKE_COMMAND = "mvn -o -q -pl sandbox/cassandra-lib generate-resources";

    private CassandraLib() {
    }

    /**
     * Finds the lib directory: the system property {@value #LIB_PROPERTY} if set, else
     * {@code <repoRoot>/sandbox/target/cassandra-lib} where repoRoot is the first of
     * {@code startDirs} or of their ancestors that contains {@code sandbox/pom.xml}.
     *
     * @param startDirs where to start looking (typically the working directory)
     * @return the absolute lib directory, which holds {@code cassandra-all-5.0.7.jar}
     * @throws RingplanException when no such directory exists, saying how to make it
     */
    public static Path locate(Path... startDirs) throws RingplanException {
        String prop = System.getProperty(LIB_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            Path dir = Path.of(prop).toAbsolutePath().normalize();
            check(dir, "system property " + LIB_PROPERTY);
            return dir;
        }
        List<Path> tried = new ArrayList<>();
        for (Path start : startDirs) {
            if (start == null) {
                continue;
            }
            for (Path d = start.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve("sandbox").resolve("pom.xml"))) {
                    Path lib = d.resolve("sandbox").resolve("target").resolve("cassandra-lib");
                    if (hasCassandraJar(lib)) {
                        return lib;
                    }
                    tried.add(lib);
                    break;
                }
            }
        }
        if (tried.isEmpty()) {
            throw new RingplanException("cannot find the Cassandra " + CASSANDRA_VERSION + " lib directory: no "
                    + "Ringplan checkout (a directory with sandbox/pom.xml) above the working directory; set -D"
                    + LIB_PROPERTY + "=<dir with cassandra-all-" + CASSANDRA_VERSION + ".jar and its dependencies>");
        }
        throw new RingplanException("the Cassandra " + CASSANDRA_VERSION + " lib directory " + tried.get(0)
                + " is missing or incomplete; make it with '" + MAKE_COMMAND + "' in " + tried.get(0).getParent()
                .getParent().getParent());
    }

    /**
     * The {@code java} binary for nodes and tools: {@code <home>/bin/java} with home from
     * {@value #JAVA_HOME_PROPERTY} or {@link #DEFAULT_JAVA_HOME}.
     *
     * @throws RingplanException when that file is not executable
     */
    public static Path java() throws RingplanException {
        String home = System.getProperty(JAVA_HOME_PROPERTY, DEFAULT_JAVA_HOME);
        Path java = Path.of(home, "bin", "java");
        if (!Files.isExecutable(java)) {
            throw new RingplanException("JDK 17 not found: " + java + " is not executable (Cassandra "
                    + CASSANDRA_VERSION + " needs JDK 17; set -D" + JAVA_HOME_PROPERTY + "=<jdk home>)");
        }
        return java;
    }

    private static void check(Path dir, String from) throws RingplanException {
        if (!hasCassandraJar(dir)) {
            throw new RingplanException(dir + " (from " + from + ") holds no cassandra-all-" + CASSANDRA_VERSION
                    + ".jar; make the lib directory with '" + MAKE_COMMAND + "'");
        }
    }

    /** True when {@code dir} holds cassandra-all and at least a few dozen other jars. */
    static boolean hasCassandraJar(Path dir) {
        if (!Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve("cassandra-all-" + CASSANDRA_VERSION + ".jar"))) {
            return false;
        }
        int jars = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path ignored : ds) {
                jars++;
            }
        } catch (IOException e) {
            return false;
        }
        return jars >= 50;
    }
}
