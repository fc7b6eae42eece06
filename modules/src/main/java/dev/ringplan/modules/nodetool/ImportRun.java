package dev.ringplan.modules.nodetool;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.UpstreamChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code nodetool import} and {@code refresh}: loads SSTables into live tables of a running node.
 *
 * <p>import, per table ({@code tables: [ks.t, ...]}), one call {@code nodetool import [--copy-data]
 * -- <ks> <table> <dir>...} (argv as {@code nodetool help import} of Cassandra 5.0.7 prints it)
 * with the directories that hold at least one SSTable ({@code *-Data.db}): from {@code dirs}, each
 * {@code <dir>/<ks>/<table>} (the layout {@code tar} {@code target: import} stages), or from
 * {@code snapshot}, each {@code <data dir>/<ks>/<table>-<id>/snapshots/<tag>} (the directory of the
 * table incarnation that took that snapshot; copied, never moved, so the snapshot stays whole). A
 * table with no such directory has nothing to import on this node: with none for any table the
 * task is {@code ok}. Without {@code copy_data} Cassandra moves the files out, so a second run
 * finds nothing and is {@code ok}. After a moving import a directory that still holds a
 * {@code *-Data.db} means Cassandra refused it (nodetool prints "Some directories failed to
 * import"): the task fails naming it. {@code refresh}: {@code nodetool refresh -- <ks> <table>}
 * per table (Cassandra before 4.0: loads SSTables already placed in the live table directory).
 */
final class ImportRun {
    private static final Pattern TABLE_DIR = Pattern.compile("(\\w+)-([0-9a-f]{32})");

    private ImportRun() {
    }

    /** One table's import: its directories with SSTables, the argv, the SSTables found. */
    private record TableImport(String table, List<String> dirs, List<String> argv, int sstables) {
    }

    /** Check: the calls that would run, read from the node's directories. */
    static Preview check(ModuleContext ctx, Invocation inv) throws ModuleException {
        if (inv.command() == Invocation.Command.REFRESH) {
            List<String> displays = inv.calls().stream().map(NodetoolRunner::display).toList();
            Map<String, Object> data = NodetoolRunner.wouldRun(inv.calls().get(inv.calls().size() - 1));
            data.put("cmds", inv.calls());
            data.put("tables", inv.tables());
            return Preview.willChange("would run nodetool refresh of " + String.join(", ", inv.tables())
                    + " (not idempotent: changed on every run)", displays).withData(data);
        }
        List<TableImport> found = find(ctx, inv);
        Map<String, Object> data = data(inv, found, null);
        List<String> upstream = ctx.checkMode() ? ctx.upstreamChanges().stream().map(UpstreamChange::node).toList()
                : List.of();
        if (found.isEmpty()) {
            if (!upstream.isEmpty()) {
                // the staging is an upstream task's work: show what would run once it is there
                List<String> cmds = new ArrayList<>();
                for (String t : inv.tables()) {
                    cmds.add(NodetoolRunner.display(argv(inv, t, candidates(ctx, inv, t))));
                }
                return Preview.unknown("after " + String.join(", ", upstream) + ": would import the SSTables found"
                        + " then in " + String.join(", ", inv.importDirs().isEmpty() ? List.of("snapshot "
                        + inv.tag()) : inv.importDirs()), cmds).withData(data);
            }
            return Preview.noChange("nothing to import into " + String.join(", ", inv.tables()) + " on " + ctx.host()
                    + " (no SSTable in " + where(inv) + ")").withData(data);
        }
        return Preview.willChange("would import " + describe(found),
                found.stream().map(t -> NodetoolRunner.display(t.argv)).toList()).withData(data);
    }

    /** Apply: runs each table's import (or refresh), in order, stopping at the first failure. */
    static Result apply(ModuleContext ctx, Invocation inv) throws ModuleException {
        if (inv.command() == Invocation.Command.REFRESH) {
            List<String> done = new ArrayList<>();
            ExecResult last = null;
            for (int i = 0; i < inv.calls().size(); i++) {
                last = run(ctx, inv.calls().get(i), inv, inv.tables().get(i), done);
                done.add(inv.tables().get(i));
            }
            Map<String, Object> data = NodetoolRunner.baseData(inv.calls().get(inv.calls().size() - 1), last);
            data.put("cmds", inv.calls());
            data.put("tables", inv.tables());
            return Result.changed("ran nodetool refresh of " + String.join(", ", done))
                    .withCommands(inv.calls().stream().map(NodetoolRunner::display).toList()).withData(data);
        }
        List<TableImport> found = find(ctx, inv);
        if (found.isEmpty()) {
            return Result.ok("nothing to import into " + String.join(", ", inv.tables()) + " on " + ctx.host()
                    + " (no SSTable in " + where(inv) + ")").withData(data(inv, found, null));
        }
        List<String> done = new ArrayList<>();
        ExecResult last = null;
        for (TableImport t : found) {
            last = run(ctx, t.argv, inv, t.table, done);
            if (!inv.copyData()) {
                List<String> left = new ArrayList<>();
                for (String d : t.dirs) {
                    if (countSstables(connection(ctx), d) > 0) {
                        left.add(d);
                    }
                }
                if (!left.isEmpty()) {
                    throw new ModuleException(ctx.host() + ": nodetool import of " + t.table + " left SSTables in "
                            + String.join(", ", left) + " (Cassandra refused them: see its system.log); already"
                            + " imported: " + (done.isEmpty() ? "none" : String.join(", ", done)));
                }
            }
            done.add(t.table);
        }
        return Result.changed("imported " + describe(found))
                .withCommands(found.stream().map(t -> NodetoolRunner.display(t.argv)).toList())
                .withData(data(inv, found, last));
    }

    private static ExecResult run(ModuleContext ctx, List<String> argv, Invocation inv, String table, List<String> done)
            throws ModuleException {
        ExecResult r = NodetoolRunner.tryRun(ctx, argv, inv.command().word(), inv.timeout());
        String out = (r.stdout() == null ? "" : r.stdout()) + (r.stderr() == null ? "" : r.stderr());
        if (!r.ok() || out.contains("failed to import")) {
            // 4.0+: "Some directories failed to import, check server logs for details:" then one directory a line
            int i = out.indexOf("Some directories failed to import");
            String why = i >= 0 ? out.substring(i).strip().replaceAll("\\s*\\R\\s*", " ")
                    : NodetoolRunner.errorLine(r);
            throw new ModuleException(ctx.host() + ": nodetool " + inv.command().word() + " of " + table + " failed ("
                    + NodetoolRunner.exit(r) + "): " + why + "; already done: "
                    + (done.isEmpty() ? "none" : String.join(", ", done)));
        }
        return r;
    }

    private static String where(Invocation inv) {
        return inv.importDirs().isEmpty() ? "snapshot " + inv.tag() : String.join(", ", inv.importDirs()) + " (<dir>/<ks>/<table>)";
    }

    private static String describe(List<TableImport> found) {
        List<String> parts = new ArrayList<>();
        for (TableImport t : found) {
            parts.add(t.table + " (" + t.sstables + " SSTable" + (t.sstables == 1 ? "" : "s") + " from " + t.dirs.size()
                    + " director" + (t.dirs.size() == 1 ? "y" : "ies") + ")");
        }
        return String.join(", ", parts);
    }

    private static Map<String, Object> data(Invocation inv, List<TableImport> found, ExecResult last) {
        Map<String, Object> d = last == null ? NodetoolRunner.wouldRun(found.isEmpty() ? inv.argv()
                : found.get(found.size() - 1).argv) : NodetoolRunner.baseData(found.get(found.size() - 1).argv, last);
        List<Object> cmds = new ArrayList<>();
        Map<String, Object> dirs = new LinkedHashMap<>();
        long sstables = 0;
        for (TableImport t : found) {
            cmds.add(new ArrayList<>(t.argv));
            dirs.put(t.table, new ArrayList<>(t.dirs));
            sstables += t.sstables;
        }
        d.put("cmds", cmds);
        d.put("tables", inv.tables());
        d.put("import_dirs", dirs);
        d.put("sstables", sstables);
        return d;
    }

    /** The tables that have SSTables to import, with their directories. */
    private static List<TableImport> find(ModuleContext ctx, Invocation inv) throws ModuleException {
        Connection conn = connection(ctx);
        List<TableImport> out = new ArrayList<>();
        for (String t : inv.tables()) {
            List<String> dirs = new ArrayList<>();
            int n = 0;
            for (String d : candidates(ctx, inv, t)) {
                int c = countSstables(conn, d);
                if (c > 0) {
                    dirs.add(d);
                    n += c;
                }
            }
            if (!dirs.isEmpty()) {
                out.add(new TableImport(t, dirs, argv(inv, t, dirs), n));
            }
        }
        return out;
    }

    /** Where table {@code t}'s SSTables would be: staging dirs, or its snapshot directories. */
    private static List<String> candidates(ModuleContext ctx, Invocation inv, String t) throws ModuleException {
        String ks = t.substring(0, t.indexOf('.'));
        String table = t.substring(t.indexOf('.') + 1);
        List<String> out = new ArrayList<>();
        if (!inv.importDirs().isEmpty()) {
            for (String root : inv.importDirs()) {
                out.add(root + "/" + ks + "/" + table);
            }
            return out;
        }
        Connection conn = connection(ctx);
        for (String dd : inv.host().dataDirs()) {
            try {
                for (FileStat f : conn.list(dd + "/" + ks)) {
                    var m = TABLE_DIR.matcher(f.name());
                    if (f.isDirectory() && m.matches() && m.group(1).equals(table)) {
                        String snap = dd + "/" + ks + "/" + f.name() + "/snapshots/" + inv.tag();
                        if (conn.stat(snap).map(FileStat::isDirectory).orElse(false)) {
                            out.add(snap);
                        }
                    }
                }
            } catch (ConnectionException e) {
                throw new ModuleException(ctx.host() + ": cannot list " + dd + "/" + ks + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static List<String> argv(Invocation inv, String t, List<String> dirs) {
        List<String> args = new ArrayList<>();
        args.add("import");
        if (inv.copyData()) {
            args.add("--copy-data");
        }
        args.add("--");
        args.add(t.substring(0, t.indexOf('.')));
        args.add(t.substring(t.indexOf('.') + 1));
        args.addAll(dirs);
        return inv.host().nodetoolArgv(args);
    }

    /** Number of {@code *-Data.db} files directly in {@code dir}; 0 when it does not exist. */
    private static int countSstables(Connection conn, String dir) throws ModuleException {
        try {
            if (conn.stat(dir).map(s -> !s.isDirectory()).orElse(true)) {
                return 0;
            }
            return (int) conn.list(dir).stream().filter(f -> f.isFile() && f.name().endsWith("-Data.db")).count();
        } catch (ConnectionException e) {
            throw new ModuleException(conn.host() + ": cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Connection connection(ModuleContext ctx) throws ModuleException {
        return NodetoolRunner.connection(ctx);
    }
}
