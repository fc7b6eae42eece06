package dev.ringplan.engine.testing;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.exec.NodeResult;
import dev.ringplan.engine.exec.RunListener;
import dev.ringplan.engine.exec.RunOptions;
import dev.ringplan.engine.exec.RunReport;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link RunListener} that records every event as a line ({@code runStarted},
 * {@code started <vertex>}, {@code log <vertex> <line>}, {@code finished <vertex> <status>},
 * {@code runFinished}) in arrival order. Thread-safe.
 */
public final class RecordingListener implements RunListener {
    private final List<String> events = new ArrayList<>();

    @Override
    public synchronized void runStarted(CompiledPlan plan, RunOptions options) {
        events.add("runStarted");
    }

    @Override
    public synchronized void nodeStarted(TaskNode node) {
        events.add("started " + node.name());
    }

    @Override
    public synchronized void nodeLog(TaskNode node, String line) {
        events.add("log " + node.name() + " " + line);
    }

    @Override
    public synchronized void nodeFinished(NodeResult result) {
        events.add("finished " + result.node().name() + " " + result.status().label());
    }

    @Override
    public synchronized void runFinished(RunReport report) {
        events.add("runFinished");
    }

    /** Every event so far. */
    public synchronized List<String> events() {
        return List.copyOf(events);
    }
}
