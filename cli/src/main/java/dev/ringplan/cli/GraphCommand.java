package dev.ringplan.cli;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.dag.Dot;
import dev.ringplan.engine.dag.Labeler;
import dev.ringplan.engine.dag.Mermaid;
import dev.ringplan.engine.dag.TextListing;
import dev.ringplan.engine.diag.InvalidInputException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ringplan graph PLAN}: the compiled DAG of (task, host) nodes as text, DOT or Mermaid. */
@Command(name = "graph", mixinStandardHelpOptions = true, description = "Print the compiled dependency graph (text, dot or mermaid).")
public final class GraphCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format { text, dot, mermaid }

    @Parameters(index = "0", paramLabel = "PLAN", description = "Plan file, or git+https://HOST/REPO.git//FILE.yaml?ref=REF")
    String planFile;

    @Option(names = {"-f", "--format"}, description = "text, dot or mermaid (default: ${DEFAULT-VALUE})")
    Format format = Format.text;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            var inventory = SandboxSupport.inventoryStatic(common.inventory);
            CompiledPlan plan = RunSupport.load(planFile, common, inventory, 0, spec.commandLine().getErr()).compiled();
            Labeler<TaskNode> labels = (name, node) -> node == null ? name
                    : node.task().id() + " @ " + node.host() + " (" + node.module().name() + ")";
            String text = switch (format) {
                case dot -> Dot.render(plan.graph(), labels);
                case mermaid -> Mermaid.render(plan.graph(), labels);
                case text -> TextListing.render(plan.graph());
            };
            spec.commandLine().getOut().print(text.endsWith("\n") ? text : text + "\n");
            return ExitCodes.OK;
        } catch (InvalidInputException e) {
            RunSupport.printDiagnostics(e, spec.commandLine().getErr());
            return ExitCodes.INVALID_INPUT;
        }
    }
}
