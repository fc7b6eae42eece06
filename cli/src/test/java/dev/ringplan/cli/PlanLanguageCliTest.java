package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plan-language behaviours where Ringplan follows Ansible (or refuses clearly where it does not),
 * through {@link Ringplan#execute} in-process with a two-host local-connection inventory: block
 * keys, loops, null values, boolean arguments, quoting {@code A[*]}, {@code -e} and
 * {@code hostvars}, the run header.
 */
class PlanLanguageCliTest {
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
                    h2:
                      ansible_connection: local
                """);
    }

    private String plan(String yaml) throws IOException {
        Path p = Files.createTempFile(tmp, "plan", ".yaml");
        Files.writeString(p, "name: t\nhosts: h1\n" + yaml);
        return p.toString();
    }

    // ---- block keys ----

    @Test
    void validate_blockWithRegisterOrRetries_exit2AtTheKey() throws Exception {
        String p = plan("""
                tasks:
                  - id: b
                    register: r
                    block:
                      - id: x
                        command: "true"
                    until: r.rc == 0
                """);
        Cli.Run r = Cli.inProcess("validate", p, "-i", inv.toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.all());
        assertTrue(r.err().contains(p + ":5:5: error: 'register' is not valid on a block (block 'b')"), r.all());
        assertTrue(r.err().contains(p + ":9:5: error: 'until' is not valid on a block (block 'b')"), r.all());
        assertTrue(r.err().contains("put it on a task inside the block; a block accepts id, name, hosts, needs, when"),
                r.all());
        assertEquals(ExitCodes.INVALID_INPUT, Cli.inProcess("run", p, "-i", inv.toString()).code());
    }

    @Test
    void run_blockIgnoreErrors_inheritedByItsTasksAndRescue() throws Exception {
        String p = plan("""
                tasks:
                  - id: b
                    ignore_errors: true
                    block:
                      - id: fails
                        command: "false"
                      - id: strict
                        ignore_errors: false
                        needs: fails
                        command: "false"
                    rescue:
                      - id: fix
                        command: "false"
                  - id: after
                    needs: fails
                    command: echo after
                """);
        Cli.Run r = Cli.inProcess("run", p, "-i", inv.toString());
        assertTrue(r.out().contains("changed  after[h1]"), "a tolerated failure lets dependents run: " + r.all());
        assertTrue(r.out().contains("ignored=2"), "fails and the rescue task inherit ignore_errors: " + r.all());
        assertTrue(r.out().contains("failed=1"), "strict sets its own ignore_errors: false: " + r.all());
        assertEquals(1, r.code(), r.all());
    }

    // ---- loops ----

    @Test
    void validate_loopOrWithItems_exit2SayingLoopsAreNotSupported() throws Exception {
        String p = plan("""
                tasks:
                  - id: a
                    debug: { msg: hi }
                    loop: [1, 2]
                  - id: b
                    with_items: [1, 2]
                    debug: { msg: hi }
                """);
        Cli.Run r = Cli.inProcess("validate", p, "-i", inv.toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.all());
        assertTrue(r.err().contains(p + ":6:5: error: 'loop': loops are not supported"), r.all());
        assertTrue(r.err().contains(p + ":8:5: error: 'with_items': loops are not supported"), r.all());
        assertTrue(r.err().contains("target them with 'hosts'"), r.all());
        assertFalse(r.err().contains("several module keys"), r.all());
    }

    // ---- null ----

    @Test
    void run_nullVariableIsFalseInWhenAndNoneInTemplates_validateAgrees() throws Exception {
        String p = plan("""
                vars:
                  x: ~
                tasks:
                  - id: skipped
                    when: x
                    debug: { msg: never }
                  - id: negated
                    when: not x
                    debug: { msg: "x={{ x }} {{ none }} {{ None }} {{ null }}" }
                  - id: typed
                    debug: { var: x }
                """);
        Cli.Run v = Cli.inProcess("validate", p, "-i", inv.toString());
        assertEquals(0, v.code(), v.all());
        Cli.Run r = Cli.inProcess("run", p, "-i", inv.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("skipped  skipped[h1]") && r.out().contains("condition false: x"), r.all());
        assertTrue(r.out().contains("ok       negated[h1] (") && r.out().contains("x=None None None None"), r.all());
        assertTrue(r.out().contains("ok       typed[h1]"), r.all());
    }

    // ---- boolean module arguments ----

    @Test
    void run_booleanArgumentAsNumberOneOrZero() throws Exception {
        String p = plan("""
                tasks:
                  - id: piped
                    command: { cmd: "echo a | tr a b", shell: 1 }
                  - id: literal
                    command: { cmd: "echo a | tr a b", shell: 0 }
                """);
        Cli.Run r = Cli.inProcess("run", p, "-i", inv.toString(), "-v");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("\"stdout\":\"b\""), "shell: 1 runs through the shell: " + r.all());
        assertTrue(r.out().contains("\"stdout\":\"a | tr a b\""), "shell: 0 does not: " + r.all());
        Cli.Run bad = Cli.inProcess("validate", plan("""
                tasks:
                  - id: a
                    command: { cmd: "true", shell: 2 }
                """), "-i", inv.toString());
        assertEquals(ExitCodes.INVALID_INPUT, bad.code(), bad.all());
        assertTrue(bad.err().contains("argument 'shell' must be a boolean (true/false), got '2'"), bad.all());
    }

    // ---- needs: [A[*]] ----

    @Test
    void validate_unquotedStarInNeeds_saysToQuoteIt() throws Exception {
        String p = plan("""
                tasks:
                  - id: a
                    command: "true"
                  - id: b
                    needs: [a[*]]
                    command: "true"
                """);
        Cli.Run r = Cli.inProcess("validate", p, "-i", inv.toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.all());
        assertTrue(r.err().contains(p + ":7:") && r.err().contains("YAML syntax error"), r.all());
        assertTrue(r.err().contains("quote a value that contains '*', e.g. needs: [\"A[*]\"]"), r.all());
        String quoted = plan("""
                tasks:
                  - id: a
                    command: "true"
                  - id: b
                    needs: ["a[*]"]
                    command: "true"
                """);
        assertEquals(0, Cli.inProcess("validate", quoted, "-i", inv.toString()).code());
    }

    // ---- -e and hostvars ----

    @Test
    void run_hostvarsIncludeExtraVars() throws Exception {
        String p = plan("""
                vars:
                  tag: from-plan
                tasks:
                  - id: show
                    debug: { msg: "h2 sees {{ hostvars['h2'].tag }}, {{ hostvars['h2'].only_e }}" }
                """);
        Cli.Run r = Cli.inProcess("run", p, "-i", inv.toString(), "-e", "tag=from-e only_e=set");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("h2 sees from-e, set"), r.all());
    }

    @Test
    void run_extraVarNamingAMagicVariable_exit2BeforeAnythingRuns() throws Exception {
        String p = plan("""
                tasks:
                  - id: show
                    debug: { msg: "{{ inventory_hostname }}" }
                """);
        Cli.Run r = Cli.inProcess("run", p, "-i", inv.toString(), "-e", "inventory_hostname=x");
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.all());
        assertTrue(r.err().contains("-e #1:1:1: error: 'inventory_hostname' is a magic variable that Ringplan sets for"
                + " each host: -e cannot set it"), r.all());
        assertFalse(r.out().contains("show[h1]"), r.all());
        assertEquals(ExitCodes.INVALID_INPUT, Cli.inProcess("validate", p, "-i", inv.toString(), "-e", "groups=x").code());
    }

    // ---- header ----

    @Test
    void runAndValidate_countTargetedHostsSingularForOne() throws Exception {
        String p = plan("""
                tasks:
                  - id: only
                    command: "true"
                """);
        Cli.Run r = Cli.inProcess("run", p, "-i", inv.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().lines().findFirst().orElse("").contains(", 1 node on 1 host, forks "), r.all());
        Cli.Run v = Cli.inProcess("validate", p, "-i", inv.toString());
        assertTrue(v.out().contains(": valid — 1 task, 1 node on 1 host"), v.all());
        String two = plan("""
                tasks:
                  - id: a
                    hosts: all
                    command: "true"
                  - id: b
                    command: "true"
                """);
        assertTrue(Cli.inProcess("validate", two, "-i", inv.toString()).out().contains(": valid — 2 tasks, 3 nodes on 2 hosts"));
    }

    // ---- check mode reading a prediction ----

    @Test
    void plan_readOnlyTaskReadingAPredictedResult_unknownNotFailed_runSucceeds() throws Exception {
        // 'out' is only a prediction in check mode (command did not run): its rc is null there.
        // The assert and the debug must not be decided on it, and until must not retry on it.
        String p = plan("""
                tasks:
                  - id: probe
                    command: echo hello
                    register: out
                    until: out.rc == 0
                    retries: 3
                    delay: 5
                  - id: check
                    needs: probe
                    assert: { that: ["out.rc == 0"] }
                  - id: show
                    needs: probe
                    debug: { msg: "rc={{ out.rc }}" }
                """);
        long t0 = System.nanoTime();
        Cli.Run plan = Cli.inProcess("plan", p, "-i", inv.toString());
        long planSeconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertEquals(0, plan.code(), plan.all());
        assertTrue(plan.out().contains("unknown  probe[h1]"), plan.all());
        assertTrue(plan.out().contains("unknown  check[h1]") && plan.out().contains("argument out.rc == 0 reads 'out',"
                + " registered by a task predicted to maybe change"), plan.all());
        assertTrue(plan.out().contains("unknown  show[h1]"), plan.all());
        assertTrue(planSeconds < 5, "until was retried on a prediction (delay 5 s): " + plan.all());
        Cli.Run run = Cli.inProcess("run", p, "-i", inv.toString());
        assertEquals(0, run.code(), run.all());
        assertTrue(run.out().contains("ok  check[h1]") || run.out().contains("ok       check[h1]"), run.all());
    }
}
