package dev.ringplan.modules.cql;

import dev.ringplan.engine.diag.Suggest;
import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.template.Truth;
import dev.ringplan.modules.CassandraHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to reach a cluster over CQL: contact point, local datacenter, credentials, TLS and timeouts.
 * For a task's own host these come from its host variables ({@link CassandraHost}: {@code cql_host},
 * {@code cql_port}, {@code cql_local_dc}, {@code cql_username}, {@code cql_password},
 * {@code cql_ssl}, {@code cql_truststore}, {@code cql_truststore_password}), each overridden by the
 * task argument of the same name without {@code cql_} ({@link #ARGS}). {@link #toString()} never
 * shows a password.
 *
 * @param host               contact point address
 * @param port               native protocol port
 * @param localDc            local datacenter, or null to take the contact point's
 * @param username           login role, or null for no authentication
 * @param password           its password (null when no username)
 * @param ssl                TLS on
 * @param truststore         truststore on the controller, or null for the JDK's default trust
 * @param truststorePassword its password, or null
 * @param requestTimeout     per-request timeout
 * @param schemaTimeout      how long to wait for schema agreement after a schema change
 */
public record CqlSettings(String host, int port, String localDc, String username, String password, boolean ssl,
                          Path truststore, String truststorePassword, Duration requestTimeout, Duration schemaTimeout) {
    /** Default of {@code timeout} and {@code schema_timeout}, seconds. */
    public static final long DEFAULT_TIMEOUT = 60;

    /** The connection arguments both CQL modules declare. */
    static final List<ArgDef> ARGS = List.of(
            ArgDef.of("local_dc", ArgDef.Type.STR, "Datacenter the driver treats as local (default: the host's"
                    + " cql_local_dc, else the contact point's own datacenter)."),
            ArgDef.of("username", ArgDef.Type.STR, "CQL login role (default: the host's cql_username; none: no"
                    + " authentication)."),
            ArgDef.of("password", ArgDef.Type.STR, "Its password (default: cql_password). Give it through a secret"
                    + " variable, e.g. \"{{ cql_password }}\", so every output masks it."),
            ArgDef.of("ssl", ArgDef.Type.BOOL, "Connect with TLS (default: the host's cql_ssl, else false)."),
            ArgDef.of("truststore", ArgDef.Type.STR, "Truststore (JKS or PKCS12) on the controller that verifies the"
                    + " nodes' certificates (default: cql_truststore, else the JDK's default trust); relative to the"
                    + " working directory."),
            ArgDef.of("truststore_password", ArgDef.Type.STR, "The truststore's password (default:"
                    + " cql_truststore_password)."),
            ArgDef.of("timeout", ArgDef.Type.INT, "Seconds each CQL request may take.").withDefault(DEFAULT_TIMEOUT),
            ArgDef.of("schema_timeout", ArgDef.Type.INT, "Seconds to wait, after a schema change, until every node"
                    + " has the same schema version; the task fails when they do not agree by then.")
                    .withDefault(DEFAULT_TIMEOUT));

    /** Keys of a {@code schema_from} mapping. */
    static final Set<String> SOURCE_KEYS = Set.of("host", "port", "local_dc", "username", "password", "ssl",
            "truststore", "truststore_password");

    /** Adds {@link #ARGS} and their rules to a spec. */
    static ArgSpec.Builder declare(ArgSpec.Builder b) {
        ARGS.forEach(b::arg);
        return b.requiredTogether("username", "password")
                .onlyFor("ssl", List.of("true"), "truststore", "truststore_password");
    }

    /** The settings of the task's own host: its variables, overridden by the task's arguments. */
    public static CqlSettings forTask(ModuleContext ctx) throws ModuleException {
        CassandraHost h = CassandraHost.of(ctx);
        return of(h, ctx.args().asMap(), ctx, "");
    }

    /**
     * The settings of a {@code schema_from} mapping: {@code host} is an inventory hostname (that
     * host's CQL variables are the defaults) or an address; the other keys override.
     *
     * @throws ModuleException when a key is unknown, {@code host} is missing, or a value has the wrong type
     */
    public static CqlSettings forSource(ModuleContext ctx, Map<String, Object> raw) throws ModuleException {
        for (String k : raw.keySet()) {
            if (!SOURCE_KEYS.contains(k)) {
                String hint = Suggest.didYouMean(k, SOURCE_KEYS);
                throw new ModuleException("schema_from: unknown key '" + k + "'" + (hint != null ? "; " + hint
                        : "; expected " + String.join(", ", SOURCE_KEYS.stream().sorted().toList())));
            }
        }
        if (!(raw.get("host") instanceof String name) || name.isBlank()) {
            throw new ModuleException("schema_from: 'host' (an inventory hostname or an address) is required");
        }
        CassandraHost h = inventoryHost(ctx, name.strip());
        Map<String, Object> over = new LinkedHashMap<>(raw);
        over.remove("host");
        over.put("timeout", ctx.args().get("timeout"));
        over.put("schema_timeout", ctx.args().get("schema_timeout"));
        return of(h, over, ctx, "schema_from: ");
    }

    /**
     * The settings of host {@code h} from its variables alone (no task arguments), for code that
     * runs outside a task (the cluster lock): a relative {@code cql_truststore} is resolved against
     * {@code workDir}.
     *
     * @param requestTimeout per-request timeout
     * @param schemaTimeout  how long to wait for schema agreement
     */
    public static CqlSettings forHost(CassandraHost h, Path workDir, Duration requestTimeout, Duration schemaTimeout) {
        String store = h.cqlTruststore();
        return new CqlSettings(h.cqlHost(), h.cqlPort(), h.cqlLocalDc(), h.cqlUsername(),
                h.cqlUsername() == null ? null : h.cqlPassword(), h.cqlSsl() || store != null,
                store == null ? null : workDir.resolve(store), h.cqlTruststorePassword(), requestTimeout, schemaTimeout);
    }

    /** That host's variables when it is an inventory host, else defaults around the address. */
    private static CassandraHost inventoryHost(ModuleContext ctx, String name) throws ModuleException {
        Object hv = ctx.hostVar("hostvars");
        if (hv instanceof Map<?, ?> all && all.get(name) instanceof Map<?, ?> vars) {
            Map<String, Object> m = new LinkedHashMap<>();
            vars.forEach((k, v) -> m.put(String.valueOf(k), v));
            return CassandraHost.of(name, m);
        }
        if (name.equals(ctx.host())) {
            return CassandraHost.of(ctx);
        }
        return CassandraHost.of(name, Map.of("ansible_host", name));
    }

    private static CqlSettings of(CassandraHost h, Map<String, Object> a, ModuleContext ctx, String where)
            throws ModuleException {
        int port = h.cqlPort();
        if (a.get("port") != null) {
            Object p = a.get("port");
            String s = String.valueOf(p).strip();
            if (!(p instanceof Number || p instanceof String) || !s.matches("\\d{1,5}") || Integer.parseInt(s) < 1
                    || Integer.parseInt(s) > 65535) {
                throw new ModuleException(where + "port must be a number between 1 and 65535, got '" + s + "'");
            }
            port = Integer.parseInt(s);
        }
        String user = str(a, "username", h.cqlUsername(), where);
        String password = a.get("password") != null ? String.valueOf(a.get("password")) : h.cqlPassword();
        if (user != null && password == null) {
            throw new ModuleException(where + "username '" + user + "' is given without a password (argument"
                    + " password or host variable cql_password)");
        }
        Boolean ssl = a.get("ssl") == null ? null : Truth.parse(a.get("ssl"));
        if (a.get("ssl") != null && ssl == null) {
            throw new ModuleException(where + "ssl must be a boolean");
        }
        String store = str(a, "truststore", h.cqlTruststore(), where);
        String storePassword = a.get("truststore_password") != null ? String.valueOf(a.get("truststore_password"))
                : h.cqlTruststorePassword();
        Path storePath = store == null ? null : ctx.run().workDir().resolve(store);
        return new CqlSettings(h.cqlHost(), port, str(a, "local_dc", h.cqlLocalDc(), where), user,
                user == null ? null : password, ssl != null ? ssl : h.cqlSsl() || store != null, storePath,
                storePassword, Duration.ofSeconds(seconds(a, "timeout", where)),
                Duration.ofSeconds(seconds(a, "schema_timeout", where)));
    }

    private static String str(Map<String, Object> a, String key, String dflt, String where) throws ModuleException {
        Object v = a.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Map || v instanceof List) {
            throw new ModuleException(where + key + " must be a string");
        }
        String s = String.valueOf(v).strip();
        return s.isEmpty() ? dflt : s;
    }

    private static long seconds(Map<String, Object> a, String key, String where) throws ModuleException {
        Object v = a.get(key);
        long s = v instanceof Number n ? n.longValue() : DEFAULT_TIMEOUT;
        if (s < 1 || s > 86_400) {
            throw new ModuleException(where + key + " must be between 1 and 86400 seconds, got " + s);
        }
        return s;
    }

    /** {@code host:port} ({@code [v6]:port} for an IPv6 address), for messages. */
    public String endpoint() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Everything but the passwords. */
    @Override
    public String toString() {
        return "CqlSettings[" + endpoint() + (localDc == null ? "" : " dc=" + localDc)
                + (username == null ? "" : " user=" + username) + (ssl ? " tls" : "")
                + (truststore == null ? "" : " truststore=" + truststore) + "]";
    }
}
