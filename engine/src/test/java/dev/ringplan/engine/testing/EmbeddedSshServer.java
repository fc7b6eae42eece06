package dev.ringplan.engine.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.file.nativefs.NativeFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SSH server inside the test JVM (Apache MINA SSHD), for testing Ringplan's SSH
 * connection and for running whole plans over SSH in integration tests, against real Cassandra
 * nodes of the sandbox, without an OpenSSH daemon or root.
 *
 * <ul>
 *   <li>Listens on {@code 127.0.0.1} on a random free port ({@link #port()}).</li>
 *   <li>Local port forwarding ({@code direct-tcpip}) to any address, as OpenSSH allows by default.</li>
 *   <li>Host key: a fresh ECDSA P-256 key per server. {@link #knownHostsFile()} is an OpenSSH
 *       known_hosts file already holding {@link #knownHostsLine()} ({@code [127.0.0.1]:PORT
 *       ecdsa-sha2-nistp256 AAAA...}); {@link #writeKnownHosts(Path)} writes the same line
 *       elsewhere.</li>
 *   <li>Authentication: public key only, with a fresh ECDSA P-256 client key written in OpenSSH
 *       format to {@link #clientKeyFile()} (mode 0600); any user name is accepted
 *       ({@link #user()} is the OS user).</li>
 *   <li>{@code exec}: the command string runs as {@code /bin/sh -c COMMAND} as the OS user running
 *       the tests, in that user's home directory, with this JVM's environment, so real programs
 *       ({@code java ...}, nodetool, the sandbox scripts) run. Like OpenSSH, the channel closes
 *       when the command has exited <em>and</em> its stdout and stderr reached EOF, so
 *       daemons must be started with their output redirected. When the client closes the
 *       channel early, the command and its descendants are killed. A {@code signal} request
 *       (RFC 4254 section 6.9) is delivered to the command and its descendants, as OpenSSH
 *       delivers it to the command's process group; {@link #signals()} lists those received.</li>
 *   <li>SFTP subsystem on the real file system ({@link NativeFileSystemFactory}): absolute paths
 *       mean what they mean locally.</li>
 * </ul>
 *
 * <p>Typical use in an integration test:
 * <pre>{@code
 * try (EmbeddedSshServer ssh = EmbeddedSshServer.start(tempDir)) {
 *     Map<String, Object> vars = new HashMap<>(ssh.hostVars());   // ansible_host, ansible_port, ...
 *     vars.putAll(sandboxNodeVars);                              // cassandra_* of a sandbox node
 *     // write an inventory with these vars and run a plan: every task goes through SSH
 * }
 * }</pre>
 *
 * <p>{@link #sessionsCreated()} and {@link #commands()} let tests check that connections are
 * reused and what command lines arrived.
 */
public final class EmbeddedSshServer implements AutoCloseable {
    private final SshServer server;
    private final KeyPair hostKey;
    private final Path clientKeyFile;
    private final Path knownHostsFile;
    private final AtomicInteger sessions = new AtomicInteger();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<String> signals = new CopyOnWriteArrayList<>();
    private volatile boolean withholdExitStatus;

    private EmbeddedSshServer(SshServer server, KeyPair hostKey, Path clientKeyFile, Path knownHostsFile) {
        this.server = server;
        this.hostKey = hostKey;
        this.clientKeyFile = clientKeyFile;
        this.knownHostsFile = knownHostsFile;
    }

    /**
     * Generates the keys into {@code workDir} ({@code client_key}, {@code known_hosts}) and starts
     * the server.
     *
     * @param workDir an existing directory for the key and known_hosts files (a JUnit temp dir)
     * @throws IOException when the server cannot listen or the files cannot be written
     */
    public static EmbeddedSshServer start(Path workDir) throws IOException {
        KeyPair hostKey = newKeyPair();
        KeyPair clientKey = newKeyPair();
        Path keyFile = writePrivateKey(clientKey, workDir.resolve("client_key"));
        Path knownHosts = workDir.resolve("known_hosts");

        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setGSSAuthenticator(null);
        sshd.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, clientKey.getPublic()));
        sshd.setFileSystemFactory(new NativeFileSystemFactory());
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        // local port forwarding (direct-tcpip), as OpenSSH allows by default: Connection.reach
        sshd.setForwardingFilter(org.apache.sshd.server.forward.AcceptAllForwardingFilter.INSTANCE);
        CoreModuleProperties.IDLE_TIMEOUT.set(sshd, Duration.ofHours(2));
        EmbeddedSshServer result = new EmbeddedSshServer(sshd, hostKey, keyFile, knownHosts);
        sshd.setCommandFactory((channel, command) -> {
            result.commands.add(command);
            return new ShellCommand(command, result);
        });
        sshd.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                result.sessions.incrementAndGet();
            }
        });
        sshd.start();
        result.writeKnownHosts(knownHosts);
        return result;
    }

    /** The address the server listens on: {@code 127.0.0.1}. */
    public String host() {
        return "127.0.0.1";
    }

    /** The TCP port the server listens on. */
    public int port() {
        return server.getPort();
    }

    /** The OS user running the tests; commands run as this user whatever name the client sends. */
    public String user() {
        return System.getProperty("user.name");
    }

    /** The server's host public key. */
    public PublicKey hostPublicKey() {
        return hostKey.getPublic();
    }

    /** The client private key file (OpenSSH format, unencrypted, mode 0600) the server accepts. */
    public Path clientKeyFile() {
        return clientKeyFile;
    }

    /** A known_hosts file holding {@link #knownHostsLine()}, written at start. */
    public Path knownHostsFile() {
        return knownHostsFile;
    }

    /** The OpenSSH known_hosts line for this server: {@code [127.0.0.1]:PORT TYPE BASE64}. */
    public String knownHostsLine() {
        return "[" + host() + "]:" + port() + " " + PublicKeyEntry.toString(hostKey.getPublic());
    }

    /**
     * Appends {@link #knownHostsLine()} to {@code file}, creating it (and its parents) if needed.
     *
     * @return {@code file}
     */
    public Path writeKnownHosts(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.writeString(file, knownHostsLine() + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return file;
    }

    /**
     * Inventory host variables that make Ringplan reach this server: {@code ansible_connection:
     * ssh}, {@code ansible_host}, {@code ansible_port} (Integer), {@code ansible_user},
     * {@code ansible_ssh_private_key_file} and {@code ringplan_known_hosts} (both absolute paths).
     */
    public Map<String, Object> hostVars() {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("ansible_connection", "ssh");
        vars.put("ansible_host", host());
        vars.put("ansible_port", port());
        vars.put("ansible_user", user());
        vars.put("ansible_ssh_private_key_file", clientKeyFile.toAbsolutePath().toString());
        vars.put("ringplan_known_hosts", knownHostsFile.toAbsolutePath().toString());
        return vars;
    }

    /** How many SSH sessions (TCP connections) the server has accepted so far. */
    public int sessionsCreated() {
        return sessions.get();
    }

    /** The command strings received by {@code exec} requests, in arrival order. */
    public List<String> commands() {
        return List.copyOf(commands);
    }

    /** The names of the signals received by {@code signal} requests ({@code TERM}, ...), in arrival order. */
    public List<String> signals() {
        return List.copyOf(signals);
    }

    /**
     * When true, commands end by closing their channel without sending an exit status, as
     * OpenSSH does for a command killed by a signal (it sends {@code exit-signal} instead), so
     * clients see no status at all.
     */
    public void withholdExitStatus(boolean withhold) {
        this.withholdExitStatus = withhold;
    }

    /**
     * Closes every open SSH session at once, as a restarted or crashed server would; the server
     * keeps listening, so clients can reconnect.
     */
    public void dropConnections() {
        server.getActiveSessions().forEach(s -> s.close(true));
    }

    /** Stops the server and drops every connection. */
    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    /** A fresh ECDSA P-256 key pair (fast to generate, read by sshj, OpenSSH and MINA). */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC key pair", e);
        }
    }

    /**
     * Writes {@code kp}'s private key to {@code file} in OpenSSH format, unencrypted, mode 0600.
     *
     * @return {@code file}
     */
    public static Path writePrivateKey(KeyPair kp, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(kp, "ringplan-test", null, out);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encode private key: " + e.getMessage(), e);
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        return file;
    }

    /** {@code /bin/sh -c COMMAND} with the channel's streams pumped to and from the process. */
    private static final class ShellCommand implements Command {
        private final String command;
        private final EmbeddedSshServer owner;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;
        private volatile Process process;

        ShellCommand(String command, EmbeddedSshServer owner) {
            this.command = command;
            this.owner = owner;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command);
            pb.directory(Path.of(System.getProperty("user.home")).toFile());
            Process p = pb.start();
            process = p;
            env.addSignalListener((ch, signal) -> {
                owner.signals.add(signal.name());
                List<String> kill = new java.util.ArrayList<>(List.of("kill", "-" + signal.name(), Long.toString(p.pid())));
                p.descendants().forEach(d -> kill.add(Long.toString(d.pid())));
                try {
                    new ProcessBuilder(kill).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
                } catch (IOException e) {
                    // the command is gone
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            daemon("stdin", () -> {
                try (OutputStream pin = p.getOutputStream()) {
                    in.transferTo(pin);
                } catch (IOException ignored) {
                    // process gone or channel closed
                }
            });
            Thread stdout = daemon("stdout", () -> pump(p.getInputStream(), out));
            Thread stderr = daemon("stderr", () -> pump(p.getErrorStream(), err));
            daemon("wait", () -> {
                int status;
                try {
                    status = p.waitFor();
                    stdout.join();
                    stderr.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    status = 255;
                }
                if (owner.withholdExitStatus) {
                    channel.close(false);
                } else {
                    exit.onExit(status);
                }
            });
        }

        private static void pump(InputStream from, OutputStream to) {
            byte[] b = new byte[32 * 1024];
            try (from) {
                int n;
                while ((n = from.read(b)) >= 0) {
                    to.write(b, 0, n);
                    to.flush();
                }
            } catch (IOException ignored) {
                // channel closed: the process is destroyed by destroy()
            }
        }

        private static Thread daemon(String name, Runnable r) {
            Thread t = new Thread(r, "embedded-sshd-" + name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        @Override
        public void destroy(ChannelSession channel) {
            Process p = process;
            if (p != null && p.isAlive()) {
                List<ProcessHandle> children = p.descendants().toList();
                p.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                try {
                    p.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
