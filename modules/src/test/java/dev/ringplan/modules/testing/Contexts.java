package dev.ringplan.modules.testing;

import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds {@link ModuleContext}s for module tests. */
public final class Contexts {
    private Contexts() {
    }

    /**
     * A context for {@code module} with {@code rawArgs} validated by its spec.
     *
     * @param log receives the module's log lines (may be null)
     */
    public static ModuleContext of(Module module, Map<String, Object> rawArgs, Map<String, Object> hostVars,
                                   CountingConnection conn, boolean checkMode, Path workDir, List<String> log)
            throws ModuleException {
        return new ModuleContext(conn.host(), module.argSpec().validate(module.name(), rawArgs), hostVars,
                () -> conn, checkMode, false,
                new ModuleContext.RunInfo("test-run", workDir, workDir.resolve(".ringplan")), null,
                log == null ? null : log::add);
    }

    /** Same, collecting no log. */
    public static ModuleContext of(Module module, Map<String, Object> rawArgs, Map<String, Object> hostVars,
                                   CountingConnection conn, boolean checkMode, Path workDir) throws ModuleException {
        return of(module, rawArgs, hostVars, conn, checkMode, workDir, new ArrayList<>());
    }
}
