package dev.ringplan.engine.git;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * The git facts of a plan file, read with JGit: the commit of HEAD in the repository holding the
 * plan, and whether the plan file (or the work tree) differs from it. A plan outside any
 * repository has no commit.
 *
 * @param commit    HEAD's SHA-1 (40 hex characters), or null outside a repository / before the first commit
 * @param branch    the current branch, or null
 * @param dirty     true when the plan file is modified or untracked
 * @param treeDirty true when any tracked file of the work tree is modified (untracked ignored)
 * @param repoRoot  the work tree root, or null
 */
public record PlanCommit(String commit, String branch, boolean dirty, boolean treeDirty, Path repoRoot) {

    /** Reads the facts for {@code planFile}. Never throws: problems give an empty record. */
    public static PlanCommit of(Path planFile) {
        Path abs = planFile.toAbsolutePath().normalize();
        FileRepositoryBuilder b = new FileRepositoryBuilder().readEnvironment().findGitDir(abs.getParent().toFile());
        if (b.getGitDir() == null) {
            return new PlanCommit(null, null, false, false, null);
        }
        try (Repository repo = b.build(); Git git = new Git(repo)) {
            ObjectId head = repo.resolve("HEAD");
            Path root = repo.getWorkTree().toPath().toAbsolutePath().normalize();
            String rel = root.relativize(abs).toString().replace('\\', '/');
            Status st = git.status().call();
            boolean dirty = st.getModified().contains(rel) || st.getUntracked().contains(rel)
                    || st.getChanged().contains(rel) || st.getAdded().contains(rel);
            boolean treeDirty = !st.getModified().isEmpty() || !st.getChanged().isEmpty()
                    || !st.getAdded().isEmpty() || !st.getRemoved().isEmpty() || !st.getMissing().isEmpty();
            return new PlanCommit(head == null ? null : head.name(), repo.getBranch(), dirty || head == null, treeDirty, root);
        } catch (IOException | GitAPIException | RuntimeException e) {
            return new PlanCommit(null, null, false, false, null);
        }
    }

    /** The {@code plan.*} variables: commit, branch, dirty. */
    public Map<String, Object> facts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("commit", commit);
        m.put("branch", branch);
        m.put("dirty", dirty);
        return m;
    }
}
