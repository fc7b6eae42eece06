package dev.ringplan.engine.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ReturnCheck}: a module's result data against its {@link ReturnSpec}. */
class ReturnCheckTest {
    private static final ReturnSpec SPEC = ReturnSpec.builder()
            .key(ReturnSpec.key("cmd", ReturnSpec.Type.LIST, "argv"))
            .key(ReturnSpec.key("rc", ReturnSpec.Type.INT, "status").nullable())
            .key(ReturnSpec.key("archive", ReturnSpec.Type.STR, "path").only("action", "create"))
            .key(ReturnSpec.key("sha256", ReturnSpec.Type.STR, "sum").only("action", "verify").when("full backups"))
            .key(ReturnSpec.keyNamedBy("var", ReturnSpec.Type.ANY, "the value").when("with var"))
            .build();

    private static Args args(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("action", "create");
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return new Args(m);
    }

    private static Map<String, Object> data(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void problems_conformingData_none() {
        assertEquals(List.of(), ReturnCheck.problems(SPEC, args(), data("cmd", List.of("x"), "rc", 0, "archive", "/a"),
                false, false));
        assertEquals(List.of(), ReturnCheck.problems(SPEC, args(), data("cmd", List.of("x"), "rc", null, "archive", "/a"),
                false, false));
    }

    @Test
    void problems_undeclaredKey_andKeyOfAnotherScope() {
        assertEquals(List.of("registers 'extra', which it does not declare"), ReturnCheck.problems(SPEC, args(),
                data("cmd", List.of(), "rc", 1, "archive", "/a", "extra", 1), false, false));
        assertEquals(List.of("registers 'sha256', declared only for action verify"), ReturnCheck.problems(SPEC, args(),
                data("cmd", List.of(), "rc", 1, "archive", "/a", "sha256", "ab"), false, false));
    }

    @Test
    void problems_wrongType_andNullWhereNotNullable() {
        assertEquals(List.of("registers 'rc' as String, declared int"), ReturnCheck.problems(SPEC, args(),
                data("cmd", List.of(), "rc", "0", "archive", "/a"), false, false));
        assertEquals(List.of("registers 'archive' as null, declared str (not nullable)"), ReturnCheck.problems(SPEC,
                args(), data("cmd", List.of(), "rc", 0, "archive", null), false, false));
    }

    @Test
    void problems_checkMode_anyValueMayBeNull_butEveryKeyIsThere() {
        assertEquals(List.of(), ReturnCheck.problems(SPEC, args(), data("cmd", null, "rc", null, "archive", null),
                true, false));
        assertEquals(List.of("does not register 'archive', declared present for action create"),
                ReturnCheck.problems(SPEC, args(), data("cmd", null, "rc", null), true, false));
    }

    @Test
    void problems_missingKey_allowedOnlyInAFailedResult() {
        assertEquals(List.of("does not register 'cmd', declared present in every result"),
                ReturnCheck.problems(SPEC, args(), data("rc", 0, "archive", "/a"), false, false));
        assertEquals(List.of(), ReturnCheck.problems(SPEC, args(), data("rc", 0), false, true));
    }

    @Test
    void problems_keyNamedByAnArgument() {
        Args a = args("action", "verify", "var", " ring.tokens ");
        assertEquals(List.of(), ReturnCheck.problems(SPEC, a, data("cmd", List.of(), "rc", 0, "ring.tokens", List.of("1"),
                "sha256", "ab"), false, false));
        assertEquals(List.of("registers 'other', which it does not declare"), ReturnCheck.problems(SPEC, a,
                data("cmd", List.of(), "rc", 0, "other", 1), false, false));
    }

    @Test
    void problems_otherKeys_acceptAnything() {
        ReturnSpec open = ReturnSpec.builder().otherKeys(ReturnSpec.Type.ANY, "whatever").build();
        assertEquals(List.of(), ReturnCheck.problems(open, args(), data("a", 1, "b", null), false, false));
    }

    @Test
    void build_sameNameTwiceInOneScope_refused() {
        assertThrows(IllegalStateException.class, () -> ReturnSpec.builder()
                .key(ReturnSpec.key("a", ReturnSpec.Type.STR, "x").only("action", "create"))
                .key(ReturnSpec.key("a", ReturnSpec.Type.INT, "y").only("action", "create"))
                .build());
        ReturnSpec.builder()
                .key(ReturnSpec.key("a", ReturnSpec.Type.STR, "x").only("action", "create"))
                .key(ReturnSpec.key("a", ReturnSpec.Type.INT, "y").only("action", "verify"))
                .build();
    }

    @Test
    void verify_namesTheModuleAndSaysItIsAModuleBug() {
        Module m = dev.ringplan.engine.testing.FakeModule.builder("fake").returns(SPEC).build();
        ModuleException e = assertThrows(ModuleException.class, () -> ReturnCheck.verify(m, args(),
                data("cmd", List.of(), "rc", 0, "archive", "/a", "x", 1), false, false));
        assertTrue(e.getMessage().startsWith("module fake broke its declared return values (a bug in the module, not"
                + " in the plan): registers 'x'"), e.getMessage());
    }
}
