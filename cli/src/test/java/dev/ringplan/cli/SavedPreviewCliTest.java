package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saved previews through the CLI on a local host ({@code plan -o FILE}, {@code apply FILE}, as
 * Terraform's {@code plan -out} / {@code apply PLANFILE}): an unchanged preview applies and the
 * run matches it; an edited plan, a changed inventory variable, a host changed by hand, or a
 * secret given differently make apply refuse with exit 2 naming what drifted; the file never
 * holds a secret; {@code --detailed-exitcode} is 0/2/1.
 */
class SavedPreviewCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "hunter2-Sekret";

    @TempDir
    Path tmp;
    Path plan;
    Path inv;
    Path target;
    Path saved;

    private record Out(int code, String out, String err) {
        String all() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private static Out cli(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Ringplan.execute(args, new PrintWriter(o, true), new PrintWriter(e, true));
        return new Out(code, o.toString(), e.toString());
    }

    @BeforeEach
    void setUp() throws Exception {
        inv = tmp.resolve("inv.yaml");
        Files.writeString(inv, "all:\n  hosts:\n    h1:\n      ansible_connection: local\n      greeting: hi\n");
        target = tmp.resolve("made");
        plan = tmp.resolve("plan.yaml");
        Files.writeString(plan, """
                name: saved
                hosts: all
                tasks:
                  - id: make
                    command: { cmd: "touch {{ target }}", creates: "{{ target }}" }
                  - id: note
                    debug: { msg: "{{ greeting }} from {{ run.id }}" }
                """);
        saved = tmp.resolve("out/preview.json");
    }

    private Out planOut(String... more) {
        String[] base = {"plan", plan.toString(), "-i", inv.toString(), "-e", "target=" + target, "-o", saved.toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return cli(args);
    }

    @Test
    void apply_unchangedPreview_runsAndMatches() throws Exception {
        Out p = planOut();
        assertEquals(ExitCodes.OK, p.code(), p.all());
        assertTrue(p.out().contains("Saved the preview to " + saved), p.all());
        JsonNode f = JSON.readTree(saved.toFile());
        assertEquals("ringplan-saved-preview", f.get("format").asText());
        assertEquals(1, f.get("format_version").asInt());
        assertEquals(64, f.get("plan").get("sha256").asText().length(), f.toString());
        assertEquals("changed", f.get("changes").get(0).get("status").asText(), f.toString());
        assertEquals("make[h1]", f.get("changes").get(0).get("node").asText());
        assertTrue(f.get("changes").get(0).get("facts").has("argv"), "what the check read: " + f);
        assertEquals(target.toString(), f.get("variables").get("extra_vars").get("target").asText());
        assertFalse(Files.exists(target), "plan changes nothing");

        Out a = cli("apply", saved.toString());
        assertEquals(ExitCodes.OK, a.code(), a.all());
        assertTrue(a.out().contains("the preview holds: 2 nodes as saved; applying"), a.all());
        assertTrue(a.out().contains("changed  make[h1]"), a.all());
        String runId = f.get("run").get("id").asText();
        assertTrue(a.out().contains("hi from " + runId), "run.id renders as previewed: " + a.all());
        assertTrue(a.out().contains("applied as previewed"), a.all());
        assertTrue(a.out().contains("journal: .ringplan/runs/" + runId + "-apply"), a.all());
        assertTrue(Files.isRegularFile(Path.of(".ringplan/runs/" + runId + "-apply/report.json")), a.all());
        JsonNode meta = JSON.readTree(Path.of(".ringplan/runs/" + runId + "-apply/run.json").toFile());
        assertEquals(runId, meta.get("run_id").asText(), "the run keeps the preview's id");
        assertEquals(saved.toString(), meta.get("saved_preview").asText());
        assertTrue(meta.get("apply_started").asText().compareTo(meta.get("started").asText()) > 0, meta.toString());
        assertTrue(Files.exists(target), a.all());

        Out again = cli("apply", saved.toString());
        assertEquals(ExitCodes.INVALID_INPUT, again.code(), "already applied: the preview is stale: " + again.all());
        assertTrue(again.err().contains("was applied already (run " + runId + "-apply, outcome changed"), again.all());
        assertFalse(Files.exists(Path.of(".ringplan/runs/" + runId + "-apply-2")), again.all());
    }

    @Test
    void apply_planEditedAfterPreview_refusesNamingIt() throws Exception {
        assertEquals(ExitCodes.OK, planOut().code());
        Files.writeString(plan, Files.readString(plan) + "# edited\n");
        Out a = cli("apply", saved.toString());
        assertEquals(ExitCodes.INVALID_INPUT, a.code(), a.all());
        assertTrue(a.err().contains("is stale: 1 difference"), a.all());
        assertTrue(a.err().contains("plan: " + plan + " changed since the preview (sha256 "), a.all());
        assertFalse(Files.exists(target), "nothing ran");
    }

    @Test
    void apply_inventoryVariableChanged_refusesNamingIt() throws Exception {
        assertEquals(ExitCodes.OK, planOut().code());
        Files.writeString(inv, Files.readString(inv).replace("greeting: hi", "greeting: hello"));
        Out a = cli("apply", saved.toString());
        assertEquals(ExitCodes.INVALID_INPUT, a.code(), a.all());
        assertTrue(a.err().contains("inventory: host h1 variable greeting changed"), a.all());
        assertFalse(Files.exists(target), "nothing ran");
    }

    @Test
    void apply_hostChangedByHand_refusesNamingTaskAndHost() throws Exception {
        assertEquals(ExitCodes.OK, planOut().code());
        Files.writeString(target, "made by hand\n");
        Out a = cli("apply", saved.toString());
        assertEquals(ExitCodes.INVALID_INPUT, a.code(), a.all());
        assertTrue(a.err().contains("task make[h1]: preview said changed (would run: touch " + target
                + "), now ok: skipped, since " + target + " exists"), a.all());
        assertEquals("made by hand\n", Files.readString(target));
    }

    @Test
    void savedPreview_secretNeverStored_mustBeGivenAgainAndEqual() throws Exception {
        Out p = planOut("-e", "db_password=" + SECRET);
        assertEquals(ExitCodes.OK, p.code(), p.all());
        String text = Files.readString(saved);
        assertFalse(text.contains(SECRET), text);
        assertEquals("********", JSON.readTree(text).get("variables").get("extra_vars").get("db_password").asText());

        Out missing = cli("apply", saved.toString());
        assertEquals(ExitCodes.INVALID_INPUT, missing.code(), missing.all());
        assertTrue(missing.err().contains("the preview was made with the secret variable db_password, which is not saved:"
                + " give it again with -e"), missing.all());
        Out other = cli("apply", saved.toString(), "-e", "db_password=not-the-same");
        assertEquals(ExitCodes.INVALID_INPUT, other.code(), other.all());
        assertTrue(other.err().contains("variables: the secret -e variables (db_password) are not the values previewed"),
                other.all());
        assertFalse(other.err().contains("not-the-same"), other.all());
        Out notSecret = cli("apply", saved.toString(), "-e", "db_password=" + SECRET, "-e", "target=/elsewhere");
        assertEquals(ExitCodes.INVALID_INPUT, notSecret.code(), notSecret.all());
        assertTrue(notSecret.err().contains("-e target: apply runs the saved preview's variables"), notSecret.all());
        Out ok = cli("apply", saved.toString(), "-e", "db_password=" + SECRET);
        assertEquals(ExitCodes.OK, ok.code(), ok.all());
        assertTrue(Files.exists(target), ok.all());
    }

    @Test
    void plan_detailedExitcode_pending2_none0_error1() throws Exception {
        String[] args = {"plan", plan.toString(), "-i", inv.toString(), "-e", "target=" + target, "--detailed-exitcode"};
        Out pending = cli(args);
        assertEquals(PlanCommand.CHANGES_PENDING, pending.code(), pending.all());
        Files.writeString(target, "");
        Out none = cli(args);
        assertEquals(ExitCodes.OK, none.code(), "make is ok, debug only prints: " + none.all());
        Out invalid = cli("plan", plan.toString(), "-i", inv.toString(), "--detailed-exitcode");
        assertEquals(1, invalid.code(), "undefined target is an error, 1 as Terraform: " + invalid.all());
        assertEquals(ExitCodes.INVALID_INPUT, cli("plan", plan.toString(), "-i", inv.toString()).code());
        assertEquals(1, cli("plan", plan.toString(), "--no-such-option", "--detailed-exitcode").code());
    }

    @Test
    void plan_out_failedCheck_writesNothing() throws Exception {
        Files.writeString(plan, Files.readString(plan) + "  - id: stop\n    fail: { msg: no }\n");
        Out p = planOut();
        assertEquals(ExitCodes.TASK_FAILED, p.code(), p.all());
        assertTrue(p.err().contains("no saved preview written to " + saved), p.all());
        assertFalse(Files.exists(saved));
    }
}
