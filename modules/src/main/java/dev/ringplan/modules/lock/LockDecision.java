package dev.ringplan.modules.lock;

/**
 * What a run does when the lock row of a cluster is not the one it expected: the pure rule,
 * apart from the CQL ({@link ClusterLock}).
 */
public enum LockDecision {
    /** The row is this run's own (this process wrote it; e.g. it came back with data copied from another cluster). */
    SELF,
    /** The holder's process is dead on this controller ({@link ControllerProcess#isDead}): take the lock over. */
    TAKE_OVER_DEAD,
    /**
     * The holder took the lock before this run did, while this run held it: the row came back
     * with restored or replaced data (a restore of every keyspace, a clone); take it back.
     */
    TAKE_BACK_RESURRECTED,
    /** Another live run holds it. */
    CONFLICT;

    /**
     * Decides about {@code found}, the row's holder, for this run {@code me}.
     *
     * @param me     this run; {@link LockHolder#takenAt()} non-null when this run has held the lock
     * @param self   this process
     * @param procs  the process table to look dead holders up in
     */
    public static LockDecision of(LockHolder found, LockHolder me, ControllerProcess self,
                                  ControllerProcess.Processes procs) {
        if (me.sameProcess(found)) {
            return SELF;
        }
        if (self.isDead(found, procs)) {
            return TAKE_OVER_DEAD;
        }
        if (me.takenAt() != null && found.takenAt() != null && found.takenAt().isBefore(me.takenAt())) {
            return TAKE_BACK_RESURRECTED;
        }
        return CONFLICT;
    }
}
