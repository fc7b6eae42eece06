package dev.ringplan.modules.bulkload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoaderArgvTest {
    private static final List<String> CMD = List.of("java", "-cp", "/lib/*", "org.apache.cassandra.tools.BulkLoader");

    @Test
    void argv_minimal_targetsPortAndDirectory() {
        LoaderArgv a = new LoaderArgv(CMD, List.of("127.0.52.1", "127.0.52.2"), 9042, null, null, 0, null, null, null);

        assertEquals(List.of("java", "-cp", "/lib/*", "org.apache.cassandra.tools.BulkLoader", "-d",
                "127.0.52.1,127.0.52.2", "-p", "9042", "/d/.ringplan-bulkload-r1/ks/t"), a.argv("/d/.ringplan-bulkload-r1/ks/t"));
    }

    @Test
    void argv_everyOption_inLoaderOrder() {
        LoaderArgv a = new LoaderArgv(List.of("sstableloader"), List.of("10.0.0.1"), 9142, "loader", "s3cret", 64, 4,
                "/etc/cassandra/cassandra.yaml", List.of("-ts", "/etc/ts.jks"));

        assertEquals(List.of("sstableloader", "-d", "10.0.0.1", "-p", "9142", "-u", "loader", "-pw", "s3cret",
                "--throttle-mib", "64", "-cph", "4", "-f", "/etc/cassandra/cassandra.yaml", "-ts", "/etc/ts.jks",
                "/data/ks/t"), a.argv("/data/ks/t"));
    }

    @Test
    void display_hidesPassword_andQuotes() {
        LoaderArgv a = new LoaderArgv(CMD, List.of("10.0.0.1"), 9042, "loader", "s3cret", 0, null, null, null);

        String shown = a.display("/data dir/ks/t");

        assertFalse(shown.contains("s3cret"), shown);
        assertTrue(shown.contains("-pw '********'") || shown.contains("-pw ********"), shown);
        assertTrue(shown.contains("'/lib/*'"), shown);
        assertTrue(shown.endsWith("'/data dir/ks/t'"), shown);
    }

    @Test
    void new_hostileOrEmptyValues_refused() {
        IllegalArgumentException comma = assertThrows(IllegalArgumentException.class,
                () -> new LoaderArgv(CMD, List.of("a,b"), 9042, null, null, 0, null, null, null));
        assertTrue(comma.getMessage().contains("'a,b'"), comma.getMessage());
        IllegalArgumentException option = assertThrows(IllegalArgumentException.class,
                () -> new LoaderArgv(CMD, List.of("-i"), 9042, null, null, 0, null, null, null));
        assertTrue(option.getMessage().contains("leading '-'"), option.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new LoaderArgv(CMD, List.of(), 9042, null, null, 0, null, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new LoaderArgv(List.of(), List.of("h"), 9042, null, null, 0, null, null, null));
        IllegalArgumentException throttle = assertThrows(IllegalArgumentException.class,
                () -> new LoaderArgv(CMD, List.of("h"), 9042, null, null, -1, null, null, null));
        assertTrue(throttle.getMessage().contains("throttle_mib"), throttle.getMessage());
    }

    @Test
    void argv_relativeDirectory_refused() {
        LoaderArgv a = new LoaderArgv(CMD, List.of("h"), 9042, null, null, 0, null, null, null);

        assertThrows(IllegalArgumentException.class, () -> a.argv("ks/t"));
    }
}
