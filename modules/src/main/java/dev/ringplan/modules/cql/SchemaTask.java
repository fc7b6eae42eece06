package dev.ringplan.modules.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.Metadata;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code cql} with {@code schema_from}: creates on the task's cluster the keyspaces, types,
 * tables, indexes, views, functions and aggregates of another cluster's keyspaces that it lacks
 * ({@link SchemaCopy}). Check mode lists the exact CREATE statements.
 */
final class SchemaTask {
    private SchemaTask() {
    }

    static Preview check(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        KeyspaceSelection sel = KeyspaceSelection.of(null, a.list("keyspaces"), null);
        Map<String, String> rename = SchemaCopy.rename(a.map("rename"));
        for (String from : rename.keySet()) {
            if (!sel.allUser() && !sel.names().contains(from)) {
                throw new ModuleException("rename: '" + from + "' is not one of the keyspaces copied ("
                        + String.join(", ", sel.names()) + ")");
            }
        }
        Replication replication = a.has("replication") ? Replication.desired(a.map("replication")) : null;
        CqlSettings source = CqlSettings.forSource(ctx, a.map("schema_from"));
        CqlSettings target = CqlSettings.forTask(ctx);
        List<SchemaCopy.Keyspace> keyspaces;
        try (CqlSession session = CqlSessions.open(source)) {
            Metadata m = CqlSessions.schema(session, source);
            keyspaces = SchemaCopy.read(m, source.endpoint(), sel, rename, replication);
        } catch (ModuleException e) {
            String pending = Upstream.pending(ctx);
            if (pending == null) {
                throw e;
            }
            Map<String, Object> data = new LinkedHashMap<>();
            for (String k : List.of("statements", "executed", "source", "created", "existing")) {
                data.put(k, null);
            }
            data.put("source", source.endpoint());
            return Preview.unknown("cannot read the source schema yet (" + e.getMessage() + "); known " + pending,
                    List.of()).withData(data);
        }
        List<String> targets = keyspaces.stream().map(SchemaCopy.Keyspace::target).toList();
        Set<String> existing;
        Set<String> dcs;
        try (CqlSession session = CqlSessions.open(target)) {
            existing = SchemaCopy.existing(CqlSessions.schema(session, target), targets);
            dcs = CqlSessions.datacenters(session);
        }
        for (SchemaCopy.Keyspace k : keyspaces) {
            List<String> unknown = CqlSessions.unknownDatacenters(k.replication(), dcs);
            if (!existing.contains("keyspace " + k.target()) && !unknown.isEmpty()) {
                throw new ModuleException("keyspace " + k.target() + " would be created with datacenter "
                        + String.join(", ", unknown) + ", which the cluster of " + target.endpoint() + " does not have"
                        + " (datacenters: " + String.join(", ", dcs) + "); give replication: for the keyspaces"
                        + " created here");
            }
        }
        SchemaCopy.Plan plan = SchemaCopy.plan(keyspaces, existing);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("statements", plan.statements());
        data.put("executed", plan.statements().isEmpty() ? 0 : null);
        data.put("source", source.endpoint());
        data.put("created", plan.created());
        data.put("existing", plan.existing());
        String from = " from " + source.endpoint();
        if (plan.statements().isEmpty()) {
            return Preview.noChange("schema of " + String.join(", ", targets) + " already present (" + count(plan.existing())
                    + ")" + from).withData(data);
        }
        return Preview.willChange("would create " + count(plan.created()) + from
                + (plan.existing().isEmpty() ? "" : "; " + count(plan.existing()) + " already there, left as they are"),
                plan.statements()).withData(data);
    }

    static Result apply(ModuleContext ctx) throws ModuleException {
        Map<String, Object> data = new LinkedHashMap<>(ctx.preview().data());
        @SuppressWarnings("unchecked")
        List<String> statements = (List<String>) data.get("statements");
        @SuppressWarnings("unchecked")
        List<String> created = (List<String>) data.get("created");
        CqlSettings target = CqlSettings.forTask(ctx);
        Set<String> now;
        try (CqlSession session = CqlSessions.open(target)) {
            // One coordinator for the whole sequence: a table's keyspace exists where it is created.
            com.datastax.oss.driver.api.core.metadata.Node coordinator = session.getMetadata().getNodes().values()
                    .stream().filter(n -> n.getState() == com.datastax.oss.driver.api.core.metadata.NodeState.UP)
                    .findFirst().orElse(null);
            for (int i = 0; i < statements.size(); i++) {
                ctx.log(CqlSessions.oneLine(statements.get(i)));
                CqlSessions.execute(session, target, statements.get(i), "creating " + created.get(i), coordinator);
            }
            CqlSessions.awaitAgreement(session, target, "creating the schema", target.schemaTimeout());
            List<String> keyspaces = created.stream().filter(c -> c.startsWith("keyspace ")).map(c -> c.substring(9))
                    .toList();
            List<String> all = new ArrayList<>(keyspaces);
            created.stream().filter(c -> !c.startsWith("keyspace ")).map(SchemaTask::keyspaceOf).forEach(all::add);
            // Agreement is judged by the control node from gossip, which can lag behind the coordinator's
            // change; read the schema again until every object is there or the schema timeout passes.
            List<String> wanted = all.stream().distinct().toList();
            long deadline = System.nanoTime() + target.schemaTimeout().toNanos();
            while (true) {
                now = SchemaCopy.existing(CqlSessions.schema(session, target), wanted);
                if (created.stream().allMatch(now::contains) || System.nanoTime() >= deadline) {
                    break;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ModuleException("interrupted while reading the created schema back", e);
                }
            }
        }
        Set<String> present = now;
        List<String> missing = created.stream().filter(c -> !present.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new ModuleException("after the CREATE statements the target still lacks " + String.join(", ", missing));
        }
        data.put("executed", statements.size());
        return Result.changed("created " + count(created) + " from " + data.get("source")).withCommands(statements)
                .withData(data);
    }

    /** "ks" of "table ks.t". */
    private static String keyspaceOf(String described) {
        String qualified = described.substring(described.lastIndexOf(' ') + 1);
        return qualified.substring(0, qualified.indexOf('.'));
    }

    /** "3 objects: keyspace ks, table ks.t, index ks.i" or "1 object: ...". */
    private static String count(List<String> objects) {
        return objects.size() + (objects.size() == 1 ? " object: " : " objects: ") + String.join(", ", objects);
    }
}
