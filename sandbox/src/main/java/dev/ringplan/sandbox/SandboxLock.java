package dev.ringplan.sandbox;

import dev.ringplan.engine.diag.RingplanException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The per-sandbox file lock that {@link Sandbox#up} and {@link Sandbox#down} hold, so that two
 * processes (or two calls of one process) cannot change the same sandbox at once: a
 * {@code tryLock} on {@code .<name>.lock} in the sandboxes directory; a busy sandbox is an error,
 * not a wait.
 */
final class SandboxLock {
    private SandboxLock() {
    }

    /**
     * Takes the lock of sandbox {@code name} ({@code <sandboxesDir>/.<name>.lock}) without waiting.
     *
     * @return the lock; releasing it also closes its file
     * @throws RingplanException when another process (or this one) holds it
     * @throws IOException       when the lock file cannot be created
     */
    static FileLock acquire(Path sandboxesDir, String name) throws RingplanException, IOException {
        Files.createDirectories(sandboxesDir);
        FileChannel ch = FileChannel.open(sandboxesDir.resolve("." + name + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                throw new RingplanException("sandbox '" + name + "' is busy: another 'sandbox up/down' is running");
            }
            return new ClosingLock(ch, l);
        } catch (OverlappingFileLockException e) {
            ch.close();
            throw new RingplanException("sandbox '" + name + "' is busy: another 'sandbox up/down' is running");
        }
    }

    /** A lock that also closes its channel. */
    private static final class ClosingLock extends FileLock {
        private final FileLock inner;

        ClosingLock(FileChannel ch, FileLock inner) {
            super(ch, inner.position(), inner.size(), inner.isShared());
            this.inner = inner;
        }

        @Override
        public boolean isValid() {
            return inner.isValid();
        }

        @Override
        public void release() throws IOException {
            if (inner.isValid()) {
                inner.release();
            }
            channel().close();
        }
    }
}
