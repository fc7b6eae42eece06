package dev.ringplan.modules.cql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.ReturnCheck;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the CQL modules decide without a cluster: argument rules, connection settings, the
 * no-check preview, and the failure against a port nothing listens on. Against a real Cassandra
 * they are tested by the CLI's CqlModulesIT.
 */
class CqlModulesTest {
    private static final String SECRET = "pw-0f1e2d3c";
    private final AlterKeyspaceModule alter = new AlterKeyspaceModule();
    private final CqlModule cql = new CqlModule();
    private final CountingConnection conn = new CountingConnection("n1");
    @TempDir
    Path tmp;

    private static Map<String, Object> m(Object... kv) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put((String) kv[i], kv[i + 1]);
        }
        return out;
    }

    private static String problems(Module mod, Map<String, Object> raw) {
        return mod.argSpec().checkStatic(raw).stream().map(ArgSpec.ArgProblem::message)
                .collect(Collectors.joining("; "));
    }

    private static final Map<String, Object> NTS = m("class", "NetworkTopologyStrategy", "dc1", 3);

    @Test
    void alterKeyspace_rules_reportedAtValidate() {
        assertEquals("", problems(alter, m("keyspace", "ks", "replication", NTS)));
        assertTrue(problems(alter, m("keyspace", "a", "keyspaces", List.of("b"), "replication", NTS))
                .contains("'keyspace' and 'keyspaces' are mutually exclusive"));
        assertTrue(problems(alter, m("replication", NTS)).contains("'keyspace', 'keyspaces', 'include_system'"));
        assertTrue(problems(alter, m("keyspace", "ks")).contains("'replication', 'durable_writes'"));
        assertTrue(problems(alter, m("keyspace", "ks", "create", true, "durable_writes", false))
                .contains("missing argument 'replication', required when create is true"));
        assertTrue(problems(alter, m("keyspace", "ks", "replication", NTS, "truststore", "t.p12"))
                .contains("argument 'truststore' is only for ssl true (ssl is not given)"));
        assertTrue(problems(alter, m("keyspace", "ks", "replication", NTS, "username", "ops"))
                .contains("arguments 'username', 'password' are required together; missing 'password'"));
        assertTrue(problems(alter, m("keyspace", "ks", "replication", NTS, "replicaton", NTS))
                .contains("did you mean 'replication'"));
    }

    @Test
    void cql_rules_reportedAtValidate() {
        assertEquals("", problems(cql, m("statements", "SELECT now() FROM system.local")));
        assertEquals("", problems(cql, m("schema_from", m("host", "src1"), "keyspaces", "shop")));
        assertTrue(problems(cql, m()).contains("one of the arguments 'statements', 'schema_from' is required"));
        assertTrue(problems(cql, m("statements", "x", "schema_from", m("host", "a"), "keyspaces", "k"))
                .contains("'statements' and 'schema_from' are mutually exclusive"));
        assertTrue(problems(cql, m("schema_from", m("host", "a"))).contains("missing 'keyspaces'"));
        assertTrue(problems(cql, m("schema_from", m("host", "a"), "keyspaces", "k", "check", m("rows", 0)))
                .contains("'check' and 'schema_from' are mutually exclusive"));
        assertTrue(problems(cql, m("statements", "x", "rename", m("a", "b")))
                .contains("'statements' and 'rename' are mutually exclusive"));
    }

    private ModuleContext ctx(Module mod, Map<String, Object> args, Map<String, Object> vars, boolean check)
            throws ModuleException {
        return Contexts.of(mod, args, vars, conn, check, tmp);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void check_noCassandraThere_failsNamingTheEndpoint_neverThePassword() throws Exception {
        int port = closedPort();
        Map<String, Object> vars = m("cql_host", "127.0.0.1", "cql_port", port, "cql_username", "ops",
                "cql_password", SECRET);
        ModuleException e = assertThrows(ModuleException.class, () -> alter.check(ctx(alter,
                m("keyspace", "ks", "replication", NTS, "timeout", 5), vars, true)));
        assertTrue(e.getMessage().startsWith("CQL 127.0.0.1:" + port + ": cannot connect: "), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
        assertEquals(0, conn.execCalls.get(), "no command runs on the host");
    }

    @Test
    void check_statementsWithoutCheck_unknownWithoutConnecting() throws Exception {
        ModuleContext c = ctx(cql, m("statements", List.of("CREATE TABLE ks.a (k int PRIMARY KEY);"
                + " CREATE TABLE ks.b (k int PRIMARY KEY)", "TRUNCATE ks.a")), m("cql_port", 1), true);
        Preview p = cql.check(c);
        assertEquals(Preview.Change.UNKNOWN, p.change());
        assertEquals(List.of("CREATE TABLE ks.a (k int PRIMARY KEY)", "CREATE TABLE ks.b (k int PRIMARY KEY)",
                "TRUNCATE ks.a"), p.commands());
        assertTrue(p.summary().contains("not idempotent"), p.summary());
        assertNull(p.data().get("executed"));
        assertEquals(List.of(), ReturnCheck.problems(cql.returns(), c.args(), p.data(), true, false));
        assertEquals(0, conn.execCalls.get());
    }

    @Test
    void check_badArgumentsInCode_refusedBeforeConnecting() throws Exception {
        Map<String, Object> vars = m("cql_port", 1);
        assertTrue(assertThrows(ModuleException.class, () -> alter.check(ctx(alter, m("keyspace", "ks;x",
                "replication", NTS), vars, true))).getMessage().contains("keyspace name 'ks;x' is not valid"));
        assertTrue(assertThrows(ModuleException.class, () -> alter.check(ctx(alter, m("keyspace", "ks",
                "replication", m("class", "NetworkTopologyStrategy", "replication_factor", 3)), vars, true)))
                .getMessage().contains("a factor per datacenter"));
        assertTrue(assertThrows(ModuleException.class, () -> cql.check(ctx(cql, m("statements", "x",
                "check", m("query", "DELETE FROM ks.t WHERE k = 1", "rows", 0)), vars, true)))
                .getMessage().contains("one SELECT statement"));
        assertTrue(assertThrows(ModuleException.class, () -> cql.check(ctx(cql, m("schema_from",
                m("host", "src1", "prot", 9042), "keyspaces", "ks"), vars, true)))
                .getMessage().contains("schema_from: unknown key 'prot'; did you mean 'port'"));
        assertTrue(assertThrows(ModuleException.class, () -> cql.check(ctx(cql, m("statements", "-- nothing"),
                vars, true))).getMessage().contains("no CQL statement"));
    }

    @Test
    void settings_hostVariablesThenArguments_passwordNeverPrinted() throws Exception {
        Map<String, Object> vars = m("ansible_host", "10.0.0.7", "cql_port", "9142", "cql_local_dc", "dc1",
                "cql_username", "ops", "cql_password", " " + SECRET + " ", "cql_truststore", "tls/trust.p12");
        CqlSettings s = CqlSettings.forTask(ctx(alter, m("keyspace", "ks", "replication", NTS, "local_dc", "dc2",
                "timeout", 7), vars, true));
        assertEquals("10.0.0.7:9142", s.endpoint());
        assertEquals("dc2", s.localDc());
        assertEquals(" " + SECRET + " ", s.password(), "a password is taken as written");
        assertTrue(s.ssl(), "a truststore means TLS");
        assertEquals(tmp.resolve("tls/trust.p12"), s.truststore());
        assertEquals(Duration.ofSeconds(7), s.requestTimeout());
        assertFalse(s.toString().contains(SECRET), s.toString());
    }

    @Test
    void settings_cqlSsl_truthinessRule_elseNamedError() throws Exception {
        Map<String, Object> args = m("keyspace", "ks", "replication", NTS);
        assertTrue(CqlSettings.forTask(ctx(alter, args, m("cql_ssl", "yes"), true)).ssl());
        assertFalse(CqlSettings.forTask(ctx(alter, args, m("cql_ssl", false), true)).ssl());
        assertFalse(CqlSettings.forTask(ctx(alter, m("keyspace", "ks", "replication", NTS, "ssl", false),
                m("cql_ssl", true), true)).ssl(), "the argument wins");
        ModuleException e = assertThrows(ModuleException.class,
                () -> CqlSettings.forTask(ctx(alter, args, m("cql_ssl", "maybe"), true)));
        assertEquals("host n1: variable 'cql_ssl' must be a boolean (true/false), got 'maybe' (String)", e.getMessage());
        ModuleException p = assertThrows(ModuleException.class,
                () -> CqlSettings.forTask(ctx(alter, args, m("cql_password", List.of(SECRET)), true)));
        assertFalse(p.getMessage().contains(SECRET), p.getMessage());
    }

    @Test
    void settings_schemaFromAnInventoryHost_usesItsVariables() throws Exception {
        Map<String, Object> vars = m("hostvars", m("src1", m("ansible_host", "10.1.0.1", "cql_port", 9043,
                "cql_username", "reader", "cql_password", SECRET)));
        CqlSettings s = CqlSettings.forSource(ctx(cql, m("schema_from", m("host", "src1"), "keyspaces", "ks"), vars,
                true), m("host", "src1", "local_dc", "old"));
        assertEquals("10.1.0.1:9043", s.endpoint());
        assertEquals("reader", s.username());
        assertEquals("old", s.localDc());
        CqlSettings byAddress = CqlSettings.forSource(ctx(cql, m("schema_from", m("host", "x"), "keyspaces", "ks"),
                vars, true), m("host", "192.0.2.9", "port", "9044"));
        assertEquals("192.0.2.9:9044", byAddress.endpoint());
        assertNull(byAddress.username());
    }
}
