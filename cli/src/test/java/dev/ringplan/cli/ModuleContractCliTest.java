package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleRegistry;
import dev.ringplan.engine.module.ReturnSpec;
import dev.ringplan.engine.yaml.SafeYaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every module on the class path declares: its documented examples compile through
 * {@code ringplan validate} with no error (a plan is built around them: an inventory with the
 * hosts they name, the variables they read, a stub task for each task they need), every
 * argument rule and registered key names declared arguments, and {@code ringplan modules NAME}
 * prints the rules and the registered keys from those declarations.
 */
class ModuleContractCliTest {
    /** Variables the examples read (the values only have to compile). */
    private static final List<String> EXTRA_VARS = List.of("tag=nightly", "target_cluster=clone", "source=n1",
            "table_id=0123456789abcdef0123456789abcdef", "run_id=r1");

    @TempDir
    Path tmp;

    static Stream<String> modules() {
        return ModuleRegistry.load().all().keySet().stream();
    }



    /**
     * A plan around a module's examples: its tasks, plus a debug stub for every task id they need
     * that they do not define; hosts n1, n2 (group cassandra) and any other host they target.
     */
    private Path[] planAround(Module m) throws Exception {
        String examples = m.doc().examples();
        Object tasks = SafeYaml.toJava(SafeYaml.compose("examples of " + m.name(), examples));
        assertTrue(tasks instanceof List<?>, m.name() + ": examples must be a YAML list of tasks");
        Set<String> ids = new LinkedHashSet<>();
        Set<String> needs = new LinkedHashSet<>();
        Set<String> hosts = new LinkedHashSet<>(List.of("n1", "n2"));
        for (Object t : (List<?>) tasks) {
            Map<?, ?> task = (Map<?, ?>) t;
            ids.add(String.valueOf(task.get("id")));
            Object n = task.get("needs");
            if (n instanceof List<?> l) {
                l.forEach(x -> needs.add(String.valueOf(x)));
            } else if (n != null) {
                needs.add(String.valueOf(n));
            }
            if (task.get("hosts") != null) {
                hosts.add(String.valueOf(task.get("hosts")));
            }
        }
        needs.removeAll(ids);
        StringBuilder plan = new StringBuilder("name: examples of " + m.name() + "\nhosts: cassandra\ntasks:\n");
        for (String n : needs) {
            plan.append("  - id: ").append(n).append("\n    debug: {msg: stub}\n");
            if (n.matches("[A-Za-z_]\\w*")) {
                plan.append("    register: ").append(n).append('\n');  // examples read what their needs register
            }
        }
        examples.lines().forEach(l -> plan.append("  ").append(l).append('\n'));
        StringBuilder inv = new StringBuilder("all:\n  children:\n    cassandra:\n      hosts:\n");
        inv.append("        n1: {ansible_host: 10.0.0.1}\n        n2: {ansible_host: 10.0.0.2}\n  hosts:\n");
        for (String h : hosts) {
            if (!h.equals("n1") && !h.equals("n2")) {
                inv.append("    ").append(h).append(": {ansible_host: 10.0.0.9}\n");
            }
        }
        Path p = tmp.resolve(m.name() + "-examples.yaml");
        Path i = tmp.resolve(m.name() + "-inventory.yaml");
        Files.writeString(p, plan, StandardCharsets.UTF_8);
        Files.writeString(i, inv, StandardCharsets.UTF_8);
        return new Path[] {p, i};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void examples_compileThroughValidate(String name) throws Exception {
        Module m = ModuleRegistry.load().find(name).orElseThrow();
        Path[] files = planAround(m);
        List<String> args = new ArrayList<>(List.of("validate", files[0].toString(), "-i", files[1].toString()));
        EXTRA_VARS.forEach(v -> args.addAll(List.of("-e", v)));
        Cli.Run r = Cli.inProcess(args.toArray(String[]::new));
        assertEquals(ExitCodes.OK, r.code(), name + " examples:\n" + Files.readString(files[0]) + "\n" + r.all());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void declarations_nameDeclaredArguments(String name) {
        Module m = ModuleRegistry.load().find(name).orElseThrow();
        ReturnSpec returns = m.returns();
        assertNotNull(returns, name + " declares no ReturnSpec");
        for (ReturnSpec.Key k : returns.keys()) {
            assertFalse(k.doc() == null || k.doc().isBlank(), name + ": key " + k.name() + " has no description");
            for (Map.Entry<String, List<String>> e : k.only().entrySet()) {
                assertTrue(m.argSpec().args().containsKey(e.getKey()), name + ": key " + k.name() + " is scoped by an"
                        + " undeclared argument " + e.getKey());
                List<String> choices = m.argSpec().args().get(e.getKey()).choices();
                assertTrue(choices.isEmpty() || choices.containsAll(e.getValue()), name + ": key " + k.name()
                        + " is scoped by values " + e.getValue() + " that " + e.getKey() + " cannot take");
            }
            if (k.namedBy() != null) {
                assertTrue(m.argSpec().args().containsKey(k.namedBy()), name + ": key " + k.name());
            }
        }
    }

    @Test
    void modulesCommand_printsRulesAndRegisteredKeysFromTheDeclarations() {
        Cli.Run tar = Cli.inProcess("modules", "tar");
        assertEquals(ExitCodes.OK, tar.code(), tar.all());
        assertTrue(tar.out().contains("RULES\n"), tar.all());
        assertTrue(tar.out().contains("  src, target, target_dir, tables, table_ids: only for action extract, verify\n"),
                tar.all());
        assertTrue(tar.out().contains("  when action is extract: one of src, dest is required\n"), tar.all());
        assertTrue(tar.out().contains("  src, dest: mutually exclusive (give at most one)\n"), tar.all());
        assertTrue(tar.out().contains("RETURNS\n"), tar.all());
        assertTrue(tar.out().contains("  sha256 (str) for action create; mode full\n"), tar.all());
        assertTrue(tar.out().contains("  archive (str) for action extract, verify [only full backups]\n"), tar.all());
        assertTrue(tar.out().contains("Check mode registers the same keys"), tar.all());

        Cli.Run debug = Cli.inProcess("modules", "debug");
        assertTrue(debug.out().contains("  msg, var: mutually exclusive (give at most one)\n"), debug.all());
        assertTrue(debug.out().contains("  <var> (any, or null) [only with var, when shown]\n"), debug.all());

        Cli.Run fail = Cli.inProcess("modules", "fail");
        assertFalse(fail.out().contains("RULES"), fail.all());
        assertTrue(fail.out().contains("Every task also registers changed, failed, status and msg"), fail.all());
    }

    @Test
    void modulesCommand_cqlModules_printTheirRulesAndKeys() {
        Cli.Run alter = Cli.inProcess("modules", "alter_keyspace");
        assertEquals(ExitCodes.OK, alter.code(), alter.all());
        assertTrue(alter.out().contains("  when create is true: replication is required\n"), alter.all());
        assertTrue(alter.out().contains("  truststore, truststore_password: only for ssl true\n"), alter.all());
        assertTrue(alter.out().contains("  schema_agreement (bool, or null)\n"), alter.all());

        Cli.Run cql = Cli.inProcess("modules", "cql");
        assertTrue(cql.out().contains("  statements, schema_from: mutually exclusive (give at most one)\n"), cql.all());
        assertTrue(cql.out().contains("  schema_from, keyspaces: required together (all or none)\n"), cql.all());
        assertTrue(cql.out().contains("  check_row (map, or null) [only with check]\n"), cql.all());
    }
}
