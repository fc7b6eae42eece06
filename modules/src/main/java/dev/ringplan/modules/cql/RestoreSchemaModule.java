package dev.ringplan.modules.cql;

import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.DeclaredModule;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.ReturnSpec;

/**
 * {@code restore_schema}: before tables of a backup are loaded into a live cluster, compares each
 * with the live schema and recreates the ones that no longer exist from the backup's own
 * {@code schema.cql} ({@link RestoreSchemaTask}, {@link SnapshotSchema}).
 */
public final class RestoreSchemaModule extends DeclaredModule {
    private static final ArgSpec SPEC = CqlSettings.declare(ArgSpec.builder()
            .arg(ArgDef.of("src", ArgDef.Type.STR, "The backup: a node's archive or <name>.manifest.json (as tar"
                    + " extract's src: path, file:///abs/path or ssh://<inventory host>/abs/path).").asRequired())
            .arg(ArgDef.of("keyspaces", ArgDef.Type.LIST, "Every table of these keyspaces in the backup."))
            .arg(ArgDef.of("tables", ArgDef.Type.LIST, "These tables, as <keyspace>.<table>."))
            .arg(ArgDef.of("create", ArgDef.Type.BOOL, "Recreate tables (and keyspaces, with replication) the live"
                    + " schema lacks (default true); false: a missing table fails the task.").withDefault(true))
            .arg(ArgDef.of("replication", ArgDef.Type.MAP, "Replication of a keyspace the live schema lacks, e.g."
                    + " {class: NetworkTopologyStrategy, dc1: 3} (a backup does not record it); empty: none.")))
            .requiredOneOf("keyspaces", "tables")
            .build();

    private static final ModuleDoc DOC = new ModuleDoc(
            "Check a backup's tables against the live schema; recreate dropped ones from the backup's schema.cql.",
            """
            For a table or keyspace restore into a running cluster (plans/restore-table.yaml). Target one
            host (hosts: cassandra[0]); it connects over CQL from the controller as cql does (cql_host,
            cql_port, cql_local_dc, cql_username/cql_password, cql_ssl, cql_truststore; the arguments of
            the same name without cql_ override them).

            The tables are those of the backup (src: one node's backup, archive or differential manifest)
            named by tables: [ks.t, ...], or every table of keyspaces: [ks, ...] in the backup; a name the
            backup lacks fails the task. Cassandra's own keyspaces are refused (they come back with a
            whole-node restore only). The backup's schema.cql of each table (written by Cassandra into
            every table snapshot, 3.0+) is read from the backup: an archive is read through once and
            checked against its manifest; a differential backup reads only its schema files.

            Each table is looked up in system_schema.tables and system_schema.columns:
            - present: its columns (name, type, kind: partition_key, clustering, regular, static) must be
              those of the backup's CREATE TABLE, after the backup's own ALTER TABLE DROP/ADD. Any
              difference fails the task, in check mode too, naming every table and column that differs
              (column added, dropped, or of another type since the backup), before anything changes.
              Table options (compaction, TTL...) are not compared. Its live id is registered. A
              materialized view (system_schema.views) fails the task with create: true (an online
              restore loads base tables; recreate the view afterwards to rebuild it) and is taken as
              it is with create: false (an offline restore reading ids).
            - absent: the statements of the backup's schema.cql run, in order, on one coordinator:
              CREATE TYPE IF NOT EXISTS for its types, CREATE TABLE IF NOT EXISTS ... WITH ID = <the
              backup's id> (so the table gets its old id back: Cassandra 3.0+ accepts WITH ID; the old
              directory <table>-<id> is then its directory again), ALTER TABLE ... DROP ... USING
              TIMESTAMP for columns dropped before the backup, CREATE INDEX. A missing keyspace is
              created first with replication: (CREATE KEYSPACE IF NOT EXISTS); without it the task
              fails, since a backup does not record a keyspace's replication. create: false fails
              instead of creating.
            A missing materialized view is not recreated: its schema.cql holds no CREATE TABLE, and the
            task fails. Nothing runs unless every table passed. Check mode lists the exact CQL. ok when every
            table exists with the backup's columns (a second run is ok).
            """,
            """
            - id: schema
              hosts: n1
              restore_schema:
                src: "/srv/backups/{{ tag }}/{{ inventory_hostname }}.manifest.json"
                tables: [shop.orders]
              register: schema

            - id: dropped_keyspace
              hosts: n1
              restore_schema:
                src: "/srv/backups/{{ tag }}/{{ inventory_hostname }}.manifest.json"
                keyspaces: [shop]
                replication: {class: NetworkTopologyStrategy, dc1: 3}
            """);

    private static final ReturnSpec RETURNS = ReturnSpec.builder()
            .key(ReturnSpec.key("tables", ReturnSpec.Type.LIST, "<keyspace>.<table> of the backup restored, in"
                    + " backup order"))
            .key(ReturnSpec.key("table_ids", ReturnSpec.Type.MAP, "{ks.table: id of the live table, 32 hex digits}"
                    + " (for a table to create: the id it gets, the backup's)"))
            .key(ReturnSpec.key("backup_ids", ReturnSpec.Type.MAP, "{ks.table: id the backup recorded}"))
            .key(ReturnSpec.key("created", ReturnSpec.Type.LIST, "what was (would be) created: 'ks.table', 'keyspace ks'"))
            .key(ReturnSpec.key("existing", ReturnSpec.Type.LIST, "tables that exist with the backup's columns"))
            .key(ReturnSpec.key("statements", ReturnSpec.Type.LIST, "the CQL run (would run), in order"))
            .key(ReturnSpec.key("truncate_cql", ReturnSpec.Type.LIST, "TRUNCATE \"ks\".\"t\" of each table (what"
                    + " a replacing restore runs before loading)"))
            .key(ReturnSpec.key("executed", ReturnSpec.Type.INT, "statements run; null in check mode when some would")
                    .nullable())
            .build();

    /** Used by ServiceLoader. */
    public RestoreSchemaModule() {
        super("restore_schema", DOC, SPEC, RETURNS);
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        return RestoreSchemaTask.check(ctx);
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        return RestoreSchemaTask.apply(ctx);
    }
}
