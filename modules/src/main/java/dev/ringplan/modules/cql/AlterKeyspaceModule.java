package dev.ringplan.modules.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.DeclaredModule;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.ReturnSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code alter_keyspace}: keeps the replication (and durable_writes) of keyspaces as a plan asks,
 * reading {@code system_schema.keyspaces} first and running {@code ALTER KEYSPACE} (or
 * {@code CREATE KEYSPACE} with {@code create: true}) only for the keyspaces that differ, then
 * waiting for schema agreement. The pure parts are {@link Replication} (normalization and
 * comparison), {@link KeyspaceSettings} (statements and diff) and {@link KeyspaceSelection}.
 */
public final class AlterKeyspaceModule extends DeclaredModule {
    private static final ArgSpec SPEC = CqlSettings.declare(ArgSpec.builder()
            .arg(ArgDef.of("keyspace", ArgDef.Type.STR, "A keyspace name."))
            .arg(ArgDef.of("keyspaces", ArgDef.Type.LIST, "Keyspace names, or all_user: every keyspace but"
                    + " Cassandra's own (system, system_schema, system_auth, system_distributed, system_traces and"
                    + " the virtual ones) and Ringplan's lock keyspace ringplan."))
            .arg(ArgDef.of("include_system", ArgDef.Type.LIST, "Replicated system keyspaces to set too:"
                    + " system_auth, system_distributed, system_traces."))
            .arg(ArgDef.of("replication", ArgDef.Type.MAP, "The replication: {class: NetworkTopologyStrategy, dc1: 3,"
                    + " dc2: 3} or {class: SimpleStrategy, replication_factor: 1}; the class short or"
                    + " org.apache.cassandra.locator.*; a datacenter left out (or at 0) has no replica."))
            .arg(ArgDef.of("durable_writes", ArgDef.Type.BOOL, "durable_writes; not given: kept as it is."))
            .arg(ArgDef.of("create", ArgDef.Type.BOOL, "Create a named keyspace that does not exist (else the task"
                    + " fails).").withDefault(false)))
            .mutuallyExclusive("keyspace", "keyspaces")
            .requiredOneOf("keyspace", "keyspaces", "include_system")
            .requiredOneOf("replication", "durable_writes")
            .requiredIf("create", "true", "replication")
            .build();

    private static final ModuleDoc DOC = new ModuleDoc(
            "Set the replication (and durable_writes) of keyspaces with ALTER KEYSPACE, only where it differs.",
            """
            Connects over CQL from the controller (java-driver-core) to the task's host: cql_host,
            cql_port, and, when set, cql_local_dc, cql_username/cql_password, cql_ssl,
            cql_truststore/cql_truststore_password (each overridden by the argument of the same
            name without cql_). Without a local datacenter the driver takes the contact point's.

            Reads system_schema.keyspaces first. A keyspace whose replication and durable_writes
            already are as asked is left alone; the task is ok when all are. Otherwise it runs one
            ALTER KEYSPACE per keyspace that differs (CREATE KEYSPACE for a missing one with
            create: true; a missing keyspace without it fails the task), shows the change as a
            diff of the settings before and after, and waits until every node agrees on the
            schema (schema_timeout): a change not agreed in time fails the task. It then reads
            the settings again and fails if they are not as asked. Check mode reads only and
            lists the exact statements.

            Replication is compared normalized: short and full class names are one, factors
            compare as numbers, a NetworkTopologyStrategy datacenter at 0 is the same as absent.
            The replication given is the whole map: a datacenter not listed loses its replicas
            (how the runbook drops the old datacenter). NetworkTopologyStrategy takes one factor
            per datacenter (not replication_factor), and only datacenters the cluster has (its
            nodes' data_center): Cassandra 5.0 refuses another ("Unrecognized strategy option
            {dc2} passed to NetworkTopologyStrategy"), so the check refuses it first, or says
            unknown in check mode when an upstream task would change the cluster before. Names are validated (keyspaces: Cassandra's
            1 to 48 letters, digits and _; datacenters: letters, digits, _ - .) and quoted.

            It changes the cluster, not one node: target one host of it, e.g. hosts: old_dc[0]
            (the first host of group old_dc) or hosts: "cassandra[0]". After adding a datacenter,
            stream the data with nodetool rebuild on each new node (runbook: ALTER the keyspaces,
            then rebuild). Credentials are never shown: give the password through a secret
            variable (cql_password, or "{{ lookup('env', 'CQL_PASSWORD') }}" assigned to one).
            """,
            """
            - id: add_dc
              hosts: n1
              alter_keyspace:
                keyspaces: all_user
                include_system: [system_auth, system_distributed, system_traces]
                replication: {class: NetworkTopologyStrategy, dc1: 3, dc2: 3}

            - id: drop_old_dc
              needs: [add_dc]
              hosts: n1
              alter_keyspace:
                keyspace: shop
                replication: {class: NetworkTopologyStrategy, dc2: 3}
                schema_timeout: 120

            - id: scratch
              hosts: n1
              alter_keyspace:
                keyspace: scratch
                create: true
                replication: {class: SimpleStrategy, replication_factor: 1}
                durable_writes: false
            """);

    private static final ReturnSpec RETURNS = ReturnSpec.builder()
            .key(ReturnSpec.key("keyspaces", ReturnSpec.Type.LIST, "the keyspaces the task looked at, in order"))
            .key(ReturnSpec.key("changed_keyspaces", ReturnSpec.Type.LIST, "those altered or created (in check mode:"
                    + " that would be)"))
            .key(ReturnSpec.key("before", ReturnSpec.Type.MAP, "keyspace -> {replication, durable_writes} as read"
                    + " before acting; null for a keyspace that did not exist"))
            .key(ReturnSpec.key("after", ReturnSpec.Type.MAP, "keyspace -> {replication, durable_writes} as asked"))
            .key(ReturnSpec.key("statements", ReturnSpec.Type.LIST, "the CQL statements run (would run)"))
            .key(ReturnSpec.key("schema_agreement", ReturnSpec.Type.BOOL, "true when every node agreed on the schema"
                    + " after the change; null when nothing ran").nullable())
            .build();

    /** Used by ServiceLoader. */
    public AlterKeyspaceModule() {
        super("alter_keyspace", DOC, SPEC, RETURNS);
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        KeyspaceSelection sel = KeyspaceSelection.of(a.str("keyspace"), a.list("keyspaces"), a.list("include_system"));
        Replication replication = a.has("replication") ? Replication.desired(a.map("replication")) : null;
        Boolean durable = (Boolean) a.get("durable_writes");
        boolean create = a.bool("create", false);
        CqlSettings s = CqlSettings.forTask(ctx);
        Map<String, KeyspaceSettings> current;
        java.util.SortedSet<String> dcs;
        try (CqlSession session = CqlSessions.open(s)) {
            current = read(session, s);
            dcs = CqlSessions.datacenters(session);
        }
        List<String> keyspaces = sel.resolve(current.keySet());
        if (keyspaces.isEmpty()) {
            return nothing(keyspaces, "no user keyspace on the cluster of " + s.endpoint());
        }
        Map<String, Object> before = new LinkedHashMap<>();
        Map<String, Object> after = new LinkedHashMap<>();
        List<String> changed = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        StringBuilder diff = new StringBuilder();
        for (String ks : keyspaces) {
            KeyspaceSettings now = current.get(ks);
            if (now == null && !(create && !sel.allUser())) {
                String pending = Upstream.pending(ctx);
                if (pending != null) {
                    return unknown(keyspaces, "keyspace '" + ks + "' does not exist yet; known " + pending);
                }
                throw new ModuleException("keyspace '" + ks + "' does not exist on the cluster of " + s.endpoint()
                        + (sel.names().contains(ks) ? "; create: true creates it" : ""));
            }
            KeyspaceSettings want = KeyspaceSettings.target(now, replication, durable);
            before.put(ks, now == null ? null : now.toData());
            after.put(ks, want.toData());
            String stmt = want.statementFrom(now, ks);
            List<String> unknownDcs = CqlSessions.unknownDatacenters(want.replication(), dcs);
            if (stmt != null && !unknownDcs.isEmpty()) {
                String why = "datacenter " + String.join(", ", unknownDcs) + " of the replication of " + ks
                        + " is not in the cluster of " + s.endpoint() + " (datacenters: " + String.join(", ", dcs)
                        + "): Cassandra refuses an unknown datacenter; start its nodes first";
                String pending = Upstream.pending(ctx);
                if (pending == null) {
                    throw new ModuleException(why);
                }
                return unknown(keyspaces, why + "; known " + pending);
            }
            if (stmt != null) {
                changed.add(ks);
                statements.add(stmt);
                diff.append(KeyspaceSettings.diff(ks, now, want));
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("keyspaces", keyspaces);
        data.put("changed_keyspaces", changed);
        data.put("before", before);
        data.put("after", after);
        data.put("statements", statements);
        data.put("schema_agreement", null);
        if (statements.isEmpty()) {
            return Preview.noChange((keyspaces.size() == 1 ? "keyspace " : "keyspaces ") + String.join(", ", keyspaces)
                    + (keyspaces.size() == 1 ? " is" : " are") + " already as asked").withData(data);
        }
        return Preview.willChange("would " + verbs(changed, current), statements).withDiff(diff.toString())
                .withData(data);
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        Preview p = ctx.preview();
        @SuppressWarnings("unchecked")
        List<String> statements = (List<String>) p.data().get("statements");
        @SuppressWarnings("unchecked")
        List<String> changed = (List<String>) p.data().get("changed_keyspaces");
        @SuppressWarnings("unchecked")
        Map<String, Object> after = (Map<String, Object>) p.data().get("after");
        CqlSettings s = CqlSettings.forTask(ctx);
        Map<String, KeyspaceSettings> now;
        try (CqlSession session = CqlSessions.open(s)) {
            for (int i = 0; i < statements.size(); i++) {
                ctx.log(CqlSessions.oneLine(statements.get(i)));
                CqlSessions.execute(session, s, statements.get(i), "ALTER of keyspace " + changed.get(i));
            }
            CqlSessions.awaitAgreement(session, s, "the change of " + String.join(", ", changed), s.schemaTimeout());
            now = read(session, s);
        }
        for (String ks : changed) {
            Object got = now.get(ks) == null ? null : now.get(ks).toData();
            if (!after.get(ks).equals(got)) {
                throw new ModuleException("keyspace '" + ks + "' reads back as " + got + " after " + statements
                        + ", not as asked: " + after.get(ks));
            }
        }
        Map<String, Object> data = new LinkedHashMap<>(p.data());
        data.put("schema_agreement", true);
        return Result.changed(p.summary().replaceFirst("^would ", "") + "; schema agreed").withDiff(p.diff())
                .withCommands(statements).withData(data);
    }

    /** Nothing to do: no keyspace selected (the engine makes it unknown below upstream changes). */
    private static Preview nothing(List<String> keyspaces, String why) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("keyspaces", keyspaces);
        data.put("changed_keyspaces", List.of());
        data.put("before", Map.of());
        data.put("after", Map.of());
        data.put("statements", List.of());
        data.put("schema_agreement", null);
        return Preview.noChange(why).withData(data);
    }

    /** Check mode, when the keyspaces are not there yet but an upstream task would change: known after apply. */
    private static Preview unknown(List<String> keyspaces, String why) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("keyspaces", keyspaces);
        data.put("changed_keyspaces", null);
        data.put("before", null);
        data.put("after", null);
        data.put("statements", null);
        data.put("schema_agreement", null);
        return Preview.unknown(why, List.of()).withData(data);
    }

    /** "alter keyspaces a, b and create c". */
    private static String verbs(List<String> changed, Map<String, KeyspaceSettings> current) {
        List<String> alter = changed.stream().filter(current::containsKey).toList();
        List<String> create = changed.stream().filter(k -> !current.containsKey(k)).toList();
        List<String> parts = new ArrayList<>();
        if (!alter.isEmpty()) {
            parts.add("alter keyspace" + (alter.size() == 1 ? " " : "s ") + String.join(", ", alter));
        }
        if (!create.isEmpty()) {
            parts.add("create keyspace" + (create.size() == 1 ? " " : "s ") + String.join(", ", create));
        }
        return String.join(" and ", parts);
    }

    /** Every keyspace's settings as {@code system_schema.keyspaces} holds them. */
    static Map<String, KeyspaceSettings> read(CqlSession session, CqlSettings s) throws ModuleException {
        Map<String, KeyspaceSettings> out = new LinkedHashMap<>();
        for (Row r : CqlSessions.execute(session, s,
                "SELECT keyspace_name, replication, durable_writes FROM system_schema.keyspaces", "reading keyspaces")) {
            Map<String, String> repl = r.getMap("replication", String.class, String.class);
            out.put(r.getString("keyspace_name"), new KeyspaceSettings(Replication.fromSchema(repl == null ? Map.of()
                    : repl), r.isNull("durable_writes") || r.getBoolean("durable_writes")));
        }
        return out;
    }
}
