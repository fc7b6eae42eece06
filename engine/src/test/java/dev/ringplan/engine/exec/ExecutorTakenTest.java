package dev.ringplan.engine.exec;

import static dev.ringplan.engine.testing.Engine.options;
import static dev.ringplan.engine.testing.Engine.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.testing.Engine;
import dev.ringplan.engine.testing.FakeConnectionProvider;
import dev.ringplan.engine.testing.FakeModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Executor#run(CompiledPlan, RunOptions, RunListener, Cancellation, Map)}: nodes taken from
 * an earlier run (what {@code run --resume} passes) are not run, keep the result given, and their
 * registered data is what later tasks read.
 */
class ExecutorTakenTest {
    @Test
    void takenNodes_notRun_registeredDataRestored() throws Exception {
        FakeModule fake = FakeModule.named("fake");
        Engine engine = new Engine(fake);
        CompiledPlan plan = engine.compile("""
                hosts: cassandra
                tasks:
                  - id: first
                    fake: first
                    register: out
                  - id: second
                    needs: first
                    fake: "{{ out.journaled | default('ran') }}"
                """);
        TaskNode first = plan.nodes().stream().filter(n -> n.name().equals(TaskNode.nameOf("first", "h1"))).findFirst()
                .orElseThrow();
        NodeResult taken = new NodeResult(first, Status.CHANGED, "taken from run r0: done", null, List.of(),
                Map.of("journaled", "from-journal", "changed", true), false, 0);
        RunReport r = new Executor(Templater.shared(), new FakeConnectionProvider()).run(plan,
                options(false, 4, Path.of(".")), new RunListener() { }, new Cancellation(),
                Map.of(first.name(), taken));
        assertEquals(taken, result(r, "first", "h1"));
        List<FakeModule.Call> h1 = fake.applies().stream().filter(c -> c.host().equals("h1")).toList();
        assertEquals(List.of("from-journal"), h1.stream().map(FakeModule.Call::msg).toList(),
                "first[h1] not applied; second[h1] read its registered data from the given result");
        assertEquals(List.of("first", "ran"), fake.applies().stream().filter(c -> c.host().equals("h2"))
                .map(FakeModule.Call::msg).toList());
    }
}
