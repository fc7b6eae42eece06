package dev.ringplan.modules.cql;

import dev.ringplan.engine.module.ModuleException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validation and quoting of the names and literals the CQL modules put into statements they
 * build. Nothing a plan gives reaches a statement without passing here.
 *
 * <p>Keyspace, table and type names follow Cassandra's rule for schema names
 * ({@code SchemaConstants.isValidName}: {@code \w+}, at most 48 characters, ASCII letters, digits
 * and {@code _}); they are always written quoted ({@code "ks"}), so case is kept exactly.
 * Datacenter names are keys of the replication map, i.e. string literals: the snitch decides
 * them, and real ones contain {@code -} ({@code us-east-1}) or {@code .}, so letters, digits,
 * {@code _}, {@code -} and {@code .} are accepted (at most 128); the literal escapes quotes anyway.
 */
public final class CqlIdentifiers {
    /** Cassandra's schema-name rule. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,48}");
    private static final Pattern DATACENTER = Pattern.compile("[A-Za-z0-9_.\\-]{1,128}");

    /**
     * Keyspaces Cassandra keeps for itself: the local ones ({@code system}, {@code system_schema}),
     * the replicated ones ({@code system_auth}, {@code system_distributed}, {@code system_traces}),
     * the virtual ones, and 5.1's {@code system_cluster_metadata}.
     */
    public static final Set<String> SYSTEM_KEYSPACES = Set.of("system", "system_schema", "system_auth",
            "system_distributed", "system_traces", "system_views", "system_virtual_schema", "system_cluster_metadata");

    /**
     * Ringplan's own keyspace: the cluster lock of runs ({@code ringplan.locks}, see
     * {@code dev.ringplan.modules.lock}). Not Cassandra's, yet not the user's data either: what
     * acts on "every user keyspace" ({@code all_user}, a bulk load of every keyspace) leaves it out.
     */
    public static final String RINGPLAN_KEYSPACE = "ringplan";

    /** The system keyspaces whose replication an operator sets (Cassandra's replicated system keyspaces). */
    public static final Set<String> REPLICATED_SYSTEM_KEYSPACES = Set.of("system_auth", "system_distributed",
            "system_traces");

    private CqlIdentifiers() {
    }

    /**
     * {@code name} when it is a valid keyspace, table or type name.
     *
     * @param what what the name is, for the message, e.g. "keyspace"
     * @throws ModuleException naming the rule when it is not
     */
    public static String name(String name, String what) throws ModuleException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ModuleException(what + " name " + (name == null ? "(none)" : "'" + printable(name) + "'")
                    + " is not valid: Cassandra names are 1 to 48 letters, digits or _");
        }
        return name;
    }

    /** Whether {@code name} is a valid keyspace, table or type name. */
    public static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * {@code dc} when it is an acceptable datacenter name (letters, digits, {@code _ - .}, at most 128).
     *
     * @throws ModuleException when it is not
     */
    public static String datacenter(String dc) throws ModuleException {
        if (dc == null || !DATACENTER.matcher(dc).matches()) {
            throw new ModuleException("datacenter name " + (dc == null ? "(none)" : "'" + printable(dc) + "'")
                    + " is not valid: expected 1 to 128 letters, digits, _, - or .");
        }
        return dc;
    }

    /** {@code name} as a quoted CQL identifier: {@code "Name"}, with {@code "} doubled. */
    public static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code text} as a CQL string literal: {@code 'it''s'}. */
    public static String literal(String text) {
        return '\'' + text.replace("'", "''") + '\'';
    }

    /** Whether {@code keyspace} is one of Cassandra's own keyspaces ({@link #SYSTEM_KEYSPACES}). */
    public static boolean isSystem(String keyspace) {
        return SYSTEM_KEYSPACES.contains(keyspace);
    }

    /**
     * Whether {@code keyspace} holds user data: neither Cassandra's ({@link #isSystem}) nor
     * Ringplan's own ({@link #RINGPLAN_KEYSPACE}).
     */
    public static boolean isUserData(String keyspace) {
        return !isSystem(keyspace) && !RINGPLAN_KEYSPACE.equals(keyspace);
    }

    /** {@code s} with control characters shown as {@code ?}, shortened, for a message. */
    static String printable(String s) {
        String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder sb = new StringBuilder();
        t.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }
}
