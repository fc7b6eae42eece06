package dev.ringplan.engine.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.compile.CompileOptions;
import dev.ringplan.engine.compile.CompiledPlan;
import dev.ringplan.engine.compile.Compiler;
import dev.ringplan.engine.diag.Diagnostic;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.exec.RunListener;
import dev.ringplan.engine.exec.RunReport;
import dev.ringplan.engine.exec.Status;
import dev.ringplan.engine.inventory.InventoryParser;
import dev.ringplan.engine.template.Templater;
import dev.ringplan.engine.testing.Engine;
import dev.ringplan.engine.testing.FakeConnectionProvider;
import dev.ringplan.engine.testing.FakeModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PlanLoader} with local files: imported ids are namespaced and their needs rewritten, a
 * need on the import waits for all its tasks, a role's parameters are checked (unknown, missing,
 * type) at the role's and the import's file:line:column, a role sees its parameters and not the
 * plan's vars, its condition is evaluated where the import is written, and cycles are refused.
 */
class PlanLoaderTest {
    @TempDir
    Path dir;

    private final FakeModule m = FakeModule.named("m");
    private final Engine engine = new Engine(m);

    private String write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p.toString();
    }

    private LoadedPlan load(String plan) throws InvalidInputException {
        return PlanLoader.load(plan, new PlanLoader.Options(Set.of("m"), new GitCache(dir.resolve("cache")),
                PlanLoader.Mode.RUN, Set.of()));
    }

    private CompiledPlan compile(LoadedPlan loaded) throws InvalidInputException {
        try {
            return new Compiler(engine.registry(), Templater.shared()).compile(loaded.plan(),
                    InventoryParser.parse("inv.yaml", Engine.INVENTORY), CompileOptions.defaults());
        } catch (InvalidInputException e) {
            throw loaded.withChains(e);
        }
    }

    private static List<String> errors(InvalidInputException e) {
        return e.diagnostics().stream().map(Diagnostic::format).toList();
    }

    private String role() throws Exception {
        return write("roles/r.yaml", """
                name: r
                params:
                  - {name: count, type: int, required: true, description: how many}
                  - {name: label, type: str, default: "n={{ count }}"}
                vars:
                  inner: "{{ label }}!"
                tasks:
                  - id: use
                    m: {msg: "{{ inner }}", value: "{{ count }}"}
                """);
    }

    @Test
    void taskList_idsNamespaced_needsRewritten_needOnImportWaitsForAll() throws Exception {
        write("tasks/two.yaml", """
                - id: a
                  m: a
                - id: b
                  needs: [a]
                  m: "{{ word }}"
                """);
        String plan = write("plan.yaml", """
                hosts: cassandra
                tasks:
                  - id: first
                    m: first
                  - id: two
                    import: tasks/two.yaml
                    needs: [first]
                    vars: {word: hello}
                  - id: after_all
                    needs: [two]
                    m: x
                  - id: after_b
                    needs: [two.b]
                    m: y
                """);
        CompiledPlan c = compile(load(plan));
        assertEquals(List.of("first[h1]"), List.copyOf(c.graph().dependencies("two.a[h1]")));
        assertEquals(List.of("first[h1]", "two.a[h1]"), List.copyOf(c.graph().dependencies("two.b[h1]")));
        assertEquals(List.of("two.a[h1]", "two.b[h1]"), List.copyOf(c.graph().dependencies("after_all[h1]")));
        assertEquals(List.of("two.b[h1]"), List.copyOf(c.graph().dependencies("after_b[h1]")));
        RunReport r = Engine.run(c, Engine.options(false, 4, dir), new FakeConnectionProvider(), new RunListener() { });
        assertEquals(Status.CHANGED, Engine.result(r, "two.b", "h2").status());
        assertEquals(3, m.applies("hello").size());
    }

    @Test
    void taskList_needOnAnIdItDoesNotDefine_isAnErrorAtTheImportedLine_withTheChain() throws Exception {
        write("tasks/bad.yaml", "- id: a\n  needs: [first]\n  m: a\n");
        String plan = write("plan.yaml", "hosts: cassandra\ntasks:\n  - id: first\n    m: f\n  - id: imp\n    import: tasks/bad.yaml\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> load(plan));
        String file = Path.of(plan).getParent().resolve("tasks/bad.yaml").toString();
        assertEquals(List.of(file + ":2:11: error: task 'a' needs 'first', which " + file + " does not define\n"
                + "    the tasks of an imported file can need only each other; put what they all wait for in the importing"
                + " task's needs\n    imported by " + plan + ":6:13 (import 'imp')"), errors(e));
    }

    @Test
    void role_parametersRenderedInThePlan_roleVarsAndDefaultsInside() throws Exception {
        role();
        String plan = write("plan.yaml", """
                hosts: cassandra
                vars:
                  n: 3
                  inner: plan-inner
                tasks:
                  - id: r
                    import: roles/r.yaml
                    vars: {count: "{{ n + 1 }}"}
                  - id: r2
                    import: roles/r.yaml
                    hosts: h1
                    vars: {count: 7, label: given}
                """);
        CompiledPlan c = compile(load(plan));
        Engine.run(c, Engine.options(false, 4, dir), new FakeConnectionProvider(), new RunListener() { });
        assertEquals(3, m.applies("n=4!").size());
        assertEquals(4, m.applies("n=4!").get(0).args().get("value"));
        assertEquals(1, m.applies("given!").size());
    }

    @Test
    void role_parameters_checkedAtTheImport() throws Exception {
        role();
        String plan = write("plan.yaml", """
                hosts: cassandra
                tasks:
                  - id: r
                    import: roles/r.yaml
                    vars: {cuont: 1}
                  - id: r2
                    import: roles/r.yaml
                    vars: {count: "three"}
                """);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> load(plan));
        String roleFile = Path.of(plan).getParent().resolve("roles/r.yaml").toString();
        List<String> errs = errors(e);
        assertTrue(errs.contains(plan + ":4:13: error: import 'r' does not give the required parameter 'count' (int) of role "
                + roleFile + "\n    declared at " + roleFile + ":3:12: how many; give it under the import's vars"), errs.toString());
        assertTrue(errs.contains(plan + ":5:19: error: role " + roleFile + " (import 'r') has no parameter 'cuont'\n"
                + "    did you mean 'count'?"), errs.toString());
        assertTrue(errs.contains(plan + ":8:19: error: parameter 'count' of role " + roleFile + " is int, got str 'three'\n"
                + "    declared at " + roleFile + ":3:12: how many"), errs.toString());
    }

    @Test
    void role_templatedParameter_typeCheckedWhenRendered() throws Exception {
        role();
        String plan = write("plan.yaml", """
                hosts: cassandra
                vars: {n: 3}
                tasks:
                  - id: r
                    import: roles/r.yaml
                    vars: {count: "n{{ n }}"}
                """);
        CompiledPlan c = compile(load(plan));
        RunReport r = Engine.run(c, Engine.options(false, 4, dir), new FakeConnectionProvider(), new RunListener() { });
        String roleFile = Path.of(plan).getParent().resolve("roles/r.yaml").toString();
        assertEquals(Status.FAILED, Engine.result(r, "r.use", "h1").status());
        assertTrue(Engine.result(r, "r.use", "h1").msg().contains("parameter 'count' of role " + roleFile
                + " is int, the import's value renders to str (declared at " + roleFile + ":3:12)"),
                Engine.result(r, "r.use", "h1").msg());
        assertEquals(0, m.applies().size());
    }

    @Test
    void role_doesNotSeeThePlansVars_sayingHowToPassThem() throws Exception {
        write("roles/peek.yaml", "params: []\ntasks:\n  - id: t\n    m: \"{{ secret_of_plan }}\"\n");
        String plan = write("plan.yaml", """
                hosts: cassandra
                vars: {secret_of_plan: x}
                tasks:
                  - id: p
                    import: roles/peek.yaml
                """);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> compile(load(plan)));
        String roleFile = Path.of(plan).getParent().resolve("roles/peek.yaml").toString();
        assertEquals(List.of(roleFile + ":4:8: error: undefined variable 'secret_of_plan' in argument 'msg' of task 'p.t'\n"
                + "    'secret_of_plan' is a variable of the plan, which an imported role does not see: give it as a"
                + " parameter of the import (declared in the role's params)\n"
                + "    imported by " + plan + ":5:13 (import 'p')"), errors(e));
    }

    @Test
    void role_conditionOfTheImport_isEvaluatedWithThePlansVars() throws Exception {
        role();
        String plan = write("plan.yaml", """
                hosts: cassandra
                vars: {enabled: false}
                tasks:
                  - id: r
                    import: roles/r.yaml
                    when: enabled | bool
                    vars: {count: 1}
                """);
        CompiledPlan c = compile(load(plan));
        RunReport r = Engine.run(c, Engine.options(false, 4, dir), new FakeConnectionProvider(), new RunListener() { });
        assertEquals(Status.SKIPPED, Engine.result(r, "r.use", "h1").status());
        assertEquals(0, m.applies().size());
    }

    @Test
    void importCycle_isAnError() throws Exception {
        write("tasks/a.yaml", "- id: to_b\n  import: b.yaml\n");
        write("tasks/b.yaml", "- id: to_a\n  import: a.yaml\n");
        String plan = write("plan.yaml", "hosts: cassandra\ntasks:\n  - id: a\n    import: tasks/a.yaml\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> load(plan));
        assertTrue(errors(e).get(0).contains("tasks/b.yaml:2:11: error: import cycle: " + Path.of(plan).getParent()
                .resolve("tasks/a.yaml") + " imports itself through"), errors(e).toString());
    }

    @Test
    void importKeys_othersRefused() throws Exception {
        write("tasks/t.yaml", "- id: a\n  m: a\n");
        String plan = write("plan.yaml", "hosts: cassandra\ntasks:\n  - id: a\n    import: tasks/t.yaml\n    register: x\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> load(plan));
        assertTrue(errors(e).get(0).startsWith(plan + ":5:5: error: 'register' is not valid on an import ('a')"),
                errors(e).toString());
    }

    @Test
    void gitSource_parse() {
        GitSource s = GitSource.parse("git+https://host/ops/plans.git//tasks/backup.yaml?ref=v1.4");
        assertEquals(new GitSource("https://host/ops/plans.git", "tasks/backup.yaml", "v1.4"), s);
        assertEquals("git+https://host/ops/plans.git//tasks/backup.yaml?ref=v1.4", s.toString());
        assertEquals(new GitSource("file:///srv/plans.git", "b.yaml", null), GitSource.parse("git+file:///srv/plans.git//b.yaml"));
        assertEquals(new GitSource("ssh://git@host/ops/p.git", "x.yaml", "main"),
                GitSource.parse("git+ssh://git@host/ops/p.git//x.yaml?ref=main"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GitSource.parse("git+https://host/ops/plans.git"))
                .getMessage().contains("names no file in the repository"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GitSource.parse("git+https://h/p.git//a.yaml?rev=1"))
                .getMessage().contains("only ?ref="));
        String refused = assertThrows(IllegalArgumentException.class,
                () -> GitSource.parse("git+https://me:hunter22@h/p.git//a.yaml")).getMessage();
        assertTrue(refused.contains("holds a password") && !refused.contains("hunter22"), refused);
    }

    @Test
    void lockFile_roundTrip() throws Exception {
        LockFile lock = new LockFile();
        lock.put(new LockFile.Pin("https://h/x.git", "v1", "0123456789abcdef0123456789abcdef01234567"));
        lock.put(new LockFile.Pin("file:///srv/it's.git", "HEAD", "89abcdef0123456789abcdef0123456789abcdef"));
        LockFile back = LockFile.parse("ringplan.lock", lock.text());
        assertEquals(lock.pins(), back.pins());
        assertThrows(InvalidInputException.class, () -> LockFile.parse("ringplan.lock", "version: 1\npins:\n  - {repo: x, ref: y, commit: z}\n"));
    }
}
