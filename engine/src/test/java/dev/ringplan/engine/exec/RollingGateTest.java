package dev.ringplan.engine.exec;

import dev.ringplan.engine.compile.CompileOptions;
import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.rolling.Ring;
import dev.ringplan.engine.rolling.RingNode;
import dev.ringplan.engine.rolling.RingReader;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.testing.Engine;
import dev.ringplan.engine.testing.FakeConnectionProvider;
import dev.ringplan.engine.testing.FakeModule;
import dev.ringplan.engine.testing.FakeModule.Call;
import dev.ringplan.engine.testing.RecordingListener;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The executor's rolling gate with a synthetic ring: batches, the down-node guard, max_fail_percentage. */
class RollingGateTest {
    private static final String INVENTORY = """
            all:
              children:
                cassandra:
                  hosts:
                    n1: {listen_address: 10.0.0.1}
                    n2: {listen_address: 10.0.0.2}
                    n3: {listen_address: 10.0.0.3}
                    n4: {listen_address: 10.0.0.4}
            """;

    /** Four single-token nodes (n1..n4 in token order), keyspace ks RF 2: n1 and n3 share nothing. */
    private static RingReader ring(AtomicInteger reads, String... down) {
        return (hosts, workDir) -> {
            reads.incrementAndGet();
            List<RingNode> nodes = new ArrayList<>();
            Map<String, String> hostAddress = new HashMap<>();
            for (int n = 1; n <= 4; n++) {
                String a = "10.0.0." + n;
                nodes.add(new RingNode(a, a, "dc1", "rack1", !List.of(down).contains(a), List.of(BigInteger.valueOf(n * 100L))));
            }
            for (RingReader.Host h : hosts) {
                hostAddress.put(h.name(), String.valueOf(h.vars().get("listen_address")));
            }
            return new Ring(nodes, Map.of("ks", Map.of("class", "SimpleStrategy", "replication_factor", "2")), hostAddress,
                    "a test ring");
        };
    }

    private static RunReport run(FakeModule fake, String plan, RingReader reader, RecordingListener rec, boolean check)
            throws Exception {
        CompiledPlan cp = new Engine(fake).compile(plan, INVENTORY, CompileOptions.defaults());
        return new Executor(Templater.shared(), new FakeConnectionProvider(), reader)
                .run(cp, Engine.options(check, 10, Path.of(".")), rec);
    }

    private static long[] span(FakeModule fake, String host) {
        List<Call> calls = fake.calls().stream().filter(c -> c.host().equals(host)).toList();
        return new long[] {calls.stream().mapToLong(Call::startNanos).min().orElseThrow(),
                calls.stream().mapToLong(Call::endNanos).max().orElseThrow()};
    }

    private static boolean overlap(long[] a, long[] b) {
        return a[0] < b[1] && b[0] < a[1];
    }

    private static final String ROLLING = """
            hosts: cassandra
            tasks:
              - id: rolling
                serial: topology
                block:
                  - id: stop
                    fake: stop
                  - id: start
                    needs: stop
                    fake: start
            """;

    @Test
    void topology_neighboursNeverOverlap_nonNeighboursRunTogether() throws Exception {
        FakeModule fake = FakeModule.builder("fake").applySleepMillis(40).build();
        RecordingListener rec = new RecordingListener();
        AtomicInteger reads = new AtomicInteger();
        RunReport r = run(fake, ROLLING, ring(reads), rec, false);
        assertFalse(r.anyFailed(), r.results().toString());
        assertEquals(1, reads.get(), "the ring is read once, when the block starts");
        assertTrue(rec.events().stream().anyMatch(e -> e.contains("serial: topology (keyspaces ks): 2 batches from the"
                + " ring read from a test ring: [n1, n3] [n2, n4]")), rec.events().toString());
        for (String[] pair : new String[][] {{"n1", "n2"}, {"n2", "n3"}, {"n3", "n4"}, {"n4", "n1"}}) {
            assertFalse(overlap(span(fake, pair[0]), span(fake, pair[1])), pair[0] + " and " + pair[1] + " share a range");
        }
        assertTrue(overlap(span(fake, "n1"), span(fake, "n3")), "n1 and n3 run in one batch");
    }

    @Test
    void checkMode_saysTheBatchesAreDecidedAtRunTime() throws Exception {
        RecordingListener rec = new RecordingListener();
        run(FakeModule.named("fake"), ROLLING, ring(new AtomicInteger()), rec, true);
        assertTrue(rec.events().stream().anyMatch(e -> e.contains("[n1, n3] [n2, n4]; decided again at run time")),
                rec.events().toString());
    }

    @Test
    void aNodeDown_refusesTheBlock_namingIt_unlessIgnored() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        RunReport r = run(fake, ROLLING, ring(new AtomicInteger(), "10.0.0.3"), new RecordingListener(), false);
        assertTrue(fake.applies().isEmpty(), "nothing ran");
        NodeResult stop = Engine.result(r, "stop", "n1");
        assertEquals(Status.FAILED, stop.status());
        assertTrue(stop.msg().contains("refuses to start: a node is down in the ring read from a test ring: "
                + "10.0.0.3 (n3) in dc1/rack1; bring it up, or set ignore_down_nodes: true"), stop.msg());
        assertEquals(Status.SKIPPED, Engine.result(r, "start", "n1").status());

        FakeModule fake2 = FakeModule.named("fake");
        RunReport ignored = run(fake2, ROLLING.replace("serial: topology", "serial: topology\n    ignore_down_nodes: true"),
                ring(new AtomicInteger(), "10.0.0.3"), new RecordingListener(), false);
        assertFalse(ignored.anyFailed());
        assertEquals(8, fake2.applies().size());
    }

    @Test
    void hostNotInTheRing_refusesTheBlock() throws Exception {
        RingReader partial = (hosts, wd) -> {
            Ring full = ring(new AtomicInteger()).read(hosts, wd);
            Map<String, String> ha = new HashMap<>(full.hostAddress());
            ha.remove("n4");
            return new Ring(full.nodes(), full.replication(), ha, full.source());
        };
        RunReport r = run(FakeModule.named("fake"), ROLLING, partial, new RecordingListener(), false);
        assertTrue(Engine.result(r, "stop", "n2").msg().contains("host n4 is not in the ring read from a test ring"),
                Engine.result(r, "stop", "n2").msg());
    }

    private static String failingOnN1(String maxFail) {
        return """
                hosts: cassandra
                tasks:
                  - id: rolling
                    serial: 2
                    max_fail_percentage: %s
                    block:
                      - id: work
                        fake: work
                """.formatted(maxFail);
    }

    private static FakeModule failN1() {
        return FakeModule.builder("fake").apply(ctx -> ctx.host().equals("n1") ? Result.failed("boom")
                : Result.changed("done")).build();
    }

    @Test
    void maxFailPercentage_exceededStrictly_abortsTheRest_asAnsible() throws Exception {
        // batch [n1, n2]: 1 of 2 failed = 50 %, more than 49: the rest of the block is not run
        FakeModule fake = failN1();
        RunReport r = run(fake, failingOnN1("49"), RingReader.NONE, new RecordingListener(), false);
        assertEquals(Status.FAILED, Engine.result(r, "work", "n1").status());
        NodeResult n3 = Engine.result(r, "work", "n3");
        assertEquals(Status.SKIPPED, n3.status());
        assertTrue(n3.msg().contains("max_fail_percentage 49 exceeded in batch 1 of 2 [n1, n2]: 1 of 2 hosts failed (n1)"),
                n3.msg());
        assertEquals(Status.SKIPPED, Engine.result(r, "work", "n4").status());
        assertTrue(fake.applies().stream().noneMatch(c -> c.host().equals("n3") || c.host().equals("n4")));
    }

    @Test
    void maxFailPercentage_equaledIsNotExceeded_laterBatchesRun() throws Exception {
        FakeModule fake = failN1();
        RunReport r = run(fake, failingOnN1("50"), RingReader.NONE, new RecordingListener(), false);
        assertEquals(Status.FAILED, Engine.result(r, "work", "n1").status());
        assertEquals(Status.CHANGED, Engine.result(r, "work", "n3").status());
        assertEquals(Status.CHANGED, Engine.result(r, "work", "n4").status());
    }

    @Test
    void maxFailPercentage_zero_anyFailureAborts_evenWithoutSerial() throws Exception {
        FakeModule fake = FakeModule.builder("fake").apply(ctx -> {
            if (ctx.host().equals("n1")) {
                return Result.failed("boom");
            }
            try {
                Thread.sleep(300); // n1 fails while the others still run 'first'
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Result.changed("done");
        }).build();
        String plan = """
                hosts: cassandra
                tasks:
                  - id: rolling
                    max_fail_percentage: 0
                    block:
                      - id: first
                        fake: first
                      - id: second
                        needs: first
                        fake: second
                """;
        RunReport r = run(fake, plan, RingReader.NONE, new RecordingListener(), false);
        // one batch of all four hosts: n1's failure aborts what has not started yet
        assertEquals(Status.FAILED, Engine.result(r, "first", "n1").status());
        assertEquals(0, fake.applies().stream().filter(c -> c.msg().equals("second")).count(),
                "the block is aborted once n1 failed: 'second' starts nowhere");
        NodeResult second = Engine.result(r, "second", "n2");
        assertEquals(Status.SKIPPED, second.status());
        assertTrue(second.msg().contains("max_fail_percentage 0 exceeded in batch 1 of 1 [n1, n2, n3, n4]: 1 of 4"
                + " hosts failed (n1)"), second.msg());
    }
}
