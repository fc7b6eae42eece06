package dev.ringplan.cli;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.exec.NodeResult;
import dev.ringplan.engine.exec.RunListener;
import dev.ringplan.engine.exec.RunOptions;
import dev.ringplan.engine.exec.RunReport;
import dev.ringplan.engine.report.Json;
import dev.ringplan.engine.report.Secrets;
import java.io.PrintWriter;

/**
 * {@code -v}: the progress printer's output, with each node's result data (what {@code register}
 * stores) printed as one line of JSON right after the node's line, as {@code ansible-playbook -v}
 * prints {@code => {...}}. Wraps the printer and holds its monitor (its methods synchronise on
 * it) across both, so another node's line never lands between a result and its data. The data
 * is masked ({@link Secrets#mask}) before printing.
 */
final class VerboseResults implements RunListener {
    private final RunListener printer;
    private final PrintWriter out;

    /**
     * @param printer the progress printer this adds to (also the lock)
     * @param out     where the printer writes
     */
    VerboseResults(RunListener printer, PrintWriter out) {
        this.printer = printer;
        this.out = out;
    }

    @Override
    public void runStarted(CompiledPlan plan, RunOptions options) {
        printer.runStarted(plan, options);
    }

    @Override
    public void nodeStarted(TaskNode node) {
        printer.nodeStarted(node);
    }

    @Override
    public void nodeLog(TaskNode node, String line) {
        printer.nodeLog(node, line);
    }

    @Override
    public void nodeFinished(NodeResult result) {
        synchronized (printer) {
            printer.nodeFinished(result);
            out.println("      => " + json(result));
            out.flush();
        }
    }

    @Override
    public void runFinished(RunReport report) {
        printer.runFinished(report);
    }

    /** The node's registered data as one line of JSON, secrets masked. */
    static String json(NodeResult result) {
        Object masked = Secrets.mask(result.data());
        try {
            return Json.MAPPER.writeValueAsString(masked);
        } catch (Exception e) {
            return String.valueOf(masked);
        }
    }
}
