package dev.ringplan.modules.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.modules.testing.CountingConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeLivenessTest {
    @TempDir
    Path tmp;
    final CountingConnection conn = new CountingConnection("n1");

    @Test
    void pidAlive_liveAndDeadProcesses() throws Exception {
        assertTrue(NodeLiveness.pidAlive(conn, ProcessHandle.current().pid()));
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertFalse(NodeLiveness.pidAlive(conn, p.pid()));
    }

    @Test
    void readPid_missingGarbageAndNumber() throws Exception {
        Path f = tmp.resolve("pid");
        assertTrue(NodeLiveness.readPid(conn, f.toString()).isEmpty());
        Files.writeString(f, "not a pid");
        assertTrue(NodeLiveness.readPid(conn, f.toString()).isEmpty());
        Files.writeString(f, " 4242\n");
        assertEquals(4242L, NodeLiveness.readPid(conn, f.toString()).getAsLong());
    }

    @Test
    void portOpen_localAndOverBash() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
            assertTrue(NodeLiveness.portOpen(conn, true, "127.0.0.1", s.getLocalPort(), 1000));
            assertTrue(NodeLiveness.portOpen(conn, false, "127.0.0.1", s.getLocalPort(), 1000));
        }
        assertFalse(NodeLiveness.portOpen(conn, true, "127.0.0.1", closed, 1000));
        assertFalse(NodeLiveness.portOpen(conn, false, "127.0.0.1", closed, 1000));
    }

    @Test
    void portOpen_refusesHostThatIsNotAnAddress() {
        ModuleException e = assertThrows(ModuleException.class,
                () -> NodeLiveness.portOpen(conn, false, "127.0.0.1;touch /tmp/x", 9042, 1000));
        assertTrue(e.getMessage().contains("not a host name"), e.getMessage());
        assertThrows(ModuleException.class, () -> NodeLiveness.portOpen(conn, false, "h", 70000, 1000));
    }
}
