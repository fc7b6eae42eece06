package dev.ringplan.sandbox;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.RingplanException;
import dev.ringplan.engine.diag.SourcePos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * A local Cassandra 5.0.7 cluster of real nodes, one JVM each, on loopback addresses: the
 * {@code ringplan sandbox} command and the cluster integration tests use.
 *
 * <p>State lives under {@code <workDir>/.ringplan/sandbox/<name>/}: {@code sandbox.yaml} (address
 * index, node count, data directories, JMX ports), one {@code node<N>/} per node (conf, data
 * directories, commitlog, hints, saved_caches, cdc_raw, logs, {@code bin/start},
 * {@code bin/stop}, PID file), {@code tools-logback.xml}, {@code host_vars/<host>.yaml} and
 * {@code inventory.yaml}. Nodes of the sandbox {@code default} listen on 127.0.0.1..K, those of
 * any other sandbox on 127.0.i.1..K with i recorded in its state; node 1 is the seed. Every node
 * of a sandbox is in one datacenter and rack (GossipingPropertyFileSnitch; datacenter1 / rack1
 * unless {@link SandboxOptions} say otherwise). A sandbox is a cluster of its own
 * ({@code ringplan-<name>}), or joins another sandbox of the same work directory as a new
 * datacenter of its cluster: same cluster name, the joined sandbox's seeds before its own node 1,
 * {@code auto_bootstrap: false}. Nodes keep running after this JVM exits unless
 * {@link #setStopOnExit(boolean)} is set.
 *
 * <p>Not thread-safe; {@link #up} and {@link #down} take a per-sandbox file lock so two
 * processes cannot change the same sandbox at once.
 *
 * <p>This class is the sandbox's life cycle; the work is done by {@link SandboxLayout} (state and
 * node specs), {@link SandboxAllocator} (addresses and ports of a new sandbox), {@link SandboxFiles} and {@link SandboxHostVars} (files
 * and inventory), {@link NodeLauncher} (node JVMs), {@link SandboxRing} (nodetool status) and
 * {@link SandboxLock}.
 */
public final class Sandbox {
    /** The default sandbox name. */
    public static final String DEFAULT_NAME = Addresses.DEFAULT_NAME;
    /** Nodes of a new sandbox when no count is given. */
    public static final int DEFAULT_NODES = 3;
    /** The most nodes a sandbox may have. */
    public static final int MAX_NODES = Addresses.MAX_NODES;
    /** The most data directories per node. */
    public static final int MAX_DATA_DIRS = 8;
    /** The datacenter of a sandbox's nodes when none is given. */
    public static final String DEFAULT_DATACENTER = NodeFiles.DEFAULT_DATACENTER;
    /** The rack of a sandbox's nodes when none is given. */
    public static final String DEFAULT_RACK = NodeFiles.DEFAULT_RACK;

    private static final String NAME_PATTERN = "[a-z0-9][a-z0-9_-]{0,31}";

    private final Path workDir;
    private final String name;
    private final Path stateDir;
    private final SandboxFiles files;
    private final SandboxLayout layout;
    private Path cassandraLib;
    private Duration startTimeout = Duration.ofSeconds(180);
    private Duration upTimeout = Duration.ofSeconds(120);
    private boolean stopOnExit;
    private static final String DOWN_MARKER = "stopped-by-down";

    /**
     * A handle on sandbox {@code name} of {@code workDir}; nothing is created until {@link #up}.
     *
     * @param workDir the directory holding {@code .ringplan/} (made absolute)
     * @param name    the sandbox name: 1-32 characters of {@code a-z 0-9 _ -}, starting with a
     *                letter or digit; null means {@value #DEFAULT_NAME}
     * @throws InvalidInputException when the name is not valid
     */
    public Sandbox(Path workDir, String name) throws InvalidInputException {
        this.workDir = Objects.requireNonNull(workDir, "workDir").toAbsolutePath().normalize();
        this.name = name == null ? DEFAULT_NAME : name;
        validateName(this.name);
        this.stateDir = sandboxesDir(this.workDir).resolve(this.name);
        this.files = new SandboxFiles(this.name, stateDir);
        this.layout = new SandboxLayout(this.workDir, this.name, stateDir);
    }

    /**
     * True when the sandbox was stopped as a whole by {@link #down} (and not brought up since),
     * as opposed to nodes stopped one by one by a plan (a restore, a clone): tools that start
     * a sandbox on demand start it in the first case only.
     */
    public boolean stoppedByDown() {
        return Files.exists(stateDir.resolve(DOWN_MARKER));
    }

    /**
     * Checks a sandbox name: 1-32 characters of {@code a-z 0-9 _ -}, starting with a letter or digit.
     *
     * @throws InvalidInputException when it is not valid (position {@code --name})
     */
    public static void validateName(String name) throws InvalidInputException {
        if (name == null || !name.matches(NAME_PATTERN)) {
            throw new InvalidInputException(SourcePos.ofFile("--name"), "invalid sandbox name '" + name
                    + "': use 1-32 characters a-z, 0-9, '_' or '-', starting with a letter or digit");
        }
    }

    /** {@code <workDir>/.ringplan/sandbox}, the directory of every sandbox of {@code workDir}. */
    public static Path sandboxesDir(Path workDir) {
        return workDir.toAbsolutePath().normalize().resolve(".ringplan").resolve("sandbox");
    }

    /** The sandbox name. */
    public String name() {
        return name;
    }

    /** The absolute work directory. */
    public Path workDir() {
        return workDir;
    }

    /** {@code <workDir>/.ringplan/sandbox/<name>}. */
    public Path stateDir() {
        return stateDir;
    }

    /** {@code <stateDir>/inventory.yaml}, written by {@link #up}. */
    public Path inventoryFile() {
        return files.inventoryFile();
    }

    /** True when the sandbox has been created (its state file exists). */
    public boolean exists() {
        return layout.exists();
    }

    /** Uses {@code lib} as the Cassandra lib directory instead of {@link CassandraLib#locate}. */
    public void setCassandraLib(Path lib) {
        this.cassandraLib = lib == null ? null : lib.toAbsolutePath().normalize();
    }

    /** How long {@link #up} waits for one node's CQL port after starting it (default 180 s). */
    public void setStartTimeout(Duration timeout) {
        this.startTimeout = Objects.requireNonNull(timeout);
    }

    /** How long {@link #up} waits for the nodes to be UN in {@code nodetool status} (default 120 s). */
    public void setUpTimeout(Duration timeout) {
        this.upTimeout = Objects.requireNonNull(timeout);
    }

    /**
     * When true, nodes this Sandbox starts are stopped (their {@code bin/stop}) by a JVM shutdown
     * hook when this process exits, even after a failed test. Off by default: the CLI's nodes
     * must outlive the CLI.
     */
    public void setStopOnExit(boolean stopOnExit) {
        this.stopOnExit = stopOnExit;
    }

    /**
     * The Cassandra lib directory: the one set by {@link #setCassandraLib}, else
     * {@link CassandraLib#locate} from the process working directory, then from {@link #workDir()}.
     *
     * @throws RingplanException when it cannot be found (the message says how to make it)
     */
    public Path cassandraLib() throws RingplanException {
        if (cassandraLib == null) {
            cassandraLib = CassandraLib.locate(Path.of(System.getProperty("user.dir", ".")), workDir);
        }
        return cassandraLib;
    }

    /**
     * The nodes of the existing sandbox, node 1 first.
     *
     * @throws RingplanException when the sandbox does not exist or its state cannot be read
     */
    public List<NodeSpec> nodes() throws RingplanException {
        return layout.specs(layout.read());
    }

    /**
     * The name of the sandbox this one joined as a new datacenter, empty for a cluster of its own.
     *
     * @throws RingplanException when the sandbox does not exist or its state cannot be read
     */
    public java.util.Optional<String> joined() throws RingplanException {
        return java.util.Optional.ofNullable(layout.read().join());
    }

    /**
     * Creates what is missing and starts every node that is not running, one after another (each
     * new node waits until the nodes before it are UN), then waits until every node is UN in
     * {@code nodetool status} and writes {@code host_vars/} and {@code inventory.yaml}.
     * Idempotent: on a running sandbox it only checks and rewrites the inventory. An existing
     * {@code cassandra.yaml} (maybe edited by a plan) is kept; scripts are rewritten.
     *
     * @param nodes    node count, 1..{@value #MAX_NODES}; null: the existing count, or
     *                 {@value #DEFAULT_NODES} for a new sandbox
     * @param dataDirs data directories per node, 1..{@value #MAX_DATA_DIRS}; null: existing or 1
     * @param log      receives one progress line at a time
     * @return the status of every node afterwards
     * @throws InvalidInputException when a count is out of range or differs from the existing sandbox's
     * @throws RingplanException     when a node fails to start or join in time (the message names its log)
     */
    public List<SandboxNodeProcess> up(Integer nodes, Integer dataDirs, Consumer<String> log) throws RingplanException {
        return up(SandboxOptions.counts(nodes, dataDirs), log);
    }

    /**
     * {@link #up(Integer, Integer, Consumer)} with a datacenter, a rack and a sandbox to join as
     * well. A sandbox that joins another (now or when it was created) starts a node that has never
     * run only while a node of the joined sandbox runs, so that it joins that cluster instead of
     * forming one of its own; nodes that ran before restart without it.
     *
     * @throws InvalidInputException when an option is out of range, differs from the existing
     *                               sandbox's, or names a sandbox to join that does not exist
     * @throws RingplanException     when the joined sandbox is not running, or a node fails to
     *                               start or join in time (the message names its log)
     */
    public List<SandboxNodeProcess> up(SandboxOptions options, Consumer<String> log) throws RingplanException {
        options.validate(name);
        Path lib = cassandraLib();
        Path java = CassandraLib.java();
        long t0 = System.nanoTime();
        NodeLauncher launcher = new NodeLauncher(name, startTimeout, stopOnExit);
        SandboxRing ring = ring();
        try (FileLock ignored = lock()) {
            List<NodeSpec> specs = prepare(options, java, lib, log);
            String join = layout.read().join();
            for (int i = 0; i < specs.size(); i++) {
                NodeSpec node = specs.get(i);
                OptionalLong pid = NodeLauncher.runningPid(node);
                if (pid.isPresent()) {
                    log.accept(node.host() + " already running at " + node.address() + " (pid " + pid.getAsLong() + ")");
                    continue;
                }
                if (join != null && neverStarted(node)) {
                    requireRunning(join, node);
                }
                if (i > 0) {
                    ring.waitUn(specs.subList(0, i), log);
                }
                ring.waitSeedsListening(node, specs, log);
                launcher.start(node, log);
            }
            ring.waitUn(specs, log);
            files.writeInventory(hostVars(specs, java, lib));
            Files.deleteIfExists(stateDir.resolve(DOWN_MARKER));
            log.accept(String.format("sandbox '%s' up: %d node%s UN in %.1f s; inventory %s", name, specs.size(),
                    specs.size() == 1 ? "" : "s", (System.nanoTime() - t0) / 1e9, inventoryFile()));
        } catch (IOException e) {
            throw new RingplanException("sandbox '" + name + "': " + e.getMessage(), e);
        }
        return status();
    }

    /**
     * Observes every node: PID, running, CQL port open, RSS. Starts nothing.
     *
     * @throws RingplanException when the sandbox does not exist
     */
    public List<SandboxNodeProcess> status() throws RingplanException {
        List<SandboxNodeProcess> out = new ArrayList<>();
        for (NodeSpec n : nodes()) {
            OptionalLong pid = NodeLauncher.runningPid(n);
            boolean cql = Procs.portOpen(n.address(), NodeSpec.CQL_PORT, 300);
            long rss = pid.isPresent() ? Procs.rssKiB(pid.getAsLong()) : -1;
            out.add(new SandboxNodeProcess(n.host(), n.address(), n.datacenter(), n.rack(), n.jmxPort(), pid,
                    pid.isPresent(), cql, rss, n.systemLog()));
        }
        return out;
    }

    /**
     * The state of each address in {@code nodetool status} as seen by the first running node,
     * e.g. {@code 127.0.0.1 -> UN} (format: see {@link NodetoolStatusLetters}).
     *
     * @throws RingplanException when no node runs or nodetool fails
     */
    public Map<String, String> ringStatus() throws RingplanException {
        List<NodeSpec> specs = nodes();
        for (NodeSpec n : specs) {
            if (NodeLauncher.runningPid(n).isPresent()) {
                return ring().status(n);
            }
        }
        throw new RingplanException("sandbox '" + name + "': no node is running");
    }

    /**
     * Stops every node cleanly (their {@code bin/stop}, in parallel: SIGTERM, SIGKILL after
     * {@value NodeFiles#STOP_TIMEOUT_SECONDS} s), then checks no JVM of this sandbox is left (found
     * by its argv in /proc, so even a node whose PID file was lost is stopped). Data is kept
     * unless {@code destroy}, which then removes the whole state directory. A sandbox that does not
     * exist is not an error.
     *
     * @throws RingplanException when a node's JVM cannot be stopped
     */
    public void down(boolean destroy, Consumer<String> log) throws RingplanException {
        if (!Files.isDirectory(stateDir)) {
            log.accept("sandbox '" + name + "' does not exist in " + workDir + ": nothing to stop");
            return;
        }
        try (FileLock ignored = lock()) {
            List<NodeSpec> specs = exists() ? nodes() : List.of();
            NodeLauncher.stopAll(specs, log);
            if (destroy) {
                SandboxFiles.deleteTree(stateDir);
                log.accept("sandbox '" + name + "' destroyed (" + stateDir + " removed)");
            } else {
                Files.writeString(stateDir.resolve(DOWN_MARKER), "stopped by 'sandbox down'\n");
                log.accept("sandbox '" + name + "' down; data kept in " + stateDir);
            }
        } catch (IOException e) {
            throw new RingplanException("sandbox '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * Creates the sample keyspaces and rows through the CQL driver: {@code ringplan_demo} (users
     * 2,000 rows, events 5,000) and {@code ringplan_shop} (products 200, orders 3,000),
     * SimpleStrategy with RF = min(2, nodes), written at QUORUM; in a datacenter other than
     * {@value #DEFAULT_DATACENTER}, NetworkTopologyStrategy with that datacenter and LOCAL_QUORUM
     * (see {@link SampleData}). Idempotent: IF NOT EXISTS DDL and deterministic upserts, so
     * re-running neither fails nor adds rows.
     *
     * @return rows written per {@code keyspace.table}
     * @throws RingplanException when the sandbox is not running or a statement fails
     */
    public Map<String, Integer> load(Consumer<String> log) throws RingplanException {
        List<NodeSpec> specs = nodes();
        long t0 = System.nanoTime();
        try (CqlSession session = openSession()) {
            log.accept("loading sample data into sandbox '" + name + "' (RF " + Math.min(2, specs.size()) + ")");
            Map<String, Integer> rows = SampleData.load(session, specs.size(), specs.get(0).datacenter(), log);
            log.accept(String.format("sample data loaded in %.1f s", (System.nanoTime() - t0) / 1e9));
            return rows;
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new RingplanException("loading sample data failed: " + c.getMessage(), c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RingplanException("loading sample data interrupted", e);
        } catch (RuntimeException e) {
            throw new RingplanException("loading sample data failed: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a CQL session (java-driver-core) to the running nodes of this sandbox, local
     * datacenter theirs, 30 s request timeout. The caller closes it.
     *
     * @throws RingplanException when no node's CQL port is open or the driver cannot connect
     */
    public CqlSession openSession() throws RingplanException {
        List<InetSocketAddress> points = new ArrayList<>();
        List<NodeSpec> specs = nodes();
        for (NodeSpec n : specs) {
            if (Procs.portOpen(n.address(), NodeSpec.CQL_PORT, 300)) {
                points.add(new InetSocketAddress(n.address(), NodeSpec.CQL_PORT));
            }
        }
        if (points.isEmpty()) {
            throw new RingplanException("sandbox '" + name + "' is not running (no CQL port open); run "
                    + "'ringplan sandbox up --name " + name + "'");
        }
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
                .build();
        try {
            return CqlSession.builder().addContactPoints(points).withLocalDatacenter(specs.get(0).datacenter())
                    .withConfigLoader(config).build();
        } catch (RuntimeException e) {
            throw new RingplanException("cannot connect to sandbox '" + name + "' over CQL: " + e.getMessage(), e);
        }
    }

    /**
     * The nodetool argv prefix of this sandbox ({@code nodetool_cmd}): JDK 17 java, start-up speed
     * flags, the two JDK 17 flags nodetool needs, the quiet tools logback config, {@code -cp <lib>/*},
     * {@code org.apache.cassandra.tools.NodeTool}. Append {@code -h 127.0.0.1 -p <jmx port> <command>}.
     *
     * @throws RingplanException when the lib directory or the JDK cannot be found
     */
    public List<String> nodetoolCommand() throws RingplanException {
        return NodeFiles.nodetoolCommand(CassandraLib.java(), cassandraLib(), files.toolsLogback(), true);
    }

    /**
     * The variables of each host ({@code node1}, {@code node2}, ...) in the "Cassandra host
     * variables" contract, with absolute paths: ansible_connection (local), ansible_host,
     * listen_address, cql_host, cql_port, jmx_host, jmx_port, datacenter, rack, nodetool_cmd, cassandra_version,
     * cassandra_yaml, cassandra_data_dirs, cassandra_commitlog_dir, cassandra_hints_dir,
     * cassandra_saved_caches_dir, cassandra_start_cmd, cassandra_stop_cmd, cassandra_pid_file;
     * plus cassandra_log_dir and sstableloader_cmd (argv prefix of BulkLoader with this lib).
     *
     * @return host name to its variables, node 1 first (fresh mutable maps)
     * @throws RingplanException when the sandbox does not exist or the lib/JDK cannot be found
     */
    public Map<String, Map<String, Object>> hostVars() throws RingplanException {
        return hostVars(nodes(), CassandraLib.java(), cassandraLib());
    }

    /**
     * Creates (or checks) the state and writes every file of the sandbox, inventory included,
     * without starting any node: what {@link #up} does before its first start.
     *
     * @return the nodes
     * @throws InvalidInputException when the counts differ from the existing sandbox's
     * @throws RingplanException     when the lib, the JDK or the files cannot be had
     */
    List<NodeSpec> create(Integer nodes, Integer dataDirs, Consumer<String> log) throws RingplanException {
        return create(SandboxOptions.counts(nodes, dataDirs), log);
    }

    /** {@link #create(Integer, Integer, Consumer)} with every option. */
    List<NodeSpec> create(SandboxOptions options, Consumer<String> log) throws RingplanException {
        options.validate(name);
        Path lib = cassandraLib();
        Path java = CassandraLib.java();
        try (FileLock ignored = lock()) {
            return prepare(options, java, lib, log);
        } catch (IOException e) {
            throw new RingplanException("sandbox '" + name + "': " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- internals

    private List<NodeSpec> prepare(SandboxOptions options, Path java, Path lib, Consumer<String> log)
            throws RingplanException, IOException {
        List<NodeSpec> specs = layout.specs(layout.createOrCheck(options, log));
        files.writeNodeFiles(specs, java, lib);
        files.writeInventory(hostVars(specs, java, lib));
        return specs;
    }

    private Map<String, Map<String, Object>> hostVars(List<NodeSpec> specs, Path java, Path lib) {
        return SandboxHostVars.of(specs, java, lib, files.toolsLogback());
    }

    private SandboxRing ring() {
        return new SandboxRing(name, upTimeout, this::nodetoolCommand);
    }

    private FileLock lock() throws RingplanException, IOException {
        return SandboxLock.acquire(sandboxesDir(workDir), name);
    }

    /** True when the node has no system keyspace yet: it never ran. */
    private static boolean neverStarted(NodeSpec node) {
        return !Files.isDirectory(node.dataDirPaths().get(0).resolve("system"));
    }

    /** Fails unless a node of sandbox {@code join}, which {@code node}'s sandbox joins, runs. */
    private void requireRunning(String join, NodeSpec node) throws RingplanException {
        Sandbox joined = new Sandbox(workDir, join);
        boolean running = joined.exists() && joined.status().stream().anyMatch(p -> p.running() && p.cqlOpen());
        if (!running) {
            throw new RingplanException("sandbox '" + name + "' joins sandbox '" + join + "' as datacenter "
                    + node.datacenter() + ", but no node of '" + join + "' is running: " + node.host()
                    + " has never run and would form a cluster of its own; bring '" + join + "' up first ('ringplan "
                    + "sandbox up --name " + join + "')");
        }
    }
}
