package dev.ringplan.engine.exec;

import static dev.ringplan.engine.testing.Engine.options;
import static dev.ringplan.engine.testing.Engine.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.compile.CompileOptions;
import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.connection.UnreachableException;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.UpstreamChange;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.testing.Engine;
import dev.ringplan.engine.testing.FakeConnectionProvider;
import dev.ringplan.engine.testing.FakeModule;
import dev.ringplan.engine.testing.FakeModule.Call;
import dev.ringplan.engine.testing.RecordingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Executor}: scheduling, failure policy, check mode, conditions, registration, retries. */
class ExecutorTest {

    private static final Path WORK = Path.of(".");

    private static RunReport run(Engine engine, String plan, boolean check, int forks, FakeConnectionProvider conns,
                                 RunListener listener) throws Exception {
        return Engine.run(engine.compile(plan), options(check, forks, WORK), conns, listener);
    }

    private static RunReport run(Engine engine, String plan, boolean check, int forks) throws Exception {
        return run(engine, plan, check, forks, new FakeConnectionProvider(), new RunListener() { });
    }

    // ---- scheduling ----

    @Test
    void run_forks_boundConcurrencyAndAreReached() throws Exception {
        String plan = """
                hosts: all
                tasks:
                  - id: a
                    fake: a
                  - id: b
                    fake: b
                """;
        FakeModule three = FakeModule.builder("fake").applySleepMillis(40).build();
        RunReport r = run(new Engine(three), plan, false, 3);
        assertEquals(8, three.applies().size());
        assertEquals(3, three.maxConcurrentApplies());
        assertEquals(8, r.counts().get(Status.CHANGED));

        FakeModule one = FakeModule.builder("fake").applySleepMillis(5).build();
        run(new Engine(one), plan, false, 1);
        assertEquals(1, one.maxConcurrentApplies());
    }

    @Test
    void run_serialOneBlock_hostsDoNotOverlap() throws Exception {
        FakeModule fake = FakeModule.builder("fake").applySleepMillis(15).build();
        RunReport r = run(new Engine(fake), """
                hosts: cassandra
                tasks:
                  - id: rolling
                    serial: 1
                    block:
                      - id: stop
                        fake: stop
                      - id: start
                        needs: stop
                        fake: start
                """, false, 10);
        assertFalse(r.anyFailed());
        List<long[]> spans = new ArrayList<>();
        for (String h : List.of("h1", "h2", "h3")) {
            List<Call> calls = fake.calls().stream().filter(c -> c.host().equals(h)).toList();
            assertEquals(4, calls.size(), "check and apply of stop and start on " + h);
            spans.add(new long[] {calls.stream().mapToLong(Call::startNanos).min().orElseThrow(),
                    calls.stream().mapToLong(Call::endNanos).max().orElseThrow()});
        }
        for (int i = 1; i < spans.size(); i++) {
            assertTrue(spans.get(i)[0] >= spans.get(i - 1)[1], "host " + (i + 1) + " started before host " + i + " finished the block");
        }
        // Inside a host, start ran after stop.
        List<Call> h1 = fake.applies().stream().filter(c -> c.host().equals("h1")).toList();
        assertEquals(List.of("stop", "start"), h1.stream().map(Call::msg).toList());
    }

    // ---- rescue ----

    @Test
    void run_rescue_rollingBlock_putsTheFailedHostBack_andStopsTheRollout() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: cassandra
                tasks:
                  - id: rolling
                    serial: 1
                    block:
                      - id: stop
                        fake: stop
                      - id: work
                        needs: stop
                        fake: { msg: work, fail: "{{ inventory_hostname == 'h2' }}" }
                      - id: start
                        needs: work
                        fake: start
                    rescue:
                      - id: undo
                        fake: undo
                      - id: undo_start
                        needs: undo
                        fake: undo-start
                  - id: after
                    needs: rolling
                    fake: after
                """, false, 4);
        assertTrue(r.anyFailed(), "a rescued failure still fails the run");
        assertEquals(Status.SKIPPED, result(r, "undo", "h1").status());
        assertEquals("nothing to rescue: block 'rolling' completed on h1", result(r, "undo", "h1").msg());
        assertEquals(Status.CHANGED, result(r, "after", "h1").status());
        assertEquals(Status.FAILED, result(r, "work", "h2").status());
        assertEquals(Status.SKIPPED, result(r, "start", "h2").status());
        assertEquals(Status.CHANGED, result(r, "undo", "h2").status());
        assertEquals(Status.CHANGED, result(r, "undo_start", "h2").status());
        assertEquals(Status.SKIPPED, result(r, "after", "h2").status(), "what needs the block is still skipped");
        for (String t : List.of("stop", "undo", "after")) {
            assertEquals(Status.SKIPPED, result(r, t, "h3").status(), t + " on h3: the rollout stopped at h2");
        }
        List<String> h2 = fake.applies().stream().filter(c -> c.host().equals("h2")).map(Call::msg).toList();
        assertEquals(List.of("stop", "work", "undo", "undo-start"), h2);
        assertTrue(fake.applies().stream().noneMatch(c -> c.host().equals("h3")), "h3 untouched");
        assertEquals(Map.of("h2", 1), r.rescued(), "only h2's block was rescued");
    }

    @Test
    void run_rescue_thatFailsItself_isNotCountedAsRescued() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: cassandra
                tasks:
                  - id: b
                    block:
                      - id: work
                        fake: { msg: work, fail: "{{ inventory_hostname != 'h3' }}" }
                    rescue:
                      - id: undo
                        fake: undo
                      - id: undo_more
                        needs: undo
                        fake: { msg: more, fail: "{{ inventory_hostname == 'h2' }}" }
                """, false, 4);
        assertEquals(Status.FAILED, result(r, "undo_more", "h2").status());
        assertEquals(Status.SKIPPED, result(r, "undo", "h3").status(), "h3's block completed");
        assertEquals(Map.of("h1", 1), r.rescued(), "h2's rescue failed; h3 had nothing to rescue");
    }

    @Test
    void run_rescue_hostHeldAtABarrierByAnotherHostsFailure_isRescuedToo() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: cassandra
                tasks:
                  - id: pre
                    fake: { msg: pre, fail: "{{ inventory_hostname == 'h3' }}" }
                  - id: together
                    hosts: h1,h2
                    block:
                      - id: stop
                        fake: stop
                      - id: extract
                        needs: stop
                        fake: { msg: extract, fail: "{{ inventory_hostname == 'h2' }}" }
                      - id: start
                        needs: ["extract[*]"]
                        fake: start
                    rescue:
                      - id: undo
                        fake: undo
                      - id: undo_up
                        needs: undo
                        serial: 1
                        block:
                          - id: undo_start
                            fake: undo-start
                  - id: guarded
                    needs: pre
                    block:
                      - id: g
                        fake: g
                    rescue:
                      - id: g_undo
                        fake: g-undo
                """, false, 4);
        assertEquals(Status.SKIPPED, result(r, "start", "h1").status());
        assertEquals(Status.CHANGED, result(r, "undo", "h1").status(), "h1 was stopped and never started: rescued");
        assertEquals(Status.CHANGED, result(r, "undo", "h2").status());
        assertEquals(Status.SKIPPED, result(r, "g_undo", "h3").status(), "nothing ran on h3: nothing to rescue");
        assertEquals(Status.SKIPPED, result(r, "g_undo", "h1").status());
        assertTrue(fake.applies().stream().noneMatch(c -> c.msg().equals("g-undo")));
        assertEquals(Status.CHANGED, result(r, "undo_start", "h1").status());
        long h1Started = fake.applies().stream().filter(c -> c.host().equals("h1") && c.msg().equals("undo-start"))
                .findFirst().orElseThrow().endNanos();
        long h2Started = fake.applies().stream().filter(c -> c.host().equals("h2") && c.msg().equals("undo-start"))
                .findFirst().orElseThrow().startNanos();
        assertTrue(h2Started >= h1Started, "serial: 1 inside a rescue starts the hosts one at a time");
        assertEquals(Map.of("h1", 1, "h2", 1), r.rescued(), "one block rescued on each; the nested serial block counts once");
        assertEquals(List.of("stop", "extract", "undo", "undo-start"), fake.applies().stream()
                .filter(c -> c.host().equals("h2") && !c.msg().equals("g") && !c.msg().equals("pre")).map(Call::msg).toList());
    }

    // ---- failure policy ----

    @Test
    void run_failedNode_dependentsSkippedUpstreamFailed() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: cassandra
                tasks:
                  - id: a
                    fake: { msg: a, fail: "{{ inventory_hostname == 'h2' }}" }
                  - id: b
                    needs: a
                    fake: b
                  - id: c
                    hosts: h4
                    needs: b
                    fake: c
                """, false, 4);
        assertEquals(Status.FAILED, result(r, "a", "h2").status());
        assertEquals("told to fail", result(r, "a", "h2").msg());
        assertEquals(Status.CHANGED, result(r, "b", "h1").status());
        NodeResult b2 = result(r, "b", "h2");
        assertEquals(Status.SKIPPED, b2.status());
        assertEquals("upstream failed: a[h2]", b2.msg());
        assertEquals(Status.SKIPPED, result(r, "c", "h4").status(), "barrier behind a failed node");
        assertEquals("upstream failed: a[h2]", result(r, "c", "h4").msg());
        assertTrue(r.anyFailed());
        assertEquals(List.of("h1", "h3"), fake.applies("b").stream().map(Call::host).sorted().toList());
        assertEquals(List.of(), fake.applies("c"));
    }

    @Test
    void run_ignoreErrors_dependentsRun() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: h1
                tasks:
                  - id: a
                    ignore_errors: true
                    fake: { msg: a, fail: true }
                  - id: b
                    needs: a
                    fake: b
                """, false, 2);
        NodeResult a = result(r, "a", "h1");
        assertEquals(Status.FAILED, a.status());
        assertTrue(a.ignored());
        assertEquals(Status.CHANGED, result(r, "b", "h1").status());
        assertFalse(r.anyFailed());
        // As Ansible's RECAP: failed=0 ignored=1, so the exit code (0) agrees with the counts.
        assertEquals(0, r.counts().get(Status.FAILED));
        assertEquals(Map.of("h1", 1), r.ignored());
        assertEquals(0, r.countsByHost().get("h1").get(Status.FAILED));
        assertEquals(1, r.countsByHost().get("h1").get(Status.CHANGED));
    }

    @Test
    void counts_ignoredAndUnignoredFailures_failedCountsOnlyTheUnignored() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: h1:h2
                tasks:
                  - id: tolerated
                    ignore_errors: true
                    fake: { msg: a, fail: true }
                  - id: fatal
                    hosts: h2
                    fake: { msg: b, fail: true }
                """, false, 2);
        assertEquals(1, r.counts().get(Status.FAILED), "only the unignored failure counts as failed");
        assertEquals(Map.of("h1", 1, "h2", 1), r.ignored());
        assertEquals(0, r.countsByHost().get("h1").get(Status.FAILED));
        assertEquals(1, r.countsByHost().get("h2").get(Status.FAILED));
        assertTrue(r.anyFailed());
        int total = r.counts().values().stream().mapToInt(Integer::intValue).sum()
                + r.ignored().values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(r.results().size(), total, "every result is in exactly one RECAP column");
    }

    @Test
    void run_unreachableConnection_laterNodesOfHostUnreachable() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        FakeConnectionProvider conns = new FakeConnectionProvider().unreachable("h2");
        RunReport r = run(new Engine(fake), """
                hosts: cassandra
                tasks:
                  - id: a
                    fake: a
                  - id: b
                    needs: a
                    fake: b
                  - id: c
                    fake: c
                """, false, 1, conns, new RunListener() { });
        NodeResult a2 = result(r, "a", "h2");
        assertEquals(Status.UNREACHABLE, a2.status());
        assertEquals("h2: connection refused", a2.msg());
        assertEquals("upstream failed: a[h2]", result(r, "b", "h2").msg());
        NodeResult c2 = result(r, "c", "h2");
        assertEquals(Status.UNREACHABLE, c2.status());
        assertEquals("h2: connection refused", c2.msg());
        assertEquals(1, conns.opened().stream().filter("h2"::equals).count(), "an unreachable host is tried once");
        assertEquals(1, fake.calls().stream().filter(c -> c.host().equals("h2")).count(), "only a's check ran on h2");
        assertEquals(Status.CHANGED, result(r, "c", "h3").status());
        assertTrue(r.anyUnreachable());
        assertEquals(3, r.counts().get(Status.UNREACHABLE) + r.counts().get(Status.SKIPPED));
        assertEquals(List.of("h1", "h3"), conns.closed().stream().sorted().toList(), "connections are closed at the end");
    }

    @Test
    void run_moduleWrappingUnreachable_isUnreachable() throws Exception {
        FakeModule fake = FakeModule.builder("fake").check(ctx -> {
            if (ctx.host().equals("h3")) {
                throw new ModuleException("nodetool failed", new UnreachableException("h3: no route to host"));
            }
            return dev.ringplan.engine.module.Preview.willChange("x", List.of());
        }).build();
        RunReport r = run(new Engine(fake), """
                hosts: cassandra
                tasks:
                  - id: a
                    fake: a
                  - id: c
                    fake: c
                """, false, 1);
        assertEquals(Status.UNREACHABLE, result(r, "a", "h3").status());
        assertEquals("h3: no route to host", result(r, "a", "h3").msg());
        assertEquals(Status.UNREACHABLE, result(r, "c", "h3").status());
        assertEquals(1, fake.calls().stream().filter(c -> c.host().equals("h3")).count());
    }

    @Test
    void run_moduleException_failsWithItsMessage() throws Exception {
        FakeModule fake = FakeModule.builder("fake").apply(ctx -> {
            throw new ModuleException(ctx.host() + ": disk full");
        }).build();
        RunReport r = run(new Engine(fake), "hosts: h1\ntasks:\n  - id: a\n    fake: a\n", false, 1);
        assertEquals(Status.FAILED, result(r, "a", "h1").status());
        assertEquals("h1: disk full", result(r, "a", "h1").msg());
    }

    // ---- check mode and previews ----

    @Test
    void run_checkMode_appliesOnlyReadOnlyModules() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        FakeModule probe = FakeModule.builder("probe").readOnly(true).build();
        RunReport r = run(new Engine(fake, probe), """
                hosts: h1
                tasks:
                  - id: status
                    register: st
                    probe: status
                  - id: write
                    needs: status
                    fake: "{{ st.msg }}"
                  - id: same
                    fake: { msg: same, change: "no" }
                """, true, 2);
        assertEquals(List.of(), fake.applies(), "check mode never applies a changing module");
        assertEquals(2, fake.calls(FakeModule.Phase.CHECK).size());
        assertTrue(fake.calls().stream().allMatch(Call::checkMode));
        assertEquals(1, probe.applies().size(), "a read-only module runs in check mode");
        NodeResult w = result(r, "write", "h1");
        assertEquals(Status.CHANGED, w.status());
        assertEquals("would do did status", w.msg(), "the read-only apply result was registered and used");
        assertEquals("yes", w.data().get("would_change"));
        assertEquals(List.of("fake did status"), w.commands());
        assertEquals(Status.OK, result(r, "same", "h1").status());
        assertEquals("no", result(r, "same", "h1").data().get("would_change"));
    }

    @Test
    void run_checkMode_whenReadingAPredictedResult_isUnknown() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        FakeModule probe = FakeModule.builder("probe").readOnly(true).build();
        String plan = """
                hosts: h1
                tasks:
                  - id: change
                    register: out
                    fake: will-change
                  - id: follow
                    needs: change
                    when: not out.changed
                    fake: { msg: only-if-unchanged, change: "no" }
                  - id: look
                    register: st
                    probe: status
                  - id: decided
                    needs: look
                    when: st.msg == 'nothing'
                    fake: { msg: never, change: "no" }
                """;
        RunReport preview = run(new Engine(fake, probe), plan, true, 2);
        NodeResult follow = result(preview, "follow", "h1");
        // In check mode out.changed is a prediction; the run decides the condition on what
        // 'change' really did: skipped in the plan but run (and maybe changed) in the run would
        // break the preview's promise.
        assertEquals(Status.UNKNOWN, follow.status(), follow.msg());
        assertTrue(follow.msg().contains("reads 'out'") && follow.msg().contains("known after apply"), follow.msg());
        assertEquals(Status.SKIPPED, result(preview, "decided", "h1").status(),
                "a read-only probe really ran: its result decides the condition in check mode too");

        RunReport run = run(new Engine(FakeModule.named("fake"), FakeModule.builder("probe").readOnly(true).build()),
                plan, false, 2);
        assertEquals(Status.SKIPPED, result(run, "follow", "h1").status(), "the run decides on the real result");
    }

    @Test
    void run_checkMode_changedWhenOnAPreview_isUnknown() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: h1
                tasks:
                  - id: would_not
                    changed_when: "result.value == 3"
                    fake: { msg: x, value: 3, change: "no" }
                  - id: would
                    changed_when: false
                    fake: { msg: y }
                """, true, 2);
        // changed_when judges what the module did; in check mode it did nothing, so neither an
        // 'ok' (the run may change) nor a 'changed' (the run may say ok) is a promise.
        for (String id : List.of("would_not", "would")) {
            NodeResult n = result(r, id, "h1");
            assertEquals(Status.UNKNOWN, n.status(), id);
            assertTrue(n.msg().startsWith("changed_when decides after apply"), n.msg());
        }
        assertEquals(List.of(), fake.applies());
    }

    @Test
    void run_checkMode_unknownPreview_isUnknownNotChanged() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: h1
                tasks:
                  - id: cmd
                    fake: { msg: cmd, change: unknown }
                """, true, 2);
        NodeResult n = result(r, "cmd", "h1");
        assertEquals(Status.UNKNOWN, n.status(), "Terraform's known after apply, not changed");
        assertEquals("unknown", n.data().get("would_change"));
        assertFalse(n.changed());
        assertEquals(1, r.counts().get(Status.UNKNOWN));
        assertEquals(0, r.counts().get(Status.CHANGED));
        assertFalse(r.anyFailed(), "unknown never fails a run");
    }

    @Test
    void run_checkMode_okBelowPredictedChange_isUnknownWithReason() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: h1:h2
                tasks:
                  - id: snap
                    hosts: h1
                    fake: snap
                  - id: clear
                    needs: snap
                    fake: { msg: clear, change: "no" }
                  - id: gate
                    hosts: h1
                    needs: snap
                    when: false
                    fake: gate
                  - id: after_gate
                    hosts: h1
                    needs: gate
                    fake: { msg: after_gate, change: "no" }
                  - id: alone
                    fake: { msg: alone, change: "no" }
                """, true, 2);
        NodeResult clear = result(r, "clear", "h1");
        assertEquals(Status.UNKNOWN, clear.status(), "the check saw the host before snap[h1] would change it");
        assertEquals("after snap[h1] would change: would do clear", clear.msg());
        assertEquals("unknown", clear.data().get("would_change"));
        assertEquals(Status.UNKNOWN, result(r, "clear", "h2").status(), "a barrier on another host's change counts too");
        assertEquals(Status.SKIPPED, result(r, "gate", "h1").status());
        assertEquals("after snap[h1] would change: would do after_gate", result(r, "after_gate", "h1").msg(),
                "transitive: through a skipped node");
        assertEquals(Status.OK, result(r, "alone", "h1").status(), "nothing upstream: ok stays ok");
        assertEquals(Status.OK, result(r, "alone", "h2").status());

        FakeModule again = FakeModule.named("fake");
        RunReport run = run(new Engine(again), """
                hosts: h1
                tasks:
                  - id: snap
                    fake: snap
                  - id: clear
                    needs: snap
                    fake: { msg: clear, change: "no" }
                """, false, 2);
        assertEquals(Status.OK, result(run, "clear", "h1").status(), "outside check mode nothing is predicted");
    }

    @Test
    void run_checkMode_moduleSeesUpstreamChanges_andMayKeepItsAnswer() throws Exception {
        List<List<UpstreamChange>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        FakeModule fake = FakeModule.named("fake");
        FakeModule aware = FakeModule.builder("aware").check(ctx -> {
            seen.add(ctx.upstreamChanges());
            return Preview.noChange("waits only").consideringUpstream();
        }).build();
        RunReport r = run(new Engine(fake, aware), """
                hosts: h1
                tasks:
                  - id: first
                    fake: { msg: first, value: 7 }
                  - id: maybe
                    needs: first
                    fake: { msg: maybe, change: unknown }
                  - id: same
                    needs: maybe
                    fake: { msg: same, change: "no" }
                  - id: wait
                    needs: same
                    aware: w
                """, true, 2);
        assertEquals(Status.OK, result(r, "wait", "h1").status(), "a preview that considers upstream keeps its ok");
        assertEquals(Status.UNKNOWN, result(r, "same", "h1").status());
        assertEquals("after maybe[h1], first[h1] would change: would do same", result(r, "same", "h1").msg(),
                "nearest first");
        assertEquals(1, seen.size());
        List<UpstreamChange> ups = seen.get(0);
        assertEquals(List.of("same[h1]", "maybe[h1]", "first[h1]"), ups.stream().map(UpstreamChange::node).toList(),
                "nearest first, an ok made unknown included");
        UpstreamChange first = ups.get(2);
        assertEquals("first", first.task());
        assertEquals("h1", first.host());
        assertEquals("fake", first.module());
        assertEquals(7, first.args().get("value"));
        assertEquals(Preview.Change.YES, first.change());
        assertEquals("would do first", first.summary());
        assertEquals(Preview.Change.UNKNOWN, ups.get(1).change());

        seen.clear();
        run(new Engine(FakeModule.named("fake"), aware), """
                hosts: h1
                tasks:
                  - id: first
                    fake: first
                  - id: wait
                    needs: first
                    aware: w
                """, false, 2);
        assertEquals(List.of(List.of()), seen, "outside check mode a module is told of no upstream change");
    }

    @Test
    void run_checkMode_unknownWithUntil_isNotRetried() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: h1
                tasks:
                  - id: poll
                    register: res
                    retries: 3
                    delay: 1
                    until: res.changed
                    fake: { msg: poll, change: unknown }
                """, true, 2);
        NodeResult n = result(r, "poll", "h1");
        assertEquals(Status.UNKNOWN, n.status(), n.msg());
        assertEquals(1, fake.calls(FakeModule.Phase.CHECK).size(), "no retry on a result that is not known yet");
    }

    @Test
    void run_previewNo_okWithoutApply() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: h1:h2
                tasks:
                  - id: a
                    fake: { msg: a, change: "no" }
                """, false, 2);
        assertEquals(List.of(), fake.applies());
        assertEquals(Status.OK, result(r, "a", "h1").status());
        assertEquals("would do a", result(r, "a", "h1").msg());
        assertEquals("h1", result(r, "a", "h1").data().get("observed"));
    }

    // ---- conditions, registration, changed_when, retries ----

    @Test
    void run_whenFalse_skippedAndDependentsRun() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: cassandra
                tasks:
                  - id: a
                    when: dc == 'dc2'
                    fake: a
                  - id: b
                    needs: a
                    fake: b
                """, false, 3);
        assertEquals(Status.SKIPPED, result(r, "a", "h1").status());
        assertEquals("condition false: dc == 'dc2'", result(r, "a", "h1").msg());
        assertEquals(Status.CHANGED, result(r, "a", "h3").status());
        assertEquals(List.of("h3"), fake.applies("a").stream().map(Call::host).toList());
        assertEquals(3, fake.applies("b").size());
    }

    @Test
    void run_whenFalseWithRegister_registersSkippedResult() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: h1
                tasks:
                  - id: a
                    when: false
                    register: out
                    fake: a
                  - id: b
                    needs: a
                    when: not out.skipped
                    fake: b
                  - id: c
                    needs: a
                    fake: "{{ out.skipped }} {{ out.changed }} {{ out.status }}"
                """, false, 1);
        assertEquals(Status.SKIPPED, result(r, "a", "h1").status());
        assertEquals(Status.SKIPPED, result(r, "b", "h1").status());
        assertEquals(Status.CHANGED, result(r, "c", "h1").status(), result(r, "c", "h1").msg());
        assertEquals(List.of("True False skipped"), fake.applies().stream().map(Call::msg).toList());
    }

    @Test
    void run_blockWhen_appliesToItsTasks() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: cassandra
                tasks:
                  - id: grp
                    when: dc == 'dc1'
                    block:
                      - id: a
                        fake: a
                """, false, 3);
        assertEquals(Status.SKIPPED, result(r, "a", "h3").status());
        assertEquals(List.of("h1", "h2"), fake.applies("a").stream().map(Call::host).sorted().toList());
    }

    @Test
    void run_register_visibleToLaterTasksAndThroughHostvars() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: h1:h2
                tasks:
                  - id: a
                    register: out
                    fake: { msg: a, value: "v-{{ inventory_hostname }}" }
                  - id: b
                    needs: a
                    fake: "{{ out.value }} {{ out.changed }} {{ out.status }}"
                  - id: c
                    hosts: h2
                    needs: a
                    fake: "{{ hostvars['h1'].out.value }}"
                """, false, 2);
        assertFalse(r.anyFailed(), r.results().toString());
        assertEquals(List.of("v-h1 True changed", "v-h2 True changed"),
                fake.applies().stream().filter(c -> c.msg().startsWith("v-h") && c.msg().contains(" "))
                        .map(Call::msg).sorted().toList());
        assertEquals(List.of("v-h1"), fake.applies().stream().filter(c -> c.host().equals("h2") && c.msg().equals("v-h1"))
                .map(Call::msg).toList());
        assertEquals("v-h2", result(r, "a", "h2").data().get("value"));
    }

    @Test
    void run_changedWhen_overridesStatus() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: h1
                tasks:
                  - id: never
                    changed_when: false
                    register: n
                    fake: never
                  - id: byresult
                    changed_when: "result.value == 3"
                    fake: { msg: x, value: 3 }
                  - id: seen
                    needs: never
                    fake: "{{ n.changed }}"
                """, false, 1);
        assertEquals(Status.OK, result(r, "never", "h1").status());
        assertEquals(false, result(r, "never", "h1").data().get("changed"));
        assertEquals(Status.CHANGED, result(r, "byresult", "h1").status());
        assertEquals(List.of("false"), fake.applies().stream().filter(c -> c.msg().equals("false")).map(Call::msg).toList(),
                "the registered value carries the overridden 'changed'");
    }

    @Test
    void run_failedWhen_overridesTheModulesFailedBothWays() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: h1
                tasks:
                  - id: toobig
                    register: out
                    failed_when: out.value > 2
                    fake: { msg: x, value: 3 }
                  - id: tolerated
                    failed_when: "'told' not in result.msg"
                    fake: { msg: y, fail: true }
                  - id: listform
                    failed_when: [result.value == 1, result.changed]
                    changed_when: false
                    fake: { msg: z, value: 1 }
                  - id: after
                    needs: tolerated
                    fake: after
                """, false, 1);
        NodeResult big = result(r, "toobig", "h1");
        assertEquals(Status.FAILED, big.status());
        assertTrue(big.msg().startsWith("failed_when is true: out.value > 2"), big.msg());
        assertEquals(true, big.data().get("failed_when_result"));
        assertEquals(true, big.data().get("failed"));
        NodeResult tolerated = result(r, "tolerated", "h1");
        assertEquals(Status.OK, tolerated.status(), "a module failure failed_when finds false is ok");
        assertEquals(false, tolerated.data().get("failed"));
        assertEquals(Status.OK, result(r, "listform", "h1").status(),
                "changed_when runs first: failed_when sees changed=false");
        assertEquals(Status.CHANGED, result(r, "after", "h1").status());
    }

    @Test
    void run_failedWhen_checkModePreviewIsNotJudged() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: h1
                tasks:
                  - id: a
                    failed_when: result.rc != 0
                    fake: a
                """, true, 1);
        assertEquals(Status.CHANGED, result(r, "a", "h1").status());
    }

    @Test
    void run_retriesUntil_repeatsUntilConditionHolds() throws Exception {
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        FakeModule fake = FakeModule.builder("fake").apply(ctx -> {
            int n = attempts.computeIfAbsent(ctx.args().str("msg") + ctx.host(), k -> new AtomicInteger()).incrementAndGet();
            if (ctx.args().str("msg").equals("flaky") && n == 1) {
                return Result.failed("first try fails");
            }
            return Result.changed("attempt " + n).withData(Map.of("n", n));
        }).build();
        RecordingListener events = new RecordingListener();
        RunReport r = run(new Engine(fake), """
                hosts: h1
                tasks:
                  - id: wait
                    retries: 5
                    delay: 0
                    until: result.n >= 3
                    fake: wait
                  - id: never
                    retries: 1
                    delay: 0
                    until: result.n > 10
                    fake: never
                  - id: flaky
                    retries: 2
                    delay: 0
                    fake: flaky
                  - id: noretry
                    fake: { msg: noretry, fail: true }
                  - id: untilfailed
                    retries: 3
                    delay: 0
                    until: not result.failed and result.status == 'changed'
                    fake: untilfailed
                """, false, 1, new FakeConnectionProvider(), events);
        assertEquals(Status.CHANGED, result(r, "wait", "h1").status());
        assertEquals(3, attempts.get("waith1").get());
        NodeResult never = result(r, "never", "h1");
        assertEquals(Status.FAILED, never.status());
        assertEquals("'until' condition still false after 2 attempts: result.n > 10", never.msg());
        assertEquals(2, attempts.get("neverh1").get());
        assertEquals(Status.CHANGED, result(r, "flaky", "h1").status());
        assertEquals(2, attempts.get("flakyh1").get());
        assertEquals(1, fake.applies("noretry").size());
        assertEquals(Status.CHANGED, result(r, "untilfailed", "h1").status(), result(r, "untilfailed", "h1").msg());
        assertEquals(1, fake.applies("untilfailed").size(), "'until' sees changed/failed/status like a registered result");
        assertTrue(events.events().contains("log wait[h1] retrying (1/5) in 0 s"), events.events().toString());
    }

    @Test
    void run_templateError_failsTheNode() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: h1
                tasks:
                  - id: a
                    fake: "{{ 'not json' | from_json }}"
                """, false, 1);
        assertEquals(Status.FAILED, result(r, "a", "h1").status());
        assertTrue(result(r, "a", "h1").msg().startsWith("template error: "), result(r, "a", "h1").msg());
        assertTrue(result(r, "a", "h1").msg().endsWith("(task 'a' at plan.yaml:3:5)"), result(r, "a", "h1").msg());
        assertEquals(List.of(), fake.calls());
    }

    @Test
    void run_variableReferringToUndefined_failsTheNodeNamingItNeverPassesTheLiteral() throws Exception {
        // Reached through hostvars, which the compiler does not follow: the run itself is strict.
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: h1
                vars:
                  new_name: "{{ target_cluster }}"
                tasks:
                  - id: a
                    fake: "echo {{ hostvars[inventory_hostname].new_name }}"
                """, false, 1);
        NodeResult a = result(r, "a", "h1");
        assertEquals(Status.FAILED, a.status());
        assertTrue(a.msg().startsWith("template error: 'target_cluster' is undefined in \"{{ target_cluster }}\""
                + " (plan variable 'new_name' at plan.yaml:3:13)"), a.msg());
        assertEquals(List.of(), fake.calls(), "no module ran with a literal '{{'");
    }

    @Test
    void run_moduleReadingABrokenHostVariable_failsAsATemplateError() throws Exception {
        FakeModule fake = FakeModule.builder("fake").check(ctx -> {
            ctx.hostVar("cassandra_yaml");
            return null;
        }).build();
        CompiledPlan cp = new Engine(fake).compile("""
                hosts: h1
                vars:
                  unused_by_templates: "{{ nope }}"
                tasks:
                  - id: a
                    fake: x
                """);
        Map<String, Object> defaults = Map.of("cassandra_yaml", "{{ conf_dir }}/cassandra.yaml");
        CompiledPlan withDefaults = new CompiledPlan(cp.plan(), cp.inventory(), cp.graph(), cp.nodes(), cp.extraVars(), defaults,
                cp.serials());
        RunReport r = Engine.run(withDefaults, options(false, 1, WORK), new FakeConnectionProvider(), new RunListener() { });
        NodeResult a = result(r, "a", "h1");
        assertEquals(Status.FAILED, a.status());
        assertTrue(a.msg().startsWith("template error: 'conf_dir' is undefined"), a.msg());
    }

    @Test
    void run_conditions_useTheOneTruthinessRule() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(new Engine(fake), """
                hosts: h1
                vars: { off: "no", on: "Yes", odd: "maybe" }
                tasks:
                  - id: skipped
                    when: "off"
                    fake: skipped
                  - id: runs
                    when: "on"
                    fake: runs
                  - id: same_as_bool
                    when: off | bool == false
                    changed_when: "'no'"
                    fake: same_as_bool
                  - id: refused
                    when: odd
                    fake: refused
                """, false, 1);
        assertEquals(Status.SKIPPED, result(r, "skipped", "h1").status());
        assertEquals(Status.CHANGED, result(r, "runs", "h1").status());
        assertEquals(Status.OK, result(r, "same_as_bool", "h1").status(), "changed_when: 'no' is false");
        NodeResult refused = result(r, "refused", "h1");
        assertEquals(Status.FAILED, refused.status());
        assertTrue(refused.msg().contains("when: condition \"odd\" is neither true nor false: 'maybe' is not a boolean"),
                refused.msg());
        assertEquals(List.of(), fake.applies("refused"));
    }

    // ---- variables ----

    @Test
    void run_variablePrecedence_extraOverPlanOverInventory() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        CompiledPlan cp = new Engine(fake).compile("""
                hosts: h1
                vars: { x: plan, y: plan }
                tasks:
                  - id: a
                    fake: "{{ x }}/{{ y }}/{{ z }}"
                  - id: b
                    vars: { x: task, y: task }
                    fake: "{{ x }}/{{ y }}/{{ z }}"
                """, """
                all:
                  vars: { x: group, y: group, z: group }
                  hosts:
                    h1: { z: host }
                """, new CompileOptions(Map.of("y", "extra"), null, List.of()));
        Engine.run(cp, options(false, 1, WORK), new FakeConnectionProvider(), new RunListener() { });
        assertEquals(List.of("plan/extra/host", "task/extra/host"), fake.applies().stream().map(Call::msg).sorted().toList());
    }

    @Test
    void run_templatedVariableValues_resolvedAgainstInventory() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        CompiledPlan cp = new Engine(fake).compile("""
                hosts: h1
                vars:
                  url: "{{ base }}/{{ inventory_hostname }}/{{ tag }}"
                  ports: "{{ [port, port + 1] }}"
                tasks:
                  - id: a
                    vars: { full: "{{ url }}.tar" }
                    fake: { msg: "{{ full }}", value: "{{ ports }}" }
                """, """
                all:
                  hosts:
                    h1: { base: /backups, port: 7000 }
                """, new CompileOptions(Map.of("tag", "nightly"), null, List.of()));
        Engine.run(cp, options(false, 1, WORK), new FakeConnectionProvider(), new RunListener() { });
        Call c = fake.applies().get(0);
        assertEquals("/backups/h1/nightly.tar", c.msg());
        assertEquals(List.of(7000L, 7001L).toString(), String.valueOf(c.args().get("value")).replace("L", ""));
        assertEquals("/backups/h1/nightly", c.hostVars().get("url"), "module sees rendered host variables");
    }

    @Test
    void run_runAndPlanFacts_available() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        run(new Engine(fake), """
                hosts: h1
                tasks:
                  - id: a
                    fake: "{{ run.timestamp }} {{ run.id }} {{ run.started }} {{ plan.commit }} {{ group_names | join(',') }} {{ inventory_hostname_short }}"
                """, false, 1);
        assertEquals("20240506T070809Z r1 2024-05-06T07:08:09Z abc123 cassandra h1", fake.applies().get(0).msg());
    }

    // ---- events ----

    @Test
    void run_listenerEvents_startBeforeFinishAndRunFinishedLast() throws Exception {
        FakeModule fake = FakeModule.builder("fake").applySleepMillis(2).build();
        RecordingListener events = new RecordingListener();
        RunReport r = run(new Engine(fake), """
                hosts: cassandra
                tasks:
                  - id: a
                    fake: { msg: a, fail: "{{ inventory_hostname == 'h1' }}" }
                  - id: b
                    needs: a
                    fake: b
                """, false, 3, new FakeConnectionProvider(), events);
        List<String> ev = events.events();
        assertEquals("runStarted", ev.get(0));
        assertEquals("runFinished", ev.get(ev.size() - 1));
        for (NodeResult res : r.results()) {
            String name = res.node().name();
            int fin = ev.indexOf("finished " + name + " " + res.status().label());
            assertTrue(fin > 0, name + " finished: " + ev);
            int st = ev.indexOf("started " + name);
            if (name.equals("b[h1]")) {
                assertEquals(-1, st, "a node skipped for an upstream failure never starts");
            } else {
                assertTrue(st > 0 && st < fin, name + ": " + ev);
            }
        }
        assertEquals(6, ev.stream().filter(e -> e.startsWith("finished ")).count());
        assertEquals(6, r.results().size());
        assertEquals(List.of("a[h1]", "a[h2]", "a[h3]", "b[h1]", "b[h2]", "b[h3]"),
                r.results().stream().map(x -> x.node().name()).toList(), "report in plan order");
    }
}
