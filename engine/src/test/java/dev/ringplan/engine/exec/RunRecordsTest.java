package dev.ringplan.engine.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringplan.engine.compile.CompileOptions;
import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.report.Journal;
import dev.ringplan.engine.report.JsonReport;
import dev.ringplan.engine.secret.Secrets;
import dev.ringplan.engine.testing.Engine;
import dev.ringplan.engine.testing.FakeConnectionProvider;
import dev.ringplan.engine.testing.FakeModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run writes down: the JSON report, the journal, with secrets masked. */
class RunRecordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PLAN = """
            name: records
            hosts: h1:h2
            vars: { db_password: s3cret-plan }
            tasks:
              - id: a
                fake: { msg: a, password: "{{ db_password }}" }
              - id: b
                needs: a
                fake: { msg: b, fail: "{{ inventory_hostname == 'h2' }}" }
              - id: c
                needs: b
                fake: c
            """;

    private static RunReport runWith(Path dir, FakeModule fake, dev.ringplan.engine.exec.RunListener... listeners) throws Exception {
        CompiledPlan cp = new Engine(fake).compile(PLAN, Engine.INVENTORY,
                new CompileOptions(Map.of("admin_password", "s3cret-extra", "tag", "t1"), null, List.of()));
        return Engine.run(cp, Engine.options(false, 2, dir), new FakeConnectionProvider(), RunListener.all(listeners));
    }

    private static Set<String> keys(JsonNode n) {
        Set<String> out = new TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void jsonReport_writesDocumentedShape(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out/report.json");
        FakeModule fake = FakeModule.named("fake");
        runWith(dir, fake, new JsonReport(file));
        JsonNode root = JSON.readTree(file.toFile());
        assertEquals(Set.of("plan", "plan_file", "run_id", "check_mode", "commit", "started", "duration_ms", "results", "stats"),
                keys(root));
        assertEquals("records", root.get("plan").asText());
        assertEquals("plan.yaml", root.get("plan_file").asText());
        assertEquals("r1", root.get("run_id").asText());
        assertFalse(root.get("check_mode").asBoolean());
        assertEquals("abc123", root.get("commit").asText());
        assertEquals("2024-05-06T07:08:09Z", root.get("started").asText());
        JsonNode results = root.get("results");
        assertEquals(6, results.size());
        for (JsonNode r : results) {
            assertEquals(Set.of("task", "host", "status", "changed", "msg", "diff", "ignored", "duration_ms", "commands"), keys(r));
        }
        JsonNode first = results.get(0);
        assertEquals("a", first.get("task").asText());
        assertEquals("h1", first.get("host").asText());
        assertEquals("changed", first.get("status").asText());
        assertTrue(first.get("changed").asBoolean());
        List<String> statuses = new ArrayList<>();
        results.forEach(r -> statuses.add(r.get("task").asText() + "[" + r.get("host").asText() + "]=" + r.get("status").asText()));
        assertEquals(List.of("a[h1]=changed", "a[h2]=changed", "b[h1]=changed", "b[h2]=failed", "c[h1]=changed", "c[h2]=skipped"),
                statuses);
        JsonNode stats = root.get("stats");
        assertEquals(Set.of("ok", "changed", "unknown", "skipped", "failed", "unreachable", "interrupted", "rescued",
                "ignored"), keys(stats));
        assertEquals(4, stats.get("changed").asInt());
        assertEquals(1, stats.get("failed").asInt());
        assertEquals(1, stats.get("skipped").asInt());
        assertEquals(0, stats.get("rescued").asInt(), "no block has a rescue");
        assertEquals(0, stats.get("ignored").asInt());
        assertEquals(0, stats.get("unknown").asInt(), "not in check mode");
        assertFalse(Files.readString(file).contains("s3cret"));
    }

    @Test
    void journal_writesRunJsonAndOneLinePerNode(@TempDir Path dir) throws Exception {
        Journal journal = new Journal(dir.resolve(".ringplan/runs"), "r1");
        FakeModule fake = FakeModule.named("fake");
        RunReport report = runWith(dir, fake, journal);
        Path runDir = dir.resolve(".ringplan/runs/r1");
        assertEquals(runDir, journal.dir());
        JsonNode meta = JSON.readTree(runDir.resolve("run.json").toFile());
        assertEquals("r1", meta.get("run_id").asText());
        assertEquals("records", meta.get("plan").asText());
        assertEquals("abc123", meta.get("plan_facts").get("commit").asText());
        assertEquals(6, meta.get("nodes").asInt());
        assertEquals(2, meta.get("forks").asInt());
        assertEquals(Secrets.MASK, meta.get("extra_vars").get("admin_password").asText(), "secrets masked");
        assertEquals("t1", meta.get("extra_vars").get("tag").asText());
        List<String> lines = Files.readAllLines(runDir.resolve("journal.jsonl"));
        assertEquals(report.results().size(), lines.size());
        Set<String> seen = new TreeSet<>();
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            seen.add(n.get("task").asText() + "[" + n.get("host").asText() + "]=" + n.get("status").asText());
        }
        assertEquals(Set.of("a[h1]=changed", "a[h2]=changed", "b[h1]=changed", "b[h2]=failed", "c[h1]=changed", "c[h2]=skipped"), seen);
        assertTrue(Files.exists(runDir.resolve("report.json")));
        for (String f : List.of("run.json", "journal.jsonl", "report.json")) {
            assertFalse(Files.readString(runDir.resolve(f)).contains("s3cret"), f);
        }
    }

    @Test
    void reports_maskSecretsReturnedByModules(@TempDir Path dir) throws Exception {
        FakeModule leaky = FakeModule.builder("fake").apply(ctx -> Result.changed("done")
                .withData(Map.of("password", ctx.args().str("password") == null ? "none" : ctx.args().str("password")))).build();
        Path file = dir.resolve("report.json");
        RunReport report = runWith(dir, leaky, new JsonReport(file), new Journal(dir.resolve("runs"), "r1"));
        // The module received the rendered secret, the records do not show it.
        assertEquals("s3cret-plan", leaky.applies("a").get(0).args().get("password"));
        assertEquals("s3cret-plan", Engine.result(report, "a", "h1").data().get("password"));
        assertFalse(Files.readString(file).contains("s3cret"));
        for (Path p : Files.list(dir.resolve("runs/r1")).toList()) {
            assertFalse(Files.readString(p).contains("s3cret"), p.toString());
        }
        assertEquals(Map.of("db_password", Secrets.MASK, "nested", Map.of("api_key", Secrets.MASK, "num_tokens", 16)),
                Secrets.mask(Map.of("db_password", "x", "nested", Map.of("api_key", "k", "num_tokens", 16))));
    }

    @Test
    void reports_maskLiteralValuesOfSecretNamedArguments(@TempDir Path dir) throws Exception {
        FakeModule leaky = FakeModule.builder("fake")
                .apply(ctx -> Result.changed("logged in with " + ctx.args().str("password"))).build();
        CompiledPlan cp = new Engine(leaky).compile("""
                name: literal
                hosts: h1
                tasks:
                  - id: a
                    fake: { msg: a, password: lit3ral-pw }
                """, Engine.INVENTORY, new CompileOptions(Map.of(), null, List.of()));
        Path file = dir.resolve("report.json");
        RunReport report = Engine.run(cp, Engine.options(false, 1, dir), new FakeConnectionProvider(),
                RunListener.all(new JsonReport(file), new Journal(dir.resolve("runs"), "r1")));
        assertEquals("lit3ral-pw", leaky.applies("a").get(0).args().get("password"), "the module gets the value");
        assertEquals("logged in with lit3ral-pw", Engine.result(report, "a", "h1").msg(), "the run keeps it");
        assertTrue(Files.readString(file).contains("logged in with " + Secrets.MASK), Files.readString(file));
        assertFalse(Files.readString(file).contains("lit3ral"));
        for (Path p : Files.list(dir.resolve("runs/r1")).toList()) {
            assertFalse(Files.readString(p).contains("lit3ral"), p.toString());
        }
    }
}
