package dev.ringplan.modules.sysctl;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.connection.ShellQuote;
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
import dev.ringplan.modules.yamledit.YamlEditModule;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code sysctl} module: a kernel parameter's value, in the running kernel and in a sysctl
 * configuration file, after Ansible's {@code ansible.posix.sysctl} (arguments {@code name},
 * {@code value}, {@code state}, {@code sysctl_file}, {@code sysctl_set}, {@code reload},
 * {@code ignoreerrors}, with its defaults and its rules for what changes: {@link SysctlDecision};
 * the file's format and edit: {@link SysctlFile}).
 *
 * <p>The running value is read from {@code /proc/sys/<name with dots as slashes>} through the
 * host's connection (so over SSH too); it is written with {@code sysctl -w name=value}, and the
 * file is applied with {@code sysctl -p <file>} ({@code -e} with {@code ignoreerrors}), as argument
 * lists. Two host variables exist for hosts (and tests) whose {@code /proc} or {@code sysctl} are
 * elsewhere: {@code sysctl_proc_root} (default {@code /proc}) and {@code sysctl_cmd} (default
 * {@code [sysctl]}). Ringplan's addition: {@code persist: false} sets the running value only,
 * like the runbooks' {@code sysctl -w}.
 */
public final class SysctlModule extends DeclaredModule {
    /** Ansible's default file. */
    static final String DEFAULT_FILE = "/etc/sysctl.conf";
    private static final Pattern NAME = Pattern.compile("[a-z0-9_][a-z0-9_.-]*");
    /** Ansible's {@code BOOLEANS_TRUE}/{@code BOOLEANS_FALSE} text forms, which it writes as 1 and 0. */
    private static final Set<String> TRUE = Set.of("y", "yes", "on", "1", "true", "t", "1.0");
    private static final Set<String> FALSE = Set.of("n", "no", "off", "0", "false", "f", "0.0");

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg(ArgDef.of("name", ArgDef.Type.STR, "The kernel parameter, e.g. vm.max_map_count.").asRequired())
            .arg(ArgDef.of("value", ArgDef.Type.STR, "Its value (state: present); yes/true and no/false are written 1"
                    + " and 0, as Ansible does."))
            .arg(ArgDef.of("state", ArgDef.Type.STR, "present: the file sets it; absent: no line of the file sets it.")
                    .withDefault("present").choices("present", "absent"))
            .arg(ArgDef.of("sysctl_file", ArgDef.Type.STR, "The file that keeps the value across reboots (absolute"
                    + " path), e.g. /etc/sysctl.d/99-cassandra.conf.").withDefault(DEFAULT_FILE))
            .arg(ArgDef.of("sysctl_set", ArgDef.Type.BOOL, "Also set the running value with sysctl -w when it"
                    + " differs.").withDefault(false))
            .arg(ArgDef.of("reload", ArgDef.Type.BOOL, "After a change, apply the file with sysctl -p <file>.")
                    .withDefault(true))
            .arg(ArgDef.of("ignoreerrors", ArgDef.Type.BOOL, "Accept a parameter this kernel does not have (sysctl -e)"
                    + " instead of failing.").withDefault(false))
            .arg(ArgDef.of("persist", ArgDef.Type.BOOL, "false: leave every file alone and set the running value only"
                    + " (needs sysctl_set: true). Not an Ansible argument.").withDefault(true))
            .requiredIf("state", "present", "value")
            .onlyFor("state", List.of("present"), "value", "sysctl_set")
            .onlyFor("persist", List.of("true"), "sysctl_file", "reload")
            .build();

    private static final ModuleDoc DOC = new ModuleDoc(
            "Set a kernel parameter (sysctl) in the running kernel and/or a sysctl configuration file.",
            """
            Follows Ansible's ansible.posix.sysctl: name, value, state (present/absent), sysctl_file
            (default /etc/sysctl.conf), sysctl_set (default false: the file only), reload (default true:
            after a change, sysctl -p <sysctl_file>), ignoreerrors (default false). Aliases (key, val) and
            other operating systems than Linux are not supported; value and sysctl_set with state: absent,
            which Ansible ignores, are errors here. persist: false (a Ringplan addition) leaves files alone
            and only sets the running value, like 'sysctl -w vm.max_map_count=262144'.

            Reads first, then decides as Ansible does. The running value comes from /proc/sys/<name with
            dots as slashes> through the host's connection (host variable sysctl_proc_root replaces
            /proc); the file value is that of the file's last line for the name. Values are compared
            as Ansible compares them: split on whitespace, word by word ('4096 87380  6291456' equals the
            tab-separated '4096<TAB>87380<TAB>6291456'); yes/true/on and no/false/off mean 1 and 0. The file
            changes when its value differs (state: present) or when it sets the name (absent); the
            running value is set with 'sysctl -w name=value' when sysctl_set is true and it differs; with
            reload, a file that already matched but a running value that does not is a change too, and
            any change ends with 'sysctl -p <file>'. Nothing to do: ok, nothing runs.

            The file edit touches only the lines of the name (the first gets the value, its spacing kept;
            later duplicates are removed; absent, it is appended), with a diff; the file is created when
            missing (its directory must exist) and written in place. A name the kernel does not have
            (no file under /proc/sys) fails the task unless ignoreerrors is true. Check mode reads only,
            and shows the diff and the commands. Commands run as argument lists (host variable
            sysctl_cmd, default [sysctl]) and need the rights to change the kernel (root).""",
            """
            - id: max-map-count          # Cassandra's production setting, now and after reboots
              sysctl: { name: vm.max_map_count, value: 262144, sysctl_set: true, sysctl_file: /etc/sysctl.d/99-cassandra.conf }

            - id: max-map-count-now      # the runbook's 'sysctl -w vm.max_map_count=262144' only
              sysctl: { name: vm.max_map_count, value: 262144, sysctl_set: true, persist: false }

            - id: no-swappiness-override
              sysctl: { name: vm.swappiness, state: absent, sysctl_file: /etc/sysctl.d/99-cassandra.conf }
            """);

    private static final ReturnSpec RETURNS = ReturnSpec.builder()
            .key(ReturnSpec.key("name", ReturnSpec.Type.STR, "the parameter"))
            .key(ReturnSpec.key("value", ReturnSpec.Type.STR, "the value asked for, as compared and written (yes → 1);"
                    + " null for state absent").nullable())
            .key(ReturnSpec.key("state", ReturnSpec.Type.STR, "present or absent"))
            .key(ReturnSpec.key("running_value", ReturnSpec.Type.STR, "the running value before the task, null when"
                    + " this kernel has no such parameter").nullable())
            .key(ReturnSpec.key("file_value", ReturnSpec.Type.STR, "the value the file set before the task, null when"
                    + " it set none (or persist: false)").nullable())
            .key(ReturnSpec.key("sysctl_file", ReturnSpec.Type.STR, "the file, null with persist: false").nullable())
            .key(ReturnSpec.key("file_changed", ReturnSpec.Type.BOOL, "the file was (would be) written"))
            .key(ReturnSpec.key("set_running", ReturnSpec.Type.BOOL, "sysctl -w ran (would run)"))
            .key(ReturnSpec.key("reloaded", ReturnSpec.Type.BOOL, "sysctl -p ran (would run)"))
            .key(ReturnSpec.key("cmds", ReturnSpec.Type.LIST, "the argv lists run (would run), in order"))
            .build();

    /** Used by ServiceLoader. */
    public SysctlModule() {
        super("sysctl", DOC, SPEC, RETURNS);
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        SysctlDecision d = decide(ctx);
        List<String> commands = new ArrayList<>();
        if (d.setRunning()) {
            commands.add(ShellQuote.join(d.setArgv()));
        }
        if (d.fileChanged()) {
            commands.add("write " + d.file());
        }
        if (d.reload()) {
            commands.add(ShellQuote.join(d.reloadArgv()));
        }
        if (!d.changed()) {
            return new Preview(Preview.Change.NO, d.summary(), null, List.of(), d.data(false));
        }
        return new Preview(Preview.Change.YES, "would " + d.summary(), d.diff(), commands, d.data(true));
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        SysctlDecision d = decide(ctx);
        if (!d.changed()) {
            return Result.ok(d.summary()).withData(d.data(false));
        }
        Connection c = connection(ctx);
        List<String> done = new ArrayList<>();
        if (d.setRunning()) {
            run(ctx, c, d.setArgv(), "setting " + d.name() + " failed");
            done.add(ShellQuote.join(d.setArgv()));
        }
        if (d.fileChanged()) {
            try {
                c.writeAll(d.file(), d.newText().getBytes(StandardCharsets.UTF_8));
            } catch (ConnectionException e) {
                throw new ModuleException(ctx.host() + ": cannot write " + d.file() + ": " + e.getMessage(), e);
            }
            done.add("write " + d.file());
        }
        if (d.reload()) {
            run(ctx, c, d.reloadArgv(), "reloading " + d.file() + " failed");
            done.add(ShellQuote.join(d.reloadArgv()));
        }
        return Result.changed(d.summary()).withDiff(d.diff()).withCommands(done).withData(d.data(true));
    }

    /** Reads the running value and the file, and decides (check and apply decide the same way). */
    private static SysctlDecision decide(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        String name = a.str("name").strip();
        String problem = nameProblem(name);
        if (problem != null) {
            throw new ModuleException("sysctl: name '" + name + "' is not a kernel parameter name: " + problem);
        }
        boolean present = "present".equals(a.str("state"));
        String value = present ? normalize(a.str("value")) : null;
        if (value != null && value.chars().anyMatch(ch -> ch == '\n' || ch == '\r' || ch == 0)) {
            throw new ModuleException("sysctl: the value of " + name + " must be one line");
        }
        boolean persist = a.bool("persist", true);
        boolean set = a.bool("sysctl_set", false);
        boolean ignore = a.bool("ignoreerrors", false);
        if (!persist && !set) {
            throw new ModuleException("sysctl: persist: false leaves files alone, so it needs sysctl_set: true (set"
                    + " the running value), else the task has nothing to do");
        }
        String file = persist ? a.str("sysctl_file") : null;
        if (file != null && !file.startsWith("/")) {
            throw new ModuleException("sysctl: sysctl_file must be an absolute path, got '" + file + "'");
        }
        Connection c = connection(ctx);
        List<String> sysctl = sysctlCmd(ctx);
        String procPath = procRoot(ctx) + "/sys/" + name.replace('.', '/');
        String running = readRunning(ctx, c, procPath);
        if (running == null && present && !ignore) {
            throw new ModuleException(ctx.host() + ": the kernel has no parameter " + name + " (no " + procPath
                    + "); ignoreerrors: true writes it anyway");
        }
        String oldText = null;
        if (file != null) {
            oldText = readFile(ctx, c, file);
        }
        return SysctlDecision.decide(name, value, present, running, file, oldText, set,
                persist && a.bool("reload", true), ignore, sysctl);
    }

    /** Why {@code name} is not a parameter name, or null: [a-z0-9_.-], no '..', no '/', no leading dot. */
    static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "it is empty";
        }
        if (name.contains("/")) {
            return "it contains '/' (write the dotted name, e.g. vm.max_map_count)";
        }
        if (name.contains("..") || name.endsWith(".")) {
            return "it has an empty part between dots";
        }
        if (!NAME.matcher(name).matches()) {
            return "only a-z, 0-9, '_', '.' and '-' are allowed, starting with a letter, digit or '_'";
        }
        return null;
    }

    /**
     * Ansible's {@code _parse_value}: booleans and their text forms become 1 and 0, other text
     * is stripped.
     */
    static String normalize(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        String lower = v.toLowerCase(Locale.ROOT);
        if (TRUE.contains(lower)) {
            return "1";
        }
        if (FALSE.contains(lower)) {
            return "0";
        }
        return v;
    }

    /** Ansible's {@code _values_is_equal}: equal word by word after splitting on whitespace; null equals nothing. */
    static boolean equal(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return List.of(a.strip().split("\\s+")).equals(List.of(b.strip().split("\\s+")));
    }

    private static String readRunning(ModuleContext ctx, Connection c, String procPath) throws ModuleException {
        try {
            Optional<FileStat> st = c.stat(procPath);
            if (st.isEmpty() || st.get().type() != FileStat.Type.FILE) {
                return null;
            }
            return new String(c.readAll(procPath), StandardCharsets.UTF_8).strip();
        } catch (ConnectionException e) {
            throw new ModuleException(ctx.host() + ": cannot read " + procPath + ": " + e.getMessage(), e);
        }
    }

    /** The file's text, or null when it does not exist. */
    private static String readFile(ModuleContext ctx, Connection c, String file) throws ModuleException {
        try {
            Optional<FileStat> st = c.stat(file);
            if (st.isEmpty()) {
                String dir = file.substring(0, Math.max(1, file.lastIndexOf('/')));
                if (c.stat(dir).filter(s -> s.type() == FileStat.Type.DIRECTORY).isEmpty()) {
                    throw new ModuleException(ctx.host() + ": cannot keep " + file + ": directory " + dir
                            + " does not exist");
                }
                return null;
            }
            if (st.get().type() != FileStat.Type.FILE) {
                throw new ModuleException(ctx.host() + ": " + file + " is not a regular file");
            }
            return new String(c.readAll(file), StandardCharsets.UTF_8);
        } catch (ConnectionException e) {
            throw new ModuleException(ctx.host() + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void run(ModuleContext ctx, Connection c, List<String> argv, String what) throws ModuleException {
        ExecResult r;
        try {
            r = c.exec(argv);
        } catch (ConnectionException e) {
            throw new ModuleException(ctx.host() + ": " + what + ": " + e.getMessage(), e);
        }
        if (!r.ok()) {
            String err = (r.stderr() == null || r.stderr().isBlank() ? r.stdout() : r.stderr());
            throw new ModuleException(ctx.host() + ": " + what + " (" + ShellQuote.join(argv) + ", "
                    + (r.exitStatus() == null ? "no exit status" : "exit status " + r.exitStatus()) + "): "
                    + (err == null || err.isBlank() ? "(no output)" : err.strip()));
        }
    }

    private static Connection connection(ModuleContext ctx) throws ModuleException {
        try {
            return ctx.connection();
        } catch (ConnectionException e) {
            throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
        }
    }

    /** Host variable sysctl_proc_root (default /proc), without a trailing slash. */
    private static String procRoot(ModuleContext ctx) throws ModuleException {
        Object v = ctx.hostVar("sysctl_proc_root");
        if (v == null) {
            return "/proc";
        }
        if (!(v instanceof String s) || !s.startsWith("/")) {
            throw new ModuleException("host " + ctx.host() + ": variable 'sysctl_proc_root' must be an absolute path,"
                    + " got " + v);
        }
        return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Host variable sysctl_cmd (default [sysctl]): a list of words, or one word. */
    private static List<String> sysctlCmd(ModuleContext ctx) throws ModuleException {
        Object v = ctx.hostVar("sysctl_cmd");
        if (v == null) {
            return List.of("sysctl");
        }
        if (v instanceof String s && !s.isBlank()) {
            return List.of(s.strip());
        }
        if (v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(o -> o instanceof String)) {
            List<String> out = new ArrayList<>();
            l.forEach(o -> out.add((String) o));
            return out;
        }
        throw new ModuleException("host " + ctx.host() + ": variable 'sysctl_cmd' must be a command (a list of"
                + " words, or one word), got " + v);
    }

    /** Keeps the file's diff helper at hand for {@link SysctlDecision}. */
    static String diff(String path, String before, String after) {
        return YamlEditModule.unifiedDiff(path, before, after);
    }

    /** Builds registered data in the declared key order. */
    static Map<String, Object> data(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
