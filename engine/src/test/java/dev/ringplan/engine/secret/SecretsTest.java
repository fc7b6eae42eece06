package dev.ringplan.engine.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.compile.CompileOptions;
import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.connection.ShellQuote;
import dev.ringplan.engine.exec.NodeResult;
import dev.ringplan.engine.exec.RunListener;
import dev.ringplan.engine.exec.RunOptions;
import dev.ringplan.engine.exec.RunReport;
import dev.ringplan.engine.exec.Status;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.report.Journal;
import dev.ringplan.engine.report.JsonReport;
import dev.ringplan.engine.testing.Engine;
import dev.ringplan.engine.testing.FakeConnectionProvider;
import dev.ringplan.engine.testing.FakeModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The masking authority: secret names, secret values in text, no_log, and a whole run's events. */
class SecretsTest {
    private static final String PW = "S3cr3t-Zebra-42";

    @Test
    void isSecretKey_secretLookingNames() {
        for (String k : List.of("password", "db_password", "DB_PASSWORD", "ansible_become_pass", "ansible_ssh_pass",
                "keystore_passwd", "ssh_passphrase", "client_secret", "aws_secret_access_key", "private_key",
                "api_key", "apikey", "credentials", "github_token", "vault_token", "db_pw", "admin_pwd",
                "pass")) {
            assertTrue(Secrets.isSecretKey(k), k);
        }
        for (String k : List.of("token", "tokens", "num_tokens", "initial_token", "token_count", "ansible_ssh_private_key_file",
                "password_file", "secret_path", "credentials_dir", "passive", "compass", "bypass_cache", "tag",
                "cassandra_data_dirs", "backup_root")) {
            assertFalse(Secrets.isSecretKey(k), k);
        }
        assertFalse(Secrets.isSecretKey(null));
    }

    @Test
    void maskText_rawAndEveryQuotedForm() {
        Secrets s = Secrets.of(List.of());
        String v = "it's $ecret \"x\"";
        s.addValue(v);
        assertEquals("pw=********!", s.maskText("pw=" + v + "!"));
        // As ShellQuote and shlex.quote show it in a command line: ' becomes '"'"'.
        assertEquals("mysql ********", s.maskText("mysql " + ShellQuote.quote(v).substring(1, ShellQuote.quote(v).length() - 1)));
        assertFalse(s.maskText("mysql " + ShellQuote.quote("-p" + v)).contains("ecret"), s.maskText(ShellQuote.quote("-p" + v)));
        assertFalse(s.maskText("mysql '-p" + v.replace("'", "'\\''") + "'").contains("ecret"));
        assertFalse(s.maskText("sh -c \"echo " + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$") + "\"")
                .contains("ecret"));
        assertFalse(s.maskText("{\"pw\":\"it's $ecret \\\"x\\\"\"}").contains("ecret"), "JSON-escaped");
    }

    @Test
    void maskText_multiLineValueLineByLine() {
        Secrets s = Secrets.of(List.of());
        s.addValue("-----BEGIN KEY-----\nAAAAbbbbCCCC\n-----END KEY-----");
        String diff = "+key: |\n+  -----BEGIN KEY-----\n+  AAAAbbbbCCCC\n+  -----END KEY-----\n";
        assertEquals("+key: |\n+  ********\n+  ********\n+  ********\n", s.maskText(diff));
    }

    @Test
    void maskText_shortValuesOnlyByName() {
        Secrets s = Secrets.of(List.of());
        s.collect(Map.of("db_password", "abc", "api_key", 7, "ssh_pass", true));
        assertTrue(s.isEmpty(), "values shorter than " + Secrets.MIN_LENGTH + " and booleans are not masked in text");
        assertEquals("abc 7 true", s.maskText("abc 7 true"));
        assertEquals(Map.of("db_password", Secrets.MASK, "x", "abc"),
                s.maskValue(Map.of("db_password", "abc", "x", "abc")));
    }

    @Test
    void collect_nestedSecretNamesMarkedNamesAndNumbers() {
        Secrets s = Secrets.of(List.of("conn"));
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("cluster", Map.of("admin", Map.of("password", "nested-pw-1"), "nodes", List.of("n1", "n2")));
        vars.put("conn", "user=admin");
        vars.put("vault_token", 12345678);
        vars.put("tag", "nightly");
        vars.put("unrendered_password", "{{ lookup('env', 'X') }}");
        s.collect(vars);
        assertEquals("******** ******** ******** nightly n1", s.maskText("nested-pw-1 user=admin 12345678 nightly n1"));
        assertEquals("{{ lookup('env', 'X') }}", s.maskText("{{ lookup('env', 'X') }}"), "templates are not values");
        assertTrue(s.isSecretName("conn") && !s.isSecretName("tag"));
    }

    @Test
    void maskValue_keysAndText() {
        Secrets s = Secrets.of(List.of());
        s.addValue(PW);
        Object masked = s.maskValue(Map.of("stdout", "pw is " + PW, "api_key", "short",
                "lines", List.of(PW, "ok")));
        assertEquals(Map.of("stdout", "pw is ********", "api_key", Secrets.MASK, "lines", List.of(Secrets.MASK, "ok")),
                masked);
    }

    @Test
    void process_learnsEveryRegistrysValues() {
        Secrets.of(List.of()).addValue("proc-wide-Secret-1");
        assertEquals("x ********", Secrets.process().maskText("x proc-wide-Secret-1"));
    }

    // ---- a whole run through the executor ----

    private static final String PLAN = """
            name: secrets
            hosts: h1
            vars_secret: [conn_string]
            vars:
              db_password: S3cr3t-Zebra-42
              conn_string: "host=db user=admin"
            tasks:
              - id: leak
                fake: { msg: leak, value: "{{ db_password }} {{ conn_string }}" }
              - id: hidden
                needs: leak
                no_log: true
                register: h
                fake: { msg: hidden, value: "from-no-log-77" }
              - id: after
                needs: hidden
                fake: { msg: after, value: "{{ h.value }}" }
              - id: blk
                needs: after
                no_log: true
                block:
                  - id: inner
                    fake: { msg: inner, value: "x" }
            """;

    /** A module that puts its {@code value} argument everywhere an output can carry it. */
    private static FakeModule leaky() {
        return FakeModule.builder("fake").apply(ctx -> {
            String v = String.valueOf(ctx.args().get("value"));
            ctx.log("progress: " + v);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("value", v);
            data.put("stdout", "echo " + ShellQuote.quote(v));
            return Result.changed("ran with " + v).withDiff("-old\n+" + v + "\n")
                    .withCommands(List.of("tool --pw=" + ShellQuote.quote(v))).withData(data);
        }).build();
    }

    /** Every event's text, as a listener receives it. */
    private static final class Capture implements RunListener {
        final List<String> texts = new ArrayList<>();
        final List<NodeResult> results = new ArrayList<>();

        @Override
        public synchronized void runStarted(CompiledPlan plan, RunOptions options) {
            texts.add(String.valueOf(plan.extraVars()));
        }

        @Override
        public synchronized void nodeLog(dev.ringplan.engine.compile.TaskNode node, String line) {
            texts.add(node.name() + " log " + line);
        }

        @Override
        public synchronized void nodeFinished(NodeResult r) {
            results.add(r);
            texts.add(r.node().name() + " " + r.msg() + " " + r.diff() + " " + r.commands() + " " + r.data());
        }

        @Override
        public synchronized void runFinished(RunReport report) {
            report.results().forEach(r -> texts.add("report " + r.msg() + " " + r.diff() + " " + r.commands() + " " + r.data()));
        }
    }

    @Test
    void masking_everyRunEventHidesSecretsAndNoLogOutput(@TempDir Path dir) throws Exception {
        FakeModule fake = leaky();
        CompiledPlan cp = new Engine(fake).compile(PLAN, Engine.INVENTORY,
                new CompileOptions(Map.of("admin_password", "Extra-Pass-9"), null, List.of()));
        Capture cap = new Capture();
        Path report = dir.resolve("report.json");
        RunReport r = Engine.run(cp, Engine.options(false, 1, dir), new FakeConnectionProvider(),
                RunListener.all(cap, new Journal(dir.resolve("runs"), "r1"), new JsonReport(report)));
        // The module really saw the secrets (masking is for outputs only).
        assertEquals(PW + " host=db user=admin", fake.applies("leak").get(0).args().get("value"));
        assertEquals("from-no-log-77", fake.applies("after").get(0).args().get("value"), "registered data stays real");
        String all = String.join("\n", cap.texts);
        for (String secret : List.of(PW, "host=db user=admin", "Extra-Pass-9", "from-no-log-77")) {
            assertFalse(all.contains(secret), secret + " leaked into\n" + all);
            for (Path f : List.of(report, dir.resolve("runs/r1/journal.jsonl"), dir.resolve("runs/r1/run.json"),
                    dir.resolve("runs/r1/report.json"))) {
                assertFalse(Files.readString(f).contains(secret), secret + " leaked into " + f);
            }
        }
        assertTrue(all.contains("leak[h1] log progress: ******** ********"), all);
        assertTrue(all.contains("tool --pw='******** ********'"), all);
        NodeResult hidden = cap.results.stream().filter(x -> x.node().task().id().equals("hidden")).findFirst().orElseThrow();
        assertEquals(Secrets.NO_LOG_MESSAGE, hidden.msg());
        assertEquals(Status.CHANGED, hidden.status());
        assertEquals(List.of(), hidden.commands());
        assertEquals(null, hidden.diff());
        assertEquals(Secrets.NO_LOG_MESSAGE, hidden.data().get("censored"));
        assertFalse(all.contains("hidden[h1] log"), "a no_log task's progress lines are dropped");
        NodeResult inner = cap.results.stream().filter(x -> x.node().task().id().equals("inner")).findFirst().orElseThrow();
        assertEquals(Secrets.NO_LOG_MESSAGE, inner.msg(), "no_log on a block covers its tasks");
        assertTrue(all.contains("\"admin_password\":\"********\"") || all.contains("admin_password=********"), all);
        assertFalse(r.anyFailed());
    }
}
