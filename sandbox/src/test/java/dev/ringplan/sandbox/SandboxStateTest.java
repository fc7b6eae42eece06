package dev.ringplan.sandbox;

import dev.ringplan.engine.diag.RingplanException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SandboxStateTest {

    @Test
    void write_readBack(@TempDir Path dir) throws Exception {
        SandboxState st = SandboxState.create("src", 7, 3, 2);
        assertEquals(List.of(7206, 7306, 7406), st.jmxPorts());
        Path f = dir.resolve("sandbox.yaml");
        st.write(f);
        assertEquals(st, SandboxState.read(f));
    }

    @Test
    void read_missingField_clearError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("sandbox.yaml");
        Files.writeString(f, "name: x\nnodes: 2\n");
        RingplanException e = assertThrows(RingplanException.class, () -> SandboxState.read(f));
        assertTrue(e.getMessage().contains("lacks a field"), e.getMessage());
    }

    @Test
    void read_inconsistentPorts_clearError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("sandbox.yaml");
        Files.writeString(f, "name: x\naddress_index: 1\nnodes: 2\ndata_dirs: 1\njmx_ports: [7200]\n");
        RingplanException e = assertThrows(RingplanException.class, () -> SandboxState.read(f));
        assertTrue(e.getMessage().contains("inconsistent"), e.getMessage());
    }
}
