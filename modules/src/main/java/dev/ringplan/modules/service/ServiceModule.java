package dev.ringplan.modules.service;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ConnectionFactory;
import dev.ringplan.engine.connection.ContainerConnections;
import dev.ringplan.engine.connection.DockerCli;
import dev.ringplan.engine.connection.LocalConnection;
import dev.ringplan.engine.connection.ExecOptions;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.connection.ShellQuote;
import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.DeclaredModule;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.ReturnSpec;
import dev.ringplan.engine.module.UpstreamChange;
import dev.ringplan.modules.CassandraHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code service}: starts, stops or restarts a Cassandra node through systemd, docker or the
 * host's own start/stop commands, idempotently (already in the wanted state: {@code ok}).
 */
public final class ServiceModule extends DeclaredModule {
    /** Default systemd unit and docker container name. */
    public static final String DEFAULT_NAME = "cassandra";
    /** {@code systemctl is-active} words that mean the unit runs (or is on its way up or down). */
    static final Set<String> SYSTEMD_RUNNING = Set.of("active", "activating", "reloading", "deactivating", "refreshing");

    /** Which tool starts and stops the node. */
    enum Manager {
        SYSTEMD, DOCKER, CUSTOM;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg(ArgDef.of("state", ArgDef.Type.STR, "started, stopped or restarted.").asRequired()
                    .choices("started", "stopped", "restarted"))
            .arg(ArgDef.of("manager", ArgDef.Type.STR, "auto (custom when cassandra_start_cmd is set, else docker "
                    + "on an ansible_connection: docker host, else systemd), systemd, docker or custom.").withDefault("auto").choices("auto", "systemd", "docker", "custom"))
            .arg(ArgDef.of("unit", ArgDef.Type.STR, "systemd unit.").withDefault(DEFAULT_NAME))
            .arg(ArgDef.of("container", ArgDef.Type.STR, "docker container name or id (default: the host's own "
                    + "container on an ansible_connection: docker host, else cassandra)."))
            .arg(ArgDef.of("drain", ArgDef.Type.BOOL, "Run nodetool drain before stopping a running node "
                    + "(stopped, restarted).").withDefault(false))
            .arg(ArgDef.of("timeout", ArgDef.Type.INT, "Seconds each command may take; also how long a custom "
                    + "stop may take for the process to exit.").withDefault(600L))
            .freeForm("state")
            .build();

    private static final ModuleDoc DOC = new ModuleDoc(
            "Start, stop or restart a Cassandra node via systemd, docker or the host's own start/stop commands.",
            """
            Managers (argument manager; auto picks custom when the host variable cassandra_start_cmd
            is set, else docker when the host is reached with ansible_connection: docker, else systemd):
              systemd: systemctl start|stop|restart UNIT; running = 'systemctl is-active UNIT' prints
                       active, activating, reloading, deactivating or refreshing. Runs systemctl as
                       the connection's user (root or a user allowed to manage the unit).
              docker:  docker start|restart CONTAINER, docker stop --time TIMEOUT CONTAINER (a long
                       grace period: Cassandra flushes memtables on SIGTERM); running = 'docker
                       inspect -f {{.State.Running}} CONTAINER' prints true. An unknown container
                       fails the task. On a host reached with ansible_connection: docker, these
                       docker commands run on the controller with the connection's docker client and
                       ansible_docker_extra_args, and CONTAINER defaults to the host's container
                       (the node itself); elsewhere they run on the host and CONTAINER defaults to
                       cassandra. A host reached with kubectl (a pod) takes custom only: restarting
                       a pod is Kubernetes' job.
              custom:  the argv lists in host variables cassandra_start_cmd / cassandra_stop_cmd (the
                       sandbox's bin/start and bin/stop). Running = the PID in cassandra_pid_file is
                       alive (sh -c 'kill -0 PID' on the host, zombies dead); without a PID file, the
                       JMX port (jmx_host:jmx_port) or CQL port (cql_host:cql_port) accepts a TCP
                       connection. restarted = stop (when running) then start.

            Idempotent: started on a running node and stopped on a stopped node are ok, nothing runs.
            restarted always runs (changed). drain: true runs nodetool drain (nodetool_cmd -h jmx_host
            -p jmx_port drain) before stopping a running node, so the commit log is flushed and no
            replay is needed at the next start.

            After the command the state is read again: a stop that leaves the node running fails
            the task (custom: the PID read before the stop must be gone within timeout seconds, even if
            the stop command removed the PID file earlier, and its JMX and CQL ports closed, which
            fs_clear and tar check before touching the node's files). After a start the
            process must be running (custom with a PID file: alive within 30 s; custom without one: not
            checked, the ports open late in start-up), but the module does
            NOT wait for the node to join the ring: follow it with wait_for: {node_up: ...} or
            wait_for: {port: 9042}.

            Check mode reads the current state only (is-active / inspect / PID) and previews the
            commands; nothing is started or stopped. A node an earlier service task of the same run
            would stop (or start) is previewed in that state: start after stop is changed.
            """,
            """
            - id: stop
              service: { state: stopped, drain: true }

            - id: start
              needs: [restore-files]
              service: started

            - id: restart-in-docker
              service: { state: restarted, manager: docker, container: "cassandra-{{ inventory_hostname }}" }

            - id: stop-systemd-unit
              service: { state: stopped, manager: systemd, unit: cassandra@node1 }
            """);

    private static final ReturnSpec RETURNS = ReturnSpec.builder()
            .key(ReturnSpec.key("manager", ReturnSpec.Type.STR, "systemd, docker or custom (auto resolved)"))
            .key(ReturnSpec.key("state", ReturnSpec.Type.STR, "the requested state"))
            .key(ReturnSpec.key("running_before", ReturnSpec.Type.BOOL, "whether the node ran before"))
            .key(ReturnSpec.key("running", ReturnSpec.Type.BOOL, "whether it runs after (as read again)"))
            .key(ReturnSpec.key("drained", ReturnSpec.Type.BOOL, "true when nodetool drain ran"))
            .key(ReturnSpec.key("cmd", ReturnSpec.Type.LIST, "the commands that ran (check mode: would run), as"
                    + " display strings"))
            .key(ReturnSpec.key("evidence", ReturnSpec.Type.STR, "what the state was read from (e.g. 'pid 123 in"
                    + " /x/cassandra.pid is alive'): after the commands, or before when none ran"))
            .key(ReturnSpec.key("drain_failed", ReturnSpec.Type.STR, "why nodetool drain failed (the node was stopped"
                    + " anyway)").when("drain: true and the drain failed"))
            .build();

    /** Creates the module (used by ServiceLoader). */
    public ServiceModule() {
        super("service", DOC, SPEC, RETURNS);
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        Call call = call(ctx);
        Observed before = observe(call);
        List<List<String>> cmds = commands(call, before.running());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("manager", call.manager.word());
        data.put("state", call.state);
        data.put("running_before", before.running());
        // What the node looks like after the commands is known after apply; with none to run, it is as now.
        data.put("running", cmds.isEmpty() ? before.running() : null);
        data.put("drained", cmds.isEmpty() ? false : null);
        data.put("evidence", cmds.isEmpty() ? before.evidence() : null);
        data.put("cmd", display(cmds));
        if (cmds.isEmpty()) {
            // Check mode: an earlier service task of the run on this node decides the state the
            // run will find (e.g. start after stop: the node runs now, but will be stopped).
            Optional<UpstreamChange> prior = ctx.upstreamChanges().stream().filter(u -> u.module().equals(name())
                    && u.host().equals(ctx.host()) && u.change() == Preview.Change.YES).findFirst();
            List<List<String>> after = prior.isEmpty() ? List.of()
                    : commands(call, !"stopped".equals(String.valueOf(prior.get().args().get("state"))));
            if (!after.isEmpty()) {
                data.put("cmd", display(after));
                data.put("running_before", null);  // the run finds the node as the earlier task left it
                data.put("running", null);
                data.put("drained", null);
                data.put("evidence", null);
                return new Preview(Preview.Change.YES, "after " + prior.get().node() + ": would " + verb(call.state)
                        + " the node via " + call.manager.word() + " (now " + (before.running() ? "running" : "stopped")
                        + ": " + before.evidence() + ")", null, display(after), data);
            }
            return new Preview(Preview.Change.NO, "node already " + (before.running() ? "running" : "stopped")
                    + " (" + before.evidence() + ")", null, List.of(), data);
        }
        return new Preview(Preview.Change.YES, "would " + verb(call.state) + " the node via " + call.manager.word()
                + " (now " + (before.running() ? "running" : "stopped") + ": " + before.evidence() + ")", null,
                display(cmds), data);
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        Call call = call(ctx);
        Observed before = observe(call);
        List<List<String>> cmds = commands(call, before.running());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("manager", call.manager.word());
        data.put("state", call.state);
        data.put("running_before", before.running());
        if (cmds.isEmpty()) {
            data.put("running", before.running());
            data.put("drained", false);
            data.put("cmd", List.of());
            data.put("evidence", before.evidence());
            return Result.ok("node already " + (before.running() ? "running" : "stopped") + " (" + before.evidence()
                    + ")").withData(data);
        }
        boolean drained = false;
        List<String> ran = new ArrayList<>();
        for (List<String> argv : cmds) {
            ctx.log("running " + ShellQuote.join(argv));
            boolean isDrain = call.host.nodetoolArgv(List.of("drain")).equals(argv);
            ExecResult r = run(call.manager == Manager.DOCKER && !isDrain ? call.engine : call.conn, call, argv);
            ran.add(ShellQuote.join(argv));
            if (!r.ok() && isDrain) {
                // A node drained by an earlier, interrupted run refuses a second drain; the stop that
                // follows is what matters (a restart replays the commit log anyway).
                ctx.log("nodetool drain failed (" + r.failureSummary() + "); stopping the node anyway");
                data.put("drain_failed", r.failureSummary());
                continue;
            }
            if (!r.ok()) {
                throw new ModuleException(ctx.host() + ": " + ShellQuote.join(argv) + " failed: " + r.failureSummary());
            }
            drained |= isDrain;
            if (isStop(call, argv)) {
                if (before.pid() != null && !waitPidGone(call, before.pid())) {
                    throw new ModuleException(ctx.host() + ": the node still runs after " + ShellQuote.join(argv)
                            + " (pid " + before.pid() + " alive after " + call.timeoutSeconds + " s)");
                }
                // Stopped means the ports are closed too: what fs_clear and tar check before they touch
                // the node's files (a JVM whose PID is gone from the PID file may still be closing them).
                Observed o = waitFor(call, false, call.manager == Manager.CUSTOM ? call.timeoutSeconds : 5, true);
                if (o.running()) {
                    throw new ModuleException(ctx.host() + ": the node still runs after " + ShellQuote.join(argv)
                            + " (" + o.evidence() + ")");
                }
            }
        }
        Observed after = call.state.equals("stopped") ? observe(call, true)
                : call.manager == Manager.CUSTOM && call.host.pidFile() == null ? observe(call)
                : waitFor(call, true, call.manager == Manager.CUSTOM ? Math.min(30, call.timeoutSeconds) : 5, false);
        data.put("running", after.running());
        data.put("drained", drained);
        data.put("cmd", ran);
        data.put("evidence", after.evidence());
        // custom without a PID file: only the ports tell, and they open late in start-up (wait_for's job)
        boolean verify = call.state.equals("stopped") || call.manager != Manager.CUSTOM || call.host.pidFile() != null;
        if (verify && after.running() != !call.state.equals("stopped")) {
            throw new ModuleException(ctx.host() + ": after " + String.join("; ", ran) + " the node is "
                    + (after.running() ? "running" : "not running") + " (" + after.evidence() + ")");
        }
        String msg = (call.state.equals("stopped") ? "stopped" : call.state.equals("started") ? "started" : "restarted")
                + " via " + call.manager.word() + (drained ? " after nodetool drain" : "");
        return Result.changed(msg).withCommands(ran).withData(data);
    }

    // ---- plan ----

    /** One resolved call: arguments, host, connection. */
    private record Call(String state, Manager manager, String unit, String container, boolean drain,
                        long timeoutSeconds, CassandraHost host, Connection conn, List<String> docker,
                        Connection engine) {
        /** {@code docker [EXTRA_ARGS] ARGS...}: the docker client the manager uses. */
        List<String> docker(String... args) {
            List<String> c = new ArrayList<>(docker);
            c.addAll(List.of(args));
            return c;
        }
    }

    /** The node's state as read, and from what. */
    record Observed(boolean running, String evidence, Long pid) {
        Observed(boolean running, String evidence) {
            this(running, evidence, null);
        }
    }

    private static Call call(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        CassandraHost h = CassandraHost.of(ctx);
        String m = a.str("manager");
        String type;
        try {
            type = ConnectionFactory.type(ctx.host(), ctx.hostVars());
        } catch (ConnectionException e) {
            throw new ModuleException(e.getMessage(), e);
        }
        Manager manager = switch (m == null ? "auto" : m) {
            case "systemd" -> Manager.SYSTEMD;
            case "docker" -> Manager.DOCKER;
            case "custom" -> Manager.CUSTOM;
            default -> !h.startCmd().isEmpty() ? Manager.CUSTOM : type.equals("docker") ? Manager.DOCKER : Manager.SYSTEMD;
        };
        if (type.equals("kubectl") && manager != Manager.CUSTOM) {
            throw new ModuleException("service: " + ctx.host() + " is a pod (ansible_connection: kubectl): only manager "
                    + "custom (cassandra_start_cmd / cassandra_stop_cmd) works there; restarting a pod is Kubernetes' job");
        }
        String state = a.str("state");
        long timeout = a.integer("timeout", 600);
        if (timeout < 1) {
            throw new ModuleException("service: timeout must be at least 1 second, got " + timeout);
        }
        if (manager == Manager.CUSTOM) {
            if (!state.equals("stopped") && h.startCmd().isEmpty()) {
                throw new ModuleException("service: manager custom needs the host variable cassandra_start_cmd on "
                        + ctx.host());
            }
            if (!state.equals("started") && h.stopCmd().isEmpty()) {
                throw new ModuleException("service: manager custom needs the host variable cassandra_stop_cmd on "
                        + ctx.host());
            }
        }
        String unit = a.str("unit");
        DockerCli dockerCli = null;
        if (type.equals("docker")) {
            try {
                dockerCli = ContainerConnections.docker(ctx.host(), ctx.hostVars());
            } catch (ConnectionException e) {
                throw new ModuleException(e.getMessage(), e);
            }
        }
        String container = a.has("container") ? a.str("container") : dockerCli != null ? dockerCli.container() : DEFAULT_NAME;
        for (String[] nv : new String[][] {{"unit", unit}, {"container", container}}) {
            if (nv[1] == null || nv[1].isBlank() || nv[1].startsWith("-")) {
                throw new ModuleException("service: " + nv[0] + " must be a name, got '" + nv[1] + "'");
            }
        }
        Connection conn;
        try {
            conn = ctx.connection();
        } catch (ConnectionException e) {
            throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
        }
        // With a docker connection, commands run in the container: the docker client runs on the controller.
        List<String> docker = dockerCli != null ? dockerCli.engineCommand(List.of()) : List.of("docker");
        Connection engine = dockerCli != null ? new LocalConnection(ctx.host()) : conn;
        return new Call(state, manager, unit, container, a.bool("drain", false), timeout, h, conn, docker, engine);
    }

    /** The commands to run from the observed state; empty when nothing is needed. */
    private static List<List<String>> commands(Call c, boolean running) {
        List<List<String>> out = new ArrayList<>();
        boolean stop = c.state.equals("stopped") || c.state.equals("restarted");
        if (c.state.equals("started") && running || c.state.equals("stopped") && !running) {
            return out;
        }
        if (stop && running && c.drain) {
            out.add(c.host.nodetoolArgv(List.of("drain")));
        }
        switch (c.manager) {
            case SYSTEMD -> out.add(List.of("systemctl", c.state.equals("started") ? "start"
                    : c.state.equals("stopped") ? "stop" : "restart", c.unit));
            case DOCKER -> {
                if (c.state.equals("stopped")) {
                    out.add(c.docker("stop", "--time", Long.toString(c.timeoutSeconds), c.container));
                } else {
                    out.add(c.docker(c.state.equals("started") ? "start" : "restart", c.container));
                }
            }
            default -> {
                if (stop && running) {
                    out.add(c.host.stopCmd());
                }
                if (!c.state.equals("stopped")) {
                    out.add(c.host.startCmd());
                }
            }
        }
        return out;
    }

    private static boolean isStop(Call c, List<String> argv) {
        return switch (c.manager) {
            case SYSTEMD -> argv.size() == 3 && argv.get(0).equals("systemctl") && argv.get(1).equals("stop");
            case DOCKER -> argv.size() > c.docker.size() && argv.subList(0, c.docker.size()).equals(c.docker)
                    && argv.get(c.docker.size()).equals("stop");
            default -> argv.equals(c.host.stopCmd());
        };
    }

    // ---- state ----

    /** Reads whether the node runs, the way its manager tells. */
    static Observed observe(Call c) throws ModuleException {
        return observe(c, false);
    }

    /**
     * Whether the node runs, as its manager tells; for a custom manager with {@code conservative},
     * a dead PID is not enough: the JMX and CQL ports must be closed too ({@link NodeLiveness#running}).
     */
    static Observed observe(Call c, boolean conservative) throws ModuleException {
        switch (c.manager) {
            case SYSTEMD: {
                ExecResult r = run(c, List.of("systemctl", "is-active", c.unit));
                String word = r.stdout() == null ? "" : r.stdout().strip();
                if (r.exitStatus() == null || word.isEmpty() && !r.ok()) {
                    throw new ModuleException(c.conn.host() + ": systemctl is-active " + c.unit + " failed: "
                            + r.failureSummary());
                }
                return new Observed(SYSTEMD_RUNNING.contains(word), "systemctl is-active " + c.unit + ": " + word);
            }
            case DOCKER: {
                ExecResult r = run(c.engine, c, c.docker("inspect", "-f", "{{.State.Running}}", c.container));
                if (!r.ok()) {
                    throw new ModuleException(c.conn.host() + ": docker inspect " + c.container + " failed: "
                            + r.failureSummary());
                }
                String word = r.stdout().strip();
                return new Observed(word.equals("true"), "docker container " + c.container + " running: " + word);
            }
            default: {
                NodeLiveness.Running r = NodeLiveness.running(c.conn, c.host, NodeLiveness.isLocal(c.host), conservative);
                return new Observed(r.running(), r.evidence(), r.pid());
            }
        }
    }

    /** Polls {@link #observe} every 200 ms until it says {@code running}, for at most {@code seconds}. */
    private static Observed waitFor(Call c, boolean running, long seconds, boolean conservative) throws ModuleException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (true) {
            Observed o = observe(c, conservative);
            if (o.running() == running || System.nanoTime() >= deadline) {
                return o;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModuleException(c.conn.host() + ": interrupted while waiting for the node", e);
            }
        }
    }

    /**
     * Polls until the process that ran before a stop is gone (a stop command may remove the PID
     * file before the JVM has exited), for at most the call's timeout. True when gone.
     */
    private static boolean waitPidGone(Call c, long pid) throws ModuleException {
        long deadline = System.nanoTime() + Duration.ofSeconds(c.timeoutSeconds).toNanos();
        while (NodeLiveness.pidAlive(c.conn, pid)) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModuleException(c.conn.host() + ": interrupted while waiting for pid " + pid + " to exit", e);
            }
        }
        return true;
    }

    private static ExecResult run(Call c, List<String> argv) throws ModuleException {
        return run(c.conn, c, argv);
    }

    /** Runs {@code argv} through {@code on}: the host's connection, or the controller for a docker client. */
    private static ExecResult run(Connection on, Call c, List<String> argv) throws ModuleException {
        try {
            return on.exec(argv, ExecOptions.defaults().withTimeout(Duration.ofSeconds(c.timeoutSeconds + 30)));
        } catch (ConnectionException e) {
            throw new ModuleException(c.conn.host() + ": cannot run " + ShellQuote.join(argv) + ": " + e.getMessage(), e);
        }
    }

    private static List<String> display(List<List<String>> cmds) {
        List<String> out = new ArrayList<>();
        for (List<String> c : cmds) {
            out.add(ShellQuote.join(c));
        }
        return out;
    }

    private static String verb(String state) {
        return switch (state) {
            case "started" -> "start";
            case "stopped" -> "stop";
            default -> "restart";
        };
    }
}
