package dev.ringplan.modules.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.connection.SshConnection;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.testing.EmbeddedSshServer;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tar extract through a real SSH connection (SFTP writes, renames, deletes) to an in-JVM server. */
class TarExtractSshTest {
    @TempDir
    Path tmp;

    @Test
    void extract_overSsh_roundTripIdempotentAndCorruptLeavesTargetUntouched() throws Exception {
        FakeNode node = new FakeNode(tmp.resolve("node"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        TarModule tar = new TarModule();
        Result created = tar.apply(Contexts.of(tar, Map.of("snapshot", FakeNode.TAG, "dest", "backups"),
                node.hostVars(), new CountingConnection("n1"), false, work));
        Path archive = Path.of((String) created.data().get("archive"));
        Path td1 = Files.createDirectories(tmp.resolve("target/data1"));
        Path td2 = Files.createDirectories(tmp.resolve("target/data2"));
        Files.createDirectories(td1.resolve("ks1").resolve(TarExtractTest.NT1));
        Files.createDirectories(td2.resolve("ks1").resolve(TarExtractTest.NT1));
        Map<String, Object> vars = Map.of("cassandra_data_dirs", List.of(td1.toString(), td2.toString()));

        try (EmbeddedSshServer server = EmbeddedSshServer.start(Files.createDirectories(tmp.resolve("ssh")));
             SshConnection ssh = SshConnection.connect("n1", new SshConnection.Settings(server.host(), server.port(),
                     server.user(), List.of(server.clientKeyFile()), server.knownHostsFile(), false,
                     Duration.ofSeconds(10)))) {
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("action", "extract");
            args.put("src", archive.toString());
            args.put("create_missing", true);
            ModuleContext c = new ModuleContext("n1", tar.argSpec().validate("tar", args), vars, () -> ssh, false, false,
                    new ModuleContext.RunInfo("r", work, work.resolve(".ringplan")), null, new ArrayList<String>()::add);
            Preview p = tar.check(c);
            assertEquals(Preview.Change.YES, p.change());
            Result r = tar.apply(c.withPreview(p));
            assertEquals(Result.Outcome.CHANGED, r.status(), r.msg());
            assertEquals(21L, r.data().get("written"));
            for (SnapshotManifest.FileEntry f : SnapshotManifest.read(work.resolve("backups/n1.manifest.json")).files()) {
                if (f.path().endsWith("/schema.cql") || f.path().endsWith("/manifest.json")) {
                    continue;
                }
                String[] parts = f.path().split("/", 3);
                Path src = (f.dataDirIndex() == 0 ? node.data1 : node.data2).resolve(parts[0]).resolve(parts[1])
                        .resolve("snapshots").resolve(FakeNode.TAG).resolve(parts[2]);
                Path dd = f.dataDirIndex() == 0 ? td1 : td2;
                String dir = parts[1].startsWith("t1-") ? TarExtractTest.NT1 : parts[1];
                assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(dd.resolve(parts[0]).resolve(dir)
                        .resolve(parts[2])), f.path());
            }
            assertEquals(Preview.Change.NO, tar.check(c).change());
            assertEquals(Result.Outcome.OK, tar.apply(c).status());

            // a corrupt archive into a fresh target: staging over SFTP is removed again
            Path fresh = Files.createDirectories(tmp.resolve("fresh/data"));
            byte[] a = Files.readAllBytes(archive);
            a[a.length / 2] ^= 0x01;
            Files.write(archive, a);
            ModuleContext c2 = new ModuleContext("n1", tar.argSpec().validate("tar", args),
                    Map.of("cassandra_data_dirs", List.of(fresh.toString())), () -> ssh, false, false,
                    new ModuleContext.RunInfo("r", work, work.resolve(".ringplan")), null, null);
            ModuleException e = assertThrows(ModuleException.class, () -> tar.apply(c2));
            assertTrue(e.getMessage().contains("nothing was restored"), e.getMessage());
            try (var s = Files.list(fresh)) {
                assertFalse(s.findAny().isPresent(), "fresh data dir left empty");
            }
        }
    }
}
