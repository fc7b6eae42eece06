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
    void create_joined_takesClusterNameAndSeeds(@TempDir Path dir) throws Exception {
        SandboxState st = SandboxState.create("new-dc", 7, 2, 1, "dc2", "r1",
                new SandboxState.Joined("old-dc", "ringplan-old-dc", List.of("127.0.5.1")));
        assertEquals("ringplan-old-dc", st.clusterName());
        assertEquals(List.of("127.0.5.1", "127.0.7.1"), st.seeds());
        assertEquals("old-dc", st.join());
        Path f = dir.resolve("sandbox.yaml");
        st.write(f);
        assertEquals(st, SandboxState.read(f));
    }

    @Test
    void write_readBack_oneTokenPerNode(@TempDir Path dir) throws Exception {
        SandboxState st = SandboxState.create("ring4", 50, 4, 1, "datacenter1", "rack1", null, 1);
        Path f = dir.resolve("sandbox.yaml");
        st.write(f);
        assertEquals(1, SandboxState.read(f).numTokens());
        assertEquals(st, SandboxState.read(f));
    }

    @Test
    void create_ownCluster_defaults() {
        SandboxState st = SandboxState.create("src", 7, 2, 1);
        assertEquals("ringplan-src", st.clusterName());
        assertEquals("datacenter1", st.datacenter());
        assertEquals("rack1", st.rack());
        assertEquals(null, st.join());
        assertEquals(List.of("127.0.7.1"), st.seeds());
    }

    @Test
    void read_fileWithoutDatacenter_readsAsItsOwnClusterInDatacenter1(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("sandbox.yaml");
        Files.writeString(f, "name: src\ncassandra_version: 5.0.7\naddress_index: 7\nnodes: 2\ndata_dirs: 1\n"
                + "jmx_ports: [7206, 7306]\n");
        assertEquals(SandboxState.create("src", 7, 2, 1), SandboxState.read(f));
    }

    @Test
    void read_datacenterThatLooksLikeANumber_staysText(@TempDir Path dir) throws Exception {
        SandboxState st = SandboxState.create("x", 3, 1, 1, "1", "true", null);
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
