package dev.ringplan.modules.command;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ExecOptions;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.DeclaredModule;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.ReturnSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code command}: runs a program on the host, like Ansible's {@code command} and {@code shell}
 * modules. The command is an argument list executed without a shell unless {@code shell: true}.
 */
public final class CommandModule extends DeclaredModule {
    /** The shell used by {@code shell: true}. */
    public static final String SHELL = "/bin/sh";

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg(ArgDef.of("cmd", ArgDef.Type.ANY, "The command: a string (split into words like a shell, quotes"
                    + " honoured, no expansion) or a list (the argv as is). With shell: true, the script for /bin/sh -c."))
            .arg(ArgDef.of("argv", ArgDef.Type.LIST, "The argv as a list (instead of cmd)."))
            .arg(ArgDef.of("shell", ArgDef.Type.BOOL, "Run cmd (a string) with /bin/sh -c: pipes, redirections,"
                    + " variables work. Default false.").withDefault(false))
            .arg(ArgDef.of("chdir", ArgDef.Type.STR, "Working directory on the host."))
            .arg(ArgDef.of("creates", ArgDef.Type.STR, "A path on the host; when it exists the command is not run (ok)."))
            .arg(ArgDef.of("removes", ArgDef.Type.STR, "A path on the host; when it does not exist the command is not run (ok)."))
            .arg(ArgDef.of("stdin", ArgDef.Type.STR, "Text fed to the command's standard input (UTF-8)."))
            .arg(ArgDef.of("env", ArgDef.Type.MAP, "Extra environment variables."))
            .arg(ArgDef.of("timeout", ArgDef.Type.INT, "Seconds before the command is killed and the task fails."
                    + " Default 3600.").withDefault(3600L))
            .freeForm("cmd")
            .requiredOneOf("cmd", "argv")
            .mutuallyExclusive("cmd", "argv")
            .onlyFor("shell", List.of("false"), "argv")
            .build();

    private static final ModuleDoc DOC = new ModuleDoc(
            "Run a command on the host (argv, or a /bin/sh script with shell: true).",
            """
            Without shell, the command runs as an argument list: cmd given as a string is split into words
            with POSIX shell quoting rules (single quotes, double quotes, backslashes; as Python's
            shlex.split, which Ansible's command module uses) and nothing is expanded: no variables, globs,
            pipes or redirections. Over SSH the connection quotes each word for the remote shell, so the
            program receives exactly these words. With shell: true, cmd (one string) runs as
            /bin/sh -c <cmd>; use it only when shell features are needed.

            Like Ansible, a command that ran is reported changed (the module cannot know what it did);
            use creates/removes to make it idempotent: creates names a path whose existence means the work
            is done, removes a path whose absence means it is done. Relative creates/removes paths resolve
            against chdir (they need chdir). No globbing.
            A non-zero exit status fails the task with the status and the last line of stderr.
            Check mode runs nothing. Without creates/removes the result cannot be known before the
            command runs: the preview is unknown, with the exact command. With them, ok when they say
            the work is done, else changed (the command would run); unknown instead when an earlier
            task of the run would change something, since it may create or remove that path.
            """,
            """
            - id: heap-dump-dir
              command: mkdir -p /var/tmp/dumps
            - id: init
              command:
                argv: [/opt/tool/init, --name, "my cluster"]
                creates: /var/lib/tool/initialised
            - id: count-sstables
              command:
                cmd: "ls /var/lib/cassandra/data/ks1/*/ | wc -l"
                shell: true
              register: count
            """);

    private static final ReturnSpec RETURNS = ReturnSpec.builder()
            .key(ReturnSpec.key("cmd", ReturnSpec.Type.STR, "the command as one display line (words quoted as a shell"
                    + " would need)"))
            .key(ReturnSpec.key("argv", ReturnSpec.Type.LIST, "the argument list that ran (or would run)"))
            .key(ReturnSpec.key("rc", ReturnSpec.Type.INT, "exit status (null when none arrived; 0 when creates/removes"
                    + " skipped the command)").nullable())
            .key(ReturnSpec.key("stdout", ReturnSpec.Type.STR, "output text, trailing newlines removed (skipped: why)"))
            .key(ReturnSpec.key("stderr", ReturnSpec.Type.STR, "error text, trailing newlines removed"))
            .key(ReturnSpec.key("stdout_lines", ReturnSpec.Type.LIST, "stdout split into lines"))
            .key(ReturnSpec.key("stderr_lines", ReturnSpec.Type.LIST, "stderr split into lines"))
            .key(ReturnSpec.key("duration_ms", ReturnSpec.Type.INT, "wall time in milliseconds"))
            .build();

    /** The command module (stateless). */
    public CommandModule() {
        super("command", DOC, SPEC, RETURNS);
    }

    /**
     * Works out the argv a call runs from validated arguments (which give cmd or argv, and argv
     * only without shell: see the spec's rules).
     *
     * @throws ModuleException when a string does not split (unterminated quote), shell: true is
     *                         used with a cmd list, or the result is empty
     */
    static List<String> argvOf(Args a) throws ModuleException {
        Object cmd = a.get("cmd");
        boolean shell = a.bool("shell", false);
        List<String> argv;
        if (a.has("argv")) {
            argv = a.list("argv");
        } else if (cmd instanceof List<?> l) {
            if (shell) {
                throw new ModuleException("command: shell: true needs cmd as one string, not a list");
            }
            argv = new ArrayList<>();
            for (Object o : l) {
                if (o == null || o instanceof Map || o instanceof List) {
                    throw new ModuleException("command: every element of the cmd list must be a string");
                }
                argv.add(String.valueOf(o));
            }
        } else if (cmd instanceof String || cmd instanceof Number || cmd instanceof Boolean) {
            String s = String.valueOf(cmd);
            if (shell) {
                if (s.isBlank()) {
                    throw new ModuleException("command: cmd is empty");
                }
                return List.of(SHELL, "-c", s);
            }
            try {
                argv = ShellWords.split(s);
            } catch (IllegalArgumentException e) {
                throw new ModuleException("command: cannot split cmd: " + e.getMessage());
            }
        } else {
            throw new ModuleException("command: cmd must be a string or a list, got "
                    + (cmd == null ? "nothing" : "a mapping"));
        }
        if (argv.isEmpty() || argv.get(0).isEmpty()) {
            throw new ModuleException("command: the command is empty");
        }
        return List.copyOf(argv);
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        List<String> argv = argvOf(ctx.args());
        String display = ShellWords.join(argv);
        String skip = skipReason(ctx);
        if (skip != null) {
            return Preview.noChange(skip).withData(skippedData(argv, skip));
        }
        if (!ctx.args().has("creates") && !ctx.args().has("removes")) {
            return Preview.unknown("would run: " + display + " (what it changes is known after it ran)",
                    List.of(display)).withData(wouldRunData(argv));
        }
        // creates/removes say the work is not done now; an earlier change of the run may do it.
        if (!ctx.upstreamChanges().isEmpty()) {
            return Preview.unknown("would run: " + display + " unless " + ctx.upstreamChanges().get(0).node()
                    + " (an earlier task that would change) settles creates/removes", List.of(display))
                    .withData(wouldRunData(argv));
        }
        return Preview.willChange("would run: " + display, List.of(display)).withData(wouldRunData(argv));
    }

    /** Check mode's data for a command that would run: the run's keys, its outcome null (known after it ran). */
    private static Map<String, Object> wouldRunData(List<String> argv) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("cmd", ShellWords.join(argv));
        d.put("argv", argv);
        for (String k : List.of("rc", "stdout", "stderr", "stdout_lines", "stderr_lines", "duration_ms")) {
            d.put(k, null);
        }
        return d;
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        List<String> argv = argvOf(a);
        String display = ShellWords.join(argv);
        String skip = skipReason(ctx);
        if (skip != null) {
            return Result.ok(skip).withData(skippedData(argv, skip));
        }
        ExecOptions opts = ExecOptions.defaults().withTimeout(Duration.ofSeconds(a.integer("timeout", 3600)));
        if (a.has("stdin")) {
            opts = opts.withStdin(a.str("stdin").getBytes(StandardCharsets.UTF_8));
        }
        if (a.has("chdir")) {
            opts = opts.withCwd(a.str("chdir"));
        }
        Map<String, Object> env = a.map("env");
        if (!env.isEmpty()) {
            Map<String, String> e = new LinkedHashMap<>();
            env.forEach((k, v) -> e.put(k, v == null ? "" : String.valueOf(v)));
            opts = opts.withEnv(e);
        }
        ExecResult r;
        try {
            r = connection(ctx).exec(argv, opts);
        } catch (ConnectionException e) {
            throw new ModuleException("command: " + display + ": " + e.getMessage(), e);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("cmd", display);
        data.put("argv", argv);
        data.put("rc", r.exitStatus());
        String out = stripTrailingNewlines(r.stdout());
        String err = stripTrailingNewlines(r.stderr());
        data.put("stdout", out);
        data.put("stderr", err);
        data.put("stdout_lines", lines(out));
        data.put("stderr_lines", lines(err));
        data.put("duration_ms", r.durationMs());
        if (!r.ok()) {
            return Result.failed("command failed: " + display + ": " + r.failureSummary())
                    .withCommands(List.of(display)).withData(data);
        }
        return Result.changed("ran: " + display).withCommands(List.of(display)).withData(data);
    }

    /** Why creates/removes make running unnecessary, or null when the command should run. */
    private static String skipReason(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        if (a.has("creates")) {
            String p = hostPath(a, "creates");
            if (stat(ctx, p).isPresent()) {
                return "skipped, since " + p + " exists";
            }
        }
        if (a.has("removes")) {
            String p = hostPath(a, "removes");
            if (stat(ctx, p).isEmpty()) {
                return "skipped, since " + p + " does not exist";
            }
        }
        return null;
    }

    private static String hostPath(Args a, String arg) throws ModuleException {
        String p = a.str(arg);
        if (p.startsWith("/")) {
            return p;
        }
        if (!a.has("chdir")) {
            throw new ModuleException("command: " + arg + " path '" + p + "' is relative; make it absolute or give chdir");
        }
        String dir = a.str("chdir");
        return dir.endsWith("/") ? dir + p : dir + "/" + p;
    }

    private static Optional<FileStat> stat(ModuleContext ctx, String path) throws ModuleException {
        try {
            return connection(ctx).stat(path);
        } catch (ConnectionException e) {
            throw new ModuleException("command: cannot stat " + path + ": " + e.getMessage(), e);
        }
    }

    private static Connection connection(ModuleContext ctx) throws ModuleException {
        try {
            return ctx.connection();
        } catch (ConnectionException e) {
            throw new ModuleException("cannot reach " + ctx.host() + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> skippedData(List<String> argv, String reason) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("cmd", ShellWords.join(argv));
        d.put("argv", argv);
        d.put("rc", 0);
        d.put("stdout", reason);
        d.put("stderr", "");
        d.put("stdout_lines", List.of(reason));
        d.put("stderr_lines", List.of());
        d.put("duration_ms", 0L);
        return d;
    }

    private static String stripTrailingNewlines(String s) {
        if (s == null) {
            return "";
        }
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static List<String> lines(String s) {
        if (s.isEmpty()) {
            return List.of();
        }
        return List.of(s.split("\r?\n", -1));
    }
}
