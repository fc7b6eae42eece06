package dev.ringplan.modules.fail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Result;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link FailModule}: fails with msg (Ansible's default otherwise), in check mode too. */
class FailModuleTest {
    private final FailModule module = new FailModule();

    private ModuleContext ctx(Map<String, Object> args, boolean check) throws ModuleException {
        return new ModuleContext("h1", module.argSpec().validate("fail", args), Map.of(),
                () -> {
                    throw new ConnectionException("fail must not connect");
                }, check, false, new ModuleContext.RunInfo("r", Path.of("."), Path.of(".ringplan")), null, l -> { });
    }

    @Test
    void apply_msg_failsWithIt() throws Exception {
        Result r = module.apply(ctx(Map.of("msg", "stop here"), false));
        assertEquals(Result.Outcome.FAILED, r.status());
        assertEquals("stop here", r.msg());
    }

    @Test
    void apply_noMsg_ansibleDefault() throws Exception {
        assertEquals("Failed as requested from task", module.apply(ctx(Map.of(), true)).msg());
        assertTrue(module.isReadOnly(module.argSpec().validate("fail", Map.of())), "runs in check mode too");
    }
}
