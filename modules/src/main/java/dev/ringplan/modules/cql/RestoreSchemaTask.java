package dev.ringplan.modules.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.tar.BackupSchemas;
import dev.ringplan.modules.tar.BackupSchemas.BackupTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code restore_schema}'s work: compares the tables of a backup with the live schema and works
 * out the CQL that recreates the missing ones ({@link #plan}, read-only), then runs it
 * ({@link #apply}). See {@link RestoreSchemaModule} for the contract.
 */
final class RestoreSchemaTask {
    private RestoreSchemaTask() {
    }

    /**
     * What the task found and would do.
     *
     * @param tables     {@code ks.table} restored, in backup order
     * @param tableIds   {@code ks.table} → id of the live table (the backup's for a table to create)
     * @param created    {@code ks.table} (and {@code keyspace ks}) to create
     * @param existing   {@code ks.table} already in the live schema, columns equal to the backup's
     * @param statements the CQL to run, in order
     * @param backupIds  {@code ks.table} → id the backup recorded
     */
    record Plan(List<String> tables, Map<String, String> tableIds, List<String> created, List<String> existing,
                List<String> statements, Map<String, String> backupIds) {
        Map<String, Object> data(Long executed) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("tables", tables);
            d.put("table_ids", new LinkedHashMap<String, Object>(tableIds));
            d.put("backup_ids", new LinkedHashMap<String, Object>(backupIds));
            d.put("created", created);
            d.put("existing", existing);
            d.put("statements", statements);
            d.put("executed", executed);
            List<String> truncate = new ArrayList<>();
            for (String t : tables) {
                truncate.add("TRUNCATE " + CqlIdentifiers.quote(t.substring(0, t.indexOf('.'))) + "."
                        + CqlIdentifiers.quote(t.substring(t.indexOf('.') + 1)));
            }
            d.put("truncate_cql", truncate);
            return d;
        }
    }

    /** A live table or materialized view: its id (32 hex digits) and columns. */
    private record LiveTable(String id, Map<String, SnapshotSchema.Column> columns, boolean view) {
    }

    static Preview check(ModuleContext ctx) throws ModuleException {
        Plan p = plan(ctx);
        if (p.statements.isEmpty()) {
            return Preview.noChange("every table of the backup exists with the backup's columns: "
                    + String.join(", ", p.tables)).withData(p.data(0L));
        }
        return Preview.willChange("would create " + String.join(", ", p.created) + " from the backup's schema",
                p.statements.stream().map(CqlSessions::oneLine).toList()).withData(p.data(null));
    }

    static Result apply(ModuleContext ctx) throws ModuleException {
        Plan p = plan(ctx);
        if (p.statements.isEmpty()) {
            return Result.ok("every table of the backup exists with the backup's columns: "
                    + String.join(", ", p.tables)).withData(p.data(0L));
        }
        CqlSettings s = CqlSettings.forTask(ctx);
        Map<String, String> ids = new LinkedHashMap<>(p.tableIds);
        try (CqlSession session = CqlSessions.open(s)) {
            // one coordinator for the whole sequence: a table's keyspace and types exist where it is created
            var coordinator = session.getMetadata().getNodes().values().stream()
                    .filter(n -> n.getState() == com.datastax.oss.driver.api.core.metadata.NodeState.UP)
                    .findFirst().orElse(null);
            for (int i = 0; i < p.statements.size(); i++) {
                ctx.log(CqlSessions.oneLine(p.statements.get(i)));
                CqlSessions.execute(session, s, p.statements.get(i), "statement " + (i + 1), coordinator);
            }
            for (String t : p.created) {
                if (t.startsWith("keyspace ")) {
                    continue;
                }
                LiveTable live = liveTables(session, s, t.substring(0, t.indexOf('.'))).get(t.substring(t.indexOf('.') + 1));
                if (live == null) {
                    throw new ModuleException("table " + t + " is still missing after its CREATE TABLE ran");
                }
                ids.put(t, live.id);
            }
        }
        Plan done = new Plan(p.tables, ids, p.created, p.existing, p.statements, p.backupIds);
        return Result.changed("created " + String.join(", ", p.created) + " from the backup's schema")
                .withCommands(p.statements.stream().map(CqlSessions::oneLine).toList())
                .withData(done.data((long) p.statements.size()));
    }

    /**
     * Reads the backup's tables and schema files and the live schema, and decides. Reads only.
     *
     * @throws ModuleException naming every table whose columns differ from the backup's, a table
     *                         to create without schema.cql, a missing keyspace without
     *                         replication, or a missing table with {@code create: false}
     */
    static Plan plan(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        List<String> keyspaces = a.list("keyspaces");
        List<String> tables = a.list("tables");
        if (keyspaces.isEmpty() && tables.isEmpty()) {
            throw new ModuleException("restore_schema: give keyspaces or tables (a whole-node restore brings its"
                    + " schema back with system_schema)");
        }
        for (String k : keyspaces) {
            CqlIdentifiers.name(k, "keyspace");
            refuseSystem(k);
        }
        for (String t : tables) {
            if (!t.matches("\\w+\\.\\w+")) {
                throw new ModuleException("restore_schema: tables entry '" + CqlIdentifiers.printable(t)
                        + "' must be <keyspace>.<table>");
            }
            refuseSystem(t.substring(0, t.indexOf('.')));
        }
        boolean create = a.bool("create", true);
        Replication replication = a.map("replication").isEmpty() ? null : Replication.desired(a.map("replication"));
        Map<String, BackupTable> backup = BackupSchemas.read(ctx, keyspaces, tables);
        String source = BackupSchemas.source(ctx);
        CqlSettings s = CqlSettings.forTask(ctx);

        List<String> differences = new ArrayList<>();
        List<String> created = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        Map<String, String> ids = new LinkedHashMap<>();
        Map<String, String> backupIds = new LinkedHashMap<>();
        Set<String> keyspacesToCreate = new LinkedHashSet<>();
        try (CqlSession session = CqlSessions.open(s)) {
            Map<String, Map<String, LiveTable>> liveByKs = new LinkedHashMap<>();
            for (BackupTable bt : backup.values()) {
                backupIds.put(bt.key(), bt.id());
                if (!liveByKs.containsKey(bt.keyspace())) {
                    boolean ksExists = CqlSessions.execute(session, s, "SELECT keyspace_name FROM system_schema.keyspaces"
                            + " WHERE keyspace_name = " + CqlIdentifiers.literal(bt.keyspace()), "reading keyspaces")
                            .one() != null;
                    liveByKs.put(bt.keyspace(), ksExists ? liveTables(session, s, bt.keyspace()) : null);
                }
                Map<String, LiveTable> liveTables = liveByKs.get(bt.keyspace());
                LiveTable live = liveTables == null ? null : liveTables.get(bt.table());
                String where = "schema.cql of " + bt.key() + " in " + source;
                if (live != null) {
                    ids.put(bt.key(), live.id);
                    existing.add(bt.key());
                    if (live.view) {
                        if (create) {
                            differences.add(bt.key() + ": a materialized view: restore its base table (tables: [...]),"
                                    + " then recreate the view to rebuild it");
                        }
                        continue;  // a view's columns follow its base table's
                    }
                    if (bt.schemaCql() == null) {
                        differences.add(bt.key() + ": the backup holds no schema.cql to compare the live table with");
                        continue;
                    }
                    SnapshotSchema def = SnapshotSchema.parse(bt.schemaCql(), where);
                    for (String d : def.differences(live.columns)) {
                        differences.add(bt.key() + ": " + d);
                    }
                    continue;
                }
                if (!create) {
                    differences.add(bt.key() + ": no such table in the live schema (create: false)");
                    continue;
                }
                if (bt.schemaCql() == null) {
                    differences.add(bt.key() + ": no such table in the live schema, and the backup holds no schema.cql"
                            + " to recreate it from");
                    continue;
                }
                SnapshotSchema def = SnapshotSchema.parse(bt.schemaCql(), where);
                if (!def.keyspace().equals(bt.keyspace()) || !def.table().equals(bt.table())) {
                    throw new ModuleException(where + " defines " + def.keyspace() + "." + def.table() + ", not "
                            + bt.key());
                }
                if (liveTables == null && keyspacesToCreate.add(bt.keyspace())) {
                    if (replication == null) {
                        differences.add("keyspace " + bt.keyspace() + " does not exist, and a backup does not record"
                                + " its replication: give replication (-e '{\"replication\": {\"class\":"
                                + " \"NetworkTopologyStrategy\", \"<dc>\": 3}}') or create it first");
                        continue;
                    }
                    List<String> unknown = CqlSessions.unknownDatacenters(replication, CqlSessions.datacenters(session));
                    if (!unknown.isEmpty()) {
                        throw new ModuleException("replication names datacenter " + String.join(", ", unknown)
                                + ", which the cluster does not have");
                    }
                    statements.add("CREATE KEYSPACE IF NOT EXISTS " + CqlIdentifiers.quote(bt.keyspace())
                            + " WITH replication = " + replication.toCql());
                    created.add("keyspace " + bt.keyspace());
                }
                statements.addAll(def.statements());
                created.add(bt.key());
                String id = def.id();
                ids.put(bt.key(), id != null ? id : bt.id());
            }
        }
        if (!differences.isEmpty()) {
            throw new ModuleException("the backup " + source + " does not fit the live schema; nothing was changed:\n  "
                    + String.join("\n  ", differences));
        }
        return new Plan(List.copyOf(backup.keySet()), ids, created, existing, statements, backupIds);
    }

    private static void refuseSystem(String ks) throws ModuleException {
        if (CqlIdentifiers.isSystem(ks)) {
            throw new ModuleException("restore_schema: keyspace " + ks + " is Cassandra's own; system tables come"
                    + " back with a whole-node restore only");
        }
    }

    /** The tables of keyspace {@code ks} with their ids and columns ({@code system_schema.tables}, {@code columns}). */
    private static Map<String, LiveTable> liveTables(CqlSession session, CqlSettings s, String ks) throws ModuleException {
        String lit = CqlIdentifiers.literal(ks);
        Map<String, String> ids = new LinkedHashMap<>();
        for (Row r : CqlSessions.execute(session, s, "SELECT table_name, id FROM system_schema.tables WHERE keyspace_name = "
                + lit, "reading tables")) {
            ids.put(r.getString("table_name"), r.getUuid("id").toString().replace("-", ""));
        }
        Map<String, String> views = new LinkedHashMap<>();
        for (Row r : CqlSessions.execute(session, s, "SELECT view_name, id FROM system_schema.views WHERE keyspace_name = "
                + lit, "reading materialized views")) {
            views.put(r.getString("view_name"), r.getUuid("id").toString().replace("-", ""));
        }
        Map<String, Map<String, SnapshotSchema.Column>> cols = new LinkedHashMap<>();
        for (Row r : CqlSessions.execute(session, s, "SELECT table_name, column_name, kind, type FROM"
                + " system_schema.columns WHERE keyspace_name = " + lit, "reading columns")) {
            cols.computeIfAbsent(r.getString("table_name"), k -> new LinkedHashMap<>()).put(r.getString("column_name"),
                    new SnapshotSchema.Column(r.getString("column_name"), SnapshotSchema.normType(r.getString("type")),
                            r.getString("kind")));
        }
        Map<String, LiveTable> out = new LinkedHashMap<>();
        ids.forEach((t, id) -> out.put(t, new LiveTable(id, cols.getOrDefault(t, Map.of()), false)));
        views.forEach((t, id) -> out.put(t, new LiveTable(id, cols.getOrDefault(t, Map.of()), true)));
        return out;
    }
}
