package dev.ringplan.modules.fsclear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathGuardTest {
    @Test
    void normalise_collapsesSlashesAndDots() throws ModuleException {
        assertEquals("/var/lib/cassandra/data", PathGuard.normalise("//var/./lib//cassandra/data/", "path"));
    }

    @Test
    void normalise_refusals() {
        assertTrue(assertThrows(ModuleException.class, () -> PathGuard.normalise(null, "path")).getMessage().contains("empty"));
        assertTrue(assertThrows(ModuleException.class, () -> PathGuard.normalise("", "path")).getMessage().contains("empty"));
        assertTrue(assertThrows(ModuleException.class, () -> PathGuard.normalise("/", "path")).getMessage().contains("root"));
        assertTrue(assertThrows(ModuleException.class, () -> PathGuard.normalise("/./", "path")).getMessage().contains("root"));
        assertTrue(assertThrows(ModuleException.class, () -> PathGuard.normalise("a/b", "path")).getMessage().contains("relative"));
        assertTrue(assertThrows(ModuleException.class, () -> PathGuard.normalise("/a/../b", "path")).getMessage().contains(".."));
        assertTrue(assertThrows(ModuleException.class, () -> PathGuard.normalise("/a/b\0", "path")).getMessage().contains("NUL"));
    }

    @Test
    void normalise_dotDotInsideNameIsAllowed() throws ModuleException {
        assertEquals("/a/b..c", PathGuard.normalise("/a/b..c", "path"));
    }

    @Test
    void rootOf_longestMatchAndNoPrefixTricks() {
        List<String> roots = List.of("/var/lib/cassandra/data", "/var/lib/cassandra/data/hints", "/cl");
        assertEquals("/var/lib/cassandra/data/hints", PathGuard.rootOf("/var/lib/cassandra/data/hints/x", roots));
        assertEquals("/var/lib/cassandra/data", PathGuard.rootOf("/var/lib/cassandra/data", roots));
        assertNull(PathGuard.rootOf("/var/lib/cassandra/data2/x", roots));
        assertNull(PathGuard.rootOf("/var/lib/cassandra", roots));
        assertEquals("/cl", PathGuard.rootOf("/cl/x", roots));
    }

    @Test
    void hasGlob_detectsGlobCharacters() {
        assertTrue(PathGuard.hasGlob("*"));
        assertTrue(PathGuard.hasGlob("peers?"));
        assertTrue(PathGuard.hasGlob("[ab]"));
        assertTrue(PathGuard.hasGlob("{a,b}"));
        assertFalse(PathGuard.hasGlob("orders-1234"));
    }

    @Test
    void parentAndName() {
        assertEquals("/a", PathGuard.parent("/a/b"));
        assertEquals("/", PathGuard.parent("/a"));
        assertEquals("b", PathGuard.name("/a/b"));
        assertEquals("/a/b", PathGuard.join("/a", "b"));
        assertEquals("/b", PathGuard.join("/", "b"));
    }
}
