package dev.ringplan.engine.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.testing.Engine;
import dev.ringplan.engine.testing.FakeModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ResultFinisher}: changed_when, failed_when, ignore_errors and registration of a module's result. */
class ResultFinisherTest {
    private static final String PLAN = """
            hosts: h1
            tasks:
              - id: plain
                register: out
                fake: a
              - id: judged
                register: out
                changed_when: "result.rc == 2"
                failed_when: "result.rc > 2"
                ignore_errors: true
                fake: b
            """;

    private final CompiledPlan plan = new Engine(FakeModule.named("fake")).compile(PLAN);
    private final Variables variables = new Variables(plan, Engine.options(false, 1, Path.of(".")), Templater.shared());

    ResultFinisherTest() throws Exception {
    }

    private NodeResult finish(String task, Status moduleSaid, int rc, boolean checkMode) throws Exception {
        TaskNode node = plan.nodes().stream().filter(n -> n.task().id().equals(task)).findFirst().orElseThrow();
        ResultFinisher f = new ResultFinisher(new Conditions(Templater.shared()), variables, checkMode);
        NodeResult r = new NodeResult(node, moduleSaid, "said", null, List.of(), Map.of("rc", rc), false, 5);
        return f.finish(node, variables.forNode(node), r);
    }

    @Test
    void finish_withoutConditions_registersTheModulesResult() throws Exception {
        NodeResult r = finish("plain", Status.CHANGED, 0, false);
        assertEquals(Status.CHANGED, r.status());
        assertEquals(Map.of("rc", 0, "changed", true, "failed", false, "status", "changed", "msg", "said"), r.data());
        assertEquals(r.data(), variables.forHost("h1").get("out"));
    }

    @Test
    void finish_changedWhenThenFailedWhen_decideOverTheModule_ignoreErrorsTolerates() throws Exception {
        NodeResult ok = finish("judged", Status.CHANGED, 0, false);
        assertEquals(Status.OK, ok.status(), "changed_when is false");
        assertEquals(false, ok.data().get("failed_when_result"));

        NodeResult changed = finish("judged", Status.FAILED, 2, false);
        assertEquals(Status.CHANGED, changed.status(), "failed_when false turns a module failure into its changed_when");

        NodeResult failed = finish("judged", Status.OK, 3, false);
        assertEquals(Status.FAILED, failed.status());
        assertEquals("failed_when is true: result.rc > 2 (said)", failed.msg());
        assertTrue(failed.ignored());
    }

    @Test
    void finish_checkModePreview_changedWhenKnownOnlyAfterApply() throws Exception {
        TaskNode node = plan.nodes().get(1);
        ResultFinisher f = new ResultFinisher(new Conditions(Templater.shared()), variables, true);
        NodeResult preview = new NodeResult(node, Status.OK, "would do", null, List.of(), Map.of("would_change", "no"), false, 1);
        NodeResult r = f.finish(node, variables.forNode(node), preview);
        assertEquals(Status.UNKNOWN, r.status());
        assertEquals("changed_when decides after apply: would do", r.msg());
        assertFalse(r.data().containsKey("failed_when_result"), "failed_when has nothing to test in a preview");
    }
}
