package dev.ringplan.modules.bulkload;

import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.ReturnSpec;

/** The declarations of {@code bulkload}: arguments, registered keys, documentation. */
final class BulkloadSpec {
    private BulkloadSpec() {
    }

    static final ArgSpec ARGS = ArgSpec.builder()
            .arg(ArgDef.of("snapshot", ArgDef.Type.STR, "Tag of the snapshot to load, taken on this (source) node.")
                    .asRequired())
            .arg(ArgDef.of("keyspaces", ArgDef.Type.LIST, "Keyspaces to load. Without keyspaces and tables: every "
                    + "non-system keyspace having files in the snapshot (Ringplan's lock keyspace ringplan left out too)."))
            .arg(ArgDef.of("tables", ArgDef.Type.LIST, "Tables to load, as keyspace.table (in addition to keyspaces)."))
            .arg(ArgDef.of("targets", ArgDef.Type.LIST, "Contact points (host names or addresses) of the target "
                    + "cluster, given to the loader as -d and used to read its schema.").asRequired())
            .arg(ArgDef.of("port", ArgDef.Type.INT, "Native (CQL) port of the targets (-p).")
                    .withDefault(9042L))
            .arg(ArgDef.of("username", ArgDef.Type.STR, "User on the target cluster (-u)."))
            .arg(ArgDef.of("password", ArgDef.Type.STR, "Password of username on the target (-pw: sstableloader "
                    + "reads it from its command line only). Never shown: commands display ********."))
            .arg(ArgDef.of("throttle_mib", ArgDef.Type.INT, "Streaming throttle in MiB/s (--throttle-mib); 0 is "
                    + "unlimited.").withDefault(0L))
            .arg(ArgDef.of("connections_per_host", ArgDef.Type.INT, "Concurrent connections per target host (-cph)."))
            .arg(ArgDef.of("config", ArgDef.Type.STR, "A cassandra.yaml on the source node for the loader's "
                    + "streaming and SSL options (-f)."))
            .arg(ArgDef.of("extra_args", ArgDef.Type.LIST, "More loader options, put before the directory as given "
                    + "(e.g. the client SSL options -ts /path -tspw secret)."))
            .arg(ArgDef.of("force", ArgDef.Type.BOOL, "Load again tables the record says were loaded.")
                    .withDefault(false))
            .arg(ArgDef.of("loader_cmd", ArgDef.Type.LIST, "Command prefix running sstableloader, instead of the "
                    + "host's sstableloader_cmd."))
            .arg(ArgDef.of("timeout", ArgDef.Type.INT, "Seconds one loader run may take.").withDefault(21600L))
            .requiredTogether("username", "password")
            .build();

    static final ReturnSpec RETURNS = ReturnSpec.builder()
            .key(ReturnSpec.key("snapshot", ReturnSpec.Type.STR, "the snapshot tag"))
            .key(ReturnSpec.key("targets", ReturnSpec.Type.LIST, "the target contact points"))
            .key(ReturnSpec.key("target_cluster", ReturnSpec.Type.STR,
                    "cluster_name of the target (system.local); null in check mode before the snapshot exists")
                    .nullable())
            .key(ReturnSpec.key("tables", ReturnSpec.Type.LIST, "one map per table and data directory: table "
                    + "(ks.table), data_dir (index), snapshot_files, snapshot_bytes, target_table_id (the table's id on the target), state (load, loaded or recorded), "
                    + "command (the loader command line, password hidden; null when recorded), files and bytes "
                    + "transferred (null until loaded)"))
            .key(ReturnSpec.key("files", ReturnSpec.Type.INT, "files the loader reported transferred, summed; "
                    + "0 when everything was recorded").nullable())
            .key(ReturnSpec.key("bytes", ReturnSpec.Type.INT, "bytes the loader reported transferred, summed "
                    + "(from its binary-unit summary, exact to 0.1 %)").nullable())
            .key(ReturnSpec.key("record", ReturnSpec.Type.STR, "path of the load record on this node"))
            .build();

    static final ModuleDoc DOC = new ModuleDoc(
            "Stream a snapshot's SSTables from this node into another cluster with sstableloader.",
            """
            Runs sstableloader (org.apache.cassandra.tools.BulkLoader; the host's sstableloader_cmd,
            default `sstableloader`, or loader_cmd) on the source node, once per table and data
            directory of snapshot `snapshot`, into the cluster reached through `targets`. Run it on
            every source node (each streams its own replicas; the target keeps the newest cell of
            duplicates, so loading from every replica is safe, and compaction removes them later).

            The snapshot's files are found under cassandra_data_dirs
            (<data_dir>/<ks>/<table>-<id>/snapshots/<tag>/; secondary index files are left out, the
            target builds indexes itself) and hard-linked into
            <data_dir>/.ringplan-bulkload/<tag>/<ks>/<table>/, since sstableloader takes the
            keyspace and table from the last two path elements; that directory is removed before
            and after each loader run, failed or not.

            The target schema must exist: sstableloader silently skips a table the target lacks
            (exit 0), so the module first reads the target's schema over CQL from the controller
            (DataStax Java driver, username/password when given) and fails naming the missing
            tables; in check mode, below an upstream change (a task creating the schema) it says
            unknown instead. A loader run that still skips files fails too.

            Idempotency: each table loaded is written to a record on the source node,
            <parent of cassandra_data_dirs[0]>/.ringplan/bulkload/<tag>.json, keyed by table, data
            directory, the snapshot files' fingerprint (names and sizes: a snapshot taken again
            under the same tag loads again), the target's cluster_name and the target table's id
            (a table created again, or a target rebuilt under the same name, loads again). Recorded
            tables are not streamed again (ok) unless force is true. Check mode lists the exact loader command lines
            and never streams; below an upstream nodetool snapshot of the same tag on this host it
            says changed without commands (the files do not exist yet).

            targets takes a list or a comma-separated string: the first example builds it from
            the `target` group's cql_host with a for loop (this templating has no `extract` filter:
            `groups['target'] | map('extract', hostvars, 'cql_host')` renders [None, None]).

            Units and formats: throttle_mib is MiB/s (--throttle-mib, Cassandra 4.1 and later; use
            extra_args for older loaders); bytes come from the loader's "Summary statistics"
            (Cassandra 5.0.7 format). The password is passed as -pw, the only way sstableloader
            takes one: it is visible in the process list of the source node while the loader runs.
            """,
            """
            - id: load
              hosts: source
              bulkload:
                snapshot: migrate
                keyspaces: [ringplan_demo, ringplan_shop]
                targets: "{% for h in groups['target'] %}{{ hostvars[h]['cql_host'] }}{% if not loop.last %},{% endif %}{% endfor %}"
                throttle_mib: 64
              register: loaded
            - id: load_one_table
              hosts: source
              bulkload:
                snapshot: migrate
                tables: [ringplan_shop.orders]
                targets: [10.0.1.1, 10.0.1.2]
                username: loader
                password: "{{ target_password | default('') }}"
                connections_per_host: 2
                force: true
            """);
}
