package dev.ringplan.engine.connection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test support: a throw-away container on the local Docker engine, started with the docker CLI
 * ({@code docker run -d --init --rm IMAGE sleep infinity}). A test class that needs it carries
 * {@code @ExtendWith(DockerEngine.Required.class)}: without an engine or a local image it is
 * skipped, with the reason in the report and on stderr.
 */
final class DockerEngine {
    /** Images tried in order: the base image and the Cassandra image of sandbox/docker/build-image.sh. */
    static final List<String> IMAGES = List.of("ringplan/debian:bookworm", "ringplan/cassandra:5.0.7");

    private DockerEngine() {
    }

    /** Runs docker with {@code args}; stdout+stderr and the exit status (-1 when docker cannot run). */
    static Out docker(String... args) {
        List<String> c = new ArrayList<>();
        c.add("docker");
        c.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Out(-1, "docker " + String.join(" ", args) + " timed out");
            }
            return new Out(p.exitValue(), text.strip());
        } catch (IOException e) {
            return new Out(-1, "docker CLI not found: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Out(-1, "interrupted");
        }
    }

    /** What a docker call printed. */
    record Out(int status, String text) {
    }

    private static String image;
    private static String missing;

    /** The local image to use, or null with {@link #missing} saying why there is none. */
    private static synchronized String image() {
        if (image != null || missing != null) {
            return image;
        }
        Out v = docker("version", "--format", "{{.Server.Version}}");
        if (v.status() != 0) {
            missing = "no Docker engine to test against (docker version: "
                    + v.text().lines().reduce((a, b) -> b).orElse("") + "); install docker.io and start dockerd";
            return null;
        }
        for (String i : IMAGES) {
            if (docker("image", "inspect", i).status() == 0) {
                image = i;
                return i;
            }
        }
        missing = "none of the local images " + IMAGES + " exists (no registry is used): build them with "
                + "sandbox/docker/build-image.sh";
        return null;
    }

    /** Skips the test class, saying why, when no engine or no local image is there. */
    static final class Required implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (image() != null) {
                return ConditionEvaluationResult.enabled("Docker engine and image " + image + " present");
            }
            System.err.println("SKIPPED " + context.getDisplayName() + ": " + missing);
            return ConditionEvaluationResult.disabled(missing);
        }
    }

    /** Starts a container that sleeps, named {@code prefix-<nanos>}, and returns its name. */
    static String startSleeper(String prefix) {
        String image = image();
        if (image == null) {
            throw new IllegalStateException(missing);
        }
        String name = prefix + "-" + System.nanoTime();
        Out run = docker("run", "-d", "--init", "--rm", "--network", "none", "--name", name, "--entrypoint", "sleep",
                image, "infinity");
        if (run.status() != 0) {
            throw new IllegalStateException("docker run " + image + " failed: " + run.text());
        }
        return name;
    }

    /** Removes the container (best effort). */
    static void remove(String name) {
        if (name != null) {
            docker("rm", "-f", name);
        }
    }
}
