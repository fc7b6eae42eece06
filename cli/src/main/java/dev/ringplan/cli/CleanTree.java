package dev.ringplan.cli;

import dev.ringplan.engine.git.PlanCommit;
import dev.ringplan.engine.share.LoadedPlan;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Whether a plan may run given the state of its git work tree, and the {@code plan.*} facts a
 * run records; the one place that decides it. {@code --require-clean} refuses a plan file that
 * is not committed (outside a repository, modified or untracked), or a local file it imports that
 * is not. {@code CI=true} (what GitHub Actions, GitLab CI and others set) implies it: a run from CI
 * must be a reviewed commit. A remote plan ({@code git+...://}) is a commit: always clean.
 */
final class CleanTree {
    private CleanTree() {
    }

    /** Why the run is refused, or null when it may go on. */
    static String refusal(LoadedPlan loaded, boolean requireClean, Map<String, String> env) {
        if (loaded.localFile() == null) {
            return null;
        }
        PlanCommit git = PlanCommit.of(loaded.localFile());
        boolean ci = "true".equalsIgnoreCase(env.getOrDefault("CI", "").strip());
        if (!requireClean && !ci) {
            return null;
        }
        String why = ci && !requireClean ? " (CI=true implies --require-clean)" : " (--require-clean)";
        if (git.commit() == null || git.dirty()) {
            return loaded.localFile() + " is not committed in git" + why + "; commit it first";
        }
        for (Path imported : loaded.localFiles()) {
            PlanCommit g = PlanCommit.of(imported);
            if (g.commit() == null || g.dirty()) {
                return imported + ", imported by " + loaded.localFile() + ", is not committed in git" + why
                        + "; commit it first";
            }
        }
        return null;
    }

    /**
     * The {@code plan.*} facts: commit, branch, dirty flag of the plan's work tree, or for a
     * remote plan its URL, ref and resolved commit; plus {@code file}, {@code name} and, when it
     * has git imports, {@code imports} (name, source, commit of each).
     */
    static Map<String, Object> facts(LoadedPlan loaded) {
        Map<String, Object> facts = new LinkedHashMap<>(loaded.localFile() != null
                ? PlanCommit.of(loaded.localFile()).facts() : loaded.remoteFacts());
        facts.put("file", loaded.localFile() != null ? loaded.localFile().toString() : loaded.remote().toString());
        facts.put("name", loaded.plan().name());
        if (!loaded.imports().isEmpty()) {
            facts.put("imports", loaded.importFacts());
        }
        return facts;
    }
}
