package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLI habits of Ansible users, through {@link Ringplan#execute} in-process with a local-connection
 * inventory: --tags/--skip-tags, help for every subcommand, heartbeat, -v, debug/assert/fail,
 * failed_when.
 */
class AnsibleHabitsCliTest {
    @TempDir
    Path tmp;
    Path inv;

    /** Exit code and both streams of one in-process run. */


    @BeforeEach
    void setUp() throws IOException {
        inv = tmp.resolve("inv.yaml");
        Files.writeString(inv, """
                all:
                  hosts:
                    h1:
                      ansible_connection: local
                """);
    }

    private String plan(String yaml) throws IOException {
        Path p = Files.createTempFile(tmp, "plan", ".yaml");
        Files.writeString(p, "name: t\nhosts: all\n" + yaml);
        return p.toString();
    }

    private static final String TAGGED = """
            tasks:
              - id: a
                tags: [backup]
                command: "true"
              - id: b
                tags: [always]
                command: "true"
              - id: c
                tags: [never, debug]
                command: "true"
              - id: d
                command: "true"
            """;

    // ---- --tags / --skip-tags ----

    @Test
    void run_tagsNamingNoTask_exit2NamingTagAndListingPlansTags() throws Exception {
        String p = plan(TAGGED);
        Cli.Run r = Cli.inProcess("run", p, "-i", inv.toString(), "--tags", "nosuch");
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.all());
        assertTrue(r.err().contains("--tags: error: unknown tag 'nosuch'"), r.all());
        assertTrue(r.err().contains("the plan's tags: always, backup, debug, never"), r.all());
        assertFalse(r.out().contains("start"), "nothing ran: " + r.all());
        Cli.Run skip = Cli.inProcess("plan", p, "-i", inv.toString(), "--skip-tags", "bakup");
        assertEquals(ExitCodes.INVALID_INPUT, skip.code(), skip.all());
        assertTrue(skip.err().contains("--skip-tags: error: unknown tag 'bakup'") && skip.err().contains("did you mean 'backup'?"),
                skip.all());
        assertEquals(ExitCodes.INVALID_INPUT, Cli.inProcess("validate", p, "-i", inv.toString(), "-t", "backup,nosuch").code());
    }

    @Test
    void run_tagsAndSkipTags_alwaysAndNeverAsAnsible() throws Exception {
        String p = plan(TAGGED);
        Cli.Run r = Cli.inProcess("run", p, "-i", inv.toString(), "--tags", "debug");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("b[h1]") && r.out().contains("c[h1]"), r.all());
        assertFalse(r.out().contains("a[h1]") || r.out().contains("d[h1]"), r.all());
        Cli.Run s = Cli.inProcess("run", p, "-i", inv.toString(), "--skip-tags", "always");
        assertEquals(0, s.code(), s.all());
        assertTrue(s.out().contains("a[h1]") && s.out().contains("d[h1]"), s.all());
        assertFalse(s.out().contains("b[h1]") || s.out().contains("c[h1]"), s.all());
    }

    // ---- help ----

    @Test
    void help_everySubcommand_bothWays() {
        for (String sub : List.of("validate", "plan", "run", "graph", "modules", "inventory", "sandbox")) {
            Cli.Run dash = Cli.inProcess(sub, "--help");
            assertEquals(0, dash.code(), sub + " --help: " + dash.all());
            assertTrue(dash.out().startsWith("Usage: ringplan " + sub), sub + " --help: " + dash.all());
            Cli.Run help = Cli.inProcess("help", sub);
            assertEquals(0, help.code(), "help " + sub + ": " + help.all());
            assertEquals(dash.out(), help.out(), "help " + sub);
        }
        for (String sub : List.of("up", "down", "status", "load")) {
            Cli.Run dash = Cli.inProcess("sandbox", sub, "--help");
            assertEquals(0, dash.code(), dash.all());
            assertTrue(dash.out().startsWith("Usage: ringplan sandbox " + sub), dash.all());
            Cli.Run help = Cli.inProcess("sandbox", "help", sub);
            assertEquals(0, help.code(), help.all());
            assertEquals(dash.out(), help.out());
        }
        Cli.Run top = Cli.inProcess("help");
        assertEquals(0, top.code(), top.all());
        assertTrue(top.out().contains("run") && top.out().contains("help"), top.all());
        assertTrue(Cli.inProcess("run", "--help").out().contains("--skip-tags"), "run's help lists --skip-tags");
        assertEquals("ringplan 0.1.0\n", Cli.inProcess("run", "--version").out());
        Cli.Run doc = Cli.inProcess("modules", "assert");
        assertTrue(doc.code() == 0 && doc.out().contains("that (any, required)") && doc.out().contains("EXAMPLES"), doc.all());
    }

    // ---- heartbeat ----

    @Test
    void run_longTask_heartbeatLinesUntilItEnds() throws Exception {
        String p = plan("""
                tasks:
                  - id: slow
                    command: sleep 1.1
                  - id: quick
                    needs: slow
                    command: "true"
                """);
        Cli.Run r = Cli.inProcess("run", p, "-i", inv.toString(), "--heartbeat-ms", "200");
        assertEquals(0, r.code(), r.all());
        List<String> beats = r.out().lines().filter(l -> l.startsWith("  running  slow[h1] (")).toList();
        assertTrue(beats.size() >= 3 && beats.size() <= 6, r.all());
        assertEquals("  running  slow[h1] (0.2 s)", beats.get(0), r.all());
        int lastBeat = r.out().lastIndexOf("  running  slow[h1]");
        assertTrue(lastBeat < r.out().indexOf("changed  slow[h1]"), "no heartbeat after the result: " + r.all());
        assertFalse(r.out().contains("running  quick[h1]"), r.all());
    }

    // ---- -v ----

    @Test
    void run_verbose_printsEachResultsDataAsJsonMasked() throws Exception {
        String p = plan("""
                vars:
                  db_password: hunter2
                tasks:
                  - id: echo
                    command: echo hi
                  - id: show
                    debug:
                      var: db_password
                """);
        Cli.Run quiet = Cli.inProcess("run", p, "-i", inv.toString());
        assertFalse(quiet.out().contains("=> {"), quiet.all());
        Cli.Run r = Cli.inProcess("run", p, "-i", inv.toString(), "-v");
        assertEquals(0, r.code(), r.all());
        List<String> lines = r.out().lines().toList();
        int echo = indexOf(lines, "changed  echo[h1]");
        assertTrue(lines.get(echo + 1).startsWith("      => {") && lines.get(echo + 1).contains("\"stdout\":\"hi\"")
                && lines.get(echo + 1).contains("\"rc\":0"), r.all());
        int show = indexOf(lines, "ok       show[h1]");
        assertEquals("      => {\"db_password\":\"********\",\"changed\":false,\"failed\":false,\"status\":\"ok\","
                + "\"msg\":\"db_password: ********\"}", lines.get(show + 1), r.all());
        assertFalse(r.out().contains("hunter2"), r.all());
        assertEquals(0, Cli.inProcess("plan", p, "-i", inv.toString(), "-vvv").code());
    }

    private static int indexOf(List<String> lines, String fragment) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + fragment + "' in\n" + String.join("\n", lines));
    }

    // ---- debug / assert / fail / failed_when ----

    @Test
    void run_debugAssertFail_asAnsible() throws Exception {
        String ok = plan("""
                vars:
                  nodes: [a, b]
                tasks:
                  - id: say
                    debug: "two nodes: {{ nodes | join(',') }}"
                  - id: detail
                    debug: { msg: deep, verbosity: 2 }
                  - id: check
                    assert:
                      that:
                        - nodes | length == 2
                      success_msg: looks right
                  - id: stop
                    when: nodes | length > 5
                    fail: { msg: too many }
                """);
        for (String cmd : List.of("run", "plan")) {
            Cli.Run r = Cli.inProcess(cmd, ok, "-i", inv.toString());
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains("say[h1]") && r.out().contains("two nodes: a,b"), r.all());
            assertTrue(r.out().contains("not shown: needs verbosity 2"), r.all());
            assertTrue(r.out().contains("looks right"), r.all());
            assertTrue(r.out().contains("skipped  stop[h1]"), r.all());
        }
        String vv = Cli.inProcess("run", ok, "-i", inv.toString(), "-vv").out();
        assertTrue(vv.matches("(?s).*detail\\[h1\\] \\(\\d+\\.\\d s\\)  deep.*"), vv);

        String bad = plan("""
                tasks:
                  - id: check
                    assert:
                      that: "inventory_hostname == 'h2'"
                      fail_msg: wrong host
                  - id: after
                    needs: check
                    command: "true"
                  - id: stop
                    fail: { msg: "stopped on {{ inventory_hostname }}" }
                """);
        for (String cmd : List.of("run", "plan")) {
            Cli.Run r = Cli.inProcess(cmd, bad, "-i", inv.toString());
            assertEquals(ExitCodes.TASK_FAILED, r.code(), r.all());
            assertTrue(r.out().contains("failed   check[h1]") && r.out().contains("wrong host (false: inventory_hostname == 'h2')"),
                    r.all());
            assertTrue(r.out().contains("skipped  after[h1]"), r.all());
            assertTrue(r.out().contains("failed   stop[h1]") && r.out().contains("stopped on h1"), r.all());
        }
    }

    @Test
    void run_failedWhen_decidesFailure() throws Exception {
        String p = plan("""
                tasks:
                  - id: grep
                    register: out
                    failed_when: out.rc > 1
                    command: { cmd: "grep -q nosuchthing /etc/hostname" }
                  - id: strict
                    failed_when: "'hi' in result.stdout"
                    command: echo hi
                """);
        Cli.Run r = Cli.inProcess("run", p, "-i", inv.toString());
        assertEquals(ExitCodes.TASK_FAILED, r.code(), r.all());
        assertTrue(r.out().contains("ok       grep[h1]"), "rc 1 is not a failure here: " + r.all());
        assertTrue(r.out().contains("failed   strict[h1]") && r.out().contains("failed_when is true: 'hi' in result.stdout"),
                r.all());
    }
}
