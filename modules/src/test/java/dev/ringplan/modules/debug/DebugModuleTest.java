package dev.ringplan.modules.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link DebugModule}: msg, var, verbosity, as Ansible's debug; never opens a connection. */
class DebugModuleTest {
    private final DebugModule module = new DebugModule();
    private final List<String> log = new ArrayList<>();

    private ModuleContext ctx(Map<String, Object> args, Map<String, Object> vars, boolean check) throws ModuleException {
        return new ModuleContext("h1", module.argSpec().validate("debug", args), vars,
                () -> {
                    throw new ConnectionException("debug must not connect");
                }, check, false, new ModuleContext.RunInfo("r", Path.of("."), Path.of(".ringplan")), null, log::add);
    }

    @Test
    void apply_msg_printedAndRegistered() throws Exception {
        Result r = module.apply(ctx(Map.of("msg", "hello"), Map.of(), false));
        assertEquals(Result.Outcome.OK, r.status());
        assertEquals("hello", r.msg());
        assertEquals(Map.of("msg", "hello"), r.data());
    }

    @Test
    void apply_noArgs_helloWorld() throws Exception {
        assertEquals("Hello world!", module.apply(ctx(Map.of(), Map.of(), false)).msg());
    }

    @Test
    void apply_var_evaluatedAsExpressionAndShownAsJson() throws Exception {
        Result r = module.apply(ctx(Map.of("var", "ring.tokens"),
                Map.of("ring", Map.of("tokens", List.of("1", "2"))), true));
        assertEquals("ring.tokens: [\"1\",\"2\"]", r.msg());
        assertEquals(List.of("1", "2"), r.data().get("ring.tokens"));
    }

    @Test
    void apply_undefinedVar_notDefinedAsAnsible() throws Exception {
        Result r = module.apply(ctx(Map.of("var", "nosuch"), Map.of(), false));
        assertEquals(Result.Outcome.OK, r.status());
        assertEquals("nosuch: VARIABLE IS NOT DEFINED!", r.msg());
    }

    @Test
    void apply_verbosityAboveRun_notShown() throws Exception {
        Result hidden = module.apply(ctx(Map.of("msg", "detail", "verbosity", 2), Map.of("ansible_verbosity", 1), false));
        assertTrue(hidden.msg().startsWith("not shown: needs verbosity 2"), hidden.msg());
        assertTrue(hidden.data().isEmpty());
        Result shown = module.apply(ctx(Map.of("msg", "detail", "verbosity", 2), Map.of("ansible_verbosity", 2), false));
        assertEquals("detail", shown.msg());
    }

    @Test
    void apply_multiLineMsg_alsoLogged() throws Exception {
        module.apply(ctx(Map.of("msg", "a\nb"), Map.of(), false));
        assertEquals(List.of("a", "b"), log);
    }

    @Test
    void check_msgAndVar_refused() {
        ModuleException e = assertThrows(ModuleException.class,
                () -> module.check(ctx(Map.of("msg", "x", "var", "y"), Map.of(), true)));
        assertEquals("debug: arguments 'msg' and 'var' are mutually exclusive", e.getMessage());
    }

    @Test
    void isReadOnly_runsInCheckMode() throws Exception {
        assertTrue(module.isReadOnly(module.argSpec().validate("debug", Map.of())));
    }
}
