package dev.ringplan.modules.cql;

import dev.ringplan.engine.module.ModuleException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A keyspace's replication in one normalized form, so that what a plan asks and what
 * {@code system_schema.keyspaces.replication} holds compare equal when they mean the same:
 * the strategy's full class name ({@code SimpleStrategy} and
 * {@code org.apache.cassandra.locator.SimpleStrategy} are one), each factor as text
 * ({@code 3} and {@code '3'} are one), options sorted. For NetworkTopologyStrategy a datacenter
 * with factor 0 is the same as an absent one (Cassandra places no replica there either way).
 *
 * <p>Cassandra stores the map as {@code map<text, text>}, e.g.
 * {@code {'class': 'org.apache.cassandra.locator.NetworkTopologyStrategy', 'dc1': '3'}};
 * a factor may be transient ({@code '3/1'}, Cassandra 4.0+).
 *
 * @param strategy the full class name, e.g. {@code org.apache.cassandra.locator.SimpleStrategy}
 * @param options  every other entry (datacenter or {@code replication_factor} to factor), sorted
 */
public record Replication(String strategy, Map<String, String> options) {
    /** The package of Cassandra's strategies; a class given without a package is taken from it. */
    public static final String LOCATOR = "org.apache.cassandra.locator.";
    /** Full name of SimpleStrategy. */
    public static final String SIMPLE = LOCATOR + "SimpleStrategy";
    /** Full name of NetworkTopologyStrategy. */
    public static final String NETWORK_TOPOLOGY = LOCATOR + "NetworkTopologyStrategy";

    private static final Pattern FACTOR = Pattern.compile("\\d{1,9}(/\\d{1,9})?");

    /** Copies and sorts the options. */
    public Replication {
        options = Collections.unmodifiableMap(new TreeMap<>(options));
    }

    /**
     * The replication a plan asks for: {@code {class: NetworkTopologyStrategy, dc1: 3, dc2: 3}} or
     * {@code {class: SimpleStrategy, replication_factor: 1}}, the class short or full.
     *
     * @throws ModuleException when the class is missing or not one of those two, a datacenter name
     *                         or a factor is not valid, SimpleStrategy has other options than
     *                         {@code replication_factor}, or NetworkTopologyStrategy is given
     *                         {@code replication_factor} (Cassandra expands it to every datacenter
     *                         it knows; name each datacenter, so the result can be compared)
     */
    public static Replication desired(Map<String, Object> raw) throws ModuleException {
        Object cls = raw.get("class");
        if (!(cls instanceof String c) || c.isBlank()) {
            throw new ModuleException("replication needs a 'class': SimpleStrategy or NetworkTopologyStrategy");
        }
        String strategy = fullName(c.strip());
        if (!strategy.equals(SIMPLE) && !strategy.equals(NETWORK_TOPOLOGY)) {
            throw new ModuleException("replication class '" + CqlIdentifiers.printable(c)
                    + "' is not supported: use SimpleStrategy or NetworkTopologyStrategy");
        }
        Map<String, String> opts = new TreeMap<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            String key = e.getKey();
            if (key.equals("class")) {
                continue;
            }
            String factor = factor(e.getValue(), key);
            if (strategy.equals(SIMPLE)) {
                if (!key.equals("replication_factor")) {
                    throw new ModuleException("replication: SimpleStrategy takes only replication_factor, not '"
                            + CqlIdentifiers.printable(key) + "'");
                }
            } else if (key.equals("replication_factor")) {
                throw new ModuleException("replication: give NetworkTopologyStrategy a factor per datacenter"
                        + " ({class: NetworkTopologyStrategy, dc1: 3}); replication_factor would be expanded by"
                        + " Cassandra to every datacenter and could not be compared");
            } else {
                CqlIdentifiers.datacenter(key);
            }
            opts.put(key, factor);
        }
        if (strategy.equals(SIMPLE) && !opts.containsKey("replication_factor")) {
            throw new ModuleException("replication: SimpleStrategy needs replication_factor");
        }
        Replication r = new Replication(strategy, opts).normalized();
        if (strategy.equals(NETWORK_TOPOLOGY) && r.options().isEmpty()) {
            throw new ModuleException("replication: NetworkTopologyStrategy needs at least one datacenter with a"
                    + " factor above 0");
        }
        return r;
    }

    /**
     * The replication as Cassandra reports it ({@code system_schema.keyspaces.replication}, or the
     * driver's {@code KeyspaceMetadata.getReplication()}), read leniently: any class and options.
     */
    public static Replication fromSchema(Map<String, String> row) {
        Map<String, String> opts = new TreeMap<>();
        String cls = "";
        for (Map.Entry<String, String> e : row.entrySet()) {
            if (e.getKey().equals("class")) {
                cls = e.getValue() == null ? "" : e.getValue();
            } else {
                opts.put(e.getKey(), e.getValue() == null ? "" : e.getValue().strip());
            }
        }
        return new Replication(fullName(cls), opts).normalized();
    }

    /** The full class name of {@code cls}: {@link #LOCATOR} + cls when it has no package. */
    static String fullName(String cls) {
        return cls.contains(".") || cls.isEmpty() ? cls : LOCATOR + cls;
    }

    /** The class as a plan writes it: without the package when it is {@link #LOCATOR}. */
    public String shortStrategy() {
        return strategy.startsWith(LOCATOR) ? strategy.substring(LOCATOR.length()) : strategy;
    }

    /** Datacenters of factor 0 dropped (NetworkTopologyStrategy), numbers without leading zeros. */
    private Replication normalized() {
        Map<String, String> opts = new TreeMap<>();
        options.forEach((k, v) -> {
            String f = FACTOR.matcher(v).matches() ? canonicalFactor(v) : v;
            if (!(strategy.equals(NETWORK_TOPOLOGY) && f.equals("0"))) {
                opts.put(k, f);
            }
        });
        return new Replication(strategy, opts);
    }

    private static String canonicalFactor(String v) {
        int slash = v.indexOf('/');
        return slash < 0 ? new BigDecimal(v).toPlainString()
                : new BigDecimal(v.substring(0, slash)).toPlainString() + "/"
                        + new BigDecimal(v.substring(slash + 1)).toPlainString();
    }

    private static String factor(Object v, String key) throws ModuleException {
        String s = v instanceof Integer || v instanceof Long || v instanceof String ? String.valueOf(v).strip() : null;
        if (s == null || !FACTOR.matcher(s).matches()) {
            throw new ModuleException("replication: the factor of '" + CqlIdentifiers.printable(key)
                    + "' must be a whole number (or full/transient such as 3/1), got "
                    + (v instanceof Map || v instanceof List ? "a collection" : "'" + v + "'"));
        }
        return s;
    }

    /**
     * The CQL map literal, e.g. {@code {'class': 'NetworkTopologyStrategy', 'dc1': 3}}: keys and
     * non-numeric values as escaped string literals, the class in its short form.
     */
    public String toCql() {
        List<String> parts = new ArrayList<>();
        parts.add("'class': " + CqlIdentifiers.literal(shortStrategy()));
        options.forEach((k, v) -> parts.add(CqlIdentifiers.literal(k) + ": "
                + (v.matches("\\d{1,9}") ? v : CqlIdentifiers.literal(v))));
        return "{" + String.join(", ", parts) + "}";
    }

    /**
     * As registered data: {@code {class: NetworkTopologyStrategy, dc1: 3}} (short class first,
     * whole factors as numbers, others as text).
     */
    public Map<String, Object> toData() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class", shortStrategy());
        options.forEach((k, v) -> m.put(k, v.matches("\\d{1,9}") ? (Object) Long.valueOf(v) : v));
        return m;
    }
}
