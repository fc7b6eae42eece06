package dev.ringplan.modules.lock;

import java.time.Instant;
import java.util.Objects;

/**
 * Who holds (or asks for) the lock of one cluster: one row of {@code ringplan.locks}.
 *
 * @param runId      the run's id ({@code 20261123T115239Z-338b}); a resumed run and an applied
 *                   preview keep the id of the run or preview they continue
 * @param controller the controller's host name
 * @param user       the operating-system user that runs Ringplan there
 * @param pid        the Ringplan process id on the controller
 * @param process    {@link ControllerProcess#key()} of that process (boot id, pid namespace, pid,
 *                   start), or null when the controller cannot tell
 * @param started    when the run started
 * @param takenAt    when this process took the lock (null before it has)
 * @param plan       the plan's file, for messages
 */
public record LockHolder(String runId, String controller, String user, long pid, String process, Instant started,
                         Instant takenAt, String plan) {
    /** Same run and same process: this very run. */
    public boolean sameProcess(LockHolder other) {
        return other != null && runId.equals(other.runId) && Objects.equals(process, other.process);
    }

    /** This holder, taken at {@code t}. */
    public LockHolder takenAt(Instant t) {
        return new LockHolder(runId, controller, user, pid, process, started, t, plan);
    }

    /**
     * For messages: {@code run 20261123T115239Z-338b (controller host 'ci-7', user 'jenkins', pid
     * 4242), started 2026-11-23T11:52:39Z}.
     */
    public String describe() {
        return "run " + runId + " (controller host '" + controller + "', user '" + user + "', pid " + pid + "), started "
                + started;
    }
}
