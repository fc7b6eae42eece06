package dev.ringplan.modules.assertion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Result;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link AssertModule}: that, fail_msg/msg, success_msg, quiet, as Ansible's assert. */
class AssertModuleTest {
    private final AssertModule module = new AssertModule();
    private static final Map<String, Object> VARS = Map.of("nodes", List.of("a", "b"), "dc", "dc1");

    private ModuleContext ctx(Map<String, Object> args) throws ModuleException {
        return new ModuleContext("h1", module.argSpec().validate("assert", args), VARS,
                () -> {
                    throw new ConnectionException("assert must not connect");
                }, false, false, new ModuleContext.RunInfo("r", Path.of("."), Path.of(".ringplan")), null, l -> { });
    }

    @Test
    void apply_allTrue_okWithSuccessMsg() throws Exception {
        Result r = module.apply(ctx(Map.of("that", List.of("nodes | length == 2", "dc == 'dc1'"),
                "success_msg", "fine")));
        assertEquals(Result.Outcome.OK, r.status());
        assertEquals("fine", r.msg());
        assertEquals("All assertions passed", module.apply(ctx(Map.of("that", "dc == 'dc1'"))).msg());
    }

    @Test
    void apply_oneFalse_failsNamingIt() throws Exception {
        Result r = module.apply(ctx(Map.of("that", List.of("dc == 'dc1'", "nodes | length > 2"),
                "fail_msg", "too few nodes")));
        assertEquals(Result.Outcome.FAILED, r.status());
        assertEquals("too few nodes (false: nodes | length > 2)", r.msg());
        assertEquals("nodes | length > 2", r.data().get("assertion"));
        assertEquals(false, r.data().get("evaluated_to"));
        assertTrue(module.apply(ctx(Map.of("that", "false", "msg", "old name"))).msg().startsWith("old name"));
        assertTrue(module.apply(ctx(Map.of("that", "false"))).msg().startsWith("Assertion failed"));
    }

    @Test
    void apply_quiet_noMessage() throws Exception {
        assertNull(module.apply(ctx(Map.of("that", "true", "quiet", true))).msg());
    }

    @Test
    void apply_undefinedName_failsWithTheError() {
        ModuleException e = assertThrows(ModuleException.class, () -> module.apply(ctx(Map.of("that", "nosuch > 1"))));
        assertTrue(e.getMessage().contains("nosuch"), e.getMessage());
    }

    @Test
    void check_emptyThat_refused() {
        assertThrows(ModuleException.class, () -> module.check(ctx(Map.of("that", List.of()))));
    }
}
