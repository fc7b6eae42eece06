package dev.ringplan.sandbox;

import dev.ringplan.engine.diag.RingplanException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Creates the state of a new sandbox: reserves an address index no other sandbox of the same
 * work directory uses ({@link Addresses#allocateIndex}, which also fixes the JMX ports) and writes
 * {@code sandbox.yaml}. Reading the indexes in use and writing the new state happen under one
 * lock ({@code .alloc.lock}, plus a monitor for the threads of this JVM), so two sandboxes created
 * at once never get the same addresses.
 */
final class SandboxAllocator {
    private static final Object ALLOC_MONITOR = new Object();

    private SandboxAllocator() {
    }

    /**
     * Allocates and writes the state of sandbox {@code name}.
     *
     * @param sandboxesDir the directory of every sandbox of the work directory
     * @param stateDir     the new sandbox's directory (created)
     * @param nodes        node count
     * @param dataDirs     data directories per node
     * @param datacenter   the nodes' datacenter
     * @param rack         the nodes' rack
     * @param joined       the sandbox this one joins as a new datacenter, null for a cluster of its own
     * @param numTokens    {@code num_tokens} of every node
     * @param log          receives one line saying what was created
     * @throws RingplanException when every address index is taken
     * @throws IOException       when the state cannot be read or written
     */
    static SandboxState allocate(Path sandboxesDir, String name, Path stateDir, int nodes, int dataDirs,
                                 String datacenter, String rack, SandboxState.Joined joined, int numTokens,
                                 Consumer<String> log)
            throws RingplanException, IOException {
        synchronized (ALLOC_MONITOR) {
            Files.createDirectories(sandboxesDir);
            try (FileChannel ch = FileChannel.open(sandboxesDir.resolve(".alloc.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                Set<Integer> used = new HashSet<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(sandboxesDir)) {
                    for (Path d : ds) {
                        Path f = d.resolve(SandboxState.FILE);
                        if (!d.getFileName().toString().equals(name) && Files.isRegularFile(f)) {
                            used.add(SandboxState.read(f).addressIndex());
                        }
                    }
                }
                int index;
                try {
                    index = Addresses.allocateIndex(name, used);
                } catch (IllegalStateException e) {
                    throw new RingplanException(e.getMessage() + " (" + sandboxesDir + ")");
                }
                SandboxState st = SandboxState.create(name, index, nodes, dataDirs, datacenter, rack, joined, numTokens);
                Files.createDirectories(stateDir);
                st.write(stateDir.resolve(SandboxState.FILE));
                log.accept("sandbox '" + name + "' created in " + stateDir + ": " + st.nodes() + " nodes on "
                        + Addresses.address(index, 1) + ".." + Addresses.address(index, st.nodes()) + ", JMX ports "
                        + st.jmxPorts() + ", datacenter " + st.datacenter() + ", rack " + st.rack()
                        + (st.numTokens() == 1 ? ", one token per node" : "")
                        + (joined == null ? "" : ", joining cluster '" + st.clusterName() + "' of sandbox '"
                        + joined.name() + "' (seeds " + String.join(", ", st.seeds()) + ")"));
                return st;
            }
        }
    }
}
