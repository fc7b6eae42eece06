package dev.ringplan.engine.connection;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

import net.schmizz.sshj.sftp.RemoteFile;

/**
 * The stream {@link SshConnection#openWrite} returns: buffers writes into SFTP write requests of
 * {@value #CHUNK} bytes (sshj sends one request per {@code write} call, however large), with up
 * to {@value SftpFiles#IN_FLIGHT} requests unconfirmed. {@code close} waits for every
 * confirmation and closes the handle.
 */
final class SftpChunkedOutput extends OutputStream {
    /** Bytes per SFTP write request. */
    static final int CHUNK = 32 * 1024;

    private final RemoteFile file;
    private final OutputStream out;
    private final byte[] buf = new byte[CHUNK];
    private int len;
    private boolean closed;

    /** A stream writing {@code file} from offset 0; closing it closes the file handle. */
    SftpChunkedOutput(RemoteFile file) {
        this.file = file;
        this.out = file.new RemoteFileOutputStream(0, SftpFiles.IN_FLIGHT);
    }

    @Override
    public void write(int b) throws IOException {
        if (len == buf.length) {
            flushBuffer();
        }
        buf[len++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int n) throws IOException {
        Objects.checkFromIndexSize(off, n, b.length);
        while (n > 0) {
            if (len == buf.length) {
                flushBuffer();
            }
            int k = Math.min(n, buf.length - len);
            System.arraycopy(b, off, buf, len, k);
            len += k;
            off += k;
            n -= k;
        }
    }

    private void flushBuffer() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len > 0) {
            out.write(buf, 0, len);
            len = 0;
        }
    }

    @Override
    public void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flushBuffer();
            out.close();
        } finally {
            closed = true;
            file.close();
        }
    }
}
