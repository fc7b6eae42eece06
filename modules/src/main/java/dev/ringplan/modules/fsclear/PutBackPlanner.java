package dev.ringplan.modules.fsclear;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.ModuleException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Works out a {@link PutBackPlan} for {@code fs_clear} with {@code restore_from}, reading only
 * (stat and list), against the live tree as it will be after the clearing step.
 *
 * <p>Rules (see {@link FsClearModule} for the user-facing wording):
 * <ul>
 * <li>The set-aside content of a path P is restore_from + P; a glob in P's last element is
 *     expanded on the restore_from side (restore_from + P's directory is listed). The paths are
 *     validated by {@link ClearPlanner#plan} beforehand.</li>
 * <li>Merge, never clobber: a set-aside directory whose live counterpart is a directory is
 *     descended into; a set-aside entry whose live path does not exist is renamed back whole;
 *     anything else (a file over a file, a directory over a file or link, ...) is a conflict.
 *     Links are never followed on either side.</li>
 * <li>When resuming an interrupted put-back, a set-aside non-directory whose live path holds an
 *     entry of the same type (and, for a regular file, the same size) counts as put back already.</li>
 * <li>Only put-back locations under a declared Cassandra directory are considered.</li>
 * </ul>
 */
final class PutBackPlanner {
    /** How many conflicts an error message names. */
    private static final int CONFLICTS_NAMED = 20;

    private final Connection conn;
    private final String restoreFrom;
    private final List<String> roots;
    private final List<String> cleared;
    private final boolean resumed;

    /**
     * @param restoreFrom the normalised restore_from directory
     * @param roots       every declared Cassandra directory, normalised
     * @param cleared     top paths of the clearing step's units: everything within them is treated
     *                    as gone (it is removed or moved before the put-back)
     * @param resumed     true when resuming an interrupted put-back (see the class doc)
     */
    PutBackPlanner(Connection conn, String restoreFrom, List<String> roots, List<String> cleared, boolean resumed) {
        this.conn = conn;
        this.restoreFrom = restoreFrom;
        this.roots = List.copyOf(roots);
        this.cleared = List.copyOf(cleared);
        this.resumed = resumed;
    }

    /** A set-aside top and where it goes back. */
    private record Top(String aside, String live, FileStat stat) {
    }

    /**
     * Plans the put-back for every path in {@code rawPaths} (already validated).
     *
     * @throws ModuleException naming every conflict (nothing can be put back without overwriting
     *                         a live entry), or when the host cannot be read
     */
    PutBackPlan plan(List<String> rawPaths) throws ModuleException {
        List<Top> found = new ArrayList<>();
        List<String> globDirs = new ArrayList<>();
        for (String raw : rawPaths) {
            String p = PathGuard.normalise(raw, "path");
            String last = PathGuard.name(p);
            String dir = PathGuard.parent(p);
            if (PathGuard.hasGlob(last)) {
                PathMatcher m;
                try {
                    m = FileSystems.getDefault().getPathMatcher("glob:" + last);
                } catch (IllegalArgumentException e) {
                    throw new ModuleException("path '" + raw + "': not a valid glob '" + last + "': " + e.getMessage());
                }
                String asideDir = restoreFrom + dir;
                globDirs.add(asideDir);
                for (FileStat s : list(asideDir)) {
                    if (m.matches(Path.of(s.name()))) {
                        found.add(new Top(PathGuard.join(asideDir, s.name()), PathGuard.join(dir, s.name()), s));
                    }
                }
            } else {
                Optional<FileStat> s = stat(restoreFrom + p);
                if (s.isPresent()) {
                    found.add(new Top(restoreFrom + p, p, s.get()));
                }
            }
        }
        // Overlapping paths: a top inside another one is handled with the outer one.
        List<Top> tops = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            Top t = found.get(i);
            boolean nested = false;
            for (int j = 0; j < found.size() && !nested; j++) {
                String other = found.get(j).live();
                // strictly inside another top, or the same top listed earlier
                nested = j != i && PathGuard.within(t.live(), other) && (!other.equals(t.live()) || j < i);
            }
            if (!nested && PathGuard.rootOf(t.live(), roots) != null) {
                tops.add(t);
            }
        }
        List<String> sources = new ArrayList<>();
        List<PutBackPlan.Unit> units = new ArrayList<>();
        List<ClearPlan.Entry> alreadyBack = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        for (Top t : tops) {
            sources.add(t.aside());
            merge(t.aside(), t.live(), t.stat(), units, alreadyBack, conflicts);
        }
        if (!conflicts.isEmpty()) {
            StringBuilder sb = new StringBuilder("restore_from " + restoreFrom + ": cannot put back without overwriting "
                    + conflicts.size() + " live entr" + (conflicts.size() == 1 ? "y" : "ies")
                    + (resumed ? "" : " (still there after the clearing step)") + ": ");
            sb.append(String.join(", ", conflicts.subList(0, Math.min(CONFLICTS_NAMED, conflicts.size()))));
            if (conflicts.size() > CONFLICTS_NAMED) {
                sb.append(" … and ").append(conflicts.size() - CONFLICTS_NAMED).append(" more");
            }
            sb.append("; nothing was changed (remove the live or the set-aside entries, or adjust keep)");
            throw new ModuleException(sb.toString());
        }
        return new PutBackPlan(restoreFrom, sources, globDirs, units, alreadyBack);
    }

    private void merge(String aside, String live, FileStat sa, List<PutBackPlan.Unit> units,
                       List<ClearPlan.Entry> alreadyBack, List<String> conflicts) throws ModuleException {
        Optional<FileStat> sl = liveStat(live);
        if (sl.isEmpty()) {
            List<ClearPlan.Entry> entries = new ArrayList<>();
            walk(aside, live, sa, entries);
            units.add(new PutBackPlan.Unit(aside, live, entries));
            return;
        }
        FileStat l = sl.get();
        if (sa.type() == FileStat.Type.DIRECTORY && l.type() == FileStat.Type.DIRECTORY) {
            for (FileStat c : list(aside)) {
                merge(PathGuard.join(aside, c.name()), PathGuard.join(live, c.name()), c, units, alreadyBack, conflicts);
            }
            return;
        }
        if (resumed && sa.type() != FileStat.Type.DIRECTORY && sa.type() == l.type()
                && (sa.type() != FileStat.Type.FILE || sa.size() == l.size())) {
            alreadyBack.add(new ClearPlan.Entry(aside, sa.type(), sa.type() == FileStat.Type.FILE ? sa.size() : 0));
            return;
        }
        conflicts.add(live + " (set aside: " + describe(sa) + ", live: " + describe(l) + ")");
    }

    private static String describe(FileStat s) {
        return switch (s.type()) {
            case FILE -> "file of " + s.size() + " B";
            case DIRECTORY -> "directory";
            case SYMLINK -> "symbolic link";
            default -> "special file";
        };
    }

    /** Pre-order entries of a set-aside subtree, named by their live paths; links not followed. */
    private void walk(String aside, String live, FileStat s, List<ClearPlan.Entry> out) throws ModuleException {
        out.add(new ClearPlan.Entry(live, s.type(), s.type() == FileStat.Type.FILE ? s.size() : 0));
        if (s.type() == FileStat.Type.DIRECTORY) {
            for (FileStat c : list(aside)) {
                walk(PathGuard.join(aside, c.name()), PathGuard.join(live, c.name()), c, out);
            }
        }
    }

    /** The live entry as it will be after the clearing step (empty when cleared or missing). */
    private Optional<FileStat> liveStat(String live) throws ModuleException {
        for (String u : cleared) {
            if (PathGuard.within(live, u)) {
                return Optional.empty();
            }
        }
        return stat(live);
    }

    private Optional<FileStat> stat(String p) throws ModuleException {
        return HostFiles.stat(conn, p);
    }

    private List<FileStat> list(String dir) throws ModuleException {
        return HostFiles.list(conn, dir);
    }
}
