package dev.ringplan.sandbox;

import dev.ringplan.engine.diag.RingplanException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Starts and stops the JVMs of sandbox nodes: finds a node's live JVM (PID file, else its argv in
 * /proc), starts a node with its {@code bin/start} and waits for its CQL port, stops nodes with
 * their {@code bin/stop} and kills what is left, and, when asked, stops the nodes started by this
 * JVM when it exits (a shutdown hook).
 */
final class NodeLauncher {
    /** Stop scripts of the nodes started by this JVM with stop-on-exit, for the shutdown hook. */
    private static final Set<Path> STARTED_HERE = new HashSet<>();
    private static boolean hookInstalled;

    private final String name;
    private final Duration startTimeout;
    private final boolean stopOnExit;

    /**
     * @param name         the sandbox name, for messages
     * @param startTimeout how long a start waits for the node's CQL port
     * @param stopOnExit   whether nodes started are stopped when this JVM exits
     */
    NodeLauncher(String name, Duration startTimeout, boolean stopOnExit) {
        this.name = name;
        this.startTimeout = startTimeout;
        this.stopOnExit = stopOnExit;
    }

    /** The PID of the node's live JVM: the PID file's if alive, else one found by argv. */
    static OptionalLong runningPid(NodeSpec n) {
        OptionalLong pid = Procs.readPid(n.pidFile());
        if (pid.isPresent() && Procs.isAlive(pid.getAsLong(), n.configArgument())) {
            return pid;
        }
        List<Long> found = Procs.findByArg(n.configArgument());
        return found.isEmpty() ? OptionalLong.empty() : OptionalLong.of(found.get(0));
    }

    /**
     * Starts {@code node} with its {@code bin/start} and waits until its CQL port is open.
     *
     * @throws RingplanException when a port of the node is taken, the script fails, the JVM exits
     *                           or the CQL port stays closed for the start timeout (the message
     *                           quotes the log's last errors)
     */
    void start(NodeSpec node, Consumer<String> log) throws RingplanException, IOException {
        try {
            startOnce(node, log);
        } catch (RingplanException e) {
            if (!seedsUnreachable(node)) {
                throw e;
            }
            // Cassandra gives a bootstrapping node ring_delay (1 s here) to hear from a seed; on a
            // loaded machine that round can be lost although the seed listens. An operator starts
            // the node again; so does the sandbox, once.
            log.accept(node.host() + " could not contact its seeds during start-up (Cassandra's 'Unable to contact"
                    + " any seeds'); starting it once more");
            startOnce(node, log);
        }
    }

    /** True when the node's system.log says it gave up on its seeds (StorageService.bootstrap). */
    private static boolean seedsUnreachable(NodeSpec node) {
        try {
            return Files.isRegularFile(node.systemLog())
                    && Files.readString(node.systemLog()).contains("Unable to contact any seeds");
        } catch (IOException e) {
            return false;
        }
    }

    private void startOnce(NodeSpec node, Consumer<String> log) throws RingplanException, IOException {
        for (int port : new int[] {NodeSpec.STORAGE_PORT, NodeSpec.CQL_PORT}) {
            if (Procs.portOpen(node.address(), port, 300)) {
                throw new RingplanException(node.host() + ": " + node.address() + ":" + port + " is already in use by"
                        + " another process (another sandbox with the same addresses in another directory?)");
            }
        }
        if (Procs.portOpen("127.0.0.1", node.jmxPort(), 300)) {
            throw new RingplanException(node.host() + ": JMX port 127.0.0.1:" + node.jmxPort()
                    + " is already in use by another process");
        }
        Procs.Output out = Procs.run(List.of(node.startScript().toString()), Duration.ofSeconds(30));
        if (out.exitCode() != 0) {
            throw new RingplanException(node.host() + ": " + node.startScript() + " failed (exit " + out.exitCode()
                    + "): " + out.text().strip());
        }
        OptionalLong pid = Procs.readPid(node.pidFile());
        if (pid.isEmpty()) {
            throw new RingplanException(node.host() + ": " + node.startScript() + " wrote no PID file "
                    + node.pidFile());
        }
        long p = pid.getAsLong();
        if (stopOnExit) {
            registerForExit(node);
        }
        log.accept(node.host() + " starting at " + node.address() + " (pid " + p + ", JMX " + node.jmxPort()
                + ", log " + node.systemLog() + ")");
        long t0 = System.nanoTime();
        long deadline = t0 + startTimeout.toNanos();
        while (!Procs.portOpen(node.address(), NodeSpec.CQL_PORT, 500)) {
            if (!processExists(p)) {
                throw new RingplanException(node.host() + " exited during start-up (pid " + p + ")" + logHints(node));
            }
            if (System.nanoTime() > deadline) {
                throw new RingplanException(node.host() + " did not open CQL port " + node.address() + ":"
                        + NodeSpec.CQL_PORT + " within " + startTimeout.toSeconds() + " s (pid " + p
                        + " still runs; stop it with 'ringplan sandbox down --name " + name + "')" + logHints(node));
            }
            pause(500);
        }
        log.accept(String.format("%s CQL port open after %.1f s", node.host(), (System.nanoTime() - t0) / 1e9));
    }

    private static boolean processExists(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = stat.lastIndexOf(')');
            char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : 'X';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** The last errors of the node's log and the last lines of its console, for failure messages. */
    static String logHints(NodeSpec node) {
        StringBuilder sb = new StringBuilder();
        List<String> errors = Procs.tail(node.systemLog(), 2000).stream()
                .filter(l -> l.startsWith("ERROR")).collect(Collectors.toList());
        if (!errors.isEmpty()) {
            sb.append("\n  last errors in the log:");
            for (String l : errors.subList(Math.max(0, errors.size() - 3), errors.size())) {
                sb.append("\n    ").append(l.length() > 400 ? l.substring(0, 400) + "..." : l);
            }
        }
        List<String> console = Procs.tail(node.stdoutLog(), 5);
        if (!console.isEmpty()) {
            sb.append("\n  last lines of ").append(node.stdoutLog()).append(':');
            for (String l : console) {
                sb.append("\n    ").append(l.length() > 400 ? l.substring(0, 400) + "..." : l);
            }
        }
        sb.append("\n  see ").append(node.systemLog());
        return sb.toString();
    }

    /**
     * Stops every running node of {@code specs} with its {@code bin/stop}, last node first, in
     * parallel; then kills any JVM of these nodes still found by its argv and forgets them for the
     * exit hook.
     *
     * @throws RingplanException when a JVM survives
     */
    static void stopAll(List<NodeSpec> specs, Consumer<String> log) throws RingplanException {
        List<CompletableFuture<String>> futures = new ArrayList<>();
        List<NodeSpec> reversed = new ArrayList<>(specs);
        Collections.reverse(reversed);
        for (NodeSpec n : reversed) {
            if (runningPid(n).isEmpty()) {
                Procs.readPid(n.pidFile()).ifPresent(p -> deleteQuietly(n.pidFile()));
                log.accept(n.host() + " not running");
                continue;
            }
            futures.add(CompletableFuture.supplyAsync(() -> stopOne(n)));
        }
        for (CompletableFuture<String> f : futures) {
            log.accept(f.join());
        }
        List<String> left = new ArrayList<>();
        for (NodeSpec n : specs) {
            for (long pid : Procs.findByArg(n.configArgument())) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (Procs.isAlive(pid, n.configArgument()) && System.nanoTime() < deadline) {
                    pause(200);
                }
                if (Procs.isAlive(pid, n.configArgument())) {
                    left.add(n.host() + " pid " + pid);
                } else {
                    log.accept(n.host() + " leftover JVM " + pid + " killed");
                }
            }
            synchronized (STARTED_HERE) {
                STARTED_HERE.remove(n.stopScript());
            }
        }
        if (!left.isEmpty()) {
            throw new RingplanException("could not stop " + String.join(", ", left));
        }
    }

    private static String stopOne(NodeSpec n) {
        try {
            Procs.Output out = Procs.run(List.of(n.stopScript().toString()),
                    Duration.ofSeconds(NodeFiles.STOP_TIMEOUT_SECONDS + 30));
            return n.host() + " " + out.text().strip();
        } catch (IOException e) {
            return n.host() + " stop failed: " + e.getMessage();
        }
    }

    private static void registerForExit(NodeSpec node) {
        synchronized (STARTED_HERE) {
            STARTED_HERE.add(node.stopScript());
            if (!hookInstalled) {
                hookInstalled = true;
                Runtime.getRuntime().addShutdownHook(new Thread(NodeLauncher::stopStartedHere, "ringplan-sandbox-stop"));
            }
        }
    }

    private static void stopStartedHere() {
        List<Path> scripts;
        synchronized (STARTED_HERE) {
            scripts = new ArrayList<>(STARTED_HERE);
            STARTED_HERE.clear();
        }
        List<Process> procs = new ArrayList<>();
        for (Path s : scripts) {
            try {
                procs.add(new ProcessBuilder(s.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            } catch (IOException e) {
                // best effort at exit
            }
        }
        for (Process p : procs) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // harmless: the PID file names a dead process
        }
    }

    /** Sleeps {@code ms}; an interrupt becomes a {@link RingplanException} (flag kept). */
    static void pause(long ms) throws RingplanException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RingplanException("interrupted", e);
        }
    }
}
