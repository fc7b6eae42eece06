package dev.ringplan.modules.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.LocalConnection;
import dev.ringplan.engine.connection.SshConnection;
import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.testing.EmbeddedSshServer;
import dev.ringplan.modules.command.CommandModule;
import dev.ringplan.modules.nodetool.NodetoolModule;
import dev.ringplan.modules.tar.TarModule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shell metacharacters in values that reach a host's command line (snapshot tags, keyspace
 * names, command words, working directories, environment values, paths) never execute anything,
 * over a {@link LocalConnection} and over a real SSH connection (an in-JVM server whose commands
 * go through {@code /bin/sh -c}): every payload would create a marker file if a shell evaluated
 * it, and the test asserts no marker exists afterwards. Relative markers are looked for in the
 * two directories a command could run in (this JVM's working directory and the SSH login home).
 */
class HostileArgumentsTest {
    @TempDir
    static Path shared;
    static EmbeddedSshServer server;
    static SshConnection ssh;
    static final String ID = UUID.randomUUID().toString().substring(0, 8);

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedSshServer.start(shared);
        ssh = SshConnection.connect("n1", new SshConnection.Settings(server.host(), server.port(), server.user(),
                List.of(server.clientKeyFile()), server.knownHostsFile(), false, Duration.ofSeconds(10)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (ssh != null) {
            ssh.close();
        }
        server.close();
    }

    /** Marker names (relative, no '/'), one per payload shape. */
    static String mark(int i) {
        return "rp-hostile-" + ID + "-" + i;
    }

    /** Payloads without '/' (usable as a tag or a directory name), each touching {@link #mark}. */
    static List<String> payloads() {
        return List.of(
                "x$(touch " + mark(1) + ")",
                "x`touch " + mark(2) + "`",
                "x;touch " + mark(3),
                "x|touch " + mark(4),
                "x&&touch " + mark(5),
                "x\ntouch " + mark(6),
                "x'$(touch " + mark(7) + ")'",
                "x\"$(touch " + mark(8) + ")\"",
                "x' ; touch " + mark(9) + " ; '",
                "$(touch${IFS}" + mark(10) + ")",
                "x>" + mark(11),
                "x&touch " + mark(12) + "&");
    }

    static Stream<Arguments> connections() {
        return Stream.of(Arguments.of("local"), Arguments.of("ssh"));
    }

    Connection conn(String kind) {
        return kind.equals("ssh") ? ssh : new LocalConnection("n1");
    }

    @AfterEach
    void noMarker() throws Exception {
        List<Path> dirs = List.of(Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")), tmp);
        List<String> found = new ArrayList<>();
        for (Path d : dirs) {
            for (int i = 1; i <= 12; i++) {
                if (Files.exists(d.resolve(mark(i)))) {
                    found.add(d.resolve(mark(i)).toString());
                    Files.delete(d.resolve(mark(i)));
                }
            }
        }
        assertEquals(List.of(), found, "a payload was executed by a shell");
    }

    private ModuleContext ctx(Module m, Map<String, Object> args, Map<String, Object> vars, Connection c)
            throws ModuleException {
        Path work = tmp.resolve("work");
        return new ModuleContext("n1", m.argSpec().validate(m.name(), args), vars, () -> c, false, false,
                new ModuleContext.RunInfo("r", work, work.resolve(".ringplan")), null, new ArrayList<String>()::add);
    }

    private Result run(Module m, ModuleContext c) throws ModuleException {
        return m.apply(c.withPreview(m.check(c)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connections")
    void command_hostileWordsChdirEnvAndCreates_neverExecuted(String kind) throws Exception {
        CommandModule command = new CommandModule();
        for (String p : payloads()) {
            Path dir = Files.createDirectories(tmp.resolve("d" + Math.abs(p.hashCode())));
            Path odd = Files.createDirectories(dir.resolve(p));
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("argv", List.of("printf", "[%s]", p, "$RP_X"));
            args.put("chdir", odd.toString());
            args.put("env", Map.of("RP_X", p));
            args.put("removes", odd.toString());
            Result r = run(command, ctx(command, args, Map.of(), conn(kind)));
            assertEquals(Result.Outcome.CHANGED, r.status(), r.msg());
            assertEquals("[" + p + "][$RP_X]", r.data().get("stdout"), kind + ": " + p);

            // the string form: split into words, never given to a shell
            Map<String, Object> str = new LinkedHashMap<>();
            str.put("cmd", "printf [%s] " + dev.ringplan.engine.connection.ShellQuote.quote(p) + " $(touch " + mark(1) + ")");
            r = run(command, ctx(command, str, Map.of(), conn(kind)));
            assertEquals("[" + p + "][$(touch][" + mark(1) + ")]", r.data().get("stdout"), kind + ": " + p);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connections")
    void nodetool_hostileTagReachesNodetoolAsOneArgumentOrIsRefused(String kind) throws Exception {
        Path log = tmp.resolve("argv.log");
        Path fake = tmp.resolve("fake-nodetool");
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '<%s>' \"$a\" >> '" + log + "'; done\n"
                + "echo >> '" + log + "'\n"
                + "case \"$5\" in listsnapshots) echo 'There are no snapshots';; esac\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        Map<String, Object> vars = Map.of("nodetool_cmd", List.of(fake.toString()));
        NodetoolModule nodetool = new NodetoolModule();
        int ran = 0;
        for (String p : payloads()) {
            for (String cmd : List.of("snapshot", "clearsnapshot")) {
                Map<String, Object> args = new LinkedHashMap<>();
                args.put("command", cmd);
                args.put("tag", p);
                try {
                    run(nodetool, ctx(nodetool, args, vars, conn(kind)));
                } catch (ModuleException e) {
                    if (e.getMessage().contains("is not usable as a snapshot name")) {
                        assertTrue(p.contains("\n"), "only the newline payload is refused: " + e.getMessage());
                        continue;
                    }
                    // the fake's output is not what nodetool prints: a parse failure is fine here
                }
                String logged = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
                assertTrue(logged.contains("<-t><" + p + ">"), kind + " " + cmd + ": " + p + "\n" + logged);
                ran++;
            }
        }
        assertEquals(22, ran);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connections")
    void nodetool_hostileKeyspaceAndTable_refusedBeforeAnythingRuns(String kind) throws Exception {
        NodetoolModule nodetool = new NodetoolModule();
        Map<String, Object> vars = Map.of("nodetool_cmd", List.of("/bin/false"));
        for (String p : payloads()) {
            ModuleException ks = assertThrows(ModuleException.class, () -> run(nodetool,
                    ctx(nodetool, Map.of("command", "flush", "keyspaces", List.of(p)), vars, conn(kind))));
            assertTrue(ks.getMessage().contains("is not a valid keyspace name"), ks.getMessage());
            ModuleException t = assertThrows(ModuleException.class, () -> run(nodetool,
                    ctx(nodetool, Map.of("command", "flush", "tables", List.of("ks." + p)), vars, conn(kind))));
            assertTrue(t.getMessage().contains("must be written keyspace.table"), t.getMessage());
        }
        ModuleException tooLong = assertThrows(ModuleException.class, () -> run(nodetool,
                ctx(nodetool, Map.of("command", "flush", "keyspaces", List.of("k".repeat(49))), vars, conn(kind))));
        assertTrue(tooLong.getMessage().contains("1 to 48 letters"), tooLong.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connections")
    void tar_hostileDataDirAndDestNames_neverExecuted(String kind) throws Exception {
        TarModule tar = new TarModule();
        for (String p : payloads()) {
            if (p.contains("\n")) {
                continue;
            }
            Path data = Files.createDirectories(tmp.resolve("data-" + Math.abs(p.hashCode())).resolve(p));
            Path snap = Files.createDirectories(data.resolve("ks1/t1-5b4b6c10a3d911ef9e2b6f1e2a3b4c5d/snapshots/nightly"));
            Files.writeString(snap.resolve("nb-1-big-Data.db"), "data " + p);
            Files.writeString(snap.resolve("manifest.json"), "{\"files\":[\"nb-1-big-Data.db\"]}");
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("snapshot", "nightly");
            args.put("dest", tmp.resolve("backups").resolve(p).toString());
            Result r = run(tar, ctx(tar, args, Map.of("cassandra_data_dirs", List.of(data.toString())), conn(kind)));
            assertEquals(Result.Outcome.CHANGED, r.status(), r.msg());
            assertTrue(Files.exists(Path.of((String) r.data().get("archive"))), kind + ": " + p);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connections")
    void nodetool_tagRules(String kind) {
        assertFalse(conn(kind).host().isEmpty());
        NodetoolModule nodetool = new NodetoolModule();
        Map<String, Object> vars = Map.of("nodetool_cmd", List.of("/bin/false"));
        for (String bad : List.of("..", ".", "a/b", "a\\b", "a:b", "-x", " ", "a\u0000b", "a\rb")) {
            ModuleException e = assertThrows(ModuleException.class, () -> run(nodetool,
                    ctx(nodetool, Map.of("command", "snapshot", "tag", bad), vars, conn(kind))), bad);
            assertTrue(e.getMessage().contains("is not usable as a snapshot name"), e.getMessage());
        }
    }
}
