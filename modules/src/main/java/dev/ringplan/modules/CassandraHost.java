package dev.ringplan.modules;

import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An immutable view of one Cassandra host's variables, with the defaults of the contract between
 * inventory, sandbox and modules (README, "Inventories"):
 *
 * <table>
 * <caption>variables read</caption>
 * <tr><th>variable</th><th>default</th></tr>
 * <tr><td>{@code ansible_host}</td><td>the inventory hostname</td></tr>
 * <tr><td>{@code ansible_connection}</td><td>{@code ssh}</td></tr>
 * <tr><td>{@code cassandra_version}</td><td>none (null)</td></tr>
 * <tr><td>{@code nodetool_cmd}</td><td>{@code [nodetool]}</td></tr>
 * <tr><td>{@code sstableloader_cmd}</td><td>{@code [sstableloader]}</td></tr>
 * <tr><td>{@code jmx_host} / {@code jmx_port}</td><td>{@code 127.0.0.1} / {@code 7199}</td></tr>
 * <tr><td>{@code cql_host} / {@code cql_port}</td><td>ansible_host / {@code 9042}</td></tr>
 * <tr><td>{@code cql_local_dc}</td><td>none (null): the driver takes the contact point's datacenter</td></tr>
 * <tr><td>{@code cql_username} / {@code cql_password}</td><td>none (null): no authentication</td></tr>
 * <tr><td>{@code cql_ssl}</td><td>{@code false}</td></tr>
 * <tr><td>{@code cql_truststore} / {@code cql_truststore_password}</td><td>none (null): the JDK's default trust</td></tr>
 * <tr><td>{@code listen_address}</td><td>ansible_host</td></tr>
 * <tr><td>{@code cassandra_yaml}</td><td>{@code /etc/cassandra/cassandra.yaml}</td></tr>
 * <tr><td>{@code cassandra_data_dirs}</td><td>{@code [/var/lib/cassandra/data]}</td></tr>
 * <tr><td>{@code cassandra_commitlog_dir}</td><td>{@code /var/lib/cassandra/commitlog}</td></tr>
 * <tr><td>{@code cassandra_hints_dir}</td><td>{@code /var/lib/cassandra/hints}</td></tr>
 * <tr><td>{@code cassandra_saved_caches_dir}</td><td>{@code /var/lib/cassandra/saved_caches}</td></tr>
 * <tr><td>{@code cassandra_set_aside_dir}</td><td>the commitlog directory's parent +
 *     {@code /ringplan-set-aside}</td></tr>
 * <tr><td>{@code cassandra_start_cmd} / {@code cassandra_stop_cmd}</td><td>none (empty list)</td></tr>
 * <tr><td>{@code cassandra_pid_file}</td><td>none (null)</td></tr>
 * <tr><td>{@code tokens}</td><td>none (empty list): the node's tokens, recorded in backup manifests</td></tr>
 * </table>
 *
 * <p>This class is the one reader of these variables: every module goes through it, so one
 * inventory means the same directories to all of them. Values are read leniently, as they arrive
 * from YAML, {@code -e} and templates: a string variable may be a number; an integer may be a
 * {@code Long}, {@code Integer} or a string of digits. <b>List variables</b>
 * ({@code cassandra_data_dirs}, {@code nodetool_cmd}, {@code cassandra_start_cmd},
 * {@code cassandra_stop_cmd}, {@code tokens}) follow one rule: a YAML list is taken element by
 * element (scalars turned into strings, kept as written); a string is split on commas, each part
 * stripped of blanks, empty parts dropped ({@code "/d1, /d2"} is {@code [/d1, /d2]}; a string
 * without a comma is a one-element list; it is never split on spaces). A string that looks like a
 * printed list ({@code "['/d1', '/d2']"}, what a template gives when a list is rendered inside
 * text) is refused. Any other type is a {@link ModuleException} naming the host, the variable and
 * the type.
 */
public final class CassandraHost {
    /** Default {@code nodetool_cmd}. */
    public static final List<String> DEFAULT_NODETOOL_CMD = List.of("nodetool");
    /** Default {@code sstableloader_cmd}: the node's own {@code sstableloader} on the PATH. */
    public static final List<String> DEFAULT_SSTABLELOADER_CMD = List.of("sstableloader");
    /** Default {@code jmx_host}. */
    public static final String DEFAULT_JMX_HOST = "127.0.0.1";
    /** Default {@code jmx_port}. */
    public static final int DEFAULT_JMX_PORT = 7199;
    /** Default {@code cql_port}. */
    public static final int DEFAULT_CQL_PORT = 9042;
    /** Default {@code cassandra_yaml}. */
    public static final String DEFAULT_CASSANDRA_YAML = "/etc/cassandra/cassandra.yaml";
    /** Default {@code cassandra_data_dirs}. */
    public static final List<String> DEFAULT_DATA_DIRS = List.of("/var/lib/cassandra/data");
    /** Default {@code cassandra_commitlog_dir}. */
    public static final String DEFAULT_COMMITLOG_DIR = "/var/lib/cassandra/commitlog";
    /** Default {@code cassandra_hints_dir}. */
    public static final String DEFAULT_HINTS_DIR = "/var/lib/cassandra/hints";
    /** Default {@code cassandra_saved_caches_dir}. */
    public static final String DEFAULT_SAVED_CACHES_DIR = "/var/lib/cassandra/saved_caches";
    /** Name of the default {@code cassandra_set_aside_dir}, beside the commitlog directory. */
    public static final String SET_ASIDE_NAME = "ringplan-set-aside";

    /**
     * The defaults above as host variables, for the lowest precedence level of every host (like
     * an Ansible role's defaults), so plans can use {@code {{ cassandra_data_dirs }}} on an
     * inventory that relies on the defaults. {@code listen_address} and {@code cql_host}
     * default to the host's address ({@code ansible_host}, else the inventory hostname).
     */
    public static final java.util.Map<String, Object> DEFAULT_VARS = defaultVars();

    private static java.util.Map<String, Object> defaultVars() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("nodetool_cmd", DEFAULT_NODETOOL_CMD);
        m.put("jmx_host", DEFAULT_JMX_HOST);
        m.put("jmx_port", DEFAULT_JMX_PORT);
        m.put("cql_port", DEFAULT_CQL_PORT);
        m.put("listen_address", "{{ ansible_host | default(inventory_hostname) }}");
        m.put("cql_host", "{{ ansible_host | default(inventory_hostname) }}");
        m.put("cassandra_yaml", DEFAULT_CASSANDRA_YAML);
        m.put("cassandra_data_dirs", DEFAULT_DATA_DIRS);
        m.put("cassandra_commitlog_dir", DEFAULT_COMMITLOG_DIR);
        m.put("cassandra_hints_dir", DEFAULT_HINTS_DIR);
        m.put("cassandra_saved_caches_dir", DEFAULT_SAVED_CACHES_DIR);
        m.put("cassandra_set_aside_dir", "{{ cassandra_commitlog_dir | dirname }}/" + SET_ASIDE_NAME);
        return java.util.Collections.unmodifiableMap(m);
    }

    private final String inventoryHostname;
    private final String ansibleHost;
    private final String connectionType;
    private final String cassandraVersion;
    private final List<String> nodetoolCmd;
    private final List<String> sstableloaderCmd;
    private final String jmxHost;
    private final int jmxPort;
    private final String cqlHost;
    private final int cqlPort;
    private final String cqlLocalDc;
    private final String cqlUsername;
    private final String cqlPassword;
    private final boolean cqlSsl;
    private final String cqlTruststore;
    private final String cqlTruststorePassword;
    private final String listenAddress;
    private final String cassandraYaml;
    private final List<String> dataDirs;
    private final String commitlogDir;
    private final String hintsDir;
    private final String savedCachesDir;
    private final String setAsideDir;
    private final List<String> startCmd;
    private final List<String> stopCmd;
    private final String pidFile;
    private final List<String> tokens;
    private final JmxAccess jmx;

    private CassandraHost(String inventoryHostname, Map<String, Object> vars) throws ModuleException {
        this.inventoryHostname = inventoryHostname;
        Reader r = new Reader(inventoryHostname, vars);
        this.ansibleHost = r.str("ansible_host", inventoryHostname);
        this.connectionType = r.str("ansible_connection", "ssh");
        this.cassandraVersion = r.str("cassandra_version", null);
        this.nodetoolCmd = r.list("nodetool_cmd", DEFAULT_NODETOOL_CMD, true);
        this.sstableloaderCmd = r.list("sstableloader_cmd", DEFAULT_SSTABLELOADER_CMD, true);
        this.jmxHost = r.str("jmx_host", DEFAULT_JMX_HOST);
        this.jmxPort = r.port("jmx_port", DEFAULT_JMX_PORT);
        this.cqlHost = r.str("cql_host", ansibleHost);
        this.cqlPort = r.port("cql_port", DEFAULT_CQL_PORT);
        this.cqlLocalDc = r.str("cql_local_dc", null);
        this.cqlUsername = r.str("cql_username", null);
        this.cqlPassword = r.secret("cql_password");
        this.cqlSsl = r.bool("cql_ssl", false);
        this.cqlTruststore = r.str("cql_truststore", null);
        this.cqlTruststorePassword = r.secret("cql_truststore_password");
        this.listenAddress = r.str("listen_address", ansibleHost);
        this.cassandraYaml = r.str("cassandra_yaml", DEFAULT_CASSANDRA_YAML);
        this.dataDirs = r.list("cassandra_data_dirs", DEFAULT_DATA_DIRS, true);
        this.commitlogDir = r.str("cassandra_commitlog_dir", DEFAULT_COMMITLOG_DIR);
        this.hintsDir = r.str("cassandra_hints_dir", DEFAULT_HINTS_DIR);
        this.savedCachesDir = r.str("cassandra_saved_caches_dir", DEFAULT_SAVED_CACHES_DIR);
        this.setAsideDir = r.str("cassandra_set_aside_dir", defaultSetAsideDir(commitlogDir));
        this.startCmd = r.list("cassandra_start_cmd", List.of(), false);
        this.stopCmd = r.list("cassandra_stop_cmd", List.of(), false);
        this.pidFile = r.str("cassandra_pid_file", null);
        this.tokens = r.list("tokens", List.of(), false);
        this.jmx = JmxAccess.read(inventoryHostname, r);
    }

    /**
     * Reads the variables of {@code ctx}'s host.
     *
     * @throws ModuleException when a variable has a type that cannot be read (e.g. a mapping for
     *                         {@code jmx_port}), naming the host and the variable
     */
    public static CassandraHost of(ModuleContext ctx) throws ModuleException {
        return of(ctx.host(), ctx.hostVars());
    }

    /**
     * Reads {@code vars} of the inventory host {@code inventoryHostname}.
     *
     * @param inventoryHostname the host's inventory name (default of {@code ansible_host})
     * @param vars              the host's variables; null means none
     * @throws ModuleException when a variable has a type that cannot be read
     */
    public static CassandraHost of(String inventoryHostname, Map<String, Object> vars) throws ModuleException {
        return new CassandraHost(inventoryHostname, vars == null ? Map.of() : vars);
    }

    /**
     * The argv that runs nodetool against this node: {@code nodetool_cmd} + {@code -h jmx_host
     * -p jmx_port} + {@code -u/-pw/--ssl} ({@link JmxAccess}) + {@code commandArgs}, e.g. {@code [nodetool, -h, 127.0.0.1, -p, 7199, status]}.
     *
     * @param commandArgs the nodetool command and its arguments, e.g. {@code [snapshot, -t, x]}
     * @return a new, unmodifiable list
     */
    public List<String> nodetoolArgv(List<String> commandArgs) {
        List<String> argv = new ArrayList<>(nodetoolCmd);
        argv.add("-h");
        argv.add(jmxHost);
        argv.add("-p");
        argv.add(Integer.toString(jmxPort));
        argv.addAll(jmx.nodetoolOptions());
        argv.addAll(commandArgs);
        return Collections.unmodifiableList(argv);
    }

    /** JMX path and credentials ({@code nodetool_via}, {@code jmx_username}, {@code jmx_password}, {@code jmx_ssl}). */
    public JmxAccess jmx() {
        return jmx;
    }

    /** The inventory hostname. */
    public String inventoryHostname() {
        return inventoryHostname;
    }

    /** {@code ansible_host}: the address used to reach the host (default: the inventory hostname). */
    public String ansibleHost() {
        return ansibleHost;
    }

    /** {@code ansible_connection}: {@code local} or {@code ssh} (default). */
    public String connectionType() {
        return connectionType;
    }

    /** {@code cassandra_version}, e.g. {@code 5.0.7}, or null when not set. */
    public String cassandraVersion() {
        return cassandraVersion;
    }

    /** {@code nodetool_cmd}: the argv prefix that runs nodetool (default {@code [nodetool]}). */
    public List<String> nodetoolCmd() {
        return nodetoolCmd;
    }

    /**
     * {@code sstableloader_cmd}: the argv prefix that runs sstableloader
     * ({@code org.apache.cassandra.tools.BulkLoader}) on this node (default {@code [sstableloader]};
     * the sandbox generates the java command line of its Cassandra).
     */
    public List<String> sstableloaderCmd() {
        return sstableloaderCmd;
    }

    /** {@code jmx_host}, passed to nodetool as {@code -h} (default 127.0.0.1). */
    public String jmxHost() {
        return jmxHost;
    }

    /** {@code jmx_port}, passed to nodetool as {@code -p} (default 7199). */
    public int jmxPort() {
        return jmxPort;
    }

    /** {@code cql_host}: native protocol address (default: ansible_host). */
    public String cqlHost() {
        return cqlHost;
    }

    /** {@code cql_port}: native protocol port (default 9042). */
    public int cqlPort() {
        return cqlPort;
    }

    /**
     * {@code cql_local_dc}: the datacenter the CQL driver treats as local, or null when not set
     * (the {@code cql} and {@code alter_keyspace} modules then take the contact point's own).
     */
    public String cqlLocalDc() {
        return cqlLocalDc;
    }

    /** {@code cql_username}: the CQL login role, or null for no authentication. */
    public String cqlUsername() {
        return cqlUsername;
    }

    /**
     * {@code cql_password}: the CQL login password, as written (not stripped), or null. Secret by
     * its name: the engine masks its value in every output; never put it in a message.
     */
    public String cqlPassword() {
        return cqlPassword;
    }

    /** {@code cql_ssl}: whether CQL connections use TLS (default false). */
    public boolean cqlSsl() {
        return cqlSsl;
    }

    /**
     * {@code cql_truststore}: path, on the controller, of the truststore (JKS or PKCS12) that
     * verifies the nodes' CQL certificates, or null for the JDK's default trust.
     */
    public String cqlTruststore() {
        return cqlTruststore;
    }

    /** {@code cql_truststore_password}: the truststore's password, as written, or null (secret by its name). */
    public String cqlTruststorePassword() {
        return cqlTruststorePassword;
    }

    /** {@code listen_address}: the storage address as {@code nodetool status} shows it (default: ansible_host). */
    public String listenAddress() {
        return listenAddress;
    }

    /** {@code cassandra_yaml}: path of the node's cassandra.yaml (default /etc/cassandra/cassandra.yaml). */
    public String cassandraYaml() {
        return cassandraYaml;
    }

    /** {@code cassandra_data_dirs}: the data_file_directories, one or more (JBOD). */
    public List<String> dataDirs() {
        return dataDirs;
    }

    /** {@code cassandra_commitlog_dir} (default /var/lib/cassandra/commitlog). */
    public String commitlogDir() {
        return commitlogDir;
    }

    /** {@code cassandra_hints_dir} (default /var/lib/cassandra/hints). */
    public String hintsDir() {
        return hintsDir;
    }

    /** {@code cassandra_saved_caches_dir} (default /var/lib/cassandra/saved_caches). */
    public String savedCachesDir() {
        return savedCachesDir;
    }

    /**
     * {@code cassandra_set_aside_dir}: where plans move a node's files aside (restore, clone)
     * instead of deleting them, one sub-directory per run. Default: beside the commitlog
     * directory, {@code /var/lib/cassandra/ringplan-set-aside}. It must be on the same file system
     * as the directories whose files are moved there (a move is a rename). Declared like the
     * Cassandra directories, so a guarded {@code fs_clear} may empty what is in it.
     */
    public String setAsideDir() {
        return setAsideDir;
    }

    private static String defaultSetAsideDir(String commitlogDir) {
        String c = commitlogDir.endsWith("/") && commitlogDir.length() > 1
                ? commitlogDir.substring(0, commitlogDir.length() - 1) : commitlogDir;
        int i = c.lastIndexOf('/');
        return (i <= 0 ? "" : c.substring(0, i)) + "/" + SET_ASIDE_NAME;
    }

    /** {@code cassandra_start_cmd}: argv that starts the node, or an empty list when not set. */
    public List<String> startCmd() {
        return startCmd;
    }

    /** {@code cassandra_stop_cmd}: argv that cleanly stops the node, or an empty list when not set. */
    public List<String> stopCmd() {
        return stopCmd;
    }

    /** {@code cassandra_pid_file}, or null when not set. */
    public String pidFile() {
        return pidFile;
    }

    /** {@code tokens}: the node's tokens as the inventory gives them, or an empty list when not set. */
    public List<String> tokens() {
        return tokens;
    }

    /**
     * Every directory the node writes: data directories, commitlog, hints and saved caches, and
     * the set-aside directory of Ringplan's plans (the roots destructive modules must stay under).
     */
    public List<String> allDirs() {
        List<String> out = new ArrayList<>(dataDirs);
        out.add(commitlogDir);
        out.add(hintsDir);
        out.add(savedCachesDir);
        out.add(setAsideDir);
        return Collections.unmodifiableList(out);
    }

    @Override
    public String toString() {
        return "CassandraHost[" + inventoryHostname + " jmx=" + jmxHost + ":" + jmxPort
                + " listen=" + listenAddress + " data=" + dataDirs + "]";
    }

    /** Lenient typed reads of host variables with errors naming the host and variable. */
    static final class Reader {
        private final String host;
        private final Map<String, Object> vars;

        Reader(String host, Map<String, Object> vars) {
            this.host = host;
            this.vars = vars;
        }

        String str(String name, String dflt) throws ModuleException {
            Object v = vars.get(name);
            if (v == null) {
                return dflt;
            }
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                String s = String.valueOf(v).strip();
                if (s.isEmpty()) {
                    return dflt;
                }
                return s;
            }
            throw wrongType(name, "a string", v);
        }

        /** A secret string: taken as written (blanks kept), null when unset or empty. */
        String secret(String name) throws ModuleException {
            Object v = vars.get(name);
            if (v == null) {
                return null;
            }
            if (v instanceof String || v instanceof Number) {
                String s = String.valueOf(v);
                return s.isEmpty() ? null : s;
            }
            throw new ModuleException("host " + host + ": variable '" + name + "' must be a string, got "
                    + describeType(v));
        }

        /** A boolean by the truthiness rule (true/false, yes/no, 1/0...). */
        boolean bool(String name, boolean dflt) throws ModuleException {
            Object v = vars.get(name);
            if (v == null) {
                return dflt;
            }
            Boolean b = v instanceof String s && s.isBlank() ? null : dev.ringplan.engine.template.Truth.parse(v);
            if (b == null) {
                throw wrongType(name, "a boolean (true/false)", v);
            }
            return b;
        }

        int port(String name, int dflt) throws ModuleException {
            Object v = vars.get(name);
            if (v == null) {
                return dflt;
            }
            long n;
            if (v instanceof Integer || v instanceof Long || v instanceof Short) {
                n = ((Number) v).longValue();
            } else if (v instanceof String s && s.strip().matches("\\d{1,9}")) {
                n = Long.parseLong(s.strip());
            } else {
                throw wrongType(name, "a port number (integer 1-65535)", v);
            }
            if (n < 1 || n > 65535) {
                throw new ModuleException("host " + host + ": variable '" + name
                        + "' must be a port number between 1 and 65535, got " + n);
            }
            return (int) n;
        }

        List<String> list(String name, List<String> dflt, boolean nonEmpty) throws ModuleException {
            Object v = vars.get(name);
            if (v == null) {
                return dflt;
            }
            List<String> out = new ArrayList<>();
            if (v instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof String || o instanceof Number || o instanceof Boolean) {
                        out.add(String.valueOf(o));
                    } else {
                        throw wrongType(name, "a list of strings", l);
                    }
                }
            } else if (v instanceof String || v instanceof Number) {
                String s = String.valueOf(v).strip();
                if (s.startsWith("[") && s.endsWith("]")) {
                    throw new ModuleException("host " + host + ": variable '" + name + "' is the text " + s
                            + ", a list printed as a string; give a YAML list, or a comma-separated string");
                }
                out.addAll(splitList(s));
            } else {
                throw wrongType(name, "a list of strings", v);
            }
            if (out.isEmpty() && nonEmpty) {
                throw new ModuleException("host " + host + ": variable '" + name + "' must not be empty");
            }
            return List.copyOf(out);
        }

        /** The comma rule for a list variable given as one string. */
        private static List<String> splitList(String s) {
            List<String> out = new ArrayList<>();
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
            return out;
        }

        private ModuleException wrongType(String name, String expected, Object v) {
            String got;
            if (v instanceof Map) {
                got = "a mapping";
            } else if (v instanceof List<?> l) {
                got = "a list containing " + l.stream()
                        .filter(o -> !(o instanceof String || o instanceof Number || o instanceof Boolean))
                        .findFirst().map(o -> o == null ? "null" : describeType(o)).orElse("a list");
            } else {
                got = "'" + v + "' (" + describeType(v) + ")";
            }
            return new ModuleException("host " + host + ": variable '" + name + "' must be " + expected
                    + ", got " + got);
        }

        private static String describeType(Object o) {
            if (o instanceof Map) {
                return "a mapping";
            }
            if (o instanceof List) {
                return "a list";
            }
            return o.getClass().getSimpleName();
        }
    }
}
