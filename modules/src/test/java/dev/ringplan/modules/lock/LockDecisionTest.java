package dev.ringplan.modules.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LockDecisionTest {
    private static final String NS = "b00t-1d/pid:[4026531836]";
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final ControllerProcess SELF = new ControllerProcess("ctl", "ops", 100, NS + "/100/" + T0.toEpochMilli());

    /** A process table holding only {@code pids} (pid to start). */
    private static ControllerProcess.Processes table(Map<Long, Instant> pids) {
        return pid -> Optional.ofNullable(pids.get(pid));
    }

    private static LockHolder holder(String run, long pid, String process, Instant takenAt) {
        return new LockHolder(run, "ctl", "ops", pid, process, T0, takenAt, "plans/backup.yaml");
    }

    @Test
    void isDead_samePidNamespace_noSuchPid() {
        LockHolder h = holder("r2", 200, NS + "/200/" + T0.toEpochMilli(), T0);
        assertTrue(SELF.isDead(h, table(Map.of())));
        assertFalse(SELF.isDead(h, table(Map.of(200L, T0))), "the same process still runs");
    }

    @Test
    void isDead_pidReusedByAnotherProcess() {
        LockHolder h = holder("r2", 200, NS + "/200/" + T0.toEpochMilli(), T0);
        assertTrue(SELF.isDead(h, table(Map.of(200L, T0.plusSeconds(60)))));
    }

    @Test
    void isDead_otherMachineOrNamespaceOrUnknown_neverJudged() {
        assertFalse(SELF.isDead(holder("r2", 200, "other-boot/pid:[4026531836]/200/1", T0), table(Map.of())));
        assertFalse(SELF.isDead(holder("r2", 200, "b00t-1d/pid:[4026532000]/200/1", T0), table(Map.of())));
        assertFalse(SELF.isDead(holder("r2", 200, null, T0), table(Map.of())), "a row without a process key");
        assertFalse(SELF.isDead(holder("r2", 200, "garbage", T0), table(Map.of())));
        assertFalse(new ControllerProcess("mac", "ops", 1, null).isDead(holder("r2", 2, NS + "/2/1", T0),
                table(Map.of())), "a controller without /proc judges nobody");
    }

    @Test
    void of_ownRow_isSelf() {
        LockHolder me = SELF.holder("r1", T0, "p");
        assertEquals(LockDecision.SELF, LockDecision.of(me.takenAt(T0), me, SELF, table(Map.of(100L, T0))));
    }

    @Test
    void of_resumedRunOfAKilledProcess_takesOver() {
        LockHolder me = SELF.holder("r1", T0, "p");
        LockHolder killed = holder("r1", 99, NS + "/99/" + T0.toEpochMilli(), T0);
        assertEquals(LockDecision.TAKE_OVER_DEAD, LockDecision.of(killed, me, SELF, table(Map.of())));
    }

    @Test
    void of_liveOtherRun_conflicts_evenWithTheSameRunId() {
        LockHolder me = SELF.holder("r1", T0, "p");
        LockHolder live = holder("r1", 99, NS + "/99/" + T0.toEpochMilli(), T0);
        assertEquals(LockDecision.CONFLICT, LockDecision.of(live, me, SELF, table(Map.of(99L, T0))),
                "two applies of one saved preview share the run id");
        LockHolder remote = holder("r2", 7, "elsewhere/pid:[1]/7/1", T0.plusSeconds(5));
        assertEquals(LockDecision.CONFLICT, LockDecision.of(remote, me, SELF, table(Map.of())));
    }

    @Test
    void of_olderRowWhileThisRunHeldTheLock_isTakenBack() {
        LockHolder me = SELF.holder("r1", T0, "p").takenAt(T0.plusSeconds(100));
        LockHolder restored = holder("r0", 7, "elsewhere/pid:[1]/7/1", T0.plusSeconds(10));
        assertEquals(LockDecision.TAKE_BACK_RESURRECTED, LockDecision.of(restored, me, SELF, table(Map.of())));
        LockHolder successor = holder("r3", 7, "elsewhere/pid:[1]/7/1", T0.plusSeconds(400));
        assertEquals(LockDecision.CONFLICT, LockDecision.of(successor, me, SELF, table(Map.of())),
                "a run that took it after this run's row expired is the holder now");
        assertEquals(LockDecision.CONFLICT, LockDecision.of(restored, SELF.holder("r1", T0, "p"), SELF, table(Map.of())),
                "a run that never held the lock cannot tell a restored row from a live one");
    }

    @Test
    void current_hasAKeyOnLinux_andIsNotDeadToItself() {
        ControllerProcess me = ControllerProcess.current();
        LockHolder h = me.holder("r", T0, "p");
        assertFalse(me.isDead(h, ControllerProcess.LOCAL));
        assertEquals(ProcessHandle.current().pid(), me.pid());
        assertTrue(h.describe().startsWith("run r (controller host '" + me.host() + "', user '" + me.user() + "', pid "),
                h.describe());
    }
}
