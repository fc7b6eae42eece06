package dev.ringplan.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link JUnitReport}'s text rules: what XML 1.0 cannot carry becomes visible text. */
class JUnitReportTest {
    @Test
    void text_controlCharsAndLoneSurrogates_escaped_pairsAndMarkupKept() {
        assertEquals("a\\u001B[31m\\u0000b\tc\n<&>\"'", JUnitReport.text("a\u001b[31m\u0000b\tc\n<&>\"'"));
        assertEquals("x\uD83D\uDE00y\\uD83Dz\\uFFFE", JUnitReport.text("x\uD83D\uDE00y\uD83Dz\uFFFE"));
        assertEquals("", JUnitReport.text(null));
    }

    @Test
    void seconds_millisecondPrecision_dotDecimal() {
        assertEquals("1.234", JUnitReport.seconds(1234));
        assertEquals("0.000", JUnitReport.seconds(0));
    }
}
