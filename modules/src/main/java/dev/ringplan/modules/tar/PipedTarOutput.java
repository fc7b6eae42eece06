package dev.ringplan.modules.tar;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a {@link TarArchiveOutputStream} on a thread of its own, so that the archive's
 * compression, hashing and disk writes run beside the reading and hashing of the files (the
 * controller's reading thread only copies bytes into buffers). Buffers come from a fixed pool of
 * {@value #BUFFERS} x {@value #BUFFER_SIZE} bytes and go back to it once written: at most 4 MiB
 * is in flight, and a slow disk slows the reader down (back pressure).
 *
 * <p>Use from one thread: {@link #begin}, then {@link #buffer()} / {@link #write} as often as
 * needed, {@link #end()}; at last {@link #finish()}. A failure of the writing thread is thrown
 * (as the {@link IOException} it met) by the next call; {@link #close()} stops the thread
 * without finishing the archive.
 */
final class PipedTarOutput implements AutoCloseable {
    /** Size of one buffer, bytes. */
    static final int BUFFER_SIZE = 256 * 1024;
    /** Number of buffers in the pool. */
    static final int BUFFERS = 16;

    private record Op(TarArchiveEntry begin, byte[] data, int len, boolean end, boolean finish) {
    }

    private static final Op END = new Op(null, null, 0, true, false);
    private static final Op FINISH = new Op(null, null, 0, false, true);

    private final TarArchiveOutputStream tar;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private final BlockingQueue<Op> ops = new ArrayBlockingQueue<>(BUFFERS + 4);
    private final Thread thread;
    private volatile IOException failure;
    private volatile boolean done;

    /** Starts the writing thread on {@code tar} (closed by the thread at {@link #finish()}). */
    PipedTarOutput(TarArchiveOutputStream tar, String threadName) {
        this.tar = tar;
        for (int i = 0; i < BUFFERS; i++) {
            free.add(new byte[BUFFER_SIZE]);
        }
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts entry {@code e} (its size set). */
    void begin(TarArchiveEntry e) throws IOException {
        put(new Op(e, null, 0, false, false));
    }

    /** A free buffer of {@link #BUFFER_SIZE} bytes to fill; waits while all are in flight. */
    byte[] buffer() throws IOException {
        while (true) {
            check();
            try {
                byte[] b = free.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (b != null) {
                    return b;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while archiving");
            }
        }
    }

    /** Hands {@code len} bytes of {@code buf} (from {@link #buffer()}) to the current entry. */
    void write(byte[] buf, int len) throws IOException {
        put(new Op(null, buf, len, false, false));
    }

    /** Ends the current entry. */
    void end() throws IOException {
        put(END);
    }

    /** Finishes and closes the archive stream and waits for the thread. */
    void finish() throws IOException {
        put(FINISH);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while finishing the archive");
        }
        check();
    }

    /** Stops the thread if it still runs (after a failure); the archive is left unfinished. */
    @Override
    public void close() {
        done = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void put(Op op) throws IOException {
        while (true) {
            check();
            try {
                if (ops.offer(op, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while archiving");
            }
        }
    }

    private void check() throws IOException {
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
    }

    private void run() {
        try {
            while (!done) {
                Op op = ops.take();
                if (op.begin != null) {
                    tar.putArchiveEntry(op.begin);
                } else if (op.data != null) {
                    tar.write(op.data, 0, op.len);
                    free.add(op.data);
                } else if (op.end) {
                    tar.closeArchiveEntry();
                } else if (op.finish) {
                    tar.finish();
                    tar.close();
                    return;
                }
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            failure = new InterruptedIOException("archive writer stopped");
        } catch (RuntimeException e) {
            failure = new IOException(e.toString(), e);
        }
    }
}
