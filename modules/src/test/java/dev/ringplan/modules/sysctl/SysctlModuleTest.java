package dev.ringplan.modules.sysctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.ModuleRegistry;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.testing.Contexts;
import dev.ringplan.modules.testing.CountingConnection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sysctl} through the local connection, on a fake {@code /proc} in a temporary directory
 * (host variable sysctl_proc_root) and a fake {@code sysctl} (host variable sysctl_cmd: a script
 * that logs its arguments and writes {@code -w} and {@code -p} values into that fake /proc), so
 * the test machine's kernel is never changed; and once on the real /proc, read-only.
 */
class SysctlModuleTest {
    @TempDir
    Path tmp;
    private final SysctlModule module = new SysctlModule();
    private final CountingConnection conn = new CountingConnection("n1");
    private Path proc;
    private Path etc;
    private Path calls;
    private Map<String, Object> vars;

    @BeforeEach
    void setUp() throws IOException {
        proc = tmp.resolve("proc");
        etc = Files.createDirectories(tmp.resolve("etc/sysctl.d"));
        calls = tmp.resolve("sysctl-calls.log");
        running("vm.max_map_count", "65530");
        running("vm.swappiness", "60");
        running("net.ipv4.tcp_rmem", "4096\t131072\t6291456");
        Path script = tmp.resolve("sysctl.sh");
        Files.writeString(script, """
                #!/usr/bin/env bash
                # fake sysctl: $1 is the fake proc root; then sysctl's arguments
                set -u
                root=$1; shift
                echo "$*" >> '%s'
                e=0
                set_one() {
                  local f="$root/sys/${1//.//}"
                  if [ ! -f "$f" ]; then
                    [ $e = 1 ] && return 0
                    echo "sysctl: cannot stat /proc/sys/${1//.//}: No such file or directory" >&2; exit 255
                  fi
                  printf '%%s\\n' "$2" > "$f"
                }
                while [ $# -gt 0 ]; do
                  case "$1" in
                    -e) e=1 ;;
                    -w) shift; set_one "${1%%%%=*}" "${1#*=}" ;;
                    -p) shift
                        while IFS= read -r line; do
                          case "$line" in ''|'#'*|';'*) continue ;; esac
                          k=$(echo "${line%%%%=*}" | tr -d ' -'); v=$(echo "${line#*=}" | sed 's/^ *//')
                          set_one "$k" "$v"
                        done < "$1" ;;
                  esac
                  shift
                done
                """.formatted(calls), StandardCharsets.UTF_8);
        vars = new HashMap<>();
        vars.put("ansible_connection", "local");
        vars.put("sysctl_proc_root", proc.toString());
        vars.put("sysctl_cmd", List.of("bash", script.toString(), proc.toString()));
    }

    private void running(String name, String value) throws IOException {
        Path f = proc.resolve("sys/" + name.replace('.', '/'));
        Files.createDirectories(f.getParent());
        Files.writeString(f, value + "\n", StandardCharsets.UTF_8);
    }

    private String runningValue(String name) throws IOException {
        return Files.readString(proc.resolve("sys/" + name.replace('.', '/'))).strip();
    }

    private List<String> sysctlCalls() throws IOException {
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    private ModuleContext ctx(Map<String, Object> raw, boolean check) throws ModuleException {
        return Contexts.of(module, raw, vars, conn, check, tmp);
    }

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private String file() {
        return etc.resolve("99-cassandra.conf").toString();
    }

    /** What the executor does in a run: check, then apply unless nothing is to be done. */
    private Result run(Map<String, Object> raw) throws ModuleException {
        ModuleContext c = ctx(raw, false);
        Preview p = module.check(c);
        return p.change() == Preview.Change.NO ? Result.ok(p.summary()).withData(p.data()) : module.apply(c.withPreview(p));
    }

    @Test
    void registry_findsSysctl() {
        Module m = ModuleRegistry.load().find("sysctl").orElseThrow();
        assertEquals(SysctlModule.class, m.getClass());
    }

    @Test
    void checkMode_previewsDiffAndCommands_changesNothing() throws Exception {
        Preview p = module.check(ctx(args("name", "vm.max_map_count", "value", 262144, "sysctl_set", true,
                "sysctl_file", file()), true));
        assertEquals(Preview.Change.YES, p.change());
        assertEquals("would set vm.max_map_count to 262144 (running value 65530 -> 262144; " + file()
                + ": add the line; then sysctl -p " + file() + ")", p.summary());
        String script = ((List<?>) vars.get("sysctl_cmd")).get(1).toString();
        String prefix = "bash " + script + " " + proc;
        assertEquals(List.of(prefix + " -w 'vm.max_map_count=262144'", "write " + file(), prefix + " -p " + file()),
                p.commands());
        assertTrue(p.diff().contains("\n+vm.max_map_count=262144\n"), p.diff());
        assertEquals("65530", p.data().get("running_value"));
        assertNull(p.data().get("file_value"));
        assertEquals(true, p.data().get("set_running"));
        assertEquals(0, conn.execCalls.get(), "check runs nothing");
        assertFalse(Files.exists(etc.resolve("99-cassandra.conf")));
        assertEquals("65530", runningValue("vm.max_map_count"));
    }

    @Test
    void run_setsRunningValueAndFile_thenOk() throws Exception {
        Map<String, Object> a = args("name", "vm.max_map_count", "value", "262144", "sysctl_set", true,
                "sysctl_file", file());
        Result r = run(a);
        assertTrue(r.changed());
        assertEquals("262144", runningValue("vm.max_map_count"));
        assertEquals("vm.max_map_count=262144\n", Files.readString(Path.of(file())));
        assertEquals(List.of("-w vm.max_map_count=262144", "-p " + file()), sysctlCalls());
        assertEquals(2, ((List<?>) r.data().get("cmds")).size());
        assertTrue(r.diff().contains("+vm.max_map_count=262144"), r.diff());

        Result again = run(a);
        assertEquals(Result.Outcome.OK, again.status());
        assertEquals("vm.max_map_count is already 262144 (running value and " + file() + ")", again.msg());
        assertEquals(2, sysctlCalls().size(), "nothing ran the second time");
        assertEquals(List.of(), again.data().get("cmds"));
        assertEquals(false, again.data().get("file_changed"));
    }

    @Test
    void persistFalse_runningValueOnly_likeSysctlW() throws Exception {
        Result r = run(args("name", "vm.max_map_count", "value", 262144, "sysctl_set", true, "persist", false));
        assertTrue(r.changed());
        assertEquals(List.of("-w vm.max_map_count=262144"), sysctlCalls());
        assertNull(r.data().get("sysctl_file"));
        assertEquals(List.of(), List.of(etc.toFile().list()));
        assertEquals(Result.Outcome.OK, run(args("name", "vm.max_map_count", "value", 262144, "sysctl_set", true,
                "persist", false)).status());
    }

    @Test
    void fileOnly_default_writesFileAndReloads_likeAnsible() throws Exception {
        Result r = run(args("name", "vm.swappiness", "value", 1, "sysctl_file", file()));
        assertTrue(r.changed());
        assertEquals(List.of("-p " + file()), sysctlCalls(), "no -w without sysctl_set; the reload sets it");
        assertEquals("1", runningValue("vm.swappiness"));
        assertEquals(false, r.data().get("set_running"));
        assertEquals(true, r.data().get("reloaded"));
    }

    @Test
    void fileAlreadyRight_runningDiffers_reloadIsAChange_noReloadIsNot() throws Exception {
        Files.writeString(Path.of(file()), "vm.swappiness = 1\n");
        Preview noReload = module.check(ctx(args("name", "vm.swappiness", "value", 1, "sysctl_file", file(),
                "reload", false), true));
        assertEquals(Preview.Change.NO, noReload.change(), "file right, no sysctl_set, no reload: nothing to do");
        Result r = run(args("name", "vm.swappiness", "value", 1, "sysctl_file", file()));
        assertTrue(r.changed());
        assertEquals("set vm.swappiness to 1 (running value 60 differs: the reload sets it; then sysctl -p " + file()
                + ")", r.msg());
        assertEquals(List.of("-p " + file()), sysctlCalls());
        assertEquals("1", runningValue("vm.swappiness"));
    }

    @Test
    void editKeepsOtherLines_replacesFirst_removesLaterDuplicates() throws Exception {
        Files.writeString(Path.of(file()), """
                # Cassandra
                vm.max_map_count = 65530
                ; old setting
                net.core.somaxconn=1024
                vm/max_map_count=1
                """);
        Preview p = module.check(ctx(args("name", "vm.max_map_count", "value", 1048575, "sysctl_file", file(),
                "reload", false), true));
        assertEquals("1", p.data().get("file_value"), "the last line wins, as in sysctl -p");
        module.apply(ctx(args("name", "vm.max_map_count", "value", 1048575, "sysctl_file", file(), "reload", false),
                false).withPreview(p));
        assertEquals("""
                # Cassandra
                vm.max_map_count = 1048575
                ; old setting
                net.core.somaxconn=1024
                """, Files.readString(Path.of(file())));
        assertEquals(List.of(), sysctlCalls());
    }

    @Test
    void valuesComparedWordByWord_andBooleansAsAnsible() throws Exception {
        Files.writeString(Path.of(file()), "net.ipv4.tcp_rmem = 4096 131072 6291456\nvm.overcommit_memory=1\n");
        running("vm.overcommit_memory", "1");
        assertEquals(Result.Outcome.OK, run(args("name", "net.ipv4.tcp_rmem", "value", "4096  131072 6291456",
                "sysctl_set", true, "sysctl_file", file())).status());
        Result yes = run(args("name", "vm.overcommit_memory", "value", "yes", "sysctl_set", true, "sysctl_file",
                file()));
        assertEquals(Result.Outcome.OK, yes.status());
        assertEquals("1", yes.data().get("value"));
        assertEquals(List.of(), sysctlCalls());
    }

    @Test
    void absent_removesTheLine_thenOk_runningValueLeftAlone() throws Exception {
        Files.writeString(Path.of(file()), "vm.swappiness=1\nvm.max_map_count=262144\n");
        Result r = run(args("name", "vm.swappiness", "state", "absent", "sysctl_file", file(), "reload", false));
        assertTrue(r.changed());
        assertEquals("remove vm.swappiness from " + file() + " (" + file() + ": remove the line)", r.msg());
        assertEquals("vm.max_map_count=262144\n", Files.readString(Path.of(file())));
        assertEquals("60", runningValue("vm.swappiness"));
        assertNull(r.data().get("value"));
        Result again = run(args("name", "vm.swappiness", "state", "absent", "sysctl_file", file(), "reload", false));
        assertEquals(Result.Outcome.OK, again.status());
        assertEquals(file() + " sets no vm.swappiness (nothing to remove)", again.msg());
    }

    @Test
    void unknownParameter_fails_unlessIgnoreerrors() throws Exception {
        ModuleException e = assertThrows(ModuleException.class, () -> module.check(ctx(args("name", "vm.no_such",
                "value", 1, "sysctl_set", true, "sysctl_file", file()), true)));
        assertEquals("n1: the kernel has no parameter vm.no_such (no " + proc + "/sys/vm/no_such); ignoreerrors: true"
                + " writes it anyway", e.getMessage());
        Result r = run(args("name", "vm.no_such", "value", 1, "sysctl_set", true, "sysctl_file", file(),
                "ignoreerrors", true));
        assertTrue(r.changed());
        assertEquals(List.of("-e -p " + file()), sysctlCalls(), "nothing to set with -w; -p ignores the unknown key");
        assertNull(r.data().get("running_value"));
        assertEquals(Result.Outcome.OK, run(args("name", "vm.no_such", "value", 1, "sysctl_set", true, "sysctl_file",
                file(), "ignoreerrors", true)).status(), "an unknown key is not a change on every run");
    }

    @Test
    void failingSysctl_failsWithItsMessage() throws Exception {
        Path denied = tmp.resolve("denied.sh");
        Files.writeString(denied, "echo \"sysctl: permission denied on key '${2%%=*}'\" >&2; exit 255\n");
        vars.put("sysctl_cmd", List.of("bash", denied.toString()));
        ModuleException e = assertThrows(ModuleException.class, () -> run(args("name", "vm.max_map_count", "value",
                262144, "sysctl_set", true, "persist", false)));
        assertEquals("n1: setting vm.max_map_count failed (bash " + denied + " -w 'vm.max_map_count=262144', exit status"
                + " 255): sysctl: permission denied on key 'vm.max_map_count'", e.getMessage());
    }

    @Test
    void badNamesAndArguments_refused() throws Exception {
        for (String bad : List.of("vm/max_map_count", "vm..x", "../etc/passwd", "VM.X", ".vm", "vm.", "vm x")) {
            ModuleException e = assertThrows(ModuleException.class, () -> module.check(ctx(args("name", bad, "value", 1,
                    "persist", false, "sysctl_set", true), true)), bad);
            assertTrue(e.getMessage().startsWith("sysctl: name '" + bad + "' is not a kernel parameter name"),
                    e.getMessage());
        }
        ModuleException nothing = assertThrows(ModuleException.class, () -> module.check(ctx(args("name",
                "vm.swappiness", "value", 1, "persist", false), true)));
        assertTrue(nothing.getMessage().startsWith("sysctl: persist: false leaves files alone, so it needs sysctl_set:"
                + " true"), nothing.getMessage());
        ModuleException relative = assertThrows(ModuleException.class, () -> module.check(ctx(args("name",
                "vm.swappiness", "value", 1, "sysctl_file", "sysctl.conf"), true)));
        assertEquals("sysctl: sysctl_file must be an absolute path, got 'sysctl.conf'", relative.getMessage());
        ModuleException noDir = assertThrows(ModuleException.class, () -> module.check(ctx(args("name",
                "vm.swappiness", "value", 1, "sysctl_file", tmp.resolve("nodir/x.conf").toString()), true)));
        assertTrue(noDir.getMessage().endsWith("directory " + tmp.resolve("nodir") + " does not exist"),
                noDir.getMessage());
        ModuleException twoLines = assertThrows(ModuleException.class, () -> module.check(ctx(args("name",
                "vm.swappiness", "value", "1\nvm.x=2", "sysctl_file", file()), true)));
        assertEquals("sysctl: the value of vm.swappiness must be one line", twoLines.getMessage());
        assertEquals(0, conn.execCalls.get());
    }

    @Test
    void rules_declared() {
        ArgSpec spec = module.argSpec();
        assertEquals("missing argument 'value', required when state is present (the default)",
                spec.checkStatic(args("name", "vm.swappiness")).get(0).message());
        assertEquals("argument 'sysctl_set' is only for state present (state is absent)",
                spec.checkStatic(args("name", "vm.swappiness", "state", "absent", "sysctl_set", true)).get(0).message());
        assertEquals("argument 'sysctl_file' is only for persist true (persist is false)",
                spec.checkStatic(args("name", "vm.swappiness", "value", 1, "sysctl_set", true, "persist", false,
                        "sysctl_file", "/etc/sysctl.conf")).get(0).message());
    }

    @Test
    void realProc_valueAlreadyThere_okReadOnly() throws Exception {
        Path real = Path.of("/proc/sys/vm/max_map_count");
        assertTrue(Files.isReadable(real), "this test reads the machine's own /proc (Linux)");
        String now;
        try (InputStream in = Files.newInputStream(real)) {
            now = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();  // Files.readString stops early on /proc
        }
        vars.remove("sysctl_proc_root");
        vars.put("sysctl_cmd", List.of("false"));
        Result r = run(args("name", "vm.max_map_count", "value", now, "sysctl_set", true, "persist", false));
        assertEquals(Result.Outcome.OK, r.status());
        assertEquals("vm.max_map_count is already " + now + " (running value)", r.msg());
        assertEquals(now, r.data().get("running_value"));
        assertEquals(0, conn.execCalls.get());
    }
}
