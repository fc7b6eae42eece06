package dev.ringplan.engine.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Host ranges and addresses, as Ansible's expand_hostname_range and parse_address. */
class HostRangesTest {

    @Test
    void expand_zeroPaddedNumbers() {
        assertEquals(List.of("node01", "node02", "node03"), HostRanges.expand("node[01:03]"));
    }

    @Test
    void expand_letters() {
        assertEquals(List.of("db-a", "db-b", "db-c"), HostRanges.expand("db-[a:c]"));
    }

    @Test
    void expand_step() {
        assertEquals(List.of("h1", "h3", "h5", "h7", "h9"), HostRanges.expand("h[1:10:2]"));
    }

    @Test
    void expand_severalRangesMultiply() {
        assertEquals(List.of("r1-a", "r1-b", "r2-a", "r2-b"), HostRanges.expand("r[1:2]-[a:b]"));
    }

    @Test
    void expand_emptyBeginMeansZero() {
        assertEquals(List.of("n0", "n1"), HostRanges.expand("n[:1]"));
    }

    @Test
    void expand_errors() {
        assertThrows(IllegalArgumentException.class, () -> HostRanges.expand("n[1:]"));
        assertThrows(IllegalArgumentException.class, () -> HostRanges.expand("n[01:100]"));
        assertThrows(IllegalArgumentException.class, () -> HostRanges.expand("n[c:a]"));
        assertThrows(IllegalArgumentException.class, () -> HostRanges.expand("n[1]"));
        assertThrows(IllegalArgumentException.class, () -> HostRanges.expand("n[1:3:0]"));
        assertThrows(IllegalArgumentException.class, () -> HostRanges.expand("n[x:3]"));
    }

    @Test
    void expandHostPattern_portApplies() {
        HostRanges.Expansion e = HostRanges.expandHostPattern("edge[1:2]:2222");
        assertEquals(List.of("edge1", "edge2"), e.names());
        assertEquals(2222, e.port());
    }

    @Test
    void parseAddress_forms() {
        assertEquals(new HostRanges.Address("fd00::1", 22), HostRanges.parseAddress("[fd00::1]:22"));
        assertEquals(new HostRanges.Address("fd00::1", null), HostRanges.parseAddress("fd00::1"));
        assertEquals(new HostRanges.Address("10.0.0.1", 9042), HostRanges.parseAddress("10.0.0.1:9042"));
        assertEquals(new HostRanges.Address("příbor", null), HostRanges.parseAddress("příbor"));
        assertNull(HostRanges.parseAddress("bad_"));
        assertTrue(HostRanges.parseAddress("web[01:03].x") != null);
    }
}
