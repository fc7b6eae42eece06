package dev.ringplan.engine.connection;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;

import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Host-key verification of one {@link SshConnection} against an OpenSSH {@code known_hosts} file,
 * remembering why it refused a key (for the {@link UnreachableException} message) and, when
 * {@link SshConnection.Settings#acceptNewHostKeys()} allows it, appending unknown keys to the file
 * (like OpenSSH's {@code StrictHostKeyChecking=accept-new}). Hosts on a port other than 22 are
 * looked up and recorded as {@code [host]:port}, as OpenSSH writes them. A key that differs from
 * a recorded one is always refused. The file is read once, when the verifier is made.
 */
final class KnownHostsVerifier extends OpenSSHKnownHosts {
    /** Serialises appends to known_hosts files by the connections of this JVM. */
    private static final Object KNOWN_HOSTS_LOCK = new Object();

    private final SshConnection.Settings settings;
    /** Why the last key was refused, for messages; null while no key was refused. */
    volatile String problem;

    /**
     * Reads {@code settings.knownHosts()}; a file that does not exist yet holds no key.
     *
     * @throws IOException when the file exists but cannot be read
     */
    KnownHostsVerifier(SshConnection.Settings settings) throws IOException {
        super(new StringReader(Files.exists(settings.knownHosts())
                ? Files.readString(settings.knownHosts(), StandardCharsets.UTF_8) : ""));
        this.settings = settings;
    }

    /** {@code SHA256:base64} fingerprint of a public key, as OpenSSH prints it. */
    static String fingerprint(PublicKey key) {
        try {
            byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
            byte[] d = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String hostPattern() {
        return settings.port() == 22 ? settings.address() : "[" + settings.address() + "]:" + settings.port();
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
        String type = KeyType.fromKey(key).toString();
        if (!settings.acceptNewHostKeys()) {
            problem = "host key " + type + " " + fingerprint(key) + " is not in known_hosts file "
                    + settings.knownHosts() + " (add it, e.g. with ssh-keyscan, or allow recording new keys)";
            return false;
        }
        try {
            HostEntry entry = new HostEntry(null, hostPattern(), KeyType.fromKey(key), key);
            synchronized (KNOWN_HOSTS_LOCK) {
                Path f = settings.knownHosts();
                Path dir = f.toAbsolutePath().getParent();
                if (dir != null) {
                    Files.createDirectories(dir);
                }
                String prefix = Files.exists(f) && Files.size(f) > 0 && !endsWithNewline(f) ? "\n" : "";
                Files.writeString(f, prefix + entry.getLine() + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            }
            entries().add(entry);
            return true;
        } catch (IOException e) {
            problem = "cannot record new host key in " + settings.knownHosts() + ": " + e.getMessage();
            return false;
        }
    }

    private static boolean endsWithNewline(Path f) throws IOException {
        byte[] all = Files.readAllBytes(f);
        return all.length > 0 && all[all.length - 1] == '\n';
    }

    @Override
    protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
        problem = "HOST KEY CHANGED: the server offered " + KeyType.fromKey(key) + " " + fingerprint(key)
                + " but known_hosts file " + settings.knownHosts() + " records a different key for "
                + hostPattern() + " (possible man-in-the-middle; if the host was reinstalled, remove the old entry)";
        return false;
    }
}
