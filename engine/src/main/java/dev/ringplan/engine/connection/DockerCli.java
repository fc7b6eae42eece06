package dev.ringplan.engine.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code ansible_connection: docker}: the {@code docker} CLI, as Ansible's
 * {@code community.docker.docker} connection drives it:
 * {@code docker [EXTRA_ARGS...] exec -i [-u USER] CONTAINER ARGV...}.
 *
 * @param executable the docker program ({@code ringplan_docker_executable}, default {@code docker}
 *                   on the PATH)
 * @param extraArgs  {@code ansible_docker_extra_args} split on blanks, as Ansible splits it (e.g.
 *                   {@code --host tcp://10.0.0.5:2376}); placed before {@code exec}
 * @param container  container name or id ({@code ansible_docker_host}, {@code ansible_host}, else
 *                   the inventory hostname)
 * @param user       user to run as in the container ({@code ansible_docker_user},
 *                   {@code ansible_user}), or null for the image's user
 */
public record DockerCli(String executable, List<String> extraArgs, String container, String user) implements ContainerCli {
    /**
     * The docker CLI's own errors for a container it cannot exec into (Docker Engine 20.10 and
     * later: "Error response from daemon: No such container: x", "Container x is not running",
     * "... is paused", "Cannot connect to the Docker daemon at ...").
     */
    private static final Pattern UNREACHABLE = Pattern.compile(
            "^(Error response from daemon: (No such container|Container \\S+ is (not running|paused|restarting))"
                    + "|Error: No such container"
                    + "|Cannot connect to the Docker daemon"
                    + "|error during connect)", Pattern.MULTILINE);

    /** Validates and copies. */
    public DockerCli {
        if (container == null || container.isBlank()) {
            throw new IllegalArgumentException("empty container name");
        }
        extraArgs = List.copyOf(extraArgs);
    }

    @Override
    public List<String> execCommand(List<String> remoteArgv) {
        List<String> c = engineCommand(List.of("exec", "-i"));
        if (user != null && !user.isBlank()) {
            c.add("-u");
            c.add(user);
        }
        c.add(container);
        c.addAll(remoteArgv);
        return c;
    }

    /**
     * A docker command about the container rather than in it, run on the controller:
     * {@code docker [EXTRA_ARGS...] ARGS...} (e.g. {@code restart CONTAINER} for {@code service}
     * with the docker manager).
     */
    public List<String> engineCommand(List<String> args) {
        List<String> c = new ArrayList<>();
        c.add(executable);
        c.addAll(extraArgs);
        c.addAll(args);
        return c;
    }

    @Override
    public String type() {
        return "docker";
    }

    @Override
    public String target() {
        return "docker container " + container;
    }

    @Override
    public boolean unreachable(int exitStatus, String stderr) {
        return exitStatus != 0 && stderr != null && UNREACHABLE.matcher(stderr).find();
    }
}
