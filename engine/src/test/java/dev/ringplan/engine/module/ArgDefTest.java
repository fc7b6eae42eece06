package dev.ringplan.engine.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ringplan.engine.template.Truth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArgDefTest {

    @Test
    void boolCheck_acceptsWhatTheTruthinessRuleAccepts() {
        for (Object v : List.of(true, false, 1, 0, 1L, 0L, 1.0, "yes", "No", "on", "off", "1", "0", "y", "n", "t", "f",
                " TRUE ")) {
            assertNull(ArgDef.Type.BOOL.check(v), String.valueOf(v));
            assertEquals(Truth.parse(v), ArgDef.Type.BOOL.coerce(v), String.valueOf(v));
        }
    }

    @Test
    void boolCheck_refusesWhatIsNotBooleanLike() {
        assertEquals("must be a boolean (true/false), got '2'", ArgDef.Type.BOOL.check(2));
        assertEquals("must be a boolean (true/false), got 'maybe'", ArgDef.Type.BOOL.check("maybe"));
        assertEquals("must be a boolean (true/false), got ''", ArgDef.Type.BOOL.check(""),
                "an empty string is not a boolean argument, as in Ansible");
        assertEquals("must be a boolean (true/false), got a list", ArgDef.Type.BOOL.check(List.of()));
        assertEquals("must be a boolean (true/false), got a mapping", ArgDef.Type.BOOL.check(Map.of()));
    }

    @Test
    void validate_numberOneAndZeroForABooleanArgument() throws Exception {
        ArgSpec spec = ArgSpec.builder().arg(ArgDef.of("force", ArgDef.Type.BOOL, "force it").withDefault(false)).build();
        assertEquals(true, spec.validate("m", Map.of("force", 1)).get("force"));
        assertEquals(false, spec.validate("m", Map.of("force", 0)).get("force"));
        assertEquals(List.of(), spec.checkStatic(Map.of("force", 1)));
    }
}
