package dev.ringplan.sandbox;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * What {@link Sandbox#status()} observed of one sandbox node's process on this machine: its JVM
 * (PID, running, resident memory), whether its CQL port accepts connections, and its log. Not
 * the node's state in the ring (for that: {@link Sandbox#ringStatus()}).
 *
 * @param host       the inventory host name ({@code node1}, ...)
 * @param address    the node's loopback address
 * @param datacenter the node's datacenter (as the sandbox's state records it)
 * @param rack       the node's rack
 * @param jmxPort    the node's JMX port
 * @param pid        the PID of the node's JVM when it runs (from the PID file, else found by its
 *                   argv in /proc), empty otherwise
 * @param running    true when a live JVM of this node exists
 * @param cqlOpen    true when {@code address:9042} accepts TCP connections
 * @param rssKiB     the JVM's resident set size in KiB ({@code VmRSS}), -1 when not running
 * @param log        the node's {@code logs/system.log}
 */
public record SandboxNodeProcess(String host, String address, String datacenter, String rack, int jmxPort,
                                 OptionalLong pid, boolean running, boolean cqlOpen, long rssKiB, Path log) {
}
