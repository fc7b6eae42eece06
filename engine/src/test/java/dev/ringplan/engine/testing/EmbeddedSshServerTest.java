package dev.ringplan.engine.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ringplan.engine.connection.ConnectionFactory;
import dev.ringplan.engine.connection.ConnectionOptions;
import dev.ringplan.engine.connection.ExecOptions;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.connection.SshConnection;

class EmbeddedSshServerTest {
    @TempDir
    Path tmp;

    @Test
    void start_writesKeyAndKnownHosts() throws Exception {
        try (EmbeddedSshServer s = EmbeddedSshServer.start(tmp)) {
            assertTrue(s.port() > 0);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.clientKeyFile())));
            assertTrue(Files.readString(s.clientKeyFile()).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----"));
            String line = s.knownHostsLine();
            assertTrue(line.matches("\\[127\\.0\\.0\\.1]:" + s.port() + " ecdsa-sha2-nistp256 [A-Za-z0-9+/=]+"), line);
            assertEquals(List.of(line), Files.readAllLines(s.knownHostsFile()));
            Path other = s.writeKnownHosts(tmp.resolve("sub/kh"));
            assertEquals(List.of(line), Files.readAllLines(other));
        }
    }

    @Test
    void exec_runsRealProgramsAndRecordsCommands() throws Exception {
        try (EmbeddedSshServer s = EmbeddedSshServer.start(tmp);
             SshConnection c = SshConnection.connect("n", ConnectionFactory.sshSettings("n", s.hostVars(), ConnectionOptions.defaults()))) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ExecResult r = c.exec(List.of(java, "-version"));
            assertEquals(0, r.exitStatus());
            assertTrue(r.stderr().contains("version"), r.stderr());
            assertEquals(List.of(java + " -version"), s.commands());
            assertEquals(Path.of(System.getProperty("user.home")).toRealPath() + "\n", c.exec(List.of("pwd")).stdout());
        }
    }

    @Test
    void exec_detachedDaemonWithRedirectedOutputReturnsAtOnce() throws Exception {
        try (EmbeddedSshServer s = EmbeddedSshServer.start(tmp);
             SshConnection c = SshConnection.connect("n", ConnectionFactory.sshSettings("n", s.hostVars(), ConnectionOptions.defaults()))) {
            long start = System.nanoTime();
            ExecResult r = c.exec(List.of("sh", "-c", "nohup sleep 30 >/dev/null 2>&1 & echo $!"),
                    ExecOptions.defaults().withTimeout(Duration.ofSeconds(20)));
            long secs = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            ProcessHandle.of(Long.parseLong(r.stdout().strip())).ifPresent(ProcessHandle::destroyForcibly);
            assertTrue(secs < 10, "waited " + secs + " s");
            assertEquals(0, r.exitStatus());
        }
    }
}
