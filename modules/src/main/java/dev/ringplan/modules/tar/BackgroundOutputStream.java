package dev.ringplan.modules.tar;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An output stream whose writes to {@code out} happen on a thread of its own, so that a caller
 * that compresses and hashes is not held up while the kernel takes the bytes (page-cache writes
 * and write-back throttling block for long stretches on a busy machine). Bytes are gathered into
 * {@value #CHUNK}-byte chunks, at most {@value #CHUNKS} of them in flight (back pressure); order is
 * kept. {@link #close()} writes what is left, closes {@code out} (e.g. the store's fsync) and
 * throws what the thread met; a failure of the thread is also thrown by the next write.
 */
final class BackgroundOutputStream extends OutputStream {
    /** Bytes per chunk handed to the thread. */
    static final int CHUNK = 1 << 20;
    /** Chunks in flight at most. */
    static final int CHUNKS = 8;
    private static final byte[] EOF = new byte[0];

    private final OutputStream out;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS);
    private final BlockingQueue<byte[]> full = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final BlockingQueue<Integer> lengths = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final Thread thread;
    private volatile IOException failure;
    private byte[] cur;
    private int pos;
    private boolean closed;

    /** Starts the writing thread on {@code out}, which it closes at {@link #close()}. */
    BackgroundOutputStream(OutputStream out, String threadName) {
        this.out = out;
        for (int i = 0; i < CHUNKS; i++) {
            free.add(new byte[CHUNK]);
        }
        thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (cur == null) {
                cur = take(free);
                pos = 0;
            }
            int n = Math.min(len, CHUNK - pos);
            System.arraycopy(b, off, cur, pos, n);
            pos += n;
            off += n;
            len -= n;
            if (pos == CHUNK) {
                hand(cur, pos);
                cur = null;
            }
        }
    }

    /** Writes what is buffered, closes the target and waits for the thread; throws its failure. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (cur != null && pos > 0) {
            hand(cur, pos);
            cur = null;
        }
        hand(EOF, 0);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the archive");
        }
        check();
    }

    /** Stops the thread without writing what is left and closes the target; for failures. */
    void abort() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            out.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    private void hand(byte[] chunk, int len) throws IOException {
        check();
        try {
            // lengths first: the thread takes a chunk only once its length is there
            lengths.put(len);
            full.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the archive");
        }
    }

    private byte[] take(BlockingQueue<byte[]> q) throws IOException {
        while (true) {
            check();
            try {
                byte[] b = q.poll(100, TimeUnit.MILLISECONDS);
                if (b != null) {
                    return b;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing the archive");
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
            while (true) {
                int len = lengths.take();
                byte[] chunk = full.take();
                if (chunk == EOF) {
                    out.close();
                    return;
                }
                out.write(chunk, 0, len);
                free.add(chunk);
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            failure = new InterruptedIOException("archive file writer stopped");
        }
    }
}
