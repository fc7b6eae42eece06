package dev.ringplan.engine.connection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Opens the {@link Connection} of an inventory host from its variables, the way Ansible reads
 * its connection variables. Where Ringplan and Ansible names both exist, the {@code ringplan_}
 * name wins, then the Ansible name, then its old {@code ansible_ssh_} alias:
 *
 * <table>
 * <caption>Host variables read</caption>
 * <tr><th>meaning</th><th>variables</th><th>default</th></tr>
 * <tr><td>connection type, {@code local}, {@code ssh}, {@code docker} or {@code kubectl}</td>
 *     <td>{@code ringplan_connection}, {@code ansible_connection}</td><td>{@code ssh}</td></tr>
 * <tr><td>address</td><td>{@code ringplan_host}, {@code ansible_host}, {@code ansible_ssh_host}</td>
 *     <td>the inventory hostname</td></tr>
 * <tr><td>port (number or digit string)</td>
 *     <td>{@code ringplan_port}, {@code ansible_port}, {@code ansible_ssh_port}</td><td>22</td></tr>
 * <tr><td>user</td><td>{@code ringplan_user}, {@code ansible_user}, {@code ansible_ssh_user}</td>
 *     <td>the user running Ringplan</td></tr>
 * <tr><td>private key file ({@code ~/} expanded)</td>
 *     <td>{@code ringplan_private_key_file}, {@code ansible_ssh_private_key_file},
 *     {@code ansible_private_key_file}</td>
 *     <td>those of {@code ~/.ssh/id_ed25519}, {@code id_ecdsa}, {@code id_rsa} that exist</td></tr>
 * <tr><td>known_hosts file ({@code ~/} expanded)</td><td>{@code ringplan_known_hosts}</td>
 *     <td>{@link ConnectionOptions#knownHostsFile()}</td></tr>
 * </table>
 *
 * <p>{@code docker} and {@code kubectl} read their own variables, with Ansible's names
 * ({@link ContainerConnections}).
 *
 * <p>Whether unknown host keys may be recorded and the connect timeout come from
 * {@link ConnectionOptions}, not from the inventory. Subclass to substitute connections in tests.
 */
public class ConnectionFactory {

    /** The connection types {@link #open} understands. */
    public static final List<String> TYPES = List.of("local", "ssh", "docker", "kubectl");

    /** A factory. */
    public ConnectionFactory() {
    }

    /**
     * Opens a connection to {@code inventoryHost}: a {@link LocalConnection}, a connected,
     * authenticated {@link SshConnection}, or a {@link ContainerConnection} through the docker or
     * kubectl client that reached its container.
     *
     * @param inventoryHost the host's inventory name
     * @param hostVars      the host's variables (values may be strings or numbers; null values
     *                      count as absent)
     * @param opts          run-wide options
     * @throws UnreachableException when an SSH host cannot be reached, verified or logged into, or
     *                              a container cannot be reached through its client
     * @throws ConnectionException  when a connection variable is invalid (unknown type, bad port)
     */
    public Connection open(String inventoryHost, Map<String, Object> hostVars, ConnectionOptions opts)
            throws ConnectionException {
        switch (type(inventoryHost, hostVars)) {
            case "local":
                return new LocalConnection(inventoryHost);
            case "docker":
                return ContainerConnection.open(inventoryHost, ContainerConnections.docker(inventoryHost, hostVars));
            case "kubectl":
                return ContainerConnection.open(inventoryHost, ContainerConnections.kubectl(inventoryHost, hostVars));
            default:
                return SshConnection.connect(inventoryHost, sshSettings(inventoryHost, hostVars, opts));
        }
    }

    /**
     * The host's connection type, one of {@link #TYPES} ({@code ssh} when none is set).
     *
     * @throws ConnectionException when the type is something else
     */
    public static String type(String inventoryHost, Map<String, Object> hostVars) throws ConnectionException {
        String[] names = {"ringplan_connection", "ansible_connection"};
        String type = string(inventoryHost, hostVars, names);
        if (type == null) {
            return "ssh";
        }
        String t = type.strip().toLowerCase(Locale.ROOT);
        if (!TYPES.contains(t)) {
            throw new ConnectionException("host " + inventoryHost + ": " + firstPresent(hostVars, names)
                    + " is '" + type + "', expected one of " + TYPES);
        }
        return t;
    }

    /**
     * True when the host's connection type is {@code local}.
     *
     * @throws ConnectionException when the type is not one of {@link #TYPES}
     */
    public static boolean isLocal(String inventoryHost, Map<String, Object> hostVars) throws ConnectionException {
        return type(inventoryHost, hostVars).equals("local");
    }

    /**
     * The SSH settings the host's variables describe (see the table above); nothing is contacted.
     *
     * @throws ConnectionException when the port is not a number in 1..65535 or a variable has the
     *                             wrong type
     */
    public static SshConnection.Settings sshSettings(String inventoryHost, Map<String, Object> hostVars,
                                                     ConnectionOptions opts) throws ConnectionException {
        String address = string(inventoryHost, hostVars, "ringplan_host", "ansible_host", "ansible_ssh_host");
        if (address == null || address.isBlank()) {
            address = inventoryHost;
        }
        int port = port(inventoryHost, hostVars);
        String user = string(inventoryHost, hostVars, "ringplan_user", "ansible_user", "ansible_ssh_user");
        if (user == null || user.isBlank()) {
            user = System.getProperty("user.name");
        }
        String key = string(inventoryHost, hostVars,
                "ringplan_private_key_file", "ansible_ssh_private_key_file", "ansible_private_key_file");
        List<Path> keys = new ArrayList<>();
        if (key != null && !key.isBlank()) {
            keys.add(expandHome(key.strip()));
        } else {
            for (String n : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
                Path p = Path.of(System.getProperty("user.home"), ".ssh", n);
                if (Files.isRegularFile(p)) {
                    keys.add(p);
                }
            }
        }
        String kh = string(inventoryHost, hostVars, "ringplan_known_hosts");
        Path knownHosts = kh == null || kh.isBlank() ? opts.knownHostsFile() : expandHome(kh.strip());
        return new SshConnection.Settings(address.strip(), port, user.strip(), keys, knownHosts,
                opts.acceptNewHostKeys(), opts.connectTimeout());
    }

    private static int port(String host, Map<String, Object> vars) throws ConnectionException {
        String[] names = {"ringplan_port", "ansible_port", "ansible_ssh_port"};
        String name = firstPresent(vars, names);
        if (name == null) {
            return 22;
        }
        Object v = vars.get(name);
        long port;
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            port = ((Number) v).longValue();
        } else if (v instanceof String s && s.strip().matches("\\d{1,5}")) {
            port = Long.parseLong(s.strip());
        } else {
            throw new ConnectionException("host " + host + ": " + name + " must be a port number 1..65535, got '" + v + "'");
        }
        if (port < 1 || port > 65535) {
            throw new ConnectionException("host " + host + ": " + name + " must be a port number 1..65535, got " + port);
        }
        return (int) port;
    }

    static String firstPresent(Map<String, Object> vars, String... names) {
        for (String n : names) {
            if (vars.get(n) != null) {
                return n;
            }
        }
        return null;
    }

    static String string(String host, Map<String, Object> vars, String... names) throws ConnectionException {
        String name = firstPresent(vars, names);
        if (name == null) {
            return null;
        }
        Object v = vars.get(name);
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw new ConnectionException("host " + host + ": " + name + " must be a string, got a "
                + v.getClass().getSimpleName().toLowerCase(Locale.ROOT));
    }

    private static Path expandHome(String p) {
        if (p.equals("~")) {
            return Path.of(System.getProperty("user.home"));
        }
        if (p.startsWith("~/")) {
            return Path.of(System.getProperty("user.home"), p.substring(2));
        }
        return Path.of(p);
    }
}
