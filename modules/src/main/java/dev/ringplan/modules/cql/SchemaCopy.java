package dev.ringplan.modules.cql;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.metadata.Metadata;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.ringplan.engine.module.ModuleException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Copies keyspace definitions from one cluster to another ({@code cql} with {@code schema_from}):
 * reads the source keyspace through the driver's metadata
 * ({@code KeyspaceMetadata.describeWithChildren(false)}: types in dependency order, tables each
 * followed by its indexes, views, functions, aggregates), renames the keyspace where asked, and
 * creates on the target what it lacks: the keyspace (with the source's replication or the one
 * given), then each type, table, index, view, function and aggregate not there yet. What exists
 * is left as it is, even when it differs, and reported. Planning ({@link #objects},
 * {@link #plan}) is pure; {@link #read} and {@link #existing} read the clusters.
 */
final class SchemaCopy {
    private SchemaCopy() {
    }

    /**
     * One source keyspace to copy.
     *
     * @param source      its name on the source
     * @param target      its name on the target
     * @param replication the replication the target keyspace is created with
     * @param create      the CREATE KEYSPACE for the target
     * @param objects the other CREATE statements, renamed to the target keyspace, in source order
     */
    record Keyspace(String source, String target, Replication replication, String create,
                    List<SchemaStatement> objects) {
    }

    /**
     * What to run on the target.
     *
     * @param statements the CREATE statements, in order
     * @param created    what they create, e.g. "table ks.events"
     * @param existing   what the target already has and is left as it is
     */
    record Plan(List<String> statements, List<String> created, List<String> existing) {
    }

    /**
     * The schema objects of a keyspace's {@code describeWithChildren} text, the keyspace
     * statement left out, renamed from keyspace {@code from} to {@code to}.
     *
     * @throws ModuleException when a statement is not a CREATE of a known kind, or names
     *                         another keyspace than {@code from}
     */
    static List<SchemaStatement> objects(String describe, String from, String to) throws ModuleException {
        List<SchemaStatement> out = new ArrayList<>();
        for (String stmt : CqlScript.split(describe, true)) {
            SchemaStatement s = SchemaStatement.parse(stmt);
            if (s.kind() == SchemaStatement.Kind.KEYSPACE) {
                continue;
            }
            if (!s.keyspace().equals(from)) {
                throw new ModuleException("schema of keyspace '" + from + "' holds " + s.describe()
                        + " of another keyspace");
            }
            out.add(from.equals(to) ? s : SchemaStatement.parse(CqlScript.renameKeyspace(stmt, from, to)));
        }
        return out;
    }

    /**
     * The statements that give the target what it lacks.
     *
     * @param keyspaces the source keyspaces, in order
     * @param existing  what the target has: the names of its keyspaces ("keyspace ks") and of
     *                  their objects ({@link SchemaStatement#describe()} form, e.g. "table ks.t")
     */
    static Plan plan(List<Keyspace> keyspaces, Set<String> existing) {
        List<String> statements = new ArrayList<>();
        List<String> created = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (Keyspace k : keyspaces) {
            String ks = "keyspace " + k.target();
            if (existing.contains(ks)) {
                kept.add(ks);
            } else {
                statements.add(k.create());
                created.add(ks);
            }
            for (SchemaStatement s : k.objects()) {
                if (existing.contains(s.describe())) {
                    kept.add(s.describe());
                } else {
                    statements.add(s.cql());
                    created.add(s.describe());
                }
            }
        }
        return new Plan(statements, created, kept);
    }

    /**
     * Reads the source keyspaces.
     *
     * @param rename      source name to target name (others keep their name)
     * @param replication the replication of created keyspaces, or null for the source's
     * @throws ModuleException when a named keyspace does not exist on the source
     */
    static List<Keyspace> read(Metadata source, String endpoint, KeyspaceSelection selection,
                               Map<String, String> rename, Replication replication) throws ModuleException {
        List<String> names = selection.resolve(source.getKeyspaces().keySet().stream()
                .map(CqlIdentifier::asInternal).toList());
        List<Keyspace> out = new ArrayList<>();
        for (String name : names) {
            Optional<KeyspaceMetadata> m = source.getKeyspace(CqlIdentifier.fromInternal(name));
            if (m.isEmpty()) {
                throw new ModuleException("schema_from " + endpoint + ": keyspace '" + name + "' does not exist there");
            }
            String target = rename.getOrDefault(name, name);
            KeyspaceSettings settings = new KeyspaceSettings(replication != null ? replication
                    : Replication.fromSchema(m.get().getReplication()), m.get().isDurableWrites());
            out.add(new Keyspace(name, target, settings.replication(), settings.statementFrom(null, target),
                    objects(m.get().describeWithChildren(false), name, target)));
        }
        return out;
    }

    /** What the target has of {@code keyspaces}, in {@link SchemaStatement#describe()} form. */
    static Set<String> existing(Metadata target, Collection<String> keyspaces) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : keyspaces) {
            Optional<KeyspaceMetadata> m = target.getKeyspace(CqlIdentifier.fromInternal(name));
            if (m.isEmpty()) {
                continue;
            }
            KeyspaceMetadata k = m.get();
            out.add("keyspace " + name);
            k.getUserDefinedTypes().keySet().forEach(id -> out.add(label(SchemaStatement.Kind.TYPE, name, id)));
            for (TableMetadata t : k.getTables().values()) {
                out.add(label(SchemaStatement.Kind.TABLE, name, t.getName()));
                t.getIndexes().keySet().forEach(id -> out.add(label(SchemaStatement.Kind.INDEX, name, id)));
            }
            k.getViews().keySet().forEach(id -> out.add(label(SchemaStatement.Kind.VIEW, name, id)));
            k.getFunctions().keySet().forEach(sig -> out.add(label(SchemaStatement.Kind.FUNCTION, name, sig.getName())));
            k.getAggregates().keySet().forEach(sig -> out.add(label(SchemaStatement.Kind.AGGREGATE, name,
                    sig.getName())));
        }
        return out;
    }

    private static String label(SchemaStatement.Kind kind, String keyspace, CqlIdentifier id) {
        return new SchemaStatement(kind, keyspace, id.asInternal(), "").describe();
    }

    /**
     * Reads the {@code rename} argument: source keyspace to target keyspace, both valid names.
     *
     * @throws ModuleException when a name is not valid, or two source keyspaces get one target name
     */
    static Map<String, String> rename(Map<String, Object> raw) throws ModuleException {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        Set<String> targets = new LinkedHashSet<>();
        for (Map.Entry<String, Object> e : raw.entrySet()) {
            String from = CqlIdentifiers.name(e.getKey(), "rename: source keyspace");
            if (e.getValue() instanceof Map || e.getValue() instanceof List || e.getValue() == null) {
                throw new ModuleException("rename: the new name of '" + from + "' must be a keyspace name");
            }
            String to = CqlIdentifiers.name(String.valueOf(e.getValue()).strip(), "rename: target keyspace");
            if (CqlIdentifiers.isSystem(to) || !targets.add(to)) {
                throw new ModuleException("rename: '" + to + "' cannot be the new name of '" + from + "'"
                        + (CqlIdentifiers.isSystem(to) ? " (a system keyspace)" : " (given twice)"));
            }
            out.put(from, to);
        }
        return out;
    }
}
