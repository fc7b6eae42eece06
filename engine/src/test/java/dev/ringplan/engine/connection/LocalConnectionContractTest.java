package dev.ringplan.engine.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@link ConnectionContract} for {@link LocalConnection}: the controller itself. */
class LocalConnectionContractTest extends ConnectionContract {
    private static final LocalConnection CONN = new LocalConnection("ctl");

    @Override
    protected Connection connection() {
        return CONN;
    }

    @Override
    protected Connection freshConnection() {
        return new LocalConnection("ctl");
    }

    @Override
    protected String hostName() {
        return "ctl";
    }

    /**
     * The tar module's fast path reads a snapshot through a streamed command on local
     * connections; without streaming the contract's streaming cases would only check a refusal.
     */
    @Test
    void streamsCommands() throws Exception {
        assertTrue(CONN.canStreamExec());
        try (CommandStream s = CONN.execStream(List.of("echo", "streamed"), ExecOptions.defaults())) {
            assertEquals("streamed\n", new String(s.stdout().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(0, s.finish().exitStatus());
        }
    }
}
