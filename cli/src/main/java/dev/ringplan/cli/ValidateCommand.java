package dev.ringplan.cli;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.diag.InvalidInputException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ringplan validate PLAN}: static checks only; contacts no host, starts nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a plan against an inventory without contacting any host.")
public final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PLAN", description = "Plan file, or git+https://HOST/REPO.git//FILE.yaml?ref=REF")
    String planFile;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try {
            var inventory = SandboxSupport.inventoryStatic(common.inventory);
            CompiledPlan plan = RunSupport.load(planFile, common, inventory, 0, spec.commandLine().getErr()).compiled();
            out.println(planFile + ": valid — " + ProgressPrinter.count(plan.plan().moduleTasks().size(), "task") + ", "
                    + ProgressPrinter.nodesOnHosts(plan));
            return ExitCodes.OK;
        } catch (InvalidInputException e) {
            RunSupport.printDiagnostics(e, err);
            return ExitCodes.INVALID_INPUT;
        }
    }
}
