package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class LockOptionsTest {
    @Test
    void parse_unitsSecondsAndIso() {
        assertEquals(Duration.ofSeconds(30), LockOptions.DurationConverter.parse("30s"));
        assertEquals(Duration.ofMinutes(5), LockOptions.DurationConverter.parse("5m"));
        assertEquals(Duration.ofMinutes(90), LockOptions.DurationConverter.parse("1h30m"));
        assertEquals(Duration.ofSeconds(90), LockOptions.DurationConverter.parse("90"));
        assertEquals(Duration.ofSeconds(0), LockOptions.DurationConverter.parse("0"));
        assertEquals(Duration.ofMinutes(2), LockOptions.DurationConverter.parse("PT2M"));
    }

    @Test
    void parse_notADuration_namesTheForms() {
        for (String bad : new String[] {"", "5 minutes", "-3", "m", "1d"}) {
            TypeConversionException e = assertThrows(TypeConversionException.class,
                    () -> LockOptions.DurationConverter.parse(bad));
            assertTrue(e.getMessage().contains("30s, 5m, 1h30m"), e.getMessage());
        }
    }

    @Test
    void run_badLockTimeout_isInvalidInput() {
        Cli.Run r = Cli.inProcess("run", "plans/backup.yaml", "--lock-timeout", "soon");
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.all());
        assertTrue(r.err().contains("'soon' is not a duration"), r.all());
    }
}
