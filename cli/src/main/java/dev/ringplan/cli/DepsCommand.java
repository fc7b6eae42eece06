package dev.ringplan.cli;

import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.share.LoadedPlan;
import dev.ringplan.engine.share.LockFile;
import dev.ringplan.engine.share.PlanLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ringplan deps lock|update}: the pins of a plan's git imports in the {@code ringplan.lock}
 * beside it ({@link LockFile}). {@code lock} adds the pins that are missing (each ref's commit
 * now) and keeps the others; a ref that moved away from its pin is an error there as in a run.
 * {@code update [NAME...]} moves the pins of the named imports (namespaced ids, or repository
 * URLs), or of all, to the commits their refs point at now.
 */
@Command(name = "deps", mixinStandardHelpOptions = true, description = "Pin the git imports of a plan in ringplan.lock.",
        subcommands = {DepsCommand.Lock.class, DepsCommand.Update.class})
public final class DepsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.INVALID_INPUT;
    }

    /** {@code ringplan deps lock PLAN}. */
    @Command(name = "lock", mixinStandardHelpOptions = true,
            description = "Write ringplan.lock beside PLAN with the commit of every git import not pinned yet.")
    static final class Lock implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PLAN", description = "Plan file")
        String planFile;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return pin(planFile, PlanLoader.Mode.LOCK, List.of(), spec);
        }
    }

    /** {@code ringplan deps update PLAN [NAME...]}. */
    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Move the pins of the named git imports (all without NAME) to the commits their refs point at now.")
    static final class Update implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PLAN", description = "Plan file")
        String planFile;

        @Parameters(index = "1..*", paramLabel = "NAME", description = "Import id (outer.inner when nested) or repository URL")
        List<String> names = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return pin(planFile, PlanLoader.Mode.UPDATE, names, spec);
        }
    }

    private static int pin(String planFile, PlanLoader.Mode mode, List<String> names, CommandSpec spec) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LoadedPlan loaded;
        LockFile before;
        try {
            loaded = PlanLoader.load(planFile, RunSupport.loaderOptions(mode, new LinkedHashSet<>(names)));
            before = LockFile.read(loaded.lockPath());
        } catch (InvalidInputException e) {
            RunSupport.printDiagnostics(e, err);
            return ExitCodes.INVALID_INPUT;
        }
        Set<String> known = new LinkedHashSet<>();
        loaded.imports().forEach(r -> {
            known.add(r.name());
            known.add(r.repo());
        });
        for (String n : names) {
            if (!known.contains(n)) {
                err.println("error: " + planFile + " has no git import '" + n + "'; its git imports: "
                        + (loaded.imports().isEmpty() ? "none" : String.join(", ",
                        loaded.imports().stream().map(LoadedPlan.ImportRecord::name).toList())));
                return ExitCodes.INVALID_INPUT;
            }
        }
        if (loaded.imports().isEmpty()) {
            out.println(planFile + ": no git imports, nothing to pin");
            return ExitCodes.OK;
        }
        for (LoadedPlan.ImportRecord r : loaded.imports()) {
            LockFile.Pin was = before.pin(r.repo(), r.ref());
            String state = was == null ? "pinned" : was.commit().equals(r.commit()) ? "unchanged" : "moved from "
                    + was.commit().substring(0, 12) + " to";
            out.println("  " + state + " " + r.name() + " (" + r.source() + ") " + r.commit());
        }
        try {
            loaded.lock().write(loaded.lockPath());
        } catch (IOException e) {
            err.println("error: cannot write " + loaded.lockPath() + ": " + e.getMessage());
            return ExitCodes.TASK_FAILED;
        }
        out.println("wrote " + loaded.lockPath());
        return ExitCodes.OK;
    }
}
