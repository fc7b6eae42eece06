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
 * {@code cql}: runs CQL statements on the task's cluster, guarded by a {@code check} query for
 * idempotency ({@link StatementsTask}), or creates what another cluster's keyspaces define and
 * this one lacks ({@code schema_from}, {@link SchemaTask}).
 */
public final class CqlModule extends DeclaredModule {
    private static final ArgSpec SPEC = CqlSettings.declare(ArgSpec.builder()
            .arg(ArgDef.of("statements", ArgDef.Type.ANY, "CQL to run, in order: a string (statements separated by"
                    + " ;) or a list of them."))
            .arg(ArgDef.of("check", ArgDef.Type.MAP, "{query: SELECT..., expect: {column: value}, rows: N}: when the"
                    + " query finds this, the statements do not run (ok)."))
            .arg(ArgDef.of("schema_from", ArgDef.Type.MAP, "Another cluster to copy keyspace definitions from:"
                    + " {host: inventory hostname or address, port, local_dc, username, password, ssl, truststore,"
                    + " truststore_password}."))
            .arg(ArgDef.of("keyspaces", ArgDef.Type.LIST, "schema_from: the source keyspaces to copy, or all_user."))
            .arg(ArgDef.of("rename", ArgDef.Type.MAP, "schema_from: {source keyspace: name on this cluster}."))
            .arg(ArgDef.of("replication", ArgDef.Type.MAP, "schema_from: replication of the keyspaces it creates"
                    + " (default: the source's), e.g. {class: NetworkTopologyStrategy, dc2: 3}.")))
            .freeForm("statements")
            .requiredOneOf("statements", "schema_from")
            .mutuallyExclusive("statements", "schema_from")
            .mutuallyExclusive("check", "schema_from")
            .requiredTogether("schema_from", "keyspaces")
            .mutuallyExclusive("statements", "rename")
            .mutuallyExclusive("statements", "replication")
            .build();

    private static final ModuleDoc DOC = new ModuleDoc(
            "Run CQL statements (idempotent with a check query), or copy keyspace definitions from another cluster.",
            """
            Connects over CQL from the controller (java-driver-core) to the task's host, as
            alter_keyspace does (cql_host, cql_port, cql_local_dc, cql_username/cql_password,
            cql_ssl, cql_truststore; the arguments of the same name without cql_ override them).
            Statements run at LOCAL_QUORUM; after a schema change the task waits until every node
            agrees on the schema (schema_timeout) and fails if they do not.

            statements: the CQL, run in order; the task stops at the first that fails, with
            Cassandra's answer. Without check the task cannot tell whether they are needed: it is
            not idempotent, check mode says unknown and a run reports changed every time. With
            check: {query, expect, rows}, the SELECT runs first (in check mode too, so it must be
            one SELECT): the task is ok when the first row holds the expected values (a mapping
            matches when it has the given keys with those values, extra keys ignored; scalars
            compare as text, so false matches 'false'; under the key class, a short class name
            matches Cassandra's full one) and, with rows, the query returns that many rows
            (rows: 0 for "absent"). Otherwise the statements run, and the check must hold
            afterwards, or the task fails (it would change at every run). Statements are shown as
            written (commands, progress lines): a password inside one (CREATE ROLE ... PASSWORD)
            belongs in a secret variable ("{{ app_password }}"), which every output masks.

            schema_from: reads the source cluster's keyspaces (keyspaces: names, or all_user)
            through the driver's schema metadata (describeWithChildren) and creates here what is
            missing: the keyspace (with the source's replication, or replication: given here,
            since the datacenters usually differ: a datacenter this cluster lacks is refused
            before anything is created), then each type, table, index, materialized
            view, function and aggregate, in the source's order. What exists is left as it is,
            even where it differs, and reported (existing). rename: {src: dst} creates a source
            keyspace under another name. Check mode lists the exact CREATE statements. The
            driver's describe (4.19) leaves out the table options memtable, cdc,
            allow_auto_snapshot and incremental_backups of Cassandra 5.0: a copy has the target's
            defaults for those. The host of schema_from is an inventory hostname (its cql_*
            variables are used) or an address.
            """,
            """
            - id: lcs_for_bulk_load
              hosts: n1
              cql:
                statements: >-
                  ALTER TABLE shop.orders WITH compaction =
                  {'class': 'LeveledCompactionStrategy', 'sstable_size_in_mb': 160}
                check:
                  query: "SELECT compaction FROM system_schema.tables WHERE keyspace_name = 'shop' AND table_name = 'orders'"
                  expect: {compaction: {class: LeveledCompactionStrategy, sstable_size_in_mb: 160}}

            - id: audit_table
              hosts: n1
              cql:
                statements:
                  - CREATE TABLE IF NOT EXISTS ops.audit (id timeuuid PRIMARY KEY, what text)
                check:
                  query: "SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'ops' AND table_name = 'audit'"
                  rows: 1

            - id: schema_on_new_cluster
              hosts: n2
              cql:
                schema_from: {host: "{{ source }}"}
                keyspaces: [shop, users]
                replication: {class: NetworkTopologyStrategy, dc2: 3}

            - id: scratch_copy
              hosts: n1
              cql:
                schema_from: {host: 10.0.0.5, port: 9042, local_dc: dc1}
                keyspaces: shop
                rename: {shop: shop_scratch}
            """);

    private static final ReturnSpec RETURNS = ReturnSpec.builder()
            .key(ReturnSpec.key("statements", ReturnSpec.Type.LIST, "the CQL statements run (would run); for"
                    + " schema_from, the CREATE statements of what is missing"))
            .key(ReturnSpec.key("executed", ReturnSpec.Type.INT, "how many statements ran: 0 when the check held or"
                    + " nothing was missing; null in check mode when they would run"))
            .key(ReturnSpec.key("check_matched", ReturnSpec.Type.BOOL, "whether the check held before acting")
                    .when("with check"))
            .key(ReturnSpec.key("check_row", ReturnSpec.Type.MAP, "the first row the check query returned (column ->"
                    + " value), null when none").nullable().when("with check"))
            .key(ReturnSpec.key("source", ReturnSpec.Type.STR, "the source cluster's contact point, host:port")
                    .when("with schema_from"))
            .key(ReturnSpec.key("created", ReturnSpec.Type.LIST, "what was (would be) created, e.g. 'table ks.t'")
                    .when("with schema_from"))
            .key(ReturnSpec.key("existing", ReturnSpec.Type.LIST, "what the target already had, left as it is")
                    .when("with schema_from"))
            .build();

    /** Used by ServiceLoader. */
    public CqlModule() {
        super("cql", DOC, SPEC, RETURNS);
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        return ctx.args().has("schema_from") ? SchemaTask.check(ctx) : StatementsTask.check(ctx);
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        return ctx.args().has("schema_from") ? SchemaTask.apply(ctx) : StatementsTask.apply(ctx);
    }
}
