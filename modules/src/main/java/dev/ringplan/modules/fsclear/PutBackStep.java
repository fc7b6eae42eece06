package dev.ringplan.modules.fsclear;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.modules.service.NodeLiveness;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code fs_clear} with {@code restore_from}: puts back what an earlier {@code move_to} set aside.
 * The paths are cleared first ({@link ClearStep}), then every set-aside entry
 * ({@link PutBackPlanner}) is renamed back, behind a crash marker ({@value #MARKER}) that lets an
 * interrupted put-back resume; then restore_from is tidied.
 */
final class PutBackStep {
    /**
     * Name of the marker file written into restore_from before the first rename back and removed
     * at the end; its presence means a put-back was interrupted. Content: the paths, one a line.
     */
    static final String MARKER = ".ringplan-put-back";

    private PutBackStep() {
    }

    /** What check and apply with restore_from share: resumed or not, the clearing step, the put-back. */
    private record RestoreState(boolean resumed, ClearPlan clear, PutBackPlan putBack) {
    }

    private static RestoreState restoreState(ModuleContext ctx, FsClearSetup s, ClearPlan plan) throws ModuleException {
        List<String> paths = ctx.args().list("path");
        String marker = markerPath(s);
        boolean resumed = HostFiles.stat(s.conn(), marker).isPresent();
        if (resumed) {
            checkMarker(s, marker, paths);
        }
        ClearPlan clear = resumed ? emptyPlan(plan) : plan;
        List<String> gone = new ArrayList<>();
        for (ClearPlan.Unit u : clear.units()) {
            gone.add(u.path());
        }
        PutBackPlan pb = new PutBackPlanner(s.conn(), s.restoreFrom(), s.roots(), gone, resumed).plan(paths);
        return new RestoreState(resumed, clear, pb);
    }

    /**
     * Check mode of fs_clear with restore_from: what would be cleared (nothing when resuming) and
     * put back; no change when nothing is set aside.
     */
    static Preview check(ModuleContext ctx, FsClearSetup s, ClearPlan plan) throws ModuleException {
        RestoreState st = restoreState(ctx, s, plan);
        PutBackPlan pb = st.putBack;
        if (pb.isEmpty()) {
            Map<String, Object> data = ClearStep.clearData(s, emptyPlan(plan), 0, 0, List.of(), null);
            FsClearReport.putBackData(data, s, 0, 0, List.of(), 0, st.resumed);
            if (st.resumed) {
                return new Preview(Preview.Change.YES, "would finish an interrupted put-back: nothing is left to put "
                        + "back in " + s.restoreFrom() + "; would remove its marker " + MARKER + " and the directories "
                        + "left empty", null, List.of(), data);
            }
            return new Preview(Preview.Change.NO, nothingSetAside(ctx, s), null, List.of(), data);
        }
        if (!st.resumed) {
            ClearStep.checkMoveConflicts(s, st.clear);
        }
        NodeLiveness.Running running = s.runningGuard(ctx);
        ClearPlan clear = st.clear;
        Map<String, Object> data = ClearStep.clearData(s, clear, clear.count(), clear.bytes(),
                clear.paths(FsClearReport.PREVIEW_PATHS), running);
        FsClearReport.putBackData(data, s, pb.count(), pb.bytes(), pb.paths(FsClearReport.PREVIEW_PATHS),
                pb.alreadyBack().size(), st.resumed);
        StringBuilder sum = new StringBuilder();
        if (st.resumed) {
            sum.append("resuming an interrupted put-back (marker ").append(markerPath(s))
                    .append(" found): nothing is cleared");
        } else if (clear.isEmpty()) {
            sum.append("nothing to clear in ").append(String.join(", ", clear.targets()));
        } else {
            sum.append(ClearStep.clearSummary(s, clear));
        }
        sum.append("; then would put back from ").append(s.restoreFrom()).append(' ')
                .append(FsClearReport.listing(pb.count(), pb.bytes(), pb.paths(FsClearReport.PREVIEW_PATHS)));
        if (!pb.alreadyBack().isEmpty()) {
            sum.append("; ").append(pb.alreadyBack().size()).append(" set-aside entries are back already (their "
                    + "copies in ").append(s.restoreFrom()).append(" would be removed)");
        }
        sum.append(FsClearReport.runningNote(ctx, running));
        return new Preview(Preview.Change.YES, sum.toString(), null, List.of(), data);
    }

    /**
     * fs_clear with restore_from: clears the paths (unless resuming), then renames the set-aside
     * entries back, behind the marker {@value #MARKER}, and tidies restore_from.
     */
    static Result apply(ModuleContext ctx, FsClearSetup s, ClearPlan plan) throws ModuleException {
        RestoreState st = restoreState(ctx, s, plan);
        PutBackPlan pb = st.putBack;
        if (pb.isEmpty()) {
            Map<String, Object> data = ClearStep.appliedData(s, emptyPlan(plan), new ClearStep.Cleared(0, 0, List.of()),
                    null);
            FsClearReport.putBackData(data, s, 0, 0, List.of(), 0, st.resumed);
            if (st.resumed) {
                tidy(s, pb);
                String msg = "finished an interrupted put-back: nothing was left to put back in " + s.restoreFrom()
                        + "; removed its marker " + MARKER + " and the directories left empty";
                ctx.log(msg);
                return Result.changed(msg).withData(data);
            }
            return Result.ok(nothingSetAside(ctx, s)).withData(data);
        }
        if (!st.resumed) {
            ClearStep.checkMoveConflicts(s, st.clear);
        }
        NodeLiveness.Running running = s.runningGuard(ctx);
        ClearStep.Cleared cleared = st.resumed ? new ClearStep.Cleared(0, 0, List.of()) : ClearStep.clear(s, st.clear);
        Connection c = s.conn();
        String marker = markerPath(s);
        long count = 0;
        long bytes = 0;
        List<String> paths = new ArrayList<>();
        String at = marker;
        try {
            c.writeAll(marker, (String.join("\n", markerLines(ctx.args().list("path"))) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (PutBackPlan.Unit u : pb.units()) {
                at = u.from();
                c.mkdirs(PathGuard.parent(u.to()));
                c.rename(u.from(), u.to());
                for (ClearPlan.Entry e : u.entries()) {
                    count++;
                    bytes += e.type() == FileStat.Type.FILE ? e.size() : 0;
                    FsClearReport.addPath(paths, e.path());
                }
            }
            for (ClearPlan.Entry e : pb.alreadyBack()) {
                at = e.path();
                c.delete(e.path());
            }
        } catch (ConnectionException e) {
            throw new ModuleException(c.host() + ": " + (st.resumed ? "" : ClearStep.clearedMessage(s, cleared)
                    + ", then ") + "put back " + count + " of " + pb.count() + " entries from " + s.restoreFrom()
                    + ", then failed at " + at + ": " + e.getMessage() + " (restore_from must be on the same file system);"
                    + " the marker " + marker + " stays: once the cause is fixed, run the task again to finish (the"
                    + " clearing step is skipped then)", e);
        }
        tidy(s, pb);
        Map<String, Object> data = ClearStep.appliedData(s, st.clear, cleared, running);
        FsClearReport.putBackData(data, s, count, bytes, paths, pb.alreadyBack().size(), st.resumed);
        String msg = (st.resumed ? "resumed an interrupted put-back, " : st.clear.isEmpty() ? "nothing to clear, "
                : ClearStep.clearedMessage(s, cleared) + ", ") + "put back " + count
                + (count == 1 ? " entry" : " entries") + " (" + FsClearReport.human(bytes) + ") from " + s.restoreFrom()
                + (pb.alreadyBack().isEmpty() ? "" : " (" + pb.alreadyBack().size() + " were back already)");
        ctx.log(msg);
        return Result.changed(msg).withData(data);
    }

    private static String nothingSetAside(ModuleContext ctx, FsClearSetup s) {
        return "nothing set aside in " + s.restoreFrom() + " for " + String.join(", ", ctx.args().list("path"))
                + "; nothing cleared";
    }

    /** The plan's targets with nothing to clear (for data when nothing happens). */
    private static ClearPlan emptyPlan(ClearPlan plan) {
        return new ClearPlan(plan.targets(), List.of(), List.of());
    }

    private static String markerPath(FsClearSetup s) {
        return PathGuard.join(s.restoreFrom(), MARKER);
    }

    /** The paths as the marker records them: normalised, a trailing slash kept. */
    private static List<String> markerLines(List<String> rawPaths) throws ModuleException {
        List<String> out = new ArrayList<>();
        for (String raw : rawPaths) {
            out.add(PathGuard.normalise(raw, "path") + (raw.strip().endsWith("/") ? "/" : ""));
        }
        return out;
    }

    /** Refuses to resume a put-back whose marker names other paths than this task's. */
    private static void checkMarker(FsClearSetup s, String marker, List<String> rawPaths) throws ModuleException {
        String text;
        try {
            text = new String(s.conn().readAll(marker), StandardCharsets.UTF_8);
        } catch (ConnectionException e) {
            throw new ModuleException(s.conn().host() + ": cannot read " + marker + ": " + e.getMessage(), e);
        }
        Set<String> recorded = new TreeSet<>();
        for (String l : text.split("\\R")) {
            if (!l.isBlank()) {
                recorded.add(l.strip());
            }
        }
        Set<String> now = new TreeSet<>(markerLines(rawPaths));
        if (!recorded.equals(now)) {
            throw new ModuleException("restore_from " + s.restoreFrom() + " holds the marker " + MARKER + " of an "
                    + "interrupted put-back of other paths (" + String.join(", ", recorded) + "; this task: "
                    + String.join(", ", now) + "); run the task with those paths to finish it, or remove " + marker
                    + " if that put-back is finished");
        }
    }

    /**
     * After a put-back: removes the directories left empty under restore_from for these paths
     * (each set-aside top and the empty directories below it, restore_from + each glob path's
     * directory, and their ancestors up to, not including, restore_from), the marker, and restore_from
     * itself when nothing else remains in it. Only empty directories and the marker are removed.
     */
    private static void tidy(FsClearSetup s, PutBackPlan pb) throws ModuleException {
        Connection c = s.conn();
        String at = s.restoreFrom();
        try {
            List<String> starts = new ArrayList<>(pb.sources());
            starts.addAll(pb.globDirs());
            for (String top : starts) {
                at = top;
                removeEmptyDirs(c, top, pb.sources().contains(top));
                for (String d = PathGuard.parent(top);
                     PathGuard.within(d, s.restoreFrom()) && !d.equals(s.restoreFrom()); d = PathGuard.parent(d)) {
                    at = d;
                    Optional<FileStat> st = c.stat(d);
                    if (st.isEmpty()) {
                        continue;
                    }
                    if (st.get().type() != FileStat.Type.DIRECTORY || !c.list(d).isEmpty()) {
                        break;
                    }
                    c.delete(d);
                }
            }
            at = markerPath(s);
            c.delete(markerPath(s));
            at = s.restoreFrom();
            Optional<FileStat> st = c.stat(s.restoreFrom());
            if (st.isPresent() && st.get().type() == FileStat.Type.DIRECTORY && c.list(s.restoreFrom()).isEmpty()) {
                c.delete(s.restoreFrom());
            }
        } catch (ConnectionException e) {
            throw new ModuleException(c.host() + ": put back done, but the tidy-up of " + s.restoreFrom()
                    + " failed at " + at + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes {@code dir} when it is (or, with {@code deep}, becomes) empty; with {@code deep} the
     * directories below it that are or become empty first. Files stay.
     */
    private static void removeEmptyDirs(Connection c, String dir, boolean deep) throws ConnectionException {
        Optional<FileStat> st = c.stat(dir);
        if (st.isEmpty() || st.get().type() != FileStat.Type.DIRECTORY) {
            return;
        }
        for (FileStat ch : deep ? c.list(dir) : List.<FileStat>of()) {
            if (ch.type() == FileStat.Type.DIRECTORY) {
                removeEmptyDirs(c, PathGuard.join(dir, ch.name()), true);
            }
        }
        if (c.list(dir).isEmpty()) {
            c.delete(dir);
        }
    }
}
