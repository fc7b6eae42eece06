package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports from git through the real CLI, with real repositories (a work tree pushed to a local
 * bare repository, the "remote", fetched over git+file://) and a local host: the lock file pins
 * every import; a tag moved on the remote fails the run (exit 2) saying how to move the pin;
 * {@code deps update} moves it; a plan run straight from the remote at a tag records that commit
 * and the URL; under CI=true a modified plan in a git work tree is refused.
 */
class ImportsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private Path work;
    private Path bare;
    private Path project;
    private Map<String, String> env;

    @BeforeEach
    void repositories() throws Exception {
        work = tmp.resolve("shared-work");
        bare = tmp.resolve("shared.git");
        project = tmp.resolve("project");
        Files.createDirectories(project);
        Files.writeString(project.resolve("inv.yaml"), "all:\n  hosts:\n    h1:\n      ansible_connection: local\n");
        env = Map.of("RINGPLAN_CACHE_DIR", tmp.resolve("cache").toString(), "CI", "false");
        Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
        try (Git g = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            Files.createDirectories(work.resolve("tasks"));
            Files.writeString(work.resolve("tasks/greet.yaml"), """
                    - id: hello
                      debug: {msg: "shared v1 says {{ greeting }}"}
                    - id: after
                      needs: [hello]
                      debug: {msg: "after hello"}
                    """);
            Files.writeString(work.resolve("plan.yaml"), """
                    name: remote-plan
                    hosts: all
                    tasks:
                      - id: greet
                        import: tasks/greet.yaml
                        vars: {greeting: from the remote plan}
                    """);
            commitAndTag(g, "v1", "first");
        }
    }

    /** Commits everything in the work tree, tags it (moving the tag if it exists) and pushes both, forced. */
    private RevCommit commitAndTag(Git g, String tag, String message) throws Exception {
        g.add().addFilepattern(".").call();
        RevCommit c = g.commit().setMessage(message).setAuthor("t", "t@example.org").setCommitter("t", "t@example.org")
                .setSign(false).call();
        g.tag().setName(tag).setObjectId(c).setForceUpdate(true).setAnnotated(false).call();
        g.push().setRemote(bare.toUri().toString())
                .setRefSpecs(new RefSpec("+refs/heads/main:refs/heads/main"), new RefSpec("+refs/tags/" + tag + ":refs/tags/" + tag))
                .call();
        return c;
    }

    private String source(String path, String ref) {
        return "git+" + bare.toUri().toString().replaceFirst("^file:/(?!/)", "file:///").replaceAll("/$", "") + "//" + path
                + "?ref=" + ref;
    }

    private void writePlan() throws Exception {
        Files.writeString(project.resolve("plan.yaml"), """
                name: importer
                hosts: all
                tasks:
                  - id: first
                    debug: {msg: first}
                  - id: shared
                    import: %s
                    needs: [first]
                    vars: {greeting: hi}
                  - id: last
                    needs: [shared]
                    debug: {msg: "{{ 'last' }}"}
                """.formatted(source("tasks/greet.yaml", "v1")));
    }

    private static String head(Path repo) throws Exception {
        try (Git g = Git.open(repo.toFile())) {
            return g.getRepository().resolve("HEAD").name();
        }
    }

    private JsonNode runJson(Path dir) throws Exception {
        try (Stream<Path> runs = Files.list(dir.resolve(".ringplan/runs"))) {
            Path run = runs.sorted().reduce((a, b) -> b).orElseThrow();
            return JSON.readTree(run.resolve("run.json").toFile());
        }
    }

    @Test
    void lock_pinsEveryImport_runUsesThePinnedCommit_andRecordsIt() throws Exception {
        writePlan();
        String v1 = head(work);
        Cli.Run lock = Cli.runIn(project, env, "deps", "lock", "plan.yaml");
        assertEquals(ExitCodes.OK, lock.code(), lock.all());
        String lockText = Files.readString(project.resolve("ringplan.lock"));
        assertTrue(lockText.contains("commit: " + v1) && lockText.contains("ref: 'v1'"), lockText);

        Cli.Run run = Cli.runIn(project, env, "run", "plan.yaml", "-i", "inv.yaml");
        assertEquals(ExitCodes.OK, run.code(), run.all());
        assertTrue(run.out().contains("shared.hello[h1]") && run.out().contains("shared v1 says hi"), run.all());
        assertTrue(run.out().indexOf("first[h1]") < run.out().indexOf("shared.hello[h1]")
                && run.out().indexOf("shared.after[h1]") < run.out().lastIndexOf("last[h1]"), run.all());
        assertFalse(run.err().contains("not pinned"), run.all());
        JsonNode imports = runJson(project).get("plan_facts").get("imports");
        assertEquals("shared", imports.get(0).get("name").asText());
        assertEquals(v1, imports.get(0).get("commit").asText());

        Cli.Run graph = Cli.runIn(project, env, "graph", "plan.yaml", "-i", "inv.yaml");
        assertEquals(ExitCodes.OK, graph.code(), graph.all());
        assertTrue(graph.out().contains("shared.hello[h1] <- first[h1]"), graph.out());
        assertTrue(graph.out().contains("shared.after[h1] <- first[h1], shared.hello[h1]"), graph.out());
        assertTrue(graph.out().contains("last[h1] <- shared.hello[h1], shared.after[h1]"), graph.out());
    }

    @Test
    void movedTag_failsTheRunWithExit2_untilDepsUpdateMovesThePin() throws Exception {
        writePlan();
        assertEquals(ExitCodes.OK, Cli.runIn(project, env, "deps", "lock", "plan.yaml").code());
        String v1 = head(work);
        String v2;
        try (Git g = Git.open(work.toFile())) {
            Files.writeString(work.resolve("tasks/greet.yaml"), """
                    - id: hello
                      debug: {msg: "shared v2 says {{ greeting }}"}
                    - id: after
                      needs: [hello]
                      debug: {msg: "after hello"}
                    """);
            v2 = commitAndTag(g, "v1", "second, tag moved").name();
        }

        Cli.Run run = Cli.runIn(project, env, "run", "plan.yaml", "-i", "inv.yaml");
        assertEquals(ExitCodes.INVALID_INPUT, run.code(), run.all());
        assertTrue(run.err().contains("plan.yaml:7:13: error: import 'shared': 'v1' of "), run.all());
        assertTrue(run.err().contains("now points at commit " + v2.substring(0, 12) + ", but ringplan.lock pins "
                + v1.substring(0, 12)), run.all());
        assertTrue(run.err().contains("run 'ringplan deps update plan.yaml shared' to move the pin"), run.all());
        assertFalse(run.out().contains("shared v2"), "nothing ran: " + run.all());
        Cli.Run validate = Cli.runIn(project, env, "validate", "plan.yaml", "-i", "inv.yaml");
        assertEquals(ExitCodes.INVALID_INPUT, validate.code(), validate.all());

        Cli.Run unknown = Cli.runIn(project, env, "deps", "update", "plan.yaml", "sahred");
        assertEquals(ExitCodes.INVALID_INPUT, unknown.code(), unknown.all());
        assertTrue(unknown.err().contains("has no git import 'sahred'; its git imports: shared"), unknown.all());

        Cli.Run update = Cli.runIn(project, env, "deps", "update", "plan.yaml", "shared");
        assertEquals(ExitCodes.OK, update.code(), update.all());
        assertTrue(update.out().contains("moved from " + v1.substring(0, 12) + " to shared"), update.all());
        assertTrue(Files.readString(project.resolve("ringplan.lock")).contains("commit: " + v2));
        Cli.Run again = Cli.runIn(project, env, "run", "plan.yaml", "-i", "inv.yaml");
        assertEquals(ExitCodes.OK, again.code(), again.all());
        assertTrue(again.out().contains("shared v2 says hi"), again.all());
        assertEquals(v2, runJson(project).get("plan_facts").get("imports").get(0).get("commit").asText());
    }

    @Test
    void importNotPinned_runsTheRefsCommit_withAWarning() throws Exception {
        writePlan();
        Cli.Run run = Cli.runIn(project, env, "run", "plan.yaml", "-i", "inv.yaml");
        assertEquals(ExitCodes.OK, run.code(), run.all());
        assertTrue(run.err().contains("warning: import 'shared' (" + source("tasks/greet.yaml", "v1")
                + ") is not pinned in ringplan.lock: using commit " + head(work).substring(0, 12)), run.all());
        assertTrue(run.err().contains("run 'ringplan deps lock plan.yaml' to pin it"), run.all());
    }

    @Test
    void remotePlan_atATag_runsAndRecordsTheCommitAndUrl() throws Exception {
        String v1 = head(work);
        try (Git g = Git.open(work.toFile())) {
            Files.writeString(work.resolve("plan.yaml"), "name: moved-on\nhosts: all\ntasks:\n  - id: other\n    debug: {msg: v2}\n");
            commitAndTag(g, "v2", "later");
        }
        String url = source("plan.yaml", "v1");
        Cli.Run validate = Cli.runIn(project, env, "validate", url, "-i", "inv.yaml");
        assertEquals(ExitCodes.OK, validate.code(), validate.all());
        assertTrue(validate.out().contains("valid — 2 tasks"), validate.all());

        Cli.Run run = Cli.runIn(project, env, "run", url, "-i", "inv.yaml");
        assertEquals(ExitCodes.OK, run.code(), run.all());
        assertTrue(run.out().contains("RUN remote-plan (" + url + ")"), run.all());
        assertTrue(run.out().contains("shared v1 says from the remote plan"), run.all());
        JsonNode facts = runJson(project).get("plan_facts");
        assertEquals(v1, facts.get("commit").asText(), facts.toString());
        assertEquals(url, facts.get("url").asText(), facts.toString());
        assertEquals("v1", facts.get("ref").asText(), facts.toString());
        assertFalse(facts.get("dirty").asBoolean(), facts.toString());

        Cli.Run missing = Cli.runIn(project, env, "run", source("plan.yaml", "v9"), "-i", "inv.yaml");
        assertEquals(ExitCodes.INVALID_INPUT, missing.code(), missing.all());
        assertTrue(missing.err().contains("has no tag, branch or commit 'v9'"), missing.all());
    }

    @Test
    void remotePlan_gitImportsPinnedByTheLockFileInItsRepository() throws Exception {
        String v1 = head(work);
        try (Git g = Git.open(work.toFile())) {
            Files.writeString(work.resolve("importer.yaml"), """
                    hosts: all
                    tasks:
                      - id: shared
                        import: %s
                        vars: {greeting: pinned}
                    """.formatted(source("tasks/greet.yaml", "v1")));
            Files.writeString(work.resolve("ringplan.lock"), "version: 1\npins:\n  - repo: '" + source("x", "v1")
                    .replaceFirst("^git\\+", "").replaceFirst("//x\\?ref=v1$", "") + "'\n    ref: 'v1'\n    commit: "
                    + v1 + "\n");
            commitAndTag(g, "plans-1", "importer, locked");
            Files.writeString(work.resolve("tasks/greet.yaml"), "- id: hello\n  debug: {msg: moved}\n");
            commitAndTag(g, "v1", "v1 moved");
        }
        Cli.Run run = Cli.runIn(project, env, "run", source("importer.yaml", "plans-1"), "-i", "inv.yaml");
        assertEquals(ExitCodes.INVALID_INPUT, run.code(), run.all());
        assertTrue(run.err().contains("but ringplan.lock pins " + v1.substring(0, 12)), run.all());
        assertTrue(run.err().contains("update the lock file in " + source("x", "v1").replaceFirst("^git\\+", "")
                .replaceFirst("//x\\?ref=v1$", "")), run.all());
        Cli.Run lock = Cli.runIn(project, env, "deps", "lock", source("importer.yaml", "plans-1"));
        assertEquals(ExitCodes.INVALID_INPUT, lock.code(), lock.all());
        assertTrue(lock.err().contains("a remote plan's imports are pinned by the ringplan.lock in its own repository"),
                lock.all());
    }

    @Test
    void ciTrue_refusesAModifiedPlanInAGitWorkTree() throws Exception {
        Files.writeString(project.resolve("plan.yaml"), "hosts: all\ntasks:\n  - id: a\n    import: tasks/one.yaml\n");
        Files.createDirectories(project.resolve("tasks"));
        Files.writeString(project.resolve("tasks/one.yaml"), "- id: t\n  debug: {msg: one}\n");
        try (Git g = Git.init().setDirectory(project.toFile()).call()) {
            g.add().addFilepattern("plan.yaml").addFilepattern("tasks").addFilepattern("inv.yaml").call();
            g.commit().setMessage("plan").setAuthor("t", "t@example.org").setCommitter("t", "t@example.org").setSign(false).call();
        }
        Map<String, String> ci = Map.of("RINGPLAN_CACHE_DIR", env.get("RINGPLAN_CACHE_DIR"), "CI", "true");
        assertEquals(ExitCodes.OK, Cli.runIn(project, ci, "run", "plan.yaml", "-i", "inv.yaml").code());

        Files.writeString(project.resolve("tasks/one.yaml"), "- id: t\n  debug: {msg: edited}\n");
        Cli.Run refused = Cli.runIn(project, ci, "run", "plan.yaml", "-i", "inv.yaml");
        assertEquals(ExitCodes.INVALID_INPUT, refused.code(), refused.all());
        assertTrue(refused.err().contains("tasks/one.yaml, imported by plan.yaml, is not committed in git"
                + " (CI=true implies --require-clean)"), refused.all());
        assertFalse(refused.out().contains("edited"), refused.all());
        Cli.Run notCi = Cli.runIn(project, env, "run", "plan.yaml", "-i", "inv.yaml");
        assertEquals(ExitCodes.OK, notCi.code(), notCi.all());
        assertTrue(notCi.out().contains("edited"), notCi.all());
    }

    @Test
    void errorInAnImportedFile_pointsAtItsLine_withTheImportChain() throws Exception {
        Files.createDirectories(project.resolve("tasks"));
        Files.writeString(project.resolve("tasks/outer.yaml"), "- id: inner\n  import: inner.yaml\n");
        Files.writeString(project.resolve("tasks/inner.yaml"), "- id: t\n  debug: {msg: \"{{ nope }}\"}\n");
        Files.writeString(project.resolve("plan.yaml"), "hosts: all\ntasks:\n  - id: outer\n    import: tasks/outer.yaml\n");
        Cli.Run r = Cli.runIn(project, env, "validate", "plan.yaml", "-i", "inv.yaml");
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.all());
        assertTrue(r.err().contains("tasks/inner.yaml:2:11: error: undefined variable 'nope' in argument 'msg' of task"
                + " 'outer.inner.t'"), r.all());
        assertTrue(r.err().contains("imported by tasks/outer.yaml:2:11 (import 'inner'), imported by plan.yaml:4:13"
                + " (import 'outer')"), r.all());

        Files.writeString(project.resolve("tasks/inner.yaml"), "- id: t\n  import: outer.yaml\n");
        Cli.Run cycle = Cli.runIn(project, env, "validate", "plan.yaml", "-i", "inv.yaml");
        assertEquals(ExitCodes.INVALID_INPUT, cycle.code(), cycle.all());
        assertTrue(cycle.err().contains("tasks/inner.yaml:2:11: error: import cycle: tasks/outer.yaml imports itself"), cycle.all());
    }

    @Test
    void clonePlan_importsTheSharedTaskLists_sameNodesWithNamespacedIds() {
        Cli.Run graph = Cli.run("graph", "plans/clone-cluster.yaml", "-i", "inventories/sandbox-clone.yaml");
        assertEquals(ExitCodes.OK, graph.code(), graph.all());
        List<String> nodes = graph.out().lines().map(l -> l.split(" <- ")[0]).toList();
        List<String> tasks = List.of("src_flush", "src_snapshot", "src_ring", "src_archive", "src_clear",
                "dst_swap.stop", "dst_swap.set_aside", "dst_swap.extract", "dst_yaml", "dst_cluster_name",
                "dst_clear_system", "dst_start.service_start", "dst_start.wait_up", "dst_status.all_up", "dst_ring",
                "dst_discard_set_aside");
        assertEquals(32, nodes.size(), graph.out());
        for (String t : tasks) {
            String[] hosts = t.startsWith("src") ? new String[] {"src1", "src2"} : new String[] {"dst1", "dst2"};
            for (String h : hosts) {
                assertTrue(nodes.contains(t + "[" + h + "]"), t + "[" + h + "] in\n" + graph.out());
            }
        }
        assertTrue(graph.out().contains("dst_start.service_start[dst2] <- dst_yaml[dst2], dst_cluster_name[dst2],"
                + " dst_clear_system[dst2], dst_start.service_start[dst1], dst_start.wait_up[dst1]"), graph.out());
        assertTrue(graph.out().contains("dst_discard_set_aside[dst1] <- dst_status.all_up[dst1], dst_status.all_up[dst2]"),
                graph.out());
        Cli.Run validate = Cli.run("validate", "plans/clone-cluster.yaml", "-i", "inventories/sandbox-clone.yaml");
        assertEquals(ExitCodes.OK, validate.code(), validate.all());
        assertTrue(validate.out().contains("valid — 16 tasks, 32 nodes on 4 hosts"), validate.all());
    }
}
