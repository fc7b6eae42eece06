package dev.ringplan.modules.fsclear;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.ModuleException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Works out a {@link ClearPlan} through a {@link Connection}, reading only (stat and list).
 *
 * <p>Rules (see {@link FsClearModule} for the user-facing wording):
 * <ul>
 * <li>Each path is normalised by {@link PathGuard#normalise}. A glob may appear in the last
 *     element only; its directory must be literal.</li>
 * <li>The path (for a glob: its directory) must equal or lie under a declared Cassandra directory
 *     (a root). Equal to a data directory root (or a glob directly in one) needs
 *     {@code allow_root}: that wipes every keyspace, system ones included.</li>
 * <li>No element between the root and the path (inclusive; for a glob, its directory) may be a
 *     symbolic link: a link there could lead out of the Cassandra directories. The root itself may
 *     be a link (data directories on mounted disks often are).</li>
 * <li>A glob written with a trailing slash ({@code <data>/ks/users-*}{@code /}) empties each
 *     matching directory and keeps it (a table directory whose id is not known in advance).
 * <li>A literal directory is emptied, never removed; a literal file is removed; each glob match is
 *     removed whole (a directory with its content). A missing path removes nothing.</li>
 * <li>During the walk links are never followed: a link is an entry removed as a link. An entry
 *     whose name matches a {@code keep} glob, the {@code move_to} and {@code restore_from}
 *     directories, and any declared root nested inside a target are kept with all their content;
 *     directories holding kept entries stay (emptied of the rest).</li>
 * </ul>
 */
final class ClearPlanner {
    private final Connection conn;
    private final List<String> roots;
    private final List<String> dataRoots;
    private final boolean allowRoot;
    private final List<PathMatcher> keep;
    private final String moveTo;
    private final String restoreFrom;

    /**
     * @param roots     every declared Cassandra directory, normalised
     * @param dataRoots the data directories among them, normalised
     * @param keepGlobs names (globs) to keep at any depth
     * @param moveTo      normalised move_to directory, or null
     * @param restoreFrom normalised restore_from directory, or null (kept like move_to: never
     *                    cleared, even inside a cleared directory)
     * @throws ModuleException when a keep glob holds a slash or is not a valid glob
     */
    ClearPlanner(Connection conn, List<String> roots, List<String> dataRoots, boolean allowRoot,
                 List<String> keepGlobs, String moveTo, String restoreFrom) throws ModuleException {
        this.conn = conn;
        this.roots = List.copyOf(roots);
        this.dataRoots = List.copyOf(dataRoots);
        this.allowRoot = allowRoot;
        this.keep = new ArrayList<>();
        for (String k : keepGlobs) {
            if (k.isBlank() || k.contains("/")) {
                throw new ModuleException("keep entry '" + k + "' must be a file name or a glob of names, without '/'");
            }
            keep.add(glob(k, "keep entry"));
        }
        this.moveTo = moveTo;
        this.restoreFrom = restoreFrom;
    }

    /**
     * Plans the removal of every path in {@code rawPaths}.
     *
     * @throws ModuleException for any refused path (see the class doc) or when the host cannot be
     *                         read
     */
    ClearPlan plan(List<String> rawPaths) throws ModuleException {
        if (rawPaths.isEmpty()) {
            throw new ModuleException("path is empty (a template that rendered to nothing?); refusing");
        }
        List<String> targets = new ArrayList<>();
        Map<String, ClearPlan.Unit> units = new LinkedHashMap<>();
        List<String> kept = new ArrayList<>();
        for (String raw : rawPaths) {
            String p = PathGuard.normalise(raw, "path");
            String last = PathGuard.name(p);
            String dir = PathGuard.parent(p);
            for (String el : dir.split("/")) {
                if (PathGuard.hasGlob(el)) {
                    throw new ModuleException("path '" + raw + "': a glob is allowed in the last element only");
                }
            }
            boolean isGlob = PathGuard.hasGlob(last);
            boolean contentsOnly = raw.strip().endsWith("/");
            String literal = isGlob ? dir : p;
            String root = PathGuard.rootOf(literal, roots);
            if (root == null) {
                throw new ModuleException("path '" + raw + "' is not under a declared Cassandra directory ("
                        + String.join(", ", roots) + "); refusing");
            }
            if (literal.equals(root) && dataRoots.contains(root) && !allowRoot) {
                throw new ModuleException("path '" + raw + "' would empty the data directory " + root
                        + " itself (every keyspace, system ones included); set allow_root: true if that is meant");
            }
            checkNoLinks(raw, root, literal);
            if (isGlob) {
                PathMatcher m = glob(last, "path '" + raw + "'");
                for (FileStat s : list(dir)) {
                    if (m.matches(Path.of(s.name()))) {
                        String child = PathGuard.join(dir, s.name());
                        targets.add(child);
                        if (contentsOnly && s.type() == FileStat.Type.DIRECTORY) {
                            // "dir/table-*/": each matching directory is emptied and kept.
                            for (FileStat c : list(child)) {
                                collectTop(build(PathGuard.join(child, c.name()), c), units, kept);
                            }
                        } else {
                            collectTop(build(child, s), units, kept);
                        }
                    }
                }
            } else {
                targets.add(p);
                Optional<FileStat> st = stat(p);
                if (st.isEmpty()) {
                    continue;
                }
                if (st.get().type() == FileStat.Type.DIRECTORY) {
                    for (FileStat s : list(p)) {
                        collectTop(build(PathGuard.join(p, s.name()), s), units, kept);
                    }
                } else {
                    collectTop(build(p, st.get()), units, kept);
                }
            }
        }
        // A unit inside another unit (overlapping paths) goes with the outer one.
        List<ClearPlan.Unit> out = new ArrayList<>();
        for (ClearPlan.Unit u : units.values()) {
            boolean nested = false;
            for (String other : units.keySet()) {
                if (!other.equals(u.path()) && PathGuard.within(u.path(), other)) {
                    nested = true;
                    break;
                }
            }
            if (!nested) {
                out.add(u);
            }
        }
        return new ClearPlan(targets, out, kept);
    }

    /** Refuses symlinks in the elements below {@code root} down to {@code literal}. */
    private void checkNoLinks(String raw, String root, String literal) throws ModuleException {
        if (literal.equals(root)) {
            return;
        }
        String rest = literal.substring(root.length() + (root.equals("/") ? 0 : 1));
        String cur = root;
        for (String el : rest.split("/")) {
            cur = PathGuard.join(cur, el);
            Optional<FileStat> st = stat(cur);
            if (st.isEmpty()) {
                return;  // nothing below a missing element
            }
            if (st.get().type() == FileStat.Type.SYMLINK) {
                throw new ModuleException("path '" + raw + "': " + cur + " is a symbolic link; fs_clear does not follow "
                        + "links out of the Cassandra directories; refusing");
            }
            if (st.get().type() != FileStat.Type.DIRECTORY && !cur.equals(literal)) {
                return;  // a file where a directory was expected: the path does not exist
            }
        }
    }

    /** A walked entry: kept (protected), removable whole, or a directory partly removable. */
    private record Node(String path, FileStat.Type type, long size, boolean protectedEntry, boolean removable,
                        List<Node> children) {
    }

    private Node build(String path, FileStat s) throws ModuleException {
        if (isProtected(path, s.name())) {
            return new Node(path, s.type(), 0, true, false, List.of());
        }
        if (s.type() != FileStat.Type.DIRECTORY) {
            return new Node(path, s.type(), s.type() == FileStat.Type.FILE ? s.size() : 0, false, true, List.of());
        }
        List<Node> children = new ArrayList<>();
        // an ancestor of move_to or restore_from stays
        boolean all = (moveTo == null || !PathGuard.within(moveTo, path))
                && (restoreFrom == null || !PathGuard.within(restoreFrom, path));
        for (FileStat c : list(path)) {
            Node n = build(PathGuard.join(path, c.name()), c);
            children.add(n);
            all &= n.removable();
        }
        return new Node(path, s.type(), 0, false, all, children);
    }

    private boolean isProtected(String path, String name) {
        if (path.equals(moveTo) || path.equals(restoreFrom) || roots.contains(path)) {
            return true;
        }
        Path n = Path.of(name);
        for (PathMatcher m : keep) {
            if (m.matches(n)) {
                return true;
            }
        }
        return false;
    }

    private static void collectTop(Node n, Map<String, ClearPlan.Unit> units, List<String> kept) {
        if (n.protectedEntry()) {
            kept.add(n.path());
        } else if (n.removable()) {
            List<ClearPlan.Entry> entries = new ArrayList<>();
            preorder(n, entries);
            units.putIfAbsent(n.path(), new ClearPlan.Unit(n.path(), entries));
        } else {
            for (Node c : n.children()) {
                collectTop(c, units, kept);
            }
        }
    }

    private static void preorder(Node n, List<ClearPlan.Entry> out) {
        out.add(new ClearPlan.Entry(n.path(), n.type(), n.size()));
        for (Node c : n.children()) {
            preorder(c, out);
        }
    }

    private static PathMatcher glob(String g, String what) throws ModuleException {
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + g);
        } catch (IllegalArgumentException e) {
            throw new ModuleException(what + ": not a valid glob '" + g + "': " + e.getMessage());
        }
    }

    private Optional<FileStat> stat(String p) throws ModuleException {
        return HostFiles.stat(conn, p);
    }

    private List<FileStat> list(String dir) throws ModuleException {
        return HostFiles.list(conn, dir);
    }
}
