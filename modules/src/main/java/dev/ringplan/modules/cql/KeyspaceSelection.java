package dev.ringplan.modules.cql;

import dev.ringplan.engine.module.ModuleException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which keyspaces a task names: {@code keyspace: ks}, {@code keyspaces: [ks1, ks2]}, or
 * {@code keyspaces: all_user} (every keyspace of the cluster but Cassandra's own and Ringplan's lock
 * keyspace {@code ringplan}, in name order),
 * plus {@code include_system}: some of Cassandra's replicated system keyspaces
 * ({@code system_auth}, {@code system_distributed}, {@code system_traces}), e.g. when a datacenter
 * is added: "alter all user keyspaces and system_auth, system_distributed, system_traces".
 *
 * @param names        the names as given (validated), empty for {@code all_user}
 * @param allUser      {@code all_user} was given
 * @param system       the system keyspaces to add
 */
public record KeyspaceSelection(List<String> names, boolean allUser, List<String> system) {
    /** The word meaning every keyspace but Cassandra's own. */
    public static final String ALL_USER = "all_user";

    /**
     * Reads the arguments.
     *
     * @param keyspace      {@code keyspace}, or null
     * @param keyspaces     {@code keyspaces}, or null
     * @param includeSystem {@code include_system}, or null
     * @throws ModuleException when a name is not valid, {@code all_user} is not alone, a system
     *                         keyspace is named that cannot be replicated ({@code system},
     *                         {@code system_schema}: LocalStrategy), or include_system names
     *                         something else than a replicated system keyspace
     */
    public static KeyspaceSelection of(String keyspace, List<String> keyspaces, List<String> includeSystem)
            throws ModuleException {
        List<String> given = new ArrayList<>();
        if (keyspace != null) {
            given.add(keyspace.strip());
        }
        if (keyspaces != null) {
            keyspaces.forEach(k -> given.add(k.strip()));
        }
        boolean all = given.contains(ALL_USER);
        if (all && given.size() > 1) {
            throw new ModuleException("keyspaces: '" + ALL_USER + "' stands alone; add system keyspaces with"
                    + " include_system");
        }
        Set<String> names = new LinkedHashSet<>();
        if (!all) {
            for (String k : given) {
                CqlIdentifiers.name(k, "keyspace");
                if (CqlIdentifiers.isSystem(k) && !CqlIdentifiers.REPLICATED_SYSTEM_KEYSPACES.contains(k)) {
                    throw new ModuleException("keyspace '" + k + "' is local to each node (LocalStrategy or virtual):"
                            + " its replication cannot be set");
                }
                names.add(k);
            }
        }
        Set<String> system = new LinkedHashSet<>();
        for (String k : includeSystem == null ? List.<String>of() : includeSystem) {
            String s = k.strip();
            if (!CqlIdentifiers.REPLICATED_SYSTEM_KEYSPACES.contains(s)) {
                throw new ModuleException("include_system: '" + CqlIdentifiers.printable(s) + "' is not one of "
                        + String.join(", ", CqlIdentifiers.REPLICATED_SYSTEM_KEYSPACES.stream().sorted().toList()));
            }
            system.add(s);
        }
        if (names.isEmpty() && !all && system.isEmpty()) {
            throw new ModuleException("no keyspace given: keyspace, keyspaces (or keyspaces: all_user), include_system");
        }
        return new KeyspaceSelection(List.copyOf(names), all, List.copyOf(system));
    }

    /**
     * The keyspaces meant on a cluster that has {@code existing}: the names as given, or every
     * non-system keyspace in name order, then the system ones; each once.
     */
    public List<String> resolve(Collection<String> existing) {
        Set<String> out = new LinkedHashSet<>();
        if (allUser) {
            existing.stream().filter(CqlIdentifiers::isUserData).sorted().forEach(out::add);
        } else {
            out.addAll(names);
        }
        out.addAll(system);
        return List.copyOf(out);
    }

    /** In words, e.g. "every user keyspace and system_auth" or "ks1, ks2". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (allUser) {
            parts.add("every user keyspace");
        }
        parts.addAll(names);
        parts.addAll(system);
        return parts.size() == 1 ? parts.get(0)
                : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }
}
