package dev.ringplan.engine.connection;

import static dev.ringplan.engine.connection.ConnectionSupport.closeQuietly;
import static dev.ringplan.engine.connection.ConnectionSupport.message;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;

/**
 * Opens one authenticated sshj {@link SSHClient} for an {@link SshConnection}: TCP connect (with
 * the settings' timeout), host-key check ({@link KnownHostsVerifier}), public-key authentication
 * with the identity files in order, keep-alive every 30 s. Each failure becomes an
 * {@link UnreachableException} whose message names the host, the target and the reason; a
 * half-opened client is closed first.
 */
final class SshLogin {
    private SshLogin() {
    }

    /**
     * Sockets with {@code TCP_NODELAY}: every exec opens a channel, and the client's small
     * channel-open packet otherwise waits under Nagle's algorithm for the server's delayed ACK
     * (about 40 ms per task, measured on Linux loopback against OpenSSH and MINA SSHD), as
     * OpenSSH itself sets {@code TCP_NODELAY} on interactive and session sockets.
     */
    static final SocketFactory NO_DELAY = new SocketFactory() {
        @Override
        public Socket createSocket() throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket s = createSocket();
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            Socket s = createSocket();
            s.bind(new InetSocketAddress(localHost, localPort));
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            Socket s = createSocket();
            s.connect(new InetSocketAddress(host, port));
            return s;
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            Socket s = createSocket();
            s.bind(new InetSocketAddress(localAddress, localPort));
            s.connect(new InetSocketAddress(address, port));
            return s;
        }
    };

    /**
     * Connects, verifies and authenticates.
     *
     * @param prefix   {@code host (user@address:port)}, the start of every message
     * @param settings where and how to connect
     * @throws UnreachableException when any step fails
     */
    static SSHClient open(String prefix, SshConnection.Settings settings) throws UnreachableException {
        if (settings.identityFiles().isEmpty()) {
            throw new UnreachableException(prefix + ": no private key to authenticate with "
                    + "(set ansible_ssh_private_key_file)");
        }
        SSHClient c = new SSHClient(SshCrypto.config());
        KnownHostsVerifier verifier;
        try {
            verifier = new KnownHostsVerifier(settings);
        } catch (IOException e) {
            throw new UnreachableException(prefix + ": cannot read known_hosts file " + settings.knownHosts()
                    + ": " + e.getMessage(), e);
        }
        c.addHostKeyVerifier(verifier);
        c.setSocketFactory(NO_DELAY);
        c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()));
        try {
            c.connect(settings.address(), settings.port());
        } catch (UnknownHostException e) {
            closeQuietly(c);
            throw new UnreachableException(prefix + ": cannot resolve address " + settings.address(), e);
        } catch (ConnectException e) {
            closeQuietly(c);
            throw new UnreachableException(prefix + ": connection refused", e);
        } catch (SocketTimeoutException e) {
            closeQuietly(c);
            throw new UnreachableException(prefix + ": connection timed out after "
                    + settings.connectTimeout().toSeconds() + " s", e);
        } catch (NoRouteToHostException e) {
            closeQuietly(c);
            throw new UnreachableException(prefix + ": no route to host", e);
        } catch (IOException e) {
            closeQuietly(c);
            if (verifier.problem != null) {
                throw new UnreachableException(prefix + ": " + verifier.problem, e);
            }
            throw new UnreachableException(prefix + ": SSH handshake failed: " + message(e), e);
        }
        c.getConnection().getKeepAlive().setKeepAliveInterval(30);
        List<KeyProvider> keys = new ArrayList<>();
        for (Path p : settings.identityFiles()) {
            if (!Files.isReadable(p)) {
                closeQuietly(c);
                throw new UnreachableException(prefix + ": private key file " + p + " does not exist or is not readable");
            }
            try {
                keys.add(c.loadKeys(p.toString()));
            } catch (IOException | RuntimeException e) {
                closeQuietly(c);
                throw new UnreachableException(prefix + ": cannot load private key file " + p + ": " + message(e), e);
            }
        }
        try {
            c.authPublickey(settings.user(), keys);
        } catch (UserAuthException e) {
            closeQuietly(c);
            throw new UnreachableException(prefix + ": authentication failed for user " + settings.user()
                    + " with key " + settings.identityFiles() + ": " + message(e), e);
        } catch (IOException e) {
            closeQuietly(c);
            throw new UnreachableException(prefix + ": authentication failed: " + message(e), e);
        }
        return c;
    }
}
