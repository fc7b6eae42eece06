package dev.ringplan.engine.connection;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A container as a host ({@code ansible_connection: docker} or {@code kubectl}): every command
 * and file operation runs through the container client's {@code exec}, started on the controller
 * as a child process ({@code docker exec -i CONTAINER ...}, {@code kubectl exec -i POD -- ...};
 * the argv comes from a {@link ContainerCli}).
 *
 * <p><b>Why the CLI, not an API client.</b> Ansible's {@code community.docker.docker} and
 * {@code kubernetes.core.kubectl} connections drive these two CLIs, so an inventory written for
 * them means the same here: contexts, {@code DOCKER_HOST}, {@code ssh://} engines, kubeconfig
 * auth plugins and extra CLI arguments all work unchanged. One implementation serves both
 * (docker-java would cover Docker only, and put an HTTP client, JNA and its transports on the
 * engine's runtime classpath, where Testcontainers is only a test dependency), and the clients
 * stream standard input and output, so large files pass through without a temporary copy.
 *
 * <p><b>Commands.</b> {@link #exec} runs {@code env RINGPLAN_EXEC_ID=<uuid> [VAR=value...] ARGV}
 * in the container (behind {@code sh -c 'cd -- "$1" ...'} when a working directory is given),
 * through a {@link LocalConnection} that runs the client with its output in private temporary
 * files and its stdin fed from the options. The client passes each argument to the container's
 * process as it is (no shell between), and returns the command's exit status. A program that
 * does not exist gives 127 ({@code env}'s answer). Stopping the client does not stop the
 * command in the container (neither client forwards signals), so on a timeout or
 * {@link #interrupt()} the connection also signals, in the container, every process whose
 * environment holds that command's {@code RINGPLAN_EXEC_ID} (the command and whatever it
 * started, detached or not): SIGKILL at once on a timeout; SIGTERM, then SIGKILL after
 * {@link Connection#KILL_GRACE_MILLIS} on an interrupt. This reads {@code /proc/PID/environ},
 * which needs {@code sh}, {@code tr}, {@code grep} and {@code kill} in the container and the same
 * user as the command.
 *
 * <p><b>Files</b> go through {@link ContainerFiles}: small shell scripts run with {@link #exec}
 * (GNU {@code find} and coreutils in the container) and, for reading and writing, {@code cat}
 * streaming through the client's stdout or stdin.
 *
 * <p><b>Unreachable.</b> {@link #open} runs {@code true} in the container; the client's own
 * error ("No such container", pod not found, engine down) or a missing client program is an
 * {@link UnreachableException}, at open and on any later call.
 *
 * <p>Thread-safe: calls share no mutable state except the closed flag and the open streams.
 */
public final class ContainerConnection implements Connection {
    /** The environment variable that marks a command's processes in the container. */
    static final String MARKER = "RINGPLAN_EXEC_ID";
    /** Runs "$@" in directory $1, failing with exit status 1 when it cannot change there. */
    static final String CD_SCRIPT = "cd -- \"$1\" || exit 1; shift; exec \"$@\"";
    /**
     * Signals ($1: a signal name, or 0 to test) every process whose environment holds
     * RINGPLAN_EXEC_ID=$2; exit 0 when one was found.
     */
    static final String KILL_SCRIPT = String.join("\n",
            "found=1",
            "for d in /proc/[0-9]*; do",
            "  if tr '\\0' '\\n' <\"$d/environ\" 2>/dev/null | grep -qxF \"" + MARKER + "=$2\"; then",
            "    [ \"$1\" = 0 ] || kill -\"$1\" \"${d#/proc/}\" 2>/dev/null",
            "    found=0",
            "  fi",
            "done",
            "exit $found");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String host;
    private final ContainerCli cli;
    /** Runs the client for {@link #exec}; {@link #interrupt()} interrupts it. */
    private final LocalConnection runner;
    /** Runs the client for the kills after a timeout or an interrupt; never interrupted. */
    private final LocalConnection control;
    private final ContainerFiles files;
    private volatile boolean closed;

    private ContainerConnection(String host, ContainerCli cli) {
        this.host = host;
        this.cli = cli;
        this.runner = new LocalConnection(host);
        this.control = new LocalConnection(host);
        this.files = new ContainerFiles(this);
    }

    /**
     * Opens the connection and checks that the container can be reached ({@code true} runs in it).
     *
     * @param host the inventory hostname, for messages
     * @param cli  the client and the container it reaches
     * @throws UnreachableException when the client is missing, or says the container (pod) does not
     *                              exist, does not run or its engine (API server) cannot be reached,
     *                              or {@code true} fails in it
     */
    public static ContainerConnection open(String host, ContainerCli cli) throws ConnectionException {
        ContainerConnection c = new ContainerConnection(host, cli);
        ExecResult r = c.exec(List.of("true"), ExecOptions.defaults().withTimeout(Duration.ofSeconds(60)));
        if (!r.ok()) {
            throw new UnreachableException(host + ": cannot reach " + cli.target() + " with " + cli.type()
                    + ": " + r.failureSummary());
        }
        return c;
    }

    @Override
    public String host() {
        return host;
    }

    /** The client and container this connection reaches. */
    public ContainerCli cli() {
        return cli;
    }

    @Override
    public ExecResult exec(List<String> argv, ExecOptions options) throws ConnectionException {
        checkOpen();
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty argument list");
        }
        List<String> args = List.copyOf(argv);
        String id = UUID.randomUUID().toString();
        List<String> command = cli.execCommand(remoteArgv(id, args, options));
        Duration timeout = options.timeout() == null ? ExecOptions.defaults().timeout() : options.timeout();
        ExecResult r;
        try {
            r = runner.exec(command, new ExecOptions(options.stdin(), timeout, Map.of(), null));
        } catch (CommandTimeoutException e) {
            signal(id, "KILL");
            throw new CommandTimeoutException(host + ": " + args.get(0) + " did not finish within "
                    + timeout.toSeconds() + " s and was killed", timeout, relabel(e.partialResult(), args));
        } catch (CommandInterruptedException e) {
            if (e.partialResult() == null) {
                throw new CommandInterruptedException(host + ": run interrupted, " + args.get(0) + " not started", null);
            }
            stop(id);
            throw new CommandInterruptedException(host + ": " + args.get(0) + " was stopped: run interrupted",
                    relabel(e.partialResult(), args));
        }
        checkReached(r.exitStatus(), r.stderr(), command.get(0));
        return new ExecResult(args, r.exitStatus(), r.stdout(), r.stderr(), r.durationMs());
    }

    /**
     * The argv run in the container: {@code [sh -c CD_SCRIPT ringplan-cwd DIR] env MARKER=id
     * [VAR=value...] ARGV}.
     *
     * @throws IllegalArgumentException for an environment variable name that is not a shell name
     */
    static List<String> remoteArgv(String id, List<String> args, ExecOptions options) {
        List<String> r = new ArrayList<>();
        if (options.cwd() != null) {
            r.addAll(List.of("sh", "-c", CD_SCRIPT, "ringplan-cwd", options.cwd()));
        }
        r.add("env");
        r.add(MARKER + "=" + id);
        if (options.env() != null) {
            for (Map.Entry<String, String> e : new java.util.TreeMap<>(options.env()).entrySet()) {
                if (!ENV_NAME.matcher(e.getKey()).matches()) {
                    throw new IllegalArgumentException("invalid environment variable name: '" + e.getKey() + "'");
                }
                r.add(e.getKey() + "=" + e.getValue());
            }
        }
        r.addAll(args);
        return r;
    }

    /**
     * Throws {@link UnreachableException} when a client call failed because the container could not
     * be reached, or the client program itself is missing on the controller.
     */
    void checkReached(Integer status, String stderr, String client) throws UnreachableException {
        if (status == null || status == 0) {
            return;
        }
        if (status == 127 && (client + ": command not found\n").equals(stderr)) {
            throw new UnreachableException(host + ": cannot reach " + cli.target() + ": the " + cli.type()
                    + " client '" + client + "' is not installed on the controller (not on the PATH)");
        }
        if (cli.unreachable(status, stderr)) {
            throw new UnreachableException(host + ": cannot reach " + cli.target() + ": "
                    + new ExecResult(List.of(), status, "", stderr, 0).failureSummary());
        }
    }

    /** SIGTERM to the command's processes, up to the grace period for them to exit, then SIGKILL. */
    void stop(String id) {
        if (!signal(id, "TERM")) {
            return;
        }
        long deadline = System.nanoTime() + Duration.ofMillis(KILL_GRACE_MILLIS).toNanos();
        while (System.nanoTime() < deadline) {
            if (!signal(id, "0")) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        signal(id, "KILL");
    }

    /** Sends {@code sig} to the processes marked {@code id}; true when one was found. Best effort. */
    boolean signal(String id, String sig) {
        try {
            ExecResult r = control.exec(cli.execCommand(List.of("sh", "-c", KILL_SCRIPT, "ringplan-kill", sig, id)),
                    ExecOptions.defaults().withTimeout(Duration.ofSeconds(30)));
            return r.ok();
        } catch (ConnectionException e) {
            return false;
        }
    }

    private static ExecResult relabel(ExecResult r, List<String> args) {
        return r == null ? null : new ExecResult(args, r.exitStatus(), r.stdout(), r.stderr(), r.durationMs());
    }

    @Override
    public InputStream openRead(String path) throws ConnectionException {
        checkOpen();
        return files.openRead(path);
    }

    @Override
    public OutputStream openWrite(String path) throws ConnectionException {
        checkOpen();
        return files.openWrite(path);
    }

    @Override
    public Optional<FileStat> stat(String path) throws ConnectionException {
        checkOpen();
        return files.stat(path);
    }

    @Override
    public List<FileStat> list(String dir) throws ConnectionException {
        checkOpen();
        return files.list(dir);
    }

    @Override
    public void mkdirs(String dir) throws ConnectionException {
        checkOpen();
        files.mkdirs(dir);
    }

    @Override
    public void delete(String path) throws ConnectionException {
        checkOpen();
        files.delete(path);
    }

    @Override
    public void rename(String from, String to) throws ConnectionException {
        checkOpen();
        files.rename(from, to);
    }

    /**
     * Stops the running commands and open file streams and refuses new commands (class doc,
     * {@link Connection#interrupt()}). Returns at once: each waiting {@code exec} signals its own
     * command in the container.
     */
    @Override
    public void interrupt() {
        runner.interrupt();
        files.interrupt();
    }

    /** Marks the connection closed and ends its open file streams; nothing else is held open. */
    @Override
    public void close() {
        closed = true;
        files.interrupt();
        runner.close();
    }

    @Override
    public String toString() {
        return "ContainerConnection[" + host + ", " + cli.target() + "]";
    }

    void checkOpen() throws ConnectionException {
        if (closed) {
            throw new ConnectionException(host + ": connection is closed");
        }
    }
}
