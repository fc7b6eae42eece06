package dev.ringplan.engine.share;

import dev.ringplan.engine.diag.Diagnostics;
import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;
import dev.ringplan.engine.plan.Param;
import dev.ringplan.engine.plan.Plan;
import dev.ringplan.engine.plan.PlanParser;
import dev.ringplan.engine.plan.SourcedVars;
import dev.ringplan.engine.plan.Task;
import dev.ringplan.engine.yaml.SafeYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a plan, local ({@code plans/x.yaml}) or remote ({@code git+https://...//x.yaml?ref=v1}),
 * and expands its {@code import:} tasks at load time, before compiling (Ansible's static
 * {@code import_tasks}/{@code import_role}): each import's file is read (a path relative to the
 * importing file, in the same repository and commit when that file came from git; or a git
 * source, fetched into the {@link GitCache}), parsed, its own imports expanded, and put in place
 * as a block ({@link ImportExpander}). An import of a file already being imported higher up the
 * chain is an error (a cycle of imports).
 *
 * <p>Git imports are pinned by the lock file beside the plan ({@link LockFile}). How a pin is
 * used depends on the {@link Mode}: a run fails when a ref now points elsewhere than its pin,
 * saying how to move it; {@code deps lock} adds the missing pins; {@code deps update} moves the
 * pins of the imports named.
 */
public final class PlanLoader {
    /** What the load is for. */
    public enum Mode {
        /** validate, graph, plan, run: use the pins; a ref that moved is an error; a missing pin a warning. */
        RUN,
        /** {@code deps lock}: add the missing pins; a ref that moved is an error. */
        LOCK,
        /** {@code deps update [NAME]}: move the pins of the named imports (all when none is named). */
        UPDATE
    }

    /**
     * How to load.
     *
     * @param moduleNames the module names (for the parser's keyword suggestions)
     * @param cache       where git repositories are fetched
     * @param mode        what the load is for
     * @param update      for {@link Mode#UPDATE}: import names (namespaced ids) or repository URLs whose
     *                    pins move; empty for all
     */
    public record Options(Set<String> moduleNames, GitCache cache, Mode mode, Set<String> update) {
    }

    /** Where a file came from: a local file or a file of a git commit. */
    private sealed interface Src permits Local, Remote {
        String display();

        String identity();
    }

    private record Local(Path abs, String display) implements Src {
        public String identity() {
            return abs.toString();
        }
    }

    private record Remote(GitSource src, String commit) implements Src {
        public String display() {
            return src.toString();
        }

        public String identity() {
            return src.repoUrl() + "@" + commit + ":" + src.path();
        }
    }

    private final Options opts;
    private final Diagnostics diags = new Diagnostics();
    private final List<LoadedPlan.ImportRecord> imports = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, String> chains = new LinkedHashMap<>();
    private final List<Path> localFiles = new ArrayList<>();
    private final Map<String, String> resolved = new HashMap<>();
    private final Set<String> importedSecrets = new java.util.LinkedHashSet<>();
    private final String planArg;
    private LockFile lock;
    private String lockHint;

    private PlanLoader(String planArg, Options opts) {
        this.planArg = planArg;
        this.opts = opts;
    }

    /**
     * Loads {@code planArg} (a path, or a git source) with its imports expanded.
     *
     * @throws InvalidInputException every problem: the plan's and imported files' syntax, unknown
     *                               files, cycles, wrong parameters, refs that moved, fetch failures
     */
    public static LoadedPlan load(String planArg, Options opts) throws InvalidInputException {
        return new PlanLoader(planArg, opts).doLoad();
    }

    private LoadedPlan doLoad() throws InvalidInputException {
        Src top;
        Path lockPath = null;
        if (GitSource.isGit(planArg)) {
            GitSource gs;
            try {
                gs = GitSource.parse(planArg);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(SourcePos.ofFile(planArg), e.getMessage());
            }
            if (opts.mode() != Mode.RUN) {
                throw new InvalidInputException(SourcePos.ofFile(planArg), "a remote plan's imports are pinned by the"
                        + " ringplan.lock in its own repository: lock them there");
            }
            String commit = fetch(gs, SourcePos.ofFile(planArg));
            diags.throwIfErrors();
            top = new Remote(gs, commit);
            String dir = gs.path().contains("/") ? gs.path().substring(0, gs.path().lastIndexOf('/') + 1) : "";
            String lockText = read(new Remote(gs.withPath(dir + LockFile.NAME), commit), null, true);
            lock = lockText == null ? new LockFile() : LockFile.parse(gs.withPath(dir + LockFile.NAME).toString(), lockText);
            lockHint = "update the lock file in " + gs.repoUrl();
        } else {
            Path p = Path.of(planArg);
            if (!Files.exists(p)) {
                throw new InvalidInputException(SourcePos.ofFile(planArg), "plan file not found");
            }
            top = new Local(p.toAbsolutePath().normalize(), planArg);
            lockPath = p.resolveSibling(LockFile.NAME);
            lock = LockFile.read(lockPath);
            lockHint = "run 'ringplan deps update " + planArg + " %s' to move the pin, then review and commit "
                    + lockPath.getFileName();
        }
        String text = read(top, null, false);
        diags.throwIfErrors();
        Plan plan = PlanParser.parse(top.display(), text, opts.moduleNames());
        List<String> stack = new ArrayList<>(List.of(top.identity()));
        List<Task> tasks = expandList(plan.tasks(), top, stack, "", null);
        checkUniqueIds(tasks);
        diags.throwIfErrors();
        SourcedVars vars = new SourcedVars();
        plan.vars().forEach((k, v) -> vars.put(k, v, SourcedVars.posOf(plan.vars(), k)));
        List<Plan.RequiredVar> required = new ArrayList<>(plan.varsRequired());
        for (Param p : plan.params()) {
            // A role run as a plan of its own: its parameters come from -e (or their defaults).
            if (p.required()) {
                required.add(new Plan.RequiredVar(p.name(), p.description(), p.pos()));
            } else if (p.hasDefault() && !vars.containsKey(p.name())) {
                vars.put(p.name(), p.defaultValue(), p.pos());
            }
        }
        Plan expanded = plan.withTasks(tasks, vars, required);
        if (!importedSecrets.isEmpty()) {
            // vars_secret of imported roles: masked wherever the values show, as the plan's own.
            importedSecrets.addAll(plan.varsSecret());
            expanded = new Plan(expanded.file(), expanded.name(), expanded.description(), expanded.hosts(),
                    expanded.hostsPos(), expanded.vars(), expanded.tasks(), expanded.varsRequired(),
                    List.copyOf(importedSecrets), expanded.params());
        }
        return new LoadedPlan(expanded, top instanceof Local l ? Path.of(planArg) : null,
                top instanceof Remote r ? r.src() : null, top instanceof Remote r2 ? r2.commit() : null,
                List.copyOf(imports), lock, lockPath, List.copyOf(warnings), Map.copyOf(chains), List.copyOf(localFiles));
    }

    private List<Task> expandList(List<Task> tasks, Src src, List<String> stack, String names, String chain) {
        List<Task> out = new ArrayList<>();
        for (Task t : tasks) {
            if (t.isImport()) {
                Task block = expandImport(t, src, stack, names, chain);
                if (block != null) {
                    out.add(block);
                }
            } else if (t.isBlock()) {
                out.add(t.rewritten(t.id(), t.needs(), expandList(t.block(), src, stack, names, chain),
                        expandList(t.rescue(), src, stack, names, chain), t.vars(), t.hosts(), t.params()));
            } else {
                out.add(t);
            }
        }
        return out;
    }

    private Task expandImport(Task imp, Src parent, List<String> stack, String names, String parentChain) {
        String name = names + imp.id();
        Src src = locate(imp, parent, name);
        if (src == null) {
            return null;
        }
        String chain = "imported by " + imp.importPos() + " (import '" + imp.id() + "')"
                + (parentChain != null ? ", " + parentChain : "");
        if (stack.contains(src.identity())) {
            diags.error(imp.importPos(), "import cycle: " + src.display() + " imports itself through " + parent.display(),
                    "imports form a tree: a file cannot import a file that (directly or not) imports it");
            return null;
        }
        String text = read(src, imp.importPos(), false);
        if (text == null) {
            return null;
        }
        chains.putIfAbsent(src.display(), chain);
        Plan child;
        try {
            child = PlanParser.parseImported(src.display(), text, opts.moduleNames());
        } catch (InvalidInputException e) {
            diags.addAll(LoadedPlan.withChains(e, Map.of(src.display(), chain)).diagnostics());
            return null;
        }
        importedSecrets.addAll(child.varsSecret());
        List<String> inner = new ArrayList<>(stack);
        inner.add(src.identity());
        List<Task> tasks = expandList(child.tasks(), src, inner, name + ".", chain);
        Plan expandedChild = child.isTaskList()
                ? new Plan(child.file(), child.name(), null, null, null, Map.of(), tasks, List.of(), List.of(), null)
                : child.withTasks(tasks, child.vars(), child.varsRequired());
        Diagnostics local = new Diagnostics();
        Task block = ImportExpander.toBlock(imp, expandedChild, local);
        if (local.hasErrors()) {
            diags.addAll(LoadedPlan.withChains(new InvalidInputException(local.all()), Map.of(src.display(), chain))
                    .diagnostics());
        }
        return block;
    }

    /** The file an import names, relative to the importing file's place; null when reported. */
    private Src locate(Task imp, Src parent, String name) {
        String s = imp.importSource().strip();
        if (GitSource.isGit(s)) {
            GitSource gs;
            try {
                gs = GitSource.parse(s);
            } catch (IllegalArgumentException e) {
                diags.error(imp.importPos(), e.getMessage());
                return null;
            }
            String commit = pinned(gs, name, imp.importPos());
            return commit == null ? null : new Remote(gs, commit);
        }
        if (parent instanceof Local l) {
            Path target = l.abs().getParent().resolve(s).normalize();
            Path shown = Path.of(l.display()).getParent() == null ? Path.of(s) : Path.of(l.display()).getParent().resolve(s);
            return new Local(target, Path.of(s).isAbsolute() ? s : shown.normalize().toString());
        }
        Remote r = (Remote) parent;
        if (s.startsWith("/")) {
            diags.error(imp.importPos(), "'" + s + "': a file imported from git imports files of its own repository"
                    + " by relative path, or others by git+...:// URL");
            return null;
        }
        String dir = r.src().path().contains("/") ? r.src().path().substring(0, r.src().path().lastIndexOf('/')) : "";
        String joined = java.net.URI.create("x:/" + (dir.isEmpty() ? "" : dir + "/") + s).normalize().getPath();
        if (joined.startsWith("/..")) {
            diags.error(imp.importPos(), "'" + s + "' leaves the repository " + r.src().repoUrl());
            return null;
        }
        return new Remote(r.src().withPath(joined.substring(1)), r.commit());
    }

    /** The commit a git import is read at, by the mode's rules (see {@link Mode}); null when reported. */
    private String pinned(GitSource gs, String name, SourcePos at) {
        String current = fetch(gs, at);
        if (current == null) {
            return null;
        }
        String ref = gs.refOrHead();
        LockFile.Pin pin = lock.pin(gs.repoUrl(), ref);
        boolean move = opts.mode() == Mode.UPDATE
                && (opts.update().isEmpty() || opts.update().contains(name) || opts.update().contains(gs.repoUrl()));
        String commit;
        if (pin == null || move) {
            commit = current;
            if (opts.mode() == Mode.RUN) {
                warnings.add("import '" + name + "' (" + gs + ") is not pinned in " + LockFile.NAME + ": using commit "
                        + current.substring(0, 12) + " of '" + ref + "'; run 'ringplan deps lock " + planArg + "' to pin it");
            } else {
                lock.put(new LockFile.Pin(gs.repoUrl(), ref, current));
            }
        } else if (!pin.commit().equals(current) && opts.mode() != Mode.UPDATE) {
            diags.error(at, "import '" + name + "': '" + ref + "' of " + gs.repoUrl() + " now points at commit "
                    + current.substring(0, 12) + ", but " + LockFile.NAME + " pins " + pin.commit().substring(0, 12),
                    "a plan runs only the commits its lock file pins; if the move is expected, "
                            + lockHint.formatted(name));
            return null;
        } else {
            commit = pin.commit();
        }
        imports.add(new LoadedPlan.ImportRecord(name, gs.toString(), gs.repoUrl(), ref, commit));
        return commit;
    }

    private String fetch(GitSource gs, SourcePos at) {
        String key = gs.repoUrl() + "\n" + gs.refOrHead();
        String known = resolved.get(key);
        if (known != null) {
            return known;
        }
        try {
            String c = opts.cache().resolve(gs.repoUrl(), gs.ref());
            resolved.put(key, c);
            return c;
        } catch (GitCache.GitException e) {
            diags.error(at, e.getMessage());
            return null;
        }
    }

    /** A file's text; null (reported at {@code at}, unless {@code optional}) when it cannot be read. */
    private String read(Src src, SourcePos at, boolean optional) {
        if (src instanceof Local l) {
            if (!Files.isRegularFile(l.abs())) {
                if (!optional) {
                    diags.error(at != null ? at : SourcePos.ofFile(l.display()), "file not found: " + l.display());
                }
                return null;
            }
            localFiles.add(l.abs());
            try {
                return SafeYaml.readUtf8(Path.of(l.display()).isAbsolute() ? l.abs() : Path.of(l.display()), "plan");
            } catch (InvalidInputException e) {
                diags.addAll(e.diagnostics());
                return null;
            }
        }
        Remote r = (Remote) src;
        try {
            String text = opts.cache().read(r.src().repoUrl(), r.commit(), r.src().path());
            if (text == null && !optional) {
                diags.error(at != null ? at : SourcePos.ofFile(r.display()), "no file '" + r.src().path() + "' in commit "
                        + r.commit().substring(0, 12) + " of " + r.src().repoUrl());
            }
            return text;
        } catch (GitCache.GitException e) {
            diags.error(at != null ? at : SourcePos.ofFile(r.display()), e.getMessage());
            return null;
        }
    }

    private void checkUniqueIds(List<Task> tasks) {
        Set<String> seen = new HashSet<>();
        Plan p = new Plan("", "", null, null, null, Map.of(), tasks);
        for (Task t : p.allTasks()) {
            if (!seen.add(t.id())) {
                diags.error(t.pos(), "duplicate task id '" + t.id() + "' (an import's tasks are named IMPORT_ID.TASK_ID)");
            }
        }
    }
}
