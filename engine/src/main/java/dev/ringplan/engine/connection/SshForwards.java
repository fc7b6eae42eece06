package dev.ringplan.engine.connection;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.LocalPortForwarder;
import net.schmizz.sshj.connection.channel.direct.Parameters;

/**
 * Local port forwards of one {@link SshConnection} ({@code ssh -L 127.0.0.1:<free port>:host:port}):
 * sshj's {@link LocalPortForwarder} accepting on an ephemeral port of the loopback address and
 * opening one {@code direct-tcpip} channel per accepted socket (RFC 4254 section 7.2), in a daemon
 * thread. One forward per target, reused; a forward made through a client that has since been
 * replaced (reconnect) is made again. Closed with the connection.
 */
final class SshForwards implements AutoCloseable {
    private final String prefix;
    private final Map<String, Forward> forwards = new HashMap<>();

    private record Forward(SSHClient client, ServerSocket socket, LocalPortForwarder forwarder) {
        boolean live(SSHClient current) {
            return client == current && forwarder.isRunning() && !socket.isClosed();
        }

        void close() {
            try {
                forwarder.close();
            } catch (IOException ignored) {
                // best effort
            }
            ConnectionSupport.closeQuietly(socket);
        }
    }

    SshForwards(String prefix) {
        this.prefix = prefix;
    }

    /**
     * The local address forwarding to {@code host:port} through {@code client}.
     *
     * @throws ConnectionException when no local port can be bound
     */
    synchronized InetSocketAddress reach(SSHClient client, String host, int port) throws ConnectionException {
        String key = host + ":" + port;
        Forward f = forwards.get(key);
        if (f != null && f.live(client)) {
            return (InetSocketAddress) f.socket().getLocalSocketAddress();
        }
        if (f != null) {
            f.close();
            forwards.remove(key);
        }
        ServerSocket ss;
        try {
            ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new ConnectionException(prefix + ": cannot bind a local port to forward to " + key + ": "
                    + e.getMessage(), e);
        }
        LocalPortForwarder lpf = client.newLocalPortForwarder(
                new Parameters(ss.getInetAddress().getHostAddress(), ss.getLocalPort(), host, port), ss);
        Thread t = new Thread(() -> {
            try {
                lpf.listen();
            } catch (IOException ignored) {
                // closed: the forward ends with its server socket
            }
        }, "ssh-forward " + prefix + " -> " + key);
        t.setDaemon(true);
        t.start();
        Forward made = new Forward(client, ss, lpf);
        forwards.put(key, made);
        return (InetSocketAddress) ss.getLocalSocketAddress();
    }

    /** Closes every forward. */
    @Override
    public synchronized void close() {
        forwards.values().forEach(Forward::close);
        forwards.clear();
    }
}
