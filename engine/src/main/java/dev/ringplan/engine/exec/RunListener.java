package dev.ringplan.engine.exec;

import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.TaskNode;

/**
 * Receives the run's events; the engine prints nothing itself. Progress
 * printers, the JSON report and the journal are listeners of one event stream. Methods may be
 * called from several threads; implementations synchronise as they need.
 */
public interface RunListener {
    /** Before any node starts. */
    default void runStarted(CompiledPlan plan, RunOptions options) {
    }

    /** A node starts. */
    default void nodeStarted(TaskNode node) {
    }

    /** A module sends a progress line. */
    default void nodeLog(TaskNode node, String line) {
    }

    /** A node ended (also for nodes skipped because an upstream node failed). */
    default void nodeFinished(NodeResult result) {
    }

    /** After every node ended. */
    default void runFinished(RunReport report) {
    }

    /** Fans events out to several listeners, in order. */
    static RunListener all(RunListener... listeners) {
        return new RunListener() {
            @Override
            public void runStarted(CompiledPlan plan, RunOptions options) {
                for (RunListener l : listeners) {
                    l.runStarted(plan, options);
                }
            }

            @Override
            public void nodeStarted(TaskNode node) {
                for (RunListener l : listeners) {
                    l.nodeStarted(node);
                }
            }

            @Override
            public void nodeLog(TaskNode node, String line) {
                for (RunListener l : listeners) {
                    l.nodeLog(node, line);
                }
            }

            @Override
            public void nodeFinished(NodeResult result) {
                for (RunListener l : listeners) {
                    l.nodeFinished(result);
                }
            }

            @Override
            public void runFinished(RunReport report) {
                for (RunListener l : listeners) {
                    l.runFinished(report);
                }
            }
        };
    }
}
