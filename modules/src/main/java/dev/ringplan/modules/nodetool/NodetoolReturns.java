package dev.ringplan.modules.nodetool;

import dev.ringplan.engine.module.ReturnSpec;

/**
 * The keys {@code nodetool} registers, per command: its {@link NodetoolModule#returns()}. In check
 * mode the same keys, values known only after the call ran (exit status, output) null.
 */
final class NodetoolReturns {
    /** The declaration. */
    static final ReturnSpec SPEC = ReturnSpec.builder()
            .key(ReturnSpec.key("cmd", ReturnSpec.Type.LIST, "argv list that ran, or would run (flush, repair, cleanup,"
                    + " rebuild: the last call)"))
            .key(ReturnSpec.key("rc", ReturnSpec.Type.INT, "exit status; null when nothing ran").nullable())
            .key(ReturnSpec.key("stdout", ReturnSpec.Type.STR, "output (flush, repair, cleanup, rebuild: of every call,"
                    + " joined)"))
            .key(ReturnSpec.key("stderr", ReturnSpec.Type.STR, "error output (flush, repair, cleanup, rebuild: of every"
                    + " call, joined)"))
            .key(ReturnSpec.key("via", ReturnSpec.Type.STR, "how the node was asked: jmx (Ringplan's own JMX connection)"
                    + " or nodetool (the program); null when nothing was asked (check mode, already done)").nullable())
            .key(ReturnSpec.key("cmds", ReturnSpec.Type.LIST, "every argv list run, one per keyspace, in order")
                    .only("command", "flush", "repair", "cleanup", "rebuild"))
            .key(ReturnSpec.key("cmds", ReturnSpec.Type.LIST, "every argv list run (would run), one per table, in order")
                    .only("command", "import", "refresh"))
            .key(ReturnSpec.key("import_dirs", ReturnSpec.Type.MAP, "{keyspace.table: [directories imported from]},"
                    + " the tables that had SSTables").only("command", "import"))
            .key(ReturnSpec.key("sstables", ReturnSpec.Type.INT, "SSTables (Data.db files) found to import")
                    .only("command", "import"))
            .key(ReturnSpec.key("keyspaces", ReturnSpec.Type.LIST, "the keyspace of each call ([] for one call on all"
                    + " keyspaces)").only("command", "flush", "repair", "cleanup", "rebuild"))
            .key(ReturnSpec.key("source_dc", ReturnSpec.Type.STR, "the datacenter streamed from").only("command",
                    "rebuild"))
            .key(ReturnSpec.key("rebuilt", ReturnSpec.Type.LIST, "keyspaces streamed by this task ([] for one call on"
                    + " all keyspaces)").only("command", "rebuild"))
            .key(ReturnSpec.key("already_rebuilt", ReturnSpec.Type.LIST, "keyspaces whose ranges Cassandra had already"
                    + " streamed (refused again; nothing to do)").only("command", "rebuild"))
            .key(ReturnSpec.key("host_id", ReturnSpec.Type.STR, "the host id removed (lower case)").only("command",
                    "removenode"))
            .key(ReturnSpec.key("existed", ReturnSpec.Type.BOOL, "the host id was in the ring (nodetool status) before"
                    + " the task").only("command", "removenode"))
            .key(ReturnSpec.key("node", ReturnSpec.Type.MAP, "its nodetool status entry before the task (see status's"
                    + " nodes), null when absent").nullable().only("command", "removenode"))
            .key(ReturnSpec.key("mode", ReturnSpec.Type.STR, "the node's mode before the task (nodetool netstats:"
                    + " NORMAL, DECOMMISSIONED, ...)").nullable().only("command", "decommission"))
            .key(ReturnSpec.key("force", ReturnSpec.Type.BOOL, "--force was given").only("command", "decommission"))
            .key(ReturnSpec.key("pending_tasks", ReturnSpec.Type.INT, "pending compaction tasks (running ones"
                    + " included)").only("command", "compactionstats"))
            .key(ReturnSpec.key("pending_by_table", ReturnSpec.Type.LIST, "{keyspace, table, tasks} (3.0+, else [])")
                    .only("command", "compactionstats"))
            .key(ReturnSpec.key("compactions", ReturnSpec.Type.LIST, "running: {id (3.0+, else null), type, keyspace,"
                    + " table, completed, total, unit, progress (percent, null when n/a)}").only("command",
                    "compactionstats"))
            .key(ReturnSpec.key("remaining_seconds", ReturnSpec.Type.INT, "estimated time left for the running ones;"
                    + " null when none runs or unthrottled (n/a)").nullable().only("command", "compactionstats"))
            .key(ReturnSpec.key("concurrent_compactors", ReturnSpec.Type.INT, "concurrent compactors (5.0+, else null)")
                    .nullable().only("command", "compactionstats"))
            .key(ReturnSpec.key("throughput_mib", ReturnSpec.Type.FLOAT, "compaction throughput cap, MiB/s (5.0+, else"
                    + " null; 0: unthrottled)").nullable().only("command", "compactionstats"))
            .key(ReturnSpec.key("mode", ReturnSpec.Type.STR, "NORMAL, JOINING, LEAVING, DECOMMISSIONED, MOVING,"
                    + " DRAINING, DRAINED, STARTING").only("command", "netstats"))
            .key(ReturnSpec.key("streaming", ReturnSpec.Type.BOOL, "a stream plan has a session with a peer (5.0 keeps"
                    + " listing some finished plans without sessions)").only("command", "netstats"))
            .key(ReturnSpec.key("stream_plans", ReturnSpec.Type.LIST, "{operation (Rebuild, Repair, Bootstrap,"
                    + " Unbootstrap, Restore replica count...), plan_id, peers}").only("command", "netstats"))
            .key(ReturnSpec.key("streams", ReturnSpec.Type.LIST, "{operation, plan_id, peer, direction: receiving|"
                    + "sending, files_total, files_done, bytes_total, bytes_done}").only("command", "netstats"))
            .key(ReturnSpec.key("throughput", ReturnSpec.Type.INT, "the cap asked for (0: unlimited)").only("command",
                    "setstreamthroughput"))
            .key(ReturnSpec.key("throughput_unit", ReturnSpec.Type.STR, "MiB/s or megabits/s").only("command",
                    "setstreamthroughput"))
            .key(ReturnSpec.key("previous", ReturnSpec.Type.FLOAT, "the cap before, in throughput_unit (0: unlimited;"
                    + " null when 5.0 will not print it in whole megabits)").nullable().only("command",
                    "setstreamthroughput"))
            .key(ReturnSpec.key("datacenters", ReturnSpec.Type.LIST, "datacenter names").only("command", "status", "ring"))
            .key(ReturnSpec.key("nodes", ReturnSpec.Type.LIST, "{address, datacenter, rack, status: up|down|unknown,"
                    + " state: normal|leaving|joining|moving, code: 'UN', load_bytes, tokens (count, null in the"
                    + " token-per-node layout), token (that layout's single token), owns (percent or null), host_id}")
                    .only("command", "status"))
            .key(ReturnSpec.key("node", ReturnSpec.Type.MAP, "the nodes entry whose address is this host's"
                    + " listen_address, or null").nullable().only("command", "status"))
            .key(ReturnSpec.key("tokens_by_address", ReturnSpec.Type.MAP, "{address: [token, ...]}, tokens as strings")
                    .only("command", "ring"))
            .key(ReturnSpec.key("nodes", ReturnSpec.Type.LIST, "{address, datacenter, rack, status (null when the"
                    + " column is absent), state, load_bytes, owns, tokens: [..]}").only("command", "ring"))
            .key(ReturnSpec.key("tokens", ReturnSpec.Type.LIST, "this host's listen_address tokens, [] if absent")
                    .only("command", "ring"))
            .key(ReturnSpec.key("name", ReturnSpec.Type.STR, "cluster name").nullable().only("command", "describecluster"))
            .key(ReturnSpec.key("snitch", ReturnSpec.Type.STR, "snitch class").nullable()
                    .only("command", "describecluster"))
            .key(ReturnSpec.key("dynamic_endpoint_snitch", ReturnSpec.Type.STR, "enabled/disabled (4.0+), else null")
                    .nullable().only("command", "describecluster"))
            .key(ReturnSpec.key("partitioner", ReturnSpec.Type.STR, "partitioner class").nullable()
                    .only("command", "describecluster"))
            .key(ReturnSpec.key("schema_versions", ReturnSpec.Type.MAP, "{version: [endpoints]}")
                    .only("command", "describecluster"))
            .key(ReturnSpec.key("schema_agreement", ReturnSpec.Type.BOOL, "one schema version among reachable nodes")
                    .only("command", "describecluster"))
            .key(ReturnSpec.key("datacenters", ReturnSpec.Type.MAP, "{dc: {nodes, down}} (4.0+, else {})")
                    .only("command", "describecluster"))
            .key(ReturnSpec.key("database_versions", ReturnSpec.Type.MAP, "{version: [endpoints]} (4.0+, else {})")
                    .only("command", "describecluster"))
            .key(ReturnSpec.key("keyspaces", ReturnSpec.Type.MAP, "{ks: replication text} (4.0+, else {})")
                    .only("command", "describecluster"))
            .key(ReturnSpec.key("snapshots", ReturnSpec.Type.LIST, "{name, keyspace, table, true_size_bytes,"
                    + " size_on_disk_bytes, creation_time, expiration_time}").only("command", "listsnapshots"))
            .key(ReturnSpec.key("names", ReturnSpec.Type.LIST, "snapshot tags, sorted").only("command", "listsnapshots"))
            .key(ReturnSpec.key("total_true_size_bytes", ReturnSpec.Type.INT, "total true size, or null when not"
                    + " printed").nullable().only("command", "listsnapshots"))
            .key(ReturnSpec.key("id", ReturnSpec.Type.STR, "host id").nullable().only("command", "info"))
            .key(ReturnSpec.key("gossip_active", ReturnSpec.Type.BOOL, "gossip active").nullable().only("command", "info"))
            .key(ReturnSpec.key("native_transport_active", ReturnSpec.Type.BOOL, "CQL active").nullable()
                    .only("command", "info"))
            .key(ReturnSpec.key("load_bytes", ReturnSpec.Type.INT, "load, bytes").nullable().only("command", "info"))
            .key(ReturnSpec.key("datacenter", ReturnSpec.Type.STR, "datacenter").nullable().only("command", "info"))
            .key(ReturnSpec.key("rack", ReturnSpec.Type.STR, "rack").nullable().only("command", "info"))
            .key(ReturnSpec.key("token_count", ReturnSpec.Type.INT, "number of tokens").nullable().only("command", "info"))
            .key(ReturnSpec.key("uptime_seconds", ReturnSpec.Type.INT, "uptime, seconds").nullable()
                    .only("command", "info"))
            .key(ReturnSpec.key("fields", ReturnSpec.Type.MAP, "{label: value} of every line").only("command", "info"))
            .key(ReturnSpec.key("tag", ReturnSpec.Type.STR, "the tag, or the generated name nodetool printed (null"
                    + " when it printed none)").nullable().only("command", "snapshot"))
            .key(ReturnSpec.key("tag", ReturnSpec.Type.STR, "the tag (null with all: true)").nullable()
                    .only("command", "clearsnapshot"))
            .key(ReturnSpec.key("keyspaces", ReturnSpec.Type.LIST, "the keyspaces argument")
                    .only("command", "snapshot", "clearsnapshot"))
            .key(ReturnSpec.key("tables", ReturnSpec.Type.LIST, "the tables argument").only("command", "snapshot",
                    "import", "refresh"))
            .key(ReturnSpec.key("existed", ReturnSpec.Type.BOOL, "already there: nothing ran").only("command", "snapshot"))
            .key(ReturnSpec.key("all", ReturnSpec.Type.BOOL, "the all argument").only("command", "clearsnapshot"))
            .key(ReturnSpec.key("found", ReturnSpec.Type.LIST, "keyspace.table/tag of the matching snapshots that"
                    + " existed before").only("command", "snapshot", "clearsnapshot"))
            .build();

    private NodetoolReturns() {
    }
}
