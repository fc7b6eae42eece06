package dev.ringplan.modules.tar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.modules.backup.BackupStore;
import dev.ringplan.modules.backup.LocalBackupStore;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk at the backup destination: the archive task fails naming the device error, and
 * leaves nothing that looks like a finished archive (no {@code .tar*}, no {@code .partial}, no
 * manifest). With root rights the destination is a real 512 KiB tmpfs; otherwise the same
 * write path (ArchiveWriter through the local store) runs on a store whose writes fail with
 * ENOSPC's message after 512 KiB, as the kernel's would.
 */
class TarFullDiskTest {
    @TempDir
    Path tmp;

    @Test
    void create_destinationFull_failsClearlyAndLeavesNoArchive() throws Exception {
        FakeNode node = new FakeNode(tmp.resolve("node"));
        Path dest = Files.createDirectories(tmp.resolve("full"));
        boolean mounted = mountTmpfs(dest, "512k");
        try {
            if (mounted) {
                TarModule tar = new TarModule();
                Path work = Files.createDirectories(tmp.resolve("work"));
                ModuleException e = assertThrows(ModuleException.class, () -> tar.apply(Contexts.of(tar,
                        Map.of("snapshot", FakeNode.TAG, "dest", dest.toString(), "compression", "none"),
                        node.hostVars(), new CountingConnection("n1"), false, work)));
                assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
                assertTrue(e.getMessage().contains("cannot write archive"), e.getMessage());
                System.out.println("full disk: real tmpfs, " + e.getMessage());
                try (Stream<Path> s = Files.walk(dest)) {
                    assertEquals(List.of(dest), s.toList(), "nothing may be left at the destination");
                }
            } else {
                System.out.println("full disk: no tmpfs mount permitted, simulated store instead");
                archiveWriter_storeFull_failsClearlyAndRemovesThePartialFile();
            }
        } finally {
            if (mounted) {
                new ProcessBuilder("umount", dest.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void archiveWriter_storeFull_failsClearlyAndRemovesThePartialFile() throws Exception {
        FakeNode node = new FakeNode(Files.createDirectories(tmp.resolve("node-sim")));
        Path dest = Files.createDirectories(tmp.resolve("full-sim"));
        List<SnapshotFile> files = new SnapshotScanner(new CountingConnection("n1"))
                .scan(List.of(node.data1.toString(), node.data2.toString()), FakeNode.TAG, List.of()).files();
        ModuleException e = assertThrows(ModuleException.class, () -> ArchiveWriter.write(
                new CountingConnection("n1"), files, new FullStore(512 * 1024), dest.resolve("n1.tar").toString(),
                Compression.NONE, 0));
        assertTrue(e.getMessage().contains("cannot write archive " + dest.resolve("n1.tar.partial")
                + ": No space left on device"), e.getMessage());
        try (Stream<Path> s = Files.walk(dest)) {
            assertEquals(List.of(dest), s.toList(), "nothing may be left at the destination");
        }
        // a small file written atomically (the manifest) leaves nothing behind either
        assertThrows(IOException.class, () -> new FullStore(10).writeAtomically(dest.resolve("n1.manifest.json")
                .toString(), new byte[100]));
        try (Stream<Path> s = Files.walk(dest)) {
            assertEquals(List.of(dest), s.toList(), "no manifest.partial may be left");
        }
    }

    /** Mounts a tmpfs of {@code size} on {@code dir}; false when not permitted (not root, no mount). */
    static boolean mountTmpfs(Path dir, String size) {
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The local store whose writes fail like a full file system after {@code capacity} bytes. */
    static final class FullStore implements BackupStore {
        private final LocalBackupStore local = new LocalBackupStore();
        private final long capacity;

        FullStore(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public String display(String path) {
            return local.display(path);
        }

        @Override
        public InputStream openRead(String path) throws IOException {
            return local.openRead(path);
        }

        @Override
        public OutputStream openWrite(String path) throws IOException {
            return new FilterOutputStream(local.openWrite(path)) {
                private long written;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (written + len > capacity) {
                        throw new IOException("No space left on device");
                    }
                    written += len;
                    out.write(b, off, len);
                }
            };
        }

        @Override
        public Optional<FileStat> stat(String path) throws IOException {
            return local.stat(path);
        }

        @Override
        public List<FileStat> list(String dir) throws IOException {
            return local.list(dir);
        }

        @Override
        public void mkdirs(String dir) throws IOException {
            local.mkdirs(dir);
        }

        @Override
        public void delete(String path) throws IOException {
            local.delete(path);
        }

        @Override
        public void rename(String from, String to, boolean replace) throws IOException {
            local.rename(from, to, replace);
        }
    }
}
