package dev.ringplan.cli;

import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.inventory.Inventory;
import dev.ringplan.engine.inventory.InventoryParser;
import dev.ringplan.engine.inventory.InventoryPrinter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ringplan inventory -i FILE --list|--graph}: prints exactly what
 * {@code ansible-inventory -i FILE --list|--graph} prints for the same file, so the two can be
 * diffed. The file is read as written (the sandbox's generated variables are not merged).
 */
@Command(name = "inventory", mixinStandardHelpOptions = true, description = "Show an inventory as ansible-inventory does (--list or --graph).")
public final class InventoryCommand implements Callable<Integer> {
    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE", description = "Inventory file (default: ${DEFAULT-VALUE})")
    Path inventory = Path.of("inventories/sandbox.yaml");

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    /** --list or --graph. */
    static final class Mode {
        @Option(names = "--list", description = "All groups and hosts with their variables, as JSON")
        boolean list;

        @Option(names = "--graph", description = "The group tree")
        boolean graph;
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            Inventory inv = InventoryParser.parse(inventory);
            String text = mode.list ? InventoryPrinter.list(inv) : InventoryPrinter.graph(inv);
            spec.commandLine().getOut().print(text.endsWith("\n") ? text : text + "\n");
            return ExitCodes.OK;
        } catch (InvalidInputException e) {
            RunSupport.printDiagnostics(e, spec.commandLine().getErr());
            return ExitCodes.INVALID_INPUT;
        }
    }
}
