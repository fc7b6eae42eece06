package dev.ringplan.engine.exec;

import static dev.ringplan.engine.testing.Engine.options;
import static dev.ringplan.engine.testing.Engine.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.ReturnSpec;
import dev.ringplan.engine.testing.Engine;
import dev.ringplan.engine.testing.FakeConnectionProvider;
import dev.ringplan.engine.testing.FakeModule;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The executor checks every registered module result against the module's {@link ReturnSpec}:
 * apply's data in a run, the preview's data in check mode (and in a run when nothing needs
 * doing); a mismatch fails the node as a module bug.
 */
class ReturnSpecExecutorTest {
    private static final ReturnSpec DECLARED = ReturnSpec.builder()
            .key(ReturnSpec.key("path", ReturnSpec.Type.STR, "the path"))
            .key(ReturnSpec.key("bytes", ReturnSpec.Type.INT, "its size"))
            .build();
    private static final String PLAN = """
            hosts: h1
            tasks:
              - id: t
                fake: t
                register: out
            """;

    private static RunReport run(FakeModule m, boolean check) throws Exception {
        return Engine.run(new Engine(m).compile(PLAN), options(check, 1, Path.of(".")), new FakeConnectionProvider(),
                new RunListener() { });
    }

    private static Map<String, Object> data(Object... kv) {
        Map<String, Object> d = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            d.put((String) kv[i], kv[i + 1]);
        }
        return d;
    }

    @Test
    void run_declaredData_registered() throws Exception {
        FakeModule m = FakeModule.builder("fake").returns(DECLARED)
                .check(ctx -> Preview.willChange("would", List.of()).withData(data("path", "/p", "bytes", null)))
                .apply(ctx -> Result.changed("did").withData(data("path", "/p", "bytes", 3L)))
                .build();
        NodeResult r = result(run(m, false), "t", "h1");
        assertEquals(Status.CHANGED, r.status(), r.msg());
        assertEquals(3L, r.data().get("bytes"));
        NodeResult c = result(run(m, true), "t", "h1");
        assertEquals(Status.CHANGED, c.status(), c.msg());
        assertEquals(null, c.data().get("bytes"), "known after apply");
    }

    @Test
    void run_undeclaredKeyFromApply_failsAsAModuleBug() throws Exception {
        FakeModule m = FakeModule.builder("fake").returns(DECLARED)
                .apply(ctx -> Result.changed("did").withData(data("path", "/p", "bytes", 3L, "extra", 1)))
                .build();
        NodeResult r = result(run(m, false), "t", "h1");
        assertEquals(Status.FAILED, r.status());
        assertEquals("module fake broke its declared return values (a bug in the module, not in the plan):"
                + " registers 'extra', which it does not declare", r.msg());
    }

    @Test
    void checkMode_previewMissingARunKey_failsAsAModuleBug() throws Exception {
        FakeModule m = FakeModule.builder("fake").returns(DECLARED)
                .check(ctx -> Preview.willChange("would", List.of()).withData(data("path", "/p")))
                .build();
        NodeResult r = result(run(m, true), "t", "h1");
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.msg().endsWith("does not register 'bytes', declared present in every result"), r.msg());
    }

    @Test
    void run_nothingToDo_registersThePreview_checkedToo() throws Exception {
        FakeModule m = FakeModule.builder("fake").returns(DECLARED)
                .check(ctx -> Preview.noChange("done already").withData(data("path", "/p", "bytes", "3")))
                .build();
        NodeResult r = result(run(m, false), "t", "h1");
        assertEquals(Status.FAILED, r.status());
        assertTrue(r.msg().endsWith("registers 'bytes' as String, declared int"), r.msg());
    }
}
