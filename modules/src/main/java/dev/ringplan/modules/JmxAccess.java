package dev.ringplan.modules;

import dev.ringplan.engine.module.ModuleException;
import java.util.List;
import java.util.Locale;

/**
 * How Ringplan reaches a node's JMX (host variables, read by {@link CassandraHost}):
 *
 * <table>
 * <caption>variables read</caption>
 * <tr><th>variable</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code nodetool_via}</td><td>{@code auto}</td><td>{@code jmx}: nodetool commands go to the
 *     node's JMX from Ringplan's own JVM and fail when it cannot be reached; {@code process}: they
 *     run the {@code nodetool} program ({@code nodetool_cmd}); {@code auto}: JMX when it answers,
 *     else the program</td></tr>
 * <tr><td>{@code jmx_username} / {@code jmx_password}</td><td>none</td><td>JMX authentication
 *     (nodetool {@code -u} / {@code -pw}); the password is secret by its name, masked in every
 *     output</td></tr>
 * <tr><td>{@code jmx_ssl}</td><td>{@code false}</td><td>JMX over TLS (nodetool {@code --ssl}; the
 *     truststore comes from the {@code javax.net.ssl.*} system properties, as nodetool's)</td></tr>
 * </table>
 *
 * @param via      {@code auto}, {@code jmx} or {@code process}
 * @param username JMX user, or null
 * @param password JMX password as written, or null (never put it in a message)
 * @param ssl      JMX over TLS
 */
public record JmxAccess(String via, String username, String password, boolean ssl) {
    /** The values of {@code nodetool_via}. */
    public static final List<String> VIA = List.of("auto", "jmx", "process");

    static JmxAccess read(String host, CassandraHost.Reader r) throws ModuleException {
        String via = r.str("nodetool_via", "auto").strip().toLowerCase(Locale.ROOT);
        if (!VIA.contains(via)) {
            throw new ModuleException("host " + host + ": variable 'nodetool_via' must be one of "
                    + String.join(", ", VIA) + ", got '" + via + "'");
        }
        return new JmxAccess(via, r.str("jmx_username", null), r.secret("jmx_password"), r.bool("jmx_ssl", false));
    }

    /** nodetool's options for these credentials: {@code -u U -pw P --ssl}, each when set. */
    List<String> nodetoolOptions() {
        List<String> o = new java.util.ArrayList<>();
        if (username != null) {
            o.add("-u");
            o.add(username);
        }
        if (password != null) {
            o.add("-pw");
            o.add(password);
        }
        if (ssl) {
            o.add("--ssl");
        }
        return o;
    }

    @Override
    public String toString() {
        return "JmxAccess[via=" + via + ", username=" + username + ", password=" + (password == null ? null : "********")
                + ", ssl=" + ssl + "]";
    }
}
