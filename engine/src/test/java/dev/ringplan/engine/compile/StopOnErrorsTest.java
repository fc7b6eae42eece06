package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import org.junit.jupiter.api.Test;

/** {@link StopOnErrors}: the gate between the checks and what relies on them. */
class StopOnErrorsTest {

    @Test
    void apply_afterAnError_throwsEveryDiagnostic_elsePasses() throws Exception {
        CompileState s = PassFixture.before(StopOnErrors.class, """
                hosts: cassandra
                tasks:
                  - id: a
                    fake: a
                """);
        Diagnostics d = new Diagnostics();
        assertDoesNotThrow(() -> new StopOnErrors().apply(s, d));
        d.error(SourcePos.ofFile("x"), "one");
        d.error(SourcePos.ofFile("y"), "two");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new StopOnErrors().apply(s, d));
        assertEquals(2, e.diagnostics().size());
    }
}
