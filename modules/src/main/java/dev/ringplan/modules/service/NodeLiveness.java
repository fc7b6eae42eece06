package dev.ringplan.modules.service;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ExecOptions;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.modules.CassandraHost;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Whether a Cassandra node is alive, probed read-only through its host's {@link Connection}: is
 * the process in {@code cassandra_pid_file} alive, is a TCP port open as seen from the host. (Not
 * Cassandra's JMX client {@code org.apache.cassandra.tools.NodeProbe}: nothing here talks JMX.)
 * Used by {@code service} (is the node running), {@code fs_clear} (refuse while it runs) and
 * {@code wait_for} (port open / closed).
 *
 * <p>How each probe works, and why:
 * <ul>
 * <li><b>PID alive</b>: the PID file is read through the connection (SFTP over SSH), then
 *     {@code sh -c 'kill -0 "$1"'} runs on the host with the PID as a separate argument (signal 0
 *     checks existence without sending anything; POSIX {@code kill}). A failure whose message says
 *     "not permitted" (EPERM: the process exists but belongs to another user) counts as alive. A
 *     zombie (state {@code Z}, the field after the command name in {@code /proc/PID/stat}, see
 *     proc(5)) counts as dead, since a killed node whose parent did not reap it is gone.</li>
 * <li><b>Port open</b>: on a {@code local} connection a Java socket connects from the controller,
 *     which is the host. Over SSH the host itself tries the connection:
 *     {@code timeout N bash -c 'exec 3<>"/dev/tcp/$1/$2"' probe HOST PORT} (bash's
 *     {@code /dev/tcp} redirection; host and port are passed as arguments, never pasted into the
 *     script). Exit 0 = open; 1 ("Connection refused") or 124 (timed out) = closed. A bash without
 *     {@code /dev/tcp} support, or a missing {@code bash}/{@code timeout}, is an error rather than
 *     a silent "closed".</li>
 * </ul>
 */
public final class NodeLiveness {
    private static final Pattern DIGITS = Pattern.compile("\\d{1,10}");
    private static final Pattern SAFE_HOST = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]+");

    /** {@code kill -0} with EPERM as alive and zombies as dead; exit 0 alive, 1 dead. */
    static final String PID_ALIVE_SCRIPT = String.join("\n",
            "if ! out=$(kill -0 \"$1\" 2>&1); then",
            "  case \"$out\" in *ermit*) ;; *) exit 1 ;; esac",
            "fi",
            "if [ -r \"/proc/$1/stat\" ]; then",
            "  s=$(sed -e 's/^.*) //' \"/proc/$1/stat\" | cut -c1)",
            "  [ \"$s\" = Z ] && exit 1",
            "fi",
            "exit 0");

    /** Opens a TCP connection with bash's /dev/tcp; host in $1, port in $2. */
    static final String PORT_SCRIPT = "exec 3<>\"/dev/tcp/$1/$2\"";

    private NodeLiveness() {
    }

    /**
     * Whether a node runs, and what showed it.
     *
     * @param running  true when the node (or something on its ports) runs
     * @param evidence one phrase for messages, e.g. "pid 1234 in /x/cassandra.pid is alive"
     * @param pid      the live PID, or null when not known
     */
    public record Running(boolean running, String evidence, Long pid) {
    }

    /**
     * The PID recorded in {@code pidFile} on the host, when the file exists and holds a number.
     *
     * @throws ModuleException when the file exists but cannot be read
     */
    public static OptionalLong readPid(Connection c, String pidFile) throws ModuleException {
        try {
            if (c.stat(pidFile).isEmpty()) {
                return OptionalLong.empty();
            }
            String s = new String(c.readAll(pidFile), StandardCharsets.UTF_8).strip();
            return DIGITS.matcher(s).matches() ? OptionalLong.of(Long.parseLong(s)) : OptionalLong.empty();
        } catch (ConnectionException e) {
            throw new ModuleException(c.host() + ": cannot read PID file " + pidFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * True when process {@code pid} exists on the host and is not a zombie (see the class doc).
     *
     * @throws ModuleException when the probe itself fails (no {@code sh}, link failure)
     */
    public static boolean pidAlive(Connection c, long pid) throws ModuleException {
        List<String> argv = List.of("sh", "-c", PID_ALIVE_SCRIPT, "pid-alive", Long.toString(pid));
        ExecResult r = exec(c, argv, Duration.ofSeconds(30));
        if (r.exitStatus() != null && (r.exitStatus() == 0 || r.exitStatus() == 1)) {
            return r.exitStatus() == 0;
        }
        throw new ModuleException(c.host() + ": cannot tell whether pid " + pid + " is alive: " + r.failureSummary());
    }

    /**
     * True when a TCP connection to {@code host:port} succeeds from the host within
     * {@code timeoutMs} milliseconds (see the class doc for how).
     *
     * @param local     true when the host is the controller ({@code ansible_connection: local}):
     *                  the probe is a Java socket, no command runs
     * @param timeoutMs connect timeout in milliseconds (rounded up to whole seconds over SSH)
     * @throws ModuleException when the address is not a plain host name or address, or the probe
     *                         cannot run on the host
     */
    public static boolean portOpen(Connection c, boolean local, String host, int port, int timeoutMs)
            throws ModuleException {
        if (host == null || !SAFE_HOST.matcher(host).matches()) {
            throw new ModuleException("not a host name or address: '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new ModuleException("not a port number: " + port);
        }
        if (local) {
            String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(h, port), Math.max(1, timeoutMs));
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        long secs = Math.max(1, (timeoutMs + 999) / 1000);
        List<String> argv = List.of("timeout", Long.toString(secs), "bash", "-c", PORT_SCRIPT, "port-probe",
                host, Integer.toString(port));
        ExecResult r = exec(c, argv, Duration.ofSeconds(secs + 30));
        Integer rc = r.exitStatus();
        if (rc != null && rc == 0) {
            return true;
        }
        if (rc != null && rc == 124) {
            return false;
        }
        if (rc != null && rc == 1) {
            if (r.stderr() != null && r.stderr().contains("No such file")) {
                throw new ModuleException(c.host() + ": cannot probe ports: bash there has no /dev/tcp support ("
                        + r.failureSummary() + ")");
            }
            return false;
        }
        throw new ModuleException(c.host() + ": cannot probe port " + host + ":" + port
                + " (needs bash and timeout on the host): " + r.failureSummary());
    }

    /**
     * Whether the node runs, judged by its PID file when {@code cassandra_pid_file} is set, and
     * by its ports (JMX {@code jmx_host:jmx_port}, CQL {@code cql_host:cql_port}) when it is not,
     * or always when {@code conservative} (then either sign means running: a destructive module
     * would rather refuse than clear a live node's files). The JMX port is probed because it
     * stays open for the JVM's whole life, even after {@code nodetool drain} closed CQL and
     * gossip.
     *
     * @param local true for a {@code local} connection (Java-side port probe)
     * @throws ModuleException when a probe cannot run
     */
    public static Running running(Connection c, CassandraHost h, boolean local, boolean conservative)
            throws ModuleException {
        List<String> notes = new ArrayList<>();
        if (h.pidFile() != null) {
            OptionalLong pid = readPid(c, h.pidFile());
            if (pid.isPresent() && pidAlive(c, pid.getAsLong())) {
                return new Running(true, "pid " + pid.getAsLong() + " in " + h.pidFile() + " is alive", pid.getAsLong());
            }
            notes.add(pid.isPresent() ? "pid " + pid.getAsLong() + " in " + h.pidFile() + " is not alive"
                    : "no PID in " + h.pidFile());
            if (!conservative) {
                return new Running(false, notes.get(0), null);
            }
        }
        if (portOpen(c, local, h.jmxHost(), h.jmxPort(), 2000)) {
            return new Running(true, "JMX port " + h.jmxHost() + ":" + h.jmxPort() + " is open", null);
        }
        if (portOpen(c, local, h.cqlHost(), h.cqlPort(), 2000)) {
            return new Running(true, "CQL port " + h.cqlHost() + ":" + h.cqlPort() + " is open", null);
        }
        notes.add("JMX " + h.jmxHost() + ":" + h.jmxPort() + " and CQL " + h.cqlHost() + ":" + h.cqlPort() + " closed");
        return new Running(false, String.join("; ", notes), null);
    }

    /** True when {@code h} is reached with {@code ansible_connection: local}. */
    public static boolean isLocal(CassandraHost h) {
        return "local".equals(h.connectionType());
    }

    private static ExecResult exec(Connection c, List<String> argv, Duration timeout) throws ModuleException {
        try {
            return c.exec(argv, ExecOptions.defaults().withTimeout(timeout));
        } catch (ConnectionException e) {
            throw new ModuleException(c.host() + ": probe failed: " + e.getMessage(), e);
        }
    }
}
