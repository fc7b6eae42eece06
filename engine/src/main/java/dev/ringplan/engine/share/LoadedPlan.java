package dev.ringplan.engine.share;

import dev.ringplan.engine.diag.Diagnostic;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.plan.Plan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan with its imports expanded ({@link PlanLoader}), and where everything came from.
 *
 * @param plan         the plan, every {@code import:} replaced by the block of imported tasks
 * @param localFile    the plan file, or null for a remote plan
 * @param remote       the remote plan's source, or null for a local plan
 * @param remoteCommit the commit the remote plan was read at, or null
 * @param imports      every git import, in the order met (nested ones included)
 * @param lock         the lock as it should be after this load (pins added or moved by
 *                     {@code deps lock}/{@code deps update}; unchanged by a run)
 * @param lockPath     where the lock file of a local plan is, or null for a remote plan
 * @param warnings     what the user should know (imports not pinned in the lock file)
 * @param chains       an imported file (as diagnostics name it) → the chain of imports that led to
 *                     it, e.g. {@code imported by plans/clone-cluster.yaml:96:13 ('start')}
 * @param localFiles   the plan file and every local file it imports (for the clean-tree check)
 */
public record LoadedPlan(Plan plan, Path localFile, GitSource remote, String remoteCommit, List<ImportRecord> imports,
                         LockFile lock, Path lockPath, List<String> warnings, Map<String, String> chains,
                         List<Path> localFiles) {

    /**
     * One git import as resolved.
     *
     * @param name   its namespaced id ({@code outer.inner} when nested)
     * @param source the source as written
     * @param repo   repository URL
     * @param ref    ref as written ({@code HEAD} when none)
     * @param commit the commit its files were read at
     */
    public record ImportRecord(String name, String source, String repo, String ref, String commit) {
    }

    /** The plan's {@code plan.*} facts of a remote plan: url, ref, commit, no branch, never dirty. */
    public Map<String, Object> remoteFacts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("commit", remoteCommit);
        m.put("branch", null);
        m.put("dirty", false);
        m.put("url", remote.toString());
        m.put("ref", remote.refOrHead());
        return m;
    }

    /** The git imports as plain data, for the run record: name, source, commit. */
    public List<Map<String, Object>> importFacts() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ImportRecord r : imports) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("source", r.source());
            m.put("commit", r.commit());
            out.add(m);
        }
        return out;
    }

    /**
     * {@code e} with the import chain added to every diagnostic in an imported file, so that a
     * problem in a shared task list says which import brought it in.
     */
    public InvalidInputException withChains(InvalidInputException e) {
        return withChains(e, chains);
    }

    static InvalidInputException withChains(InvalidInputException e, Map<String, String> chains) {
        if (chains.isEmpty()) {
            return e;
        }
        List<Diagnostic> out = new ArrayList<>();
        for (Diagnostic d : e.diagnostics()) {
            String chain = d.pos() == null ? null : chains.get(d.pos().file());
            if (chain == null || (d.detail() != null && d.detail().contains(chain))) {
                out.add(d);
            } else {
                String detail = d.detail() == null || d.detail().isEmpty() ? chain : d.detail() + "\n    " + chain;
                out.add(new Diagnostic(d.severity(), d.pos(), d.summary(), detail));
            }
        }
        return new InvalidInputException(out);
    }
}
