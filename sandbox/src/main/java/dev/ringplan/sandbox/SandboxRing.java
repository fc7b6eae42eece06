package dev.ringplan.sandbox;

import dev.ringplan.engine.diag.RingplanException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The sandbox's ring as nodetool sees it: the state of each address ({@code UN}, {@code DN}, ...)
 * from {@code nodetool status} ({@link NodetoolStatusLetters}), and the wait until given nodes
 * are all up and normal.
 */
final class SandboxRing {
    /** The nodetool argv prefix, computed when needed (finding the JDK and lib may fail). */
    @FunctionalInterface
    interface Nodetool {
        /** The argv prefix; append {@code -h HOST -p PORT COMMAND}. */
        List<String> command() throws RingplanException;
    }

    private final String name;
    private final Duration upTimeout;
    private final Nodetool nodetool;

    /**
     * @param name      the sandbox name, for messages
     * @param upTimeout how long {@link #waitUn} waits
     * @param nodetool  the nodetool argv prefix
     */
    SandboxRing(String name, Duration upTimeout, Nodetool nodetool) {
        this.name = name;
        this.upTimeout = upTimeout;
        this.nodetool = nodetool;
    }

    /**
     * The two-letter state of each address in {@code nodetool status} run against {@code via}.
     *
     * @throws RingplanException when nodetool cannot be run or fails
     */
    Map<String, String> status(NodeSpec via) throws RingplanException {
        List<String> argv = new ArrayList<>(nodetool.command());
        argv.addAll(List.of("-h", "127.0.0.1", "-p", Integer.toString(via.jmxPort()), "status"));
        Procs.Output out;
        try {
            out = Procs.run(argv, Duration.ofSeconds(60));
        } catch (IOException e) {
            throw new RingplanException("cannot run nodetool: " + e.getMessage(), e);
        }
        if (out.exitCode() != 0) {
            String text = out.text().strip();
            throw new RingplanException("nodetool status on " + via.host() + " failed (exit " + out.exitCode() + ")"
                    + (text.isEmpty() ? "" : ": " + text.lines().limit(5).collect(Collectors.joining(" | "))));
        }
        return NodetoolStatusLetters.parse(out.text());
    }

    /** Waits until every node of {@code nodes} is UN as seen by the first of them. */
    void waitUn(List<NodeSpec> nodes, Consumer<String> log) throws RingplanException {
        long deadline = System.nanoTime() + upTimeout.toNanos();
        String last = "";
        while (true) {
            for (NodeSpec n : nodes) {
                if (NodeLauncher.runningPid(n).isEmpty()) {
                    throw new RingplanException(n.host() + " (" + n.address() + ") is not running" + NodeLauncher.logHints(n));
                }
            }
            Map<String, String> ring;
            try {
                ring = status(nodes.get(0));
            } catch (RingplanException e) {
                ring = Map.of();
                last = e.getMessage();
            }
            List<String> notUn = new ArrayList<>();
            for (NodeSpec n : nodes) {
                String st = ring.getOrDefault(n.address(), "absent");
                if (!"UN".equals(st)) {
                    notUn.add(n.host() + " " + n.address() + " is " + st);
                }
            }
            if (notUn.isEmpty() && !ring.isEmpty()) {
                return;
            }
            if (!ring.isEmpty()) {
                last = String.join(", ", notUn);
            }
            if (System.nanoTime() > deadline) {
                NodeSpec culprit = nodes.get(nodes.size() - 1);
                throw new RingplanException("nodes of sandbox '" + name + "' not all UN after " + upTimeout.toSeconds()
                        + " s: " + last + NodeLauncher.logHints(culprit));
            }
            NodeLauncher.pause(1000);
        }
    }

    /**
     * Waits until every seed of {@code node} other than itself listens on its storage port: a node
     * that starts while its seed's port is closed fails at once with Cassandra's "Unable to contact
     * any seeds" (its shadow round gets "connection refused"), so this names the seed instead. A
     * seed that is a node of this sandbox ({@code specs}) must also be running.
     *
     * @throws RingplanException when a seed of this sandbox is not running, or a seed's storage
     *                           port stays closed for the wait (the message names the seed and its log)
     */
    void waitSeedsListening(NodeSpec node, List<NodeSpec> specs, Consumer<String> log) throws RingplanException {
        long deadline = System.nanoTime() + upTimeout.toNanos();
        for (String seed : node.seeds()) {
            if (seed.equals(node.address())) {
                continue;
            }
            NodeSpec own = specs.stream().filter(s -> s.address().equals(seed)).findFirst().orElse(null);
            boolean said = false;
            while (!Procs.portOpen(seed, NodeSpec.STORAGE_PORT, 500)) {
                if (own != null && NodeLauncher.runningPid(own).isEmpty()) {
                    throw new RingplanException("cannot start " + node.host() + ": its seed " + own.host() + " (" + seed
                            + ") is not running" + NodeLauncher.logHints(own));
                }
                if (System.nanoTime() > deadline) {
                    throw new RingplanException("cannot start " + node.host() + ": its seed " + seed + ":"
                            + NodeSpec.STORAGE_PORT + " did not listen within " + upTimeout.toSeconds() + " s"
                            + (own != null ? NodeLauncher.logHints(own) : ""));
                }
                if (!said) {
                    log.accept(node.host() + " waits for its seed " + seed + ":" + NodeSpec.STORAGE_PORT + " to listen");
                    said = true;
                }
                NodeLauncher.pause(500);
            }
        }
    }
}
