package dev.ringplan.sandbox;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodetoolStatusLettersTest {
    /** Output of {@code nodetool status} on a 2-node Cassandra 5.0.7 sandbox (node 2 joining, edited). */
    private static final String OUTPUT = """
            Datacenter: datacenter1
            =======================
            Status=Up/Down
            |/ State=Normal/Leaving/Joining/Moving
            --  Address    Load        Tokens  Owns (effective)  Host ID                               Rack\s
            UJ  127.0.0.2  30.89 KiB   16      100.0%            add0c91d-06bb-4bc2-94ff-5124926da7b3  rack1
            UN  127.0.0.1  119.84 KiB  16      100.0%            c3468d5d-c5b9-4ff3-a31f-9ce30fa4c605  rack1
            DN  127.0.5.3  ?           16      0.0%              d3468d5d-c5b9-4ff3-a31f-9ce30fa4c605  rack1
            """;

    @Test
    void parse_statesByAddressInOrder() {
        Map<String, String> m = NodetoolStatusLetters.parse(OUTPUT);
        assertEquals(List.of("127.0.0.2", "127.0.0.1", "127.0.5.3"), List.copyOf(m.keySet()));
        assertEquals("UJ", m.get("127.0.0.2"));
        assertEquals("UN", m.get("127.0.0.1"));
        assertEquals("DN", m.get("127.0.5.3"));
    }

    @Test
    void parse_noNodeLines_empty() {
        assertTrue(NodetoolStatusLetters.parse("nodetool: Failed to connect to '127.0.0.1:7199'\n").isEmpty());
        assertTrue(NodetoolStatusLetters.parse("").isEmpty());
    }
}
