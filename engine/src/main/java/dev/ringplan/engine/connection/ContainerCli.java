package dev.ringplan.engine.connection;

import java.util.List;

/**
 * The command-line client through which a {@link ContainerConnection} reaches one container: the
 * {@code docker} CLI ({@link DockerCli}) or {@code kubectl} ({@link KubectlCli}). It only builds
 * argument lists and reads the client's own error messages; {@link ContainerConnection} runs them.
 */
public interface ContainerCli {

    /**
     * The controller-side argv that runs {@code remoteArgv} in the container with its standard
     * input attached ({@code docker exec -i ...}, {@code kubectl exec -i ... --}). Each element of
     * {@code remoteArgv} reaches the container's process as one argument: neither client goes
     * through a shell.
     */
    List<String> execCommand(List<String> remoteArgv);

    /** The connection type word, {@code docker} or {@code kubectl}, for messages. */
    String type();

    /** What is reached, for messages: e.g. {@code docker container cass1}, {@code pod ns/cass-0 container cassandra}. */
    String target();

    /**
     * True when a failed client call means the container could not be reached at all (no such
     * container or pod, not running, no engine or API server), not that the command failed.
     * Judged from the client's own stderr line, which the command in the container does not
     * write first ({@code Error response from daemon: No such container: x}, {@code Error from
     * server (NotFound): pods "x" not found}).
     *
     * @param exitStatus the client's exit status
     * @param stderr     the client's standard error
     */
    boolean unreachable(int exitStatus, String stderr);
}
