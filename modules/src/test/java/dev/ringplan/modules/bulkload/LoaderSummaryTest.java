package dev.ringplan.modules.bulkload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** On real sstableloader 5.0.7 output (test resources bulkload/, SOURCES.tsv). */
class LoaderSummaryTest {
    static String fixture(String name) throws IOException {
        try (InputStream in = LoaderSummaryTest.class.getResourceAsStream("/bulkload/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void parse_realRun_filesBytesDurationRate() throws Exception {
        LoaderSummary s = LoaderSummary.parse(fixture("sstableloader-5.0.7-events.txt"));

        assertEquals(10, s.files());
        assertEquals(224540, s.bytes());  // 219.277 KiB
        assertEquals(5102, s.durationMs());
        assertEquals("42.974KiB/s", s.averageRate());
        assertEquals(List.of(), s.skippedFiles());
    }

    @Test
    void parse_tableMissingOnTarget_skippedLineKept() throws Exception {
        LoaderSummary s = LoaderSummary.parse(fixture("sstableloader-5.0.7-missing-table.txt"));

        assertEquals(0, s.files());
        assertEquals(0, s.bytes());
        assertEquals(List.of("Skipping file nb-1-big-Data.db: table nosuch.users doesn't exist"), s.skippedFiles());
    }

    @Test
    void parse_noProgressOutput_refusedNamingTheBlock() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoaderSummary.parse(fixture("sstableloader-5.0.7-no-progress.txt")));

        assertTrue(e.getMessage().contains("Summary statistics"), e.getMessage());
    }

    @Test
    void parse_fieldMissing_named() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoaderSummary.parse(
                "Summary statistics: \n   Total files transferred : 2\n   Total duration : 3 ms\n"));

        assertTrue(e.getMessage().contains("Total bytes transferred"), e.getMessage());
    }

    @Test
    void size_binaryUnits() {
        assertEquals(0, LoaderSummary.size("0B"));
        assertEquals(512, LoaderSummary.size("512B"));
        assertEquals(1536, LoaderSummary.size("1.500KiB"));
        assertEquals(3L << 30, LoaderSummary.size("3.000GiB"));
        assertEquals(1L << 40, LoaderSummary.size("1.000TiB"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoaderSummary.size("12 MB"));
        assertTrue(e.getMessage().contains("'12 MB'"), e.getMessage());
    }
}
