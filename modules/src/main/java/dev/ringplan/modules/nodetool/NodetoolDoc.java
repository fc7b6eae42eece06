package dev.ringplan.modules.nodetool;

import dev.ringplan.engine.module.ModuleDoc;

/** What {@code ringplan modules nodetool} prints: {@link NodetoolModule#doc()}. */
final class NodetoolDoc {
    /** The documentation. */
    static final ModuleDoc DOC = new ModuleDoc(
            "Run nodetool on a Cassandra node: flush, snapshot, clearsnapshot, listsnapshots, status, ring, "
                    + "describecluster, info, drain, repair, rebuild, removenode, decommission, cleanup, "
                    + "compactionstats, setstreamthroughput, netstats, import, refresh.",
            """
            Runs the node's own nodetool through the host's connection, as an operator would:
            nodetool_cmd + -h jmx_host -p jmx_port + the command (host variables nodetool_cmd, jmx_host,
            jmx_port; defaults [nodetool], 127.0.0.1, 7199). Every call starts a JVM (1.3-1.7 s). One call may
            run for timeout seconds (default 3600); when it is stopped, an operation already started in
            Cassandra (repair, rebuild, removenode, decommission) goes on there.

            flush, snapshot, clearsnapshot, listsnapshots, status, ring and drain (without extra_args) go
            instead to the node's JMX from Ringplan's own JVM, one connection per host for the run (through
            the host's SSH connection as a forwarded port when it is remote), with the same registered data.
            Host or task variable nodetool_via: auto (default: JMX on a local connection when it answers, else the program), jmx
            (JMX or fail), process (always the program). jmx_username, jmx_password and jmx_ssl are the JMX
            credentials and TLS (nodetool -u, -pw, --ssl). Each result says via: jmx or nodetool.

            Read-only commands (status, ring, describecluster, listsnapshots, info, compactionstats, netstats)
            also run in check mode, report ok, and register their parsed output (see RETURNS). Parsers cover
            the output of Cassandra 1.2 to 5.0.7: several datacenters, vnodes, IPv6, host names, decimal
            commas, unknown load or ownership ('?' becomes null), RandomPartitioner tokens (kept as strings).
            compactionstats registers pending_tasks and the running compactions (5.0 and the 2.x-4.1 layout),
            so a task can wait with until: cs.pending_tasks == 0; netstats registers the mode (NORMAL,
            JOINING, LEAVING, DECOMMISSIONED, ...) and the streaming sessions.

            snapshot is idempotent on its tag: check looks for <data_dir>/<ks>/<table>-<id>/snapshots/<tag>/
            under cassandra_data_dirs through the connection (no JVM; falls back to 'nodetool
            listsnapshots' when no data directory is visible). Tag already there for every requested
            keyspace/table: ok, nothing runs. Tag there for some only: the task fails (Cassandra refuses
            to reuse a tag; clear it or choose another). Without a tag nodetool names the snapshot
            after the current time, so the task reports changed every time (the name is registered).
            snapshot passes tables (keyspace.table) to nodetool as --kt-list.

            clearsnapshot clears one tag, or every snapshot with all: true. ok when nothing matches, changed when
            the snapshot existed. In check mode a snapshot an earlier task of the run takes (same tag,
            same host) counts as existing: 'after snapshot[node1] takes it: would clear ...'.

            flush, drain, repair and cleanup are not idempotent: check says changed and apply reports changed
            each time (a second cleanup rewrites nothing, but nodetool does not say so). drain leaves the
            process running with gossip and CQL off until it is stopped. repair takes full: true (-full) and
            primary_range: true (-pr) before extra_args; it can run for hours (see timeout).

            flush, repair, cleanup and rebuild take any number of keyspaces: nodetool takes one keyspace per
            call, so the task runs one call per keyspace ('nodetool repair <flags> ks1', then ks2, ...), in
            the given order, and stops at the first failure; the error names the keyspace that failed and
            those already done. tables (keyspace.table; not for rebuild) go into the call of their
            keyspace ('nodetool flush ks1 t1 t2'); a keyspace that is both listed in keyspaces and
            has tables is limited to those tables; a keyspace of tables that is not in keyspaces is
            called after the listed ones. No keyspaces and no tables: one call for all keyspaces.

            rebuild (adding a datacenter) runs 'nodetool rebuild -ks <ks> -- <source_dc>' per keyspace on the
            new node. check reads 'nodetool describering <ks>' and fails, before anything streams, when the
            keyspace has no replica at this node's listen_address (ALTER KEYSPACE to add its datacenter
            first) or none in source_dc: in both cases Cassandra would stream nothing and exit 0. Whether
            it streams is known when it runs (check says unknown): Cassandra 4.1+ records what each
            bootstrap and rebuild streamed and refuses to stream it again ('Discovered existing bootstrap
            data', measured on 5.0.7). The task then compares this node's ranges with the ones Cassandra
            lists as available: all there, the keyspace was already rebuilt (ok, registered in
            already_rebuilt); some missing (an earlier rebuild that did not finish), the task fails, since
            Cassandra streams them only after a restart with -Dcassandra.reset_bootstrap_progress=true.
            Older versions skip what they hold and exit 0: changed. Without keyspaces, one call for every
            keyspace, and a refusal fails the task (name the keyspaces so it can be checked).

            removenode (on a live node) takes the host id (a UUID) of a dead node. It reads nodetool status
            first: host id not in the ring, ok (already removed); node down (DN), it runs 'nodetool
            removenode -- <host_id>'; node up or of unknown state, the task fails before running anything
            (Cassandra refuses a live node: decommission it, or stop it first).

            decommission (on the node that leaves) reads nodetool netstats first: Mode DECOMMISSIONED, ok
            (5.0 keeps the process running in that mode); NORMAL, it runs 'nodetool decommission' (force:
            true adds --force, needed when the nodes left are fewer than a replication factor); LEAVING or
            another mode, the task fails. A stopped node cannot tell that it left: guard the task with
            when: on a status registered from another node (example below).

            setstreamthroughput reads getstreamthroughput first and is ok when the cap already equals
            throughput (0: unlimited). throughput_unit MiB/s (default) passes -m (Cassandra 4.1+); megabits/s
            (what setstreamthroughput takes without -m, printed Mb/s) works on every version.

            import loads SSTables into live tables of the running node (Cassandra 4.0+), one call per table of
            tables: 'nodetool import [--copy-data] -- <ks> <table> <dir>...' with the directories that hold at
            least one *-Data.db: from dirs: [<root>, ...], each <root>/<ks>/<table> (where tar extract
            target: import stages a backup); or from tag: <snapshot>, each <data dir>/<ks>/<table>-<id>/
            snapshots/<tag>/ (the table incarnation that took it), always copied (--copy-data) so the
            snapshot stays whole. No directory with SSTables for any table: ok. Without copy_data Cassandra
            moves the files, so a second run finds none and is ok; after a moving import, SSTables still in a
            directory (Cassandra refused them, e.g. failed verification or tokens the node does not own)
            fail the task naming it. In check mode, when the directories are not there yet and an earlier
            task would change, the preview is unknown and lists the calls with every candidate directory.
            refresh runs 'nodetool refresh -- <ks> <table>' per table (before 4.0: loads SSTables copied into
            the live table directory); changed every run.

            In check mode, removenode, decommission and rebuild answer unknown instead of failing when a
            task upstream is predicted to change something (a node stopped, a keyspace altered first).

            A non-zero exit fails the task with nodetool's error line. Arguments that a command does not
            use are errors (see RULES), not silently ignored.""",
            """
            - id: flush
              nodetool: flush

            - id: snapshot
              needs: [flush]
              nodetool: { command: snapshot, tag: "{{ tag }}", keyspaces: [shop, users] }

            - id: snapshot-two-tables
              nodetool: { command: snapshot, tag: before-migration, tables: [shop.orders, shop.items] }

            - id: clear
              nodetool: { command: clearsnapshot, tag: "{{ tag }}" }

            - id: ring
              nodetool: ring
              register: ring        # {{ hostvars['n1'].ring.tokens }} = n1's tokens

            - id: wait-un
              nodetool: status
              register: st
              until: st.node.code == 'UN'
              retries: 30
              delay: 2

            - id: repair
              nodetool: { command: repair, keyspaces: [shop], primary_range: true }

            - id: repair-restored        # nodetool repair -full ks1, then nodetool repair -full ks2
              nodetool: { command: repair, keyspaces: [ks1, ks2], full: true }

            - id: rebuild-new-dc         # on each node of the new datacenter, after ALTER KEYSPACE
              nodetool: { command: rebuild, keyspaces: [shop, users], source_dc: dc1 }

            - id: stream-cap
              nodetool: { command: setstreamthroughput, throughput: 64 }

            - id: streams-done
              nodetool: netstats
              register: ns
              until: not ns.streaming
              retries: 60
              delay: 10

            - id: wait-compactions       # after a bulk load
              nodetool: compactionstats
              register: cs
              until: cs.pending_tasks == 0
              retries: 120
              delay: 60

            - id: cleanup
              nodetool: { command: cleanup, keyspaces: [shop], jobs: 2 }

            - id: members
              hosts: n1
              nodetool: status
              register: members

            - id: remove-dead-node
              hosts: n1
              nodetool: { command: removenode, host_id: 06bd4b04-5a02-4edc-966b-6543a3e1040c }

            - id: decommission           # skipped once this node left the ring seen from n1
              needs: [members]
              serial: 1
              nodetool: decommission
              when: hostvars['n1'].members.nodes | selectattr('address', 'equalto', listen_address) | list | length > 0
            """);

    private NodetoolDoc() {
    }
}
