package dev.ringplan.sandbox;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcsTest {

    /**
     * A node whose process forks a child with its own argv (a subshell here; a fork before exec
     * in general) is found once, by the parent's PID: the child is part of the node.
     */
    @Test
    void findByArg_ignoresForkedChildrenWithTheSameArgv() throws Exception {
        String marker = "-Dringplan.test=" + UUID.randomUUID();
        Process p = new ProcessBuilder("bash", "-c", "( while :; do sleep 0.2; done ) & wait", marker).start();
        try {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (p.descendants().noneMatch(d -> Procs.isAlive(d.pid(), marker)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(p.descendants().anyMatch(d -> Procs.isAlive(d.pid(), marker)),
                    "the subshell (a fork of the bash) carries the same argv");
            assertEquals(List.of(p.pid()), Procs.findByArg(marker));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
        }
        assertEquals(List.of(), Procs.findByArg(marker));
    }
}
