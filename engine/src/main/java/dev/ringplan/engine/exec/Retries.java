package dev.ringplan.engine.exec;

import dev.ringplan.engine.compile.TaskNode;
import dev.ringplan.engine.template.TemplateException;
import java.time.Duration;
import java.util.Map;

/**
 * A node's {@code retries}/{@code delay}/{@code until} loop, as Ansible's: an attempt that
 * failed, or whose {@code until} is false, is tried again after the delay, up to
 * {@code retries} more times; an unreachable host or an interrupted run ends the loop at once.
 * Thread-safe.
 */
final class Retries {
    /** One attempt of the node's module. */
    @FunctionalInterface
    interface Attempt {
        /** Runs the module once; its result. */
        NodeResult run() throws TemplateException;
    }

    private final Conditions conditions;
    private final RunListener listener;
    private final Cancellation cancellation;

    /** Logging retries to {@code listener}; a retry delay ends when {@code cancellation} is cancelled. */
    Retries(Conditions conditions, RunListener listener, Cancellation cancellation) {
        this.conditions = conditions;
        this.listener = listener;
        this.cancellation = cancellation;
    }

    /**
     * Runs attempts until one is done (not failed, and {@code until} true), the retries are
     * used up, or the run is interrupted; returns the last attempt's result, made
     * {@code failed} when {@code until} was still false after the last attempt. An
     * {@code unknown} preview has no result to test: it is done (retrying would not make it
     * known).
     *
     * @throws TemplateException when {@code until} cannot be evaluated
     */
    NodeResult run(TaskNode node, Map<String, Object> vars, long startNanos, Attempt attempt) throws TemplateException {
        int attempts = node.task().retries() + 1;
        NodeResult last = null;
        for (int i = 1; i <= attempts; i++) {
            last = attempt.run();
            if (last.status() == Status.UNREACHABLE) {
                return last;
            }
            boolean done = last.status() != Status.FAILED;
            // A check-mode prediction (would_change) did not run: its until is not evaluated on it.
            if (done && node.task().until() != null && last.status() != Status.UNKNOWN
                    && !last.data().containsKey("would_change")) {
                // The same shape register gives (module data plus changed/failed/status/msg),
                // so 'until: not result.failed' works as in Ansible.
                Map<String, Object> attemptData = ResultFinisher.registered(last, last.status());
                done = conditions.test("until", node.task().until(), Conditions.withResult(vars, node, attemptData));
            }
            if (done) {
                break;
            }
            if (i < attempts) {
                listener.nodeLog(node, "retrying (" + i + "/" + node.task().retries() + ") in " + node.task().delaySeconds() + " s");
                try {
                    if (cancellation.sleep(Duration.ofSeconds(node.task().delaySeconds()))) {
                        break;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            } else if (last.status() != Status.FAILED) {
                last = NodeResult.timed(node, Status.FAILED, "'until' condition still false after " + attempts
                        + " attempts: " + node.task().until(), last.diff(), last.commands(), last.data(), startNanos);
            }
        }
        return last;
    }
}
