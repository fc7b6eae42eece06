package dev.ringplan.sandbox;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressesTest {

    @Test
    void address_defaultAndOtherRanges() {
        assertEquals("127.0.0.1", Addresses.address(0, 1));
        assertEquals("127.0.0.3", Addresses.address(0, 3));
        assertEquals("127.0.42.2", Addresses.address(42, 2));
        assertThrows(IllegalArgumentException.class, () -> Addresses.address(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Addresses.address(100, 1));
    }

    @Test
    void jmxPort_defaultSandboxUsesCassandraPorts() {
        assertEquals(7199, Addresses.jmxPort(0, 1));
        assertEquals(7299, Addresses.jmxPort(0, 2));
        assertEquals(7200, Addresses.jmxPort(1, 1));
    }

    @Test
    void jmxPort_distinctAcrossAllSandboxesAndBelowCqlPort() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i <= Addresses.MAX_INDEX; i++) {
            for (int n = 1; n <= Addresses.MAX_NODES; n++) {
                int p = Addresses.jmxPort(i, n);
                assertTrue(seen.add(p), "duplicate port " + p);
                assertTrue(p > NodeSpec.STORAGE_PORT + 1 && p < NodeSpec.CQL_PORT, "port " + p);
            }
        }
    }

    @Test
    void allocateIndex_defaultIsZero() {
        assertEquals(0, Addresses.allocateIndex("default", Set.of(5, 6)));
        assertThrows(IllegalStateException.class, () -> Addresses.allocateIndex("default", Set.of(0)));
    }

    @Test
    void allocateIndex_otherNamesAreStableAndAvoidUsed() {
        int a = Addresses.allocateIndex("src", Set.of());
        assertTrue(a >= 1 && a <= Addresses.MAX_INDEX);
        assertEquals(a, Addresses.allocateIndex("src", Set.of(0)));
        int b = Addresses.allocateIndex("src", Set.of(a));
        assertNotEquals(a, b);
        assertTrue(b >= 1 && b <= Addresses.MAX_INDEX);
    }

    @Test
    void allocateIndex_wrapsAndFailsWhenFull() {
        Set<Integer> used = new HashSet<>();
        for (int i = 1; i <= Addresses.MAX_INDEX; i++) {
            used.add(i);
        }
        used.remove(1);
        assertEquals(1, Addresses.allocateIndex("zz-some-name", used));
        used.add(1);
        assertThrows(IllegalStateException.class, () -> Addresses.allocateIndex("x", used));
    }
}
