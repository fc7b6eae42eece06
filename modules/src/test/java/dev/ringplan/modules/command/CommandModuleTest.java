package dev.ringplan.modules.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.UpstreamChange;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandModuleTest {
    @TempDir
    Path tmp;
    final CommandModule command = new CommandModule();
    final CountingConnection conn = new CountingConnection("n1");

    private ModuleContext ctx(Map<String, Object> args, boolean check) throws ModuleException {
        return Contexts.of(command, args, Map.of(), conn, check, tmp);
    }

    private Result run(Map<String, Object> args) throws ModuleException {
        ModuleContext c = ctx(args, false);
        return command.apply(c.withPreview(command.check(c)));
    }

    @Test
    void apply_stringCmd_argvKeepsQuotedWords() throws Exception {
        Result r = run(Map.of("cmd", "printf '%s|' 'a b' \"c'd\" $HOME '*'"));
        assertEquals(Result.Outcome.CHANGED, r.status());
        assertEquals("a b|c'd|$HOME|*|", r.data().get("stdout"));
        assertEquals(0, r.data().get("rc"));
        assertEquals(List.of("printf", "%s|", "a b", "c'd", "$HOME", "*"), r.data().get("argv"));
        assertEquals("printf '%s|' 'a b' 'c'\"'\"'d' '$HOME' '*'", r.data().get("cmd"));
    }

    @Test
    void apply_listCmdAndArgv_runAsIs() throws Exception {
        Result r = run(Map.of("cmd", List.of("printf", "%s\\n", "x y", "z")));
        assertEquals(List.of("x y", "z"), r.data().get("stdout_lines"));
        r = run(Map.of("argv", List.of("printf", "[%s]", "$(id)")));
        assertEquals("[$(id)]", r.data().get("stdout"));
    }

    @Test
    void apply_shellTrue_usesShellFeatures() throws Exception {
        Path out = tmp.resolve("out.txt");
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("cmd", "echo hello | tr a-z A-Z > " + out + "; echo done; echo warn >&2");
        args.put("shell", true);
        Result r = run(args);
        assertEquals(Result.Outcome.CHANGED, r.status());
        assertEquals("HELLO\n", Files.readString(out));
        assertEquals("done", r.data().get("stdout"));
        assertEquals(List.of("warn"), r.data().get("stderr_lines"));
        assertEquals(List.of("/bin/sh", "-c", args.get("cmd")), r.data().get("argv"));
    }

    @Test
    void apply_chdirAndStdin() throws Exception {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("cmd", "cat");
        args.put("stdin", "line1\nline2\n");
        assertEquals(List.of("line1", "line2"), run(args).data().get("stdout_lines"));
        assertEquals(tmp.toRealPath().toString(), run(Map.of("cmd", "pwd", "chdir", tmp.toString())).data().get("stdout"));
    }

    @Test
    void apply_creates_skipsWhenPathExists() throws Exception {
        Path marker = tmp.resolve("marker");
        Map<String, Object> args = Map.of("cmd", "touch " + marker, "creates", marker.toString());
        assertEquals(Result.Outcome.CHANGED, run(args).status());
        assertTrue(Files.exists(marker));
        int calls = conn.execCalls.get();
        ModuleContext c = ctx(args, false);
        Preview p = command.check(c);
        assertEquals(Preview.Change.NO, p.change());
        Result r = command.apply(c.withPreview(p));
        assertEquals(Result.Outcome.OK, r.status());
        assertEquals("skipped, since " + marker + " exists", r.msg());
        assertEquals(calls, conn.execCalls.get());
    }

    @Test
    void apply_removes_skipsWhenPathMissing() throws Exception {
        Path victim = tmp.resolve("victim");
        Files.writeString(victim, "x");
        Map<String, Object> args = Map.of("argv", List.of("rm", "victim"), "chdir", tmp.toString(), "removes", "victim");
        assertEquals(Result.Outcome.CHANGED, run(args).status());
        assertFalse(Files.exists(victim));
        Result r = run(args);
        assertEquals(Result.Outcome.OK, r.status());
        assertTrue(r.msg().contains("does not exist"));
        ModuleException e = assertThrows(ModuleException.class, () -> run(Map.of("cmd", "true", "removes", "rel")));
        assertTrue(e.getMessage().contains("relative"));
    }

    @Test
    void apply_nonZeroRc_failsWithLastStderrLine() throws Exception {
        Result r = run(Map.of("cmd", "echo first >&2; echo 'the real reason' >&2; exit 3", "shell", "yes"));
        assertEquals(Result.Outcome.FAILED, r.status());
        assertTrue(r.msg().endsWith("exit status 3: the real reason"), r.msg());
        assertEquals(3, r.data().get("rc"));
        assertEquals(List.of("first", "the real reason"), r.data().get("stderr_lines"));
    }

    @Test
    void check_checkMode_runsNothing() throws Exception {
        Path marker = tmp.resolve("marker");
        ModuleContext c = ctx(Map.of("cmd", "touch " + marker), true);
        Preview p = command.check(c);
        assertEquals(Preview.Change.UNKNOWN, p.change());
        assertEquals(List.of("touch " + marker), p.commands());
        assertTrue(p.summary().contains("would run: touch " + marker));
        assertFalse(Files.exists(marker));
        assertEquals(0, conn.execCalls.get());
        Files.writeString(marker, "");
        assertEquals(Preview.Change.NO, command.check(ctx(Map.of("cmd", "rm " + marker, "creates", marker.toString()), true)).change());
        assertTrue(Files.exists(marker));
        assertEquals(0, conn.execCalls.get());
    }

    @Test
    void check_createsAbsent_changedUnlessAnEarlierTaskWouldChangeSomething() throws Exception {
        Path marker = tmp.resolve("made");
        Map<String, Object> args = Map.of("cmd", "touch " + marker, "creates", marker.toString());
        Preview p = command.check(ctx(args, true));
        assertEquals(Preview.Change.YES, p.change(), "creates says the work is not done: the command would run");
        assertEquals(List.of("touch " + marker), p.commands());

        UpstreamChange earlier = new UpstreamChange("unpack[n1]", "unpack", "n1", "tar", Map.of(),
                Preview.Change.YES, "would unpack");
        Preview after = command.check(ctx(args, true).withUpstreamChanges(() -> List.of(earlier)));
        assertEquals(Preview.Change.UNKNOWN, after.change(), "unpack[n1] may create the path first");
        assertTrue(after.summary().contains("unpack[n1]"), after.summary());

        Preview plain = command.check(ctx(Map.of("cmd", "touch " + marker), true));
        assertEquals(Preview.Change.UNKNOWN, plain.change(), "no creates/removes: known only after it ran");
        assertFalse(Files.exists(marker));
        assertEquals(0, conn.execCalls.get());
    }

    @Test
    void argvOf_badCombinations_clearErrors() throws Exception {
        assertEquals("command: one of the arguments 'cmd', 'argv' is required",
                assertThrows(ModuleException.class, () -> command.check(ctx(Map.of(), false))).getMessage());
        assertEquals("command: arguments 'cmd' and 'argv' are mutually exclusive",
                assertThrows(ModuleException.class, () -> command.check(ctx(Map.of("cmd", "a", "argv", List.of("b")),
                        false))).getMessage());
        assertEquals("command: argument 'argv' is only for shell false (shell is true)",
                assertThrows(ModuleException.class, () -> command.check(ctx(Map.of("argv", List.of("b"), "shell", true),
                        false))).getMessage());
        assertTrue(assertThrows(ModuleException.class, () -> command.check(ctx(Map.of("cmd", List.of("a"), "shell", true), false)))
                .getMessage().contains("one string"));
        assertTrue(assertThrows(ModuleException.class, () -> command.check(ctx(Map.of("cmd", "echo 'x"), false)))
                .getMessage().contains("unterminated single quote"));
        assertTrue(assertThrows(ModuleException.class, () -> command.check(ctx(Map.of("cmd", "  "), false)))
                .getMessage().contains("empty"));
        assertEquals("cmd", command.argSpec().freeForm());
    }
}
