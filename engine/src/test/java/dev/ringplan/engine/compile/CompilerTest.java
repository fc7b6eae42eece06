package dev.ringplan.engine.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.testing.Engine;
import dev.ringplan.engine.testing.FakeModule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Compiler}: the needs rule, blocks, serial batches, filters and every diagnostic. */
class CompilerTest {

    private final Engine engine = new Engine(FakeModule.named("fake"),
            FakeModule.builder("strict").spec(ArgSpec.builder()
                    .arg(ArgDef.of("path", ArgDef.Type.STR, "a path").asRequired())
                    .arg(ArgDef.of("mode", ArgDef.Type.STR, "a mode"))
                    .build()).build());

    private static Set<String> deps(CompiledPlan cp, String vertex) {
        return cp.graph().dependencies(vertex);
    }

    private static boolean has(List<String> errors, String prefix, String fragment) {
        return errors.stream().anyMatch(e -> e.startsWith(prefix) && e.contains(fragment));
    }

    // ---- the needs rule ----

    @Test
    void compile_needsOnSameHosts_perHostEdges() throws Exception {
        CompiledPlan cp = engine.compile("""
                hosts: cassandra
                tasks:
                  - id: a
                    fake: a
                  - id: b
                    needs: a
                    fake: b
                """);
        assertEquals(6, cp.graph().size());
        assertEquals(3, cp.graph().edgeCount());
        for (String h : List.of("h1", "h2", "h3")) {
            assertEquals(Set.of("a[" + h + "]"), deps(cp, "b[" + h + "]"));
            assertEquals(Set.of(), deps(cp, "a[" + h + "]"));
        }
        assertEquals(List.of("a[h1]", "a[h2]", "a[h3]", "b[h1]", "b[h2]", "b[h3]"),
                cp.nodes().stream().map(TaskNode::name).toList());
    }

    @Test
    void compile_needsOnOtherHosts_barrierOnEveryInstance() throws Exception {
        CompiledPlan cp = engine.compile("""
                tasks:
                  - id: alter
                    hosts: h1
                    fake: alter
                  - id: rebuild
                    hosts: h2:h3
                    needs: [alter]
                    fake: rebuild
                  - id: partial
                    hosts: h1:h2
                    fake: p
                  - id: mixed
                    hosts: h2:h3
                    needs: [partial]
                    fake: m
                """);
        assertEquals(Set.of("alter[h1]"), deps(cp, "rebuild[h2]"));
        assertEquals(Set.of("alter[h1]"), deps(cp, "rebuild[h3]"));
        // h2 is a target of both: per-host edge; h3 is not a target of 'partial': waits for all of it.
        assertEquals(Set.of("partial[h2]"), deps(cp, "mixed[h2]"));
        assertEquals(Set.of("partial[h1]", "partial[h2]"), deps(cp, "mixed[h3]"));
    }

    @Test
    void compile_needsOnBlock_waitsForEveryTaskOfTheBlock() throws Exception {
        CompiledPlan cp = engine.compile("""
                hosts: cassandra
                tasks:
                  - id: prep
                    block:
                      - id: x
                        fake: x
                      - id: inner
                        block:
                          - id: y
                            fake: y
                  - id: z
                    needs: prep
                    fake: z
                """);
        assertEquals(Set.of("x[h2]", "y[h2]"), deps(cp, "z[h2]"));
        assertFalse(cp.graph().contains("prep[h2]"), "a block is no vertex of its own");
    }

    @Test
    void compile_blockPassesHostsWhenVarsTagsAndNeeds_toItsTasks() throws Exception {
        CompiledPlan cp = engine.compile("""
                hosts: cassandra
                tasks:
                  - id: first
                    fake: first
                  - id: grp
                    hosts: h1:h4
                    when: "dc is defined"
                    vars: { v: outer, w: 1 }
                    tags: [maint]
                    needs: [first]
                    block:
                      - id: inner
                        when: "w == 1"
                        vars: { v: inner }
                        tags: [x]
                        fake: "{{ v }}"
                """);
        assertEquals(List.of("inner[h1]", "inner[h4]"),
                cp.nodes().stream().filter(n -> n.task().id().equals("inner")).map(TaskNode::name).toList());
        TaskNode n = cp.graph().payload("inner[h1]");
        assertEquals(List.of("dc is defined", "w == 1"), n.whens());
        assertEquals(Map.of("v", "inner", "w", 1), n.vars());
        assertEquals(List.of("maint", "x"), n.tags());
        assertEquals(List.of("grp"), n.blocks().stream().map(t -> t.id()).toList());
        assertEquals(Set.of("first[h1]"), deps(cp, "inner[h1]"));
        // h4 is not a target of 'first': barrier on every instance.
        assertEquals(Set.of("first[h1]", "first[h2]", "first[h3]"), deps(cp, "inner[h4]"));
        assertEquals(Map.of("msg", "{{ v }}"), n.args(), "free form mapped to the module's free-form argument");
    }

    // ---- serial batches ----

    @Test
    void compile_serialOneBlock_eachHostWaitsForWholeBlockOnPreviousHost() throws Exception {
        CompiledPlan cp = engine.compile("""
                hosts: cassandra
                tasks:
                  - id: rolling
                    serial: 1
                    block:
                      - id: stop
                        fake: stop
                      - id: start
                        needs: stop
                        fake: start
                """);
        assertEquals(Set.of(), deps(cp, "stop[h1]"));
        assertEquals(Set.of("stop[h1]"), deps(cp, "start[h1]"));
        assertEquals(Set.of("stop[h1]", "start[h1]"), deps(cp, "stop[h2]"));
        assertEquals(Set.of("stop[h2]", "stop[h1]", "start[h1]"), deps(cp, "start[h2]"));
        assertEquals(Set.of("stop[h2]", "start[h2]"), deps(cp, "stop[h3]"));
        assertFalse(deps(cp, "stop[h3]").contains("stop[h1]"), "batch k+1 waits for batch k only (transitively for earlier)");
    }

    @Test
    void compile_serialTwo_batchOfTwoThenTheRest() throws Exception {
        CompiledPlan cp = engine.compile("""
                hosts: all
                tasks:
                  - id: t
                    serial: 2
                    fake: t
                """, """
                all:
                  hosts: { n1: , n2: , n3: , n4: , n5: }
                """, CompileOptions.defaults());
        assertEquals(Set.of(), deps(cp, "t[n1]"));
        assertEquals(Set.of(), deps(cp, "t[n2]"));
        assertEquals(Set.of("t[n1]", "t[n2]"), deps(cp, "t[n3]"));
        assertEquals(Set.of("t[n1]", "t[n2]"), deps(cp, "t[n4]"));
        assertEquals(Set.of("t[n3]", "t[n4]"), deps(cp, "t[n5]"));
        assertEquals(6, cp.graph().edgeCount());
    }

    // ---- cycles ----

    @Test
    void compile_twoCycle_reportedWithIdsAndPosition() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: a
                    needs: b
                    fake: a
                  - id: b
                    needs: a
                    fake: b
                """);
        assertEquals(List.of("plan.yaml:3:5: error: dependency cycle between tasks: a -> b -> a\n"
                + "    remove one of these 'needs' so the tasks can be ordered"), errors);
    }

    @Test
    void compile_blockTaskNeedingItsRescue_isACycle_andRescueEdgesAreTolerant() throws Exception {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: b
                    block:
                      - id: work
                        needs: undo
                        fake: w
                    rescue:
                      - id: undo
                        fake: u
                """);
        assertTrue(has(errors, "plan.yaml:9:9: error:", "dependency cycle between tasks: undo -> work -> undo"),
                errors.toString());
        CompiledPlan p = engine.compile("""
                hosts: cassandra
                tasks:
                  - id: b
                    hosts: h1
                    block:
                      - id: work
                        fake: w
                    rescue:
                      - id: undo
                        fake: u
                """);
        assertEquals(List.of("work[h1]", "undo[h1]"), p.nodes().stream().map(TaskNode::name).toList());
        assertTrue(p.graph().dependencies("undo[h1]").contains("work[h1]"));
        assertTrue(p.toleratesFailure("work[h1]", "undo[h1]"));
        assertFalse(p.toleratesFailure("undo[h1]", "work[h1]"));
    }

    @Test
    void compile_threeCycleAndSelfNeed_bothReported() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: c
                    needs: e
                    fake: c
                  - id: d
                    needs: c
                    fake: d
                  - id: e
                    needs: d
                    fake: e
                  - id: self
                    needs: [self]
                    fake: s
                """);
        assertTrue(has(errors, "plan.yaml:3:5: error:", "dependency cycle between tasks: c -> d -> e -> c"), errors.toString());
        assertTrue(has(errors, "plan.yaml:12:5: error:", "dependency cycle between tasks: self -> self"), errors.toString());
        assertEquals(2, errors.size(), errors.toString());
    }

    @Test
    void compile_taskNeedingItsOwnBlock_isACycle() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: grp
                    block:
                      - id: inside
                        needs: grp
                        fake: i
                """);
        assertTrue(has(errors, "plan.yaml:5:9: error:", "dependency cycle between tasks: inside -> inside"), errors.toString());
    }

    // ---- references, modules, arguments ----

    @Test
    void compile_unknownNeed_didYouMean() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: snapshot
                    fake: s
                  - id: archive
                    needs: [snapshott]
                    fake: a
                """);
        assertEquals(List.of("plan.yaml:6:13: error: task 'archive' needs unknown task 'snapshott'\n"
                + "    did you mean 'snapshot'?"), errors);
    }

    @Test
    void compile_unknownModule_didYouMean() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: a
                    fakee: x
                """);
        assertEquals(List.of("plan.yaml:4:5: error: unknown module 'fakee'\n    did you mean 'fake'?"), errors);
    }

    @Test
    void compile_unknownArgument_atItsPosition() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: a
                    fake: { msg: x, valeu: 3 }
                """);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("plan.yaml:4:21: error: fake: unknown argument 'valeu'; did you mean 'value'?"),
                errors.toString());
    }

    @Test
    void compile_missingRequiredArgument_atModuleKey() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: a
                    strict: { mode: "0644" }
                """);
        assertEquals(List.of("plan.yaml:4:5: error: strict: missing required argument 'path'"), errors);
    }

    @Test
    void compile_freeFormToModuleWithoutFreeForm_refused() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: a
                    strict: /etc/x
                """);
        assertEquals(List.of("plan.yaml:4:13: error: strict: takes a mapping of arguments, not a single value\n"
                + "    arguments: path, mode"), errors, "and no misleading 'missing required argument'");
    }

    @Test
    void compile_badChoice_didYouMean() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: a
                    fake: { msg: a, change: yess }
                """);
        assertTrue(has(errors, "plan.yaml:4:21: error:", "argument 'change' must be one of yes, no, unknown, got 'yess'; did you mean 'yes'?"),
                errors.toString());
    }

    // ---- undefined variables ----

    @Test
    void compile_undefinedVariable_errorWithHint() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                vars: { backup_url: /b }
                tasks:
                  - id: a
                    fake: { msg: "{{ backup_ur }}/x" }
                """);
        assertEquals(List.of("plan.yaml:5:13: error: undefined variable 'backup_ur' in argument 'msg' of task 'a'\n"
                + "    did you mean 'backup_url'?"), errors);
    }

    @Test
    void compile_guardedRegisteredInventoryAndMagicVariables_areNotErrors() throws Exception {
        CompiledPlan cp = engine.compile("""
                hosts: cassandra
                tasks:
                  - id: a
                    register: ring
                    fake: "{{ maybe | default('x') }}"
                  - id: b
                    needs: a
                    when: other is defined
                    fake: { msg: "{{ ring.msg }} {{ dc }} {{ inventory_hostname }} {{ run.id }} {{ hostvars['h1'].ring }}" }
                  - id: c
                    vars: { local: 1 }
                    fake: { msg: "{% if opt is defined %}{{ opt }}{% endif %}{{ local }}" }
                """);
        assertEquals(9, cp.nodes().size());
    }

    @Test
    void compile_hostsWithTheSameTemplatedVariables_checkedOnceAndNamedTogether() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: t
                    fake: "{{ x }}"
                """, """
                all:
                  children:
                    cassandra:
                      hosts:
                        h1: { x: "{{ y }}", y: 1 }
                        h2: { x: "{{ y }}", rack: r2 }
                        h3: { x: "{{ z }}" }
                        h4: { x: "{{ y }}", y: 2 }
                        h5: { x: "{{ y }}", rack: r2 }
                """, CompileOptions.defaults());
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("inv.yaml: error: undefined variable 'y' in inventory variable 'x' of h2,"
                + " used by argument 'msg' of task 't' on hosts h2, h5"), errors.toString());
        assertTrue(errors.get(1).startsWith("inv.yaml: error: undefined variable 'z' in inventory variable 'x' of h3,"
                + " used by argument 'msg' of task 't' on host h3"), errors.toString());
    }

    @Test
    void compile_variableOnlyOnSomeHosts_namesTheHostsLackingIt() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: a
                    fake: "{{ rack }}"
                """, """
                all:
                  children:
                    cassandra:
                      hosts:
                        h1: { rack: r1 }
                        h2:
                        h3:
                """, CompileOptions.defaults());
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("plan.yaml:4:11: error: undefined variable 'rack' in argument 'msg' of task 'a' on hosts h2, h3"),
                errors.toString());
    }

    @Test
    void compile_undefinedVariableInFailedWhen_reported() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: a
                    register: out
                    failed_when: "out.value > limit_typo"
                    fake: a
                """);
        assertTrue(has(errors, "plan.yaml:3:5:", "undefined variable 'limit_typo' in failed_when of task 'a'"),
                errors.toString());
    }

    @Test
    void compile_undefinedVariableInWhenAndTaskVars_reported() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: a
                    when: nope > 1
                    vars: { x: "{{ absent_thing }}" }
                    fake: a
                """);
        assertTrue(has(errors, "plan.yaml:4:11:", "undefined variable 'nope' in when of task 'a'"), errors.toString());
        assertTrue(has(errors, "plan.yaml:5:16:", "undefined variable 'absent_thing' in variable 'x' of task 'a'"),
                errors.toString());
    }

    @Test
    void compile_undefinedVariableInBlockWhen_reportedOnceAtTheBlock() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: grp
                    when: flag_typo
                    block:
                      - id: x
                        fake: x
                      - id: y
                        fake: y
                """);
        assertEquals(List.of("plan.yaml:4:11: error: undefined variable 'flag_typo' in when of block 'grp'\n"
                + "    define it in the inventory, the plan's vars, the task's vars or with -e flag_typo=..."), errors);
    }

    @Test
    void compile_extraVarDefinesVariable() throws Exception {
        CompiledPlan cp = engine.compile("""
                hosts: cassandra
                tasks:
                  - id: a
                    fake: "{{ tag }}"
                """, Engine.INVENTORY, new CompileOptions(Map.of("tag", "t1"), null, List.of()));
        assertEquals(Map.of("tag", "t1"), cp.extraVars());
    }

    // ---- --limit and --tags ----

    @Test
    void compile_limit_keepsOnlyLimitedHosts() throws Exception {
        CompiledPlan cp = engine.compile("""
                hosts: cassandra
                tasks:
                  - id: a
                    fake: a
                  - id: b
                    needs: a
                    fake: b
                """, Engine.INVENTORY, new CompileOptions(Map.of(), "h2", List.of()));
        assertEquals(List.of("a[h2]", "b[h2]"), cp.nodes().stream().map(TaskNode::name).toList());
        assertEquals(Set.of("a[h2]"), deps(cp, "b[h2]"));
    }

    @Test
    void compile_limitExcludingEveryTargetOfTask_hostVariablesStillKnown() throws Exception {
        // 'a' uses a variable only h1 defines; --limit h2 leaves 'a' without hosts: that is no error.
        CompiledPlan cp = engine.compile("""
                tasks:
                  - id: a
                    hosts: h1
                    fake: "{{ only_h1 }}"
                  - id: b
                    hosts: h2
                    fake: b
                """, """
                all:
                  hosts:
                    h1: { only_h1: yes }
                    h2:
                """, new CompileOptions(Map.of(), "h2", List.of()));
        assertEquals(List.of("b[h2]"), cp.nodes().stream().map(TaskNode::name).toList());
    }

    @Test
    void compile_unknownLimit_reported() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: a
                    fake: a
                """, Engine.INVENTORY, new CompileOptions(Map.of(), "nosuchhost", List.of()));
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("--limit") && e.contains("nosuchhost")), errors.toString());
    }

    @Test
    void compile_tags_keepTaggedAndAlways_orderingKeptThroughRemovedNodes() throws Exception {
        CompiledPlan cp = engine.compile("""
                hosts: cassandra
                tasks:
                  - id: a
                    tags: [backup]
                    fake: a
                  - id: b
                    needs: a
                    fake: b
                  - id: c
                    needs: b
                    tags: backup
                    fake: c
                  - id: grp
                    tags: [always]
                    block:
                      - id: d
                        needs: c
                        fake: d
                  - id: e
                    tags: [other]
                    fake: e
                """, Engine.INVENTORY, new CompileOptions(Map.of(), null, List.of("backup")));
        assertEquals(List.of("a", "c", "d"),
                cp.nodes().stream().map(n -> n.task().id()).distinct().toList());
        assertEquals(9, cp.graph().size());
        assertEquals(Set.of("a[h1]"), deps(cp, "c[h1]"), "b was removed; c still waits for a");
        assertEquals(Set.of("c[h3]"), deps(cp, "d[h3]"));
    }

    private static final String TAGGED_PLAN = """
            hosts: h1
            tasks:
              - id: a
                tags: [backup]
                fake: a
              - id: b
                fake: b
              - id: c
                tags: [always]
                fake: c
              - id: d
                tags: [never, debug]
                fake: d
              - id: e
                tags: [backup, slow]
                fake: e
            """;

    private List<String> ids(List<String> tags, List<String> skip) throws Exception {
        CompiledPlan cp = engine.compile(TAGGED_PLAN, Engine.INVENTORY,
                new CompileOptions(Map.of(), null, tags, Map.of(), skip));
        return cp.nodes().stream().map(n -> n.task().id()).toList();
    }

    @Test
    void compile_tagsAsAnsible_alwaysNeverAndSkip() throws Exception {
        assertEquals(List.of("a", "b", "c", "e"), ids(List.of(), List.of()), "no --tags: all but 'never'");
        assertEquals(List.of("a", "c", "e"), ids(List.of("backup"), List.of()));
        assertEquals(List.of("c", "d"), ids(List.of("debug"), List.of()), "a 'never' task runs when named");
        assertEquals(List.of("a", "b", "c"), ids(List.of(), List.of("slow")));
        assertEquals(List.of("a", "b", "e"), ids(List.of(), List.of("always")), "'always' skipped when named");
        assertEquals(List.of("c"), ids(List.of(), List.of("all")), "--skip-tags all keeps 'always'");
        assertEquals(List.of("a", "c", "e"), ids(List.of("tagged"), List.of()));
        assertEquals(List.of("b", "c"), ids(List.of("untagged"), List.of()));
        assertEquals(List.of("a", "c"), ids(List.of("backup"), List.of("slow")));
    }

    @Test
    void compile_unknownTag_isAnErrorListingThePlansTags() {
        List<String> errors = engine.errors(TAGGED_PLAN, Engine.INVENTORY,
                new CompileOptions(Map.of(), null, List.of("nosuch"), Map.of(), List.of()));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(has(errors, "--tags", "unknown tag 'nosuch'"), errors.toString());
        assertTrue(errors.get(0).contains("always, backup, debug, never, slow"), errors.toString());
        List<String> skip = engine.errors(TAGGED_PLAN, Engine.INVENTORY,
                new CompileOptions(Map.of(), null, List.of(), Map.of(), List.of("bakup")));
        assertTrue(has(skip, "--skip-tags", "unknown tag 'bakup'") && skip.get(0).contains("did you mean 'backup'?"),
                skip.toString());
    }

    // ---- everything at once ----

    @Test
    void compile_manyProblems_allReportedSortedByPosition() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: a
                    needs: [zz]
                    fake: { msg: "{{ undefined_thing }}", bogus: 1 }
                  - id: b
                    nodetol: status
                  - id: c
                    hosts: nosuchgroup
                    fake: c
                  - id: d
                    strict: {}
                """);
        assertTrue(has(errors, "plan.yaml:4:13: error:", "needs unknown task 'zz'"), errors.toString());
        assertTrue(has(errors, "plan.yaml:5:13: error:", "undefined variable 'undefined_thing'"), errors.toString());
        assertTrue(has(errors, "plan.yaml:5:43: error:", "unknown argument 'bogus'"), errors.toString());
        assertTrue(has(errors, "plan.yaml:7:5: error:", "unknown module 'nodetol'"), errors.toString());
        assertTrue(has(errors, "plan.yaml:9:12: error:", "nosuchgroup"), errors.toString());
        assertTrue(has(errors, "plan.yaml:12:5: error:", "missing required argument 'path'"), errors.toString());
        assertEquals(6, errors.size(), errors.toString());
        for (String e : errors) {
            assertTrue(e.matches("(?s)plan\\.yaml:\\d+:\\d+: error: .*"), e);
        }
    }

    // ---- variables followed transitively ----

    @Test
    void compile_planVariableReferringToUndefined_reportedAtTheVariablesValue() {
        // The reported bug: this validated clean and ran "echo '{{' target_cluster '}}'".
        List<String> errors = engine.errors("""
                hosts: cassandra
                vars:
                  new_name: "{{ target_cluster }}"
                tasks:
                  - id: echo
                    fake: "echo {{ new_name }}"
                """);
        assertEquals(List.of("plan.yaml:3:13: error: undefined variable 'target_cluster' in plan variable 'new_name',"
                + " used by argument 'msg' of task 'echo'\n"
                + "    define it in the inventory, the plan's vars, the task's vars or with -e target_cluster=..."), errors);
    }

    @Test
    void compile_chainThroughPlanAndInventoryVariables_followedToTheEnd() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                vars:
                  a: "{{ b }}/x"
                tasks:
                  - id: t
                    vars: { local: "{{ a }}" }
                    fake: "{{ local }}"
                """, """
                all:
                  vars: { b: "{{ c | default('') ~ d }}" }
                  children:
                    cassandra:
                      hosts:
                        h1: { d: 1 }
                        h2:
                """, CompileOptions.defaults());
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("inv.yaml: error: undefined variable 'd' in inventory variable 'b' of h2,"
                + " used by argument 'msg' of task 't' on host h2\n    'd' is defined for other hosts only"), errors.toString());
    }

    @Test
    void compile_unusedBrokenPlanVariable_isNotAnError() throws Exception {
        CompiledPlan cp = engine.compile("""
                hosts: cassandra
                vars:
                  unused: "{{ nowhere }}"
                tasks:
                  - id: a
                    fake: x
                """);
        assertEquals(3, cp.nodes().size());
    }

    @Test
    void compile_cycleBetweenVariables_reportedOnce() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                vars:
                  a: "{{ b }}"
                  b: "{{ a }}"
                tasks:
                  - id: t
                    fake: "{{ a }}"
                """);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("plan.yaml:3:6: error: variables refer to each other in a cycle: a -> b -> a"),
                errors.toString());
    }

    @Test
    void compile_extraVarsSatisfyNestedReferences() throws Exception {
        CompiledPlan cp = engine.compile("""
                hosts: cassandra
                vars:
                  new_name: "{{ target_cluster }}"
                tasks:
                  - id: echo
                    fake: "echo {{ new_name }}"
                """, Engine.INVENTORY, new CompileOptions(Map.of("target_cluster", "c2"), null, List.of()));
        assertEquals(3, cp.nodes().size());
    }

    @Test
    void compile_hostVariableReadByModules_checkedWhenItIsATemplate() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                vars:
                  ansible_user: "{{ deploy_user }}"
                tasks:
                  - id: a
                    fake: x
                """);
        assertTrue(has(errors, "plan.yaml:3:17:", "undefined variable 'deploy_user' in plan variable 'ansible_user'"),
                errors.toString());
    }

    // ---- template syntax, filters and tests ----

    @Test
    void compile_templateSyntaxErrorsAndUnknownFiltersAndTests_areLocatedCompileErrors() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                vars:
                  v: "{{ 'x' | uper }}"
                tasks:
                  - id: a
                    when: tag is definedd
                    fake: { msg: "{{ 1 + }}{{ v }}" }
                  - id: b
                    fake: "{% if true %}x"
                """, Engine.INVENTORY, new CompileOptions(Map.of("tag", "t"), null, List.of()));
        assertTrue(has(errors, "plan.yaml:3:6:", "no filter named 'uper', did you mean 'upper'?"), errors.toString());
        assertTrue(has(errors, "plan.yaml:6:11:", "no test named 'definedd', did you mean 'defined'?"), errors.toString());
        assertTrue(has(errors, "plan.yaml:7:13:", "syntax error at the end of '1 +': encountered '}'"), errors.toString());
        assertTrue(has(errors, "plan.yaml:9:11:", "Missing end tag: endif"), errors.toString());
        assertEquals(4, errors.size(), errors.toString());
    }

    // ---- registered variables need their registering task ----

    @Test
    void compile_registeredVariableWithoutNeed_errorSuggestsTheNeed() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: ring
                    register: ring
                    fake: x
                  - id: archive
                    fake: "{{ ring.msg }}"
                """);
        assertEquals(List.of("plan.yaml:7:11: error: task 'archive' uses 'ring' registered by task 'ring' but does not"
                + " need it: add needs: [ring]\n"
                + "    without the need, whether 'ring' is set when 'archive' runs depends on timing"), errors);
    }

    @Test
    void compile_registeredVariableOfAnotherHostWithoutNeed_isAnError() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                tasks:
                  - id: ring
                    hosts: h1
                    register: ring
                    fake: x
                  - id: edit
                    fake: "{{ hostvars['h1'].ring.msg }} {{ hostvars[inventory_hostname]['ring'] | default('') }}"
                """);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("plan.yaml:8:11: error: task 'edit' uses 'ring' registered by task 'ring'"
                + " but does not need it: add needs: [ring]"), errors.toString());
    }

    @Test
    void compile_registeredVariableNeededTransitivelyOrThroughABlock_isFine() throws Exception {
        CompiledPlan cp = engine.compile("""
                hosts: cassandra
                vars:
                  tokens: "{{ ring.msg }}"
                tasks:
                  - id: ring
                    register: ring
                    fake: x
                  - id: mid
                    needs: ring
                    fake: y
                  - id: grp
                    needs: [mid]
                    block:
                      - id: use
                        fake: "{{ tokens }}"
                      - id: retry
                        register: out
                        until: out.msg == 'x' and result.msg == 'x'
                        fake: z
                """);
        assertEquals(12, cp.nodes().size());
    }

    @Test
    void compile_registeredVariableThroughPlanVariable_withoutNeed_isAnError() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                vars:
                  tokens: "{{ ring.msg }}"
                tasks:
                  - id: ring
                    register: ring
                    fake: x
                  - id: use
                    fake: "{{ tokens }}"
                """);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("task 'use' uses 'ring' registered by task 'ring' but does not need it: add needs: [ring]"),
                errors.toString());
    }

    // ---- vars_required ----

    @Test
    void compile_requiredVariableMissing_namedAtItsDeclaration_usesNotReportedAgain() {
        List<String> errors = engine.errors("""
                hosts: cassandra
                vars_required:
                  - { name: tag, description: the backup to restore }
                tasks:
                  - id: a
                    fake: "{{ tag }}"
                """);
        assertEquals(List.of("plan.yaml:3:13: error: required variable 'tag' is not set (the backup to restore)\n"
                + "    give it with -e tag=... (the plan declares it in vars_required)"), errors);
    }

    @Test
    void compile_requiredVariableGiven_compiles() throws Exception {
        CompiledPlan cp = engine.compile("""
                hosts: cassandra
                vars_required: [tag]
                tasks:
                  - id: a
                    fake: "{{ tag }}"
                """, Engine.INVENTORY, new CompileOptions(Map.of("tag", "t1"), null, List.of()));
        assertEquals(3, cp.nodes().size());
    }

    // ---- size ----

    @Test
    void compile_bigPlan_20kNodes() throws Exception {
        StringBuilder inv = new StringBuilder("all:\n  children:\n    cassandra:\n      hosts:\n");
        for (int h = 0; h < 100; h++) {
            inv.append("        n").append(h).append(": { idx: ").append(h).append(" }\n");
        }
        StringBuilder plan = new StringBuilder("hosts: cassandra\nvars: { tag: t }\ntasks:\n");
        for (int t = 0; t < 200; t++) {
            plan.append("  - id: t").append(t).append('\n');
            if (t > 0) {
                plan.append("    needs: [t").append(t - 1).append("]\n");
            }
            if (t % 50 == 49) {
                plan.append("    hosts: n0\n");
            }
            plan.append("    fake: \"{{ tag }}-{{ idx }}-").append(t).append("\"\n");
        }
        CompiledPlan cp = engine.compile(plan.toString(), inv.toString(), CompileOptions.defaults());
        assertEquals(196 * 100 + 4, cp.graph().size());
        // A task on n0 only is followed by a barrier: its successor on every host waits for it.
        assertEquals(Set.of("t49[n0]"), deps(cp, "t50[n7]"));
        assertEquals(Set.of("t48[n0]"), deps(cp, "t49[n0]"), "n0 is a target of both: per-host edge");
        // 195 pairs with 100 edges each (per host, or 100 barrier edges on one node), 4 pairs with one edge.
        assertEquals(195 * 100 + 4, cp.graph().edgeCount());
    }
}
