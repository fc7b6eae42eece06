package dev.ringplan.modules.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.modules.cql.CqlSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link LockTargets#probe} against real loopback sockets: one listening, one closed. */
class LockTargetsProbeTest {
    private static CqlSettings settings(int port) {
        return new CqlSettings("127.0.0.1", port, null, null, null, false, null, null, Duration.ofSeconds(10),
                Duration.ofSeconds(30));
    }

    @Test
    void probe_listeningPortAnswers_closedPortIsRefusedWithoutTheDriver() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        int closed;
        try (ServerSocket gone = new ServerSocket(0, 1, lo)) {
            closed = gone.getLocalPort();
        }
        try (ServerSocket open = new ServerSocket(0, 50, lo)) {
            int port = open.getLocalPort();
            Map<String, CqlSettings> hosts = new LinkedHashMap<>();
            hosts.put("up", settings(port));
            hosts.put("down", settings(closed));
            Map<String, Set<InetSocketAddress>> addresses = new LinkedHashMap<>();
            addresses.put("up", Set.of(new InetSocketAddress(lo, port)));
            addresses.put("down", Set.of(new InetSocketAddress(lo, closed)));

            Map<String, String> refused = LockTargets.probe(hosts, addresses);

            assertEquals(Set.of("down"), refused.keySet());
            assertTrue(refused.get("down").startsWith("CQL 127.0.0.1:" + closed + ": cannot connect: connection refused"),
                    refused.get("down"));
        }
    }

    @Test
    void discover_nothingListening_everyHostUnansweredWithTheReason() throws Exception {
        int closed;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = gone.getLocalPort();
        }
        Map<String, CqlSettings> hosts = new LinkedHashMap<>();
        hosts.put("a", settings(closed));
        hosts.put("b", new CqlSettings("no-such-host.invalid", 9042, null, null, null, false, null, null,
                Duration.ofSeconds(10), Duration.ofSeconds(30)));

        LockTargets.Discovery d = LockTargets.discover(hosts);

        assertTrue(d.clusters().isEmpty());
        assertEquals(Set.of("a", "b"), d.unanswered().keySet());
        assertTrue(d.unanswered().get("a").contains("connection refused"), d.unanswered().get("a"));
        assertTrue(d.unanswered().get("b").contains("does not resolve"), d.unanswered().get("b"));
    }
}
