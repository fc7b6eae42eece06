package dev.ringplan.modules.bulkload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.modules.testing.CountingConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staging with real hard links and removal on the local file system; the loader is a script that
 * records the directory it was given and what it held, then prints real sstableloader 5.0.7 output.
 */
class NodeLoaderTest {
    @TempDir
    Path root;

    private final CountingConnection conn = new CountingConnection("n1");

    private SnapshotTables.TableFiles snapshot(Path dataDir) throws Exception {
        Path snap = Files.createDirectories(dataDir.resolve("demo/events-aa/snapshots/m"));
        Files.writeString(snap.resolve("nb-1-big-Data.db"), "data");
        Files.writeString(snap.resolve("nb-1-big-TOC.txt"), "toc");
        return new SnapshotTables.TableFiles("demo", "events", 0,
                List.of(snap.resolve("nb-1-big-Data.db").toString(), snap.resolve("nb-1-big-TOC.txt").toString()), 7, "f");
    }

    /** A loader printing {@code fixture} and exiting {@code rc}, writing the listing of its last argument to seen.txt. */
    private List<String> loader(String fixture, int rc) throws Exception {
        Path out = root.resolve("out.txt");
        Files.writeString(out, LoaderSummaryTest.fixture(fixture), StandardCharsets.UTF_8);
        Path sh = root.resolve("loader.sh");
        Files.writeString(sh, "#!/usr/bin/env bash\nfor a; do last=\"$a\"; done\n"
                + "{ echo \"$last\"; ls \"$last\"; stat -c %h \"$last/nb-1-big-Data.db\"; } > '" + root.resolve("seen.txt") + "'\n"
                + "cat '" + out + "'\n[ " + rc + " = 0 ] || echo 'Unable to initialise client' >&2\nexit " + rc + "\n");
        return List.of("bash", sh.toString());
    }

    @Test
    void load_stagesHardLinksRunsAndRemovesTheStage() throws Exception {
        Path data = root.resolve("data1");
        SnapshotTables.TableFiles t = snapshot(data);
        NodeLoader node = new NodeLoader(conn, List.of(data + "/"));
        String dir = node.stageDir(t, "m");
        List<String> argv = new ArrayList<>(loader("sstableloader-5.0.7-events.txt", 0));
        argv.add(dir);

        LoaderSummary s = node.load(t, "m", argv, "loader " + dir, Duration.ofMinutes(1));

        assertEquals(data + "/.ringplan-bulkload/m/demo/events", dir);
        assertEquals(224540, s.bytes());
        assertEquals(List.of(dir, "nb-1-big-Data.db", "nb-1-big-TOC.txt", "2"),
                Files.readAllLines(root.resolve("seen.txt")), "both files staged, as hard links (2 links)");
        assertFalse(Files.exists(data.resolve(".ringplan-bulkload")), "stage removed, and its parent once empty");
        assertTrue(Files.exists(data.resolve("demo/events-aa/snapshots/m/nb-1-big-Data.db")), "snapshot kept");
    }

    @Test
    void load_stageLeftByAnInterruptedRun_replaced() throws Exception {
        Path data = root.resolve("data1");
        SnapshotTables.TableFiles t = snapshot(data);
        Path stale = Files.createDirectories(data.resolve(".ringplan-bulkload/m/demo/events"));
        Files.writeString(stale.resolve("nb-1-big-Data.db"), "stale");
        Files.writeString(stale.resolve("nb-9-big-Data.db"), "stale");
        NodeLoader node = new NodeLoader(conn, List.of(data.toString()));
        List<String> argv = new ArrayList<>(loader("sstableloader-5.0.7-events.txt", 0));
        argv.add(node.stageDir(t, "m"));

        node.load(t, "m", argv, "x", Duration.ofMinutes(1));

        assertEquals(List.of(stale.toString(), "nb-1-big-Data.db", "nb-1-big-TOC.txt", "2"),
                Files.readAllLines(root.resolve("seen.txt")), "only this snapshot's files");
        assertFalse(Files.exists(data.resolve(".ringplan-bulkload/m")));
    }

    @Test
    void load_anotherTagStaged_itsDirectoryKept() throws Exception {
        Path data = root.resolve("data1");
        SnapshotTables.TableFiles t = snapshot(data);
        Path other = Files.createDirectories(data.resolve(".ringplan-bulkload/other/demo/events"));
        NodeLoader node = new NodeLoader(conn, List.of(data.toString()));
        List<String> argv = new ArrayList<>(loader("sstableloader-5.0.7-events.txt", 0));
        argv.add(node.stageDir(t, "m"));

        node.load(t, "m", argv, "x", Duration.ofMinutes(1));

        assertTrue(Files.isDirectory(other));
        assertFalse(Files.exists(data.resolve(".ringplan-bulkload/m")));
    }

    @Test
    void load_skippedFiles_failNamingTheTable_stageRemoved() throws Exception {
        Path data = root.resolve("data1");
        SnapshotTables.TableFiles t = snapshot(data);
        NodeLoader node = new NodeLoader(conn, List.of(data.toString()));
        List<String> argv = new ArrayList<>(loader("sstableloader-5.0.7-missing-table.txt", 0));
        argv.add(node.stageDir(t, "r"));

        ModuleException e = assertThrows(ModuleException.class, () -> node.load(t, "r", argv, "x", Duration.ofMinutes(1)));

        assertTrue(e.getMessage().contains("skipped files of demo.events on n1: Skipping file nb-1-big-Data.db"), e.getMessage());
        assertFalse(Files.exists(data.resolve(".ringplan-bulkload/r")));
    }

    @Test
    void load_loaderFails_exitAndStderrAndDisplayedCommand() throws Exception {
        Path data = root.resolve("data1");
        SnapshotTables.TableFiles t = snapshot(data);
        NodeLoader node = new NodeLoader(conn, List.of(data.toString()));
        List<String> argv = new ArrayList<>(loader("sstableloader-5.0.7-no-progress.txt", 1));
        argv.add(node.stageDir(t, "r"));

        ModuleException e = assertThrows(ModuleException.class,
                () -> node.load(t, "r", argv, "sstableloader -pw ******** dir", Duration.ofMinutes(1)));

        assertTrue(e.getMessage().contains("sstableloader failed for demo.events on n1 (exit 1): Unable to initialise client"),
                e.getMessage());
        assertTrue(e.getMessage().contains("command: sstableloader -pw ******** dir"), e.getMessage());
        assertFalse(Files.exists(data.resolve(".ringplan-bulkload/r")));
    }

    @Test
    void load_noSummary_refused() throws Exception {
        Path data = root.resolve("data1");
        SnapshotTables.TableFiles t = snapshot(data);
        NodeLoader node = new NodeLoader(conn, List.of(data.toString()));
        List<String> argv = new ArrayList<>(loader("sstableloader-5.0.7-no-progress.txt", 0));
        argv.add(node.stageDir(t, "r"));

        ModuleException e = assertThrows(ModuleException.class, () -> node.load(t, "r", argv, "x", Duration.ofMinutes(1)));

        assertTrue(e.getMessage().contains("no 'Summary statistics'"), e.getMessage());
    }

    @Test
    void record_writeReadReplace_besideTheDataDirectory() throws Exception {
        Path data = Files.createDirectories(root.resolve("cassandra/data"));
        NodeLoader node = new NodeLoader(conn, List.of(data.toString()));
        LoadRecord one = LoadRecord.empty("m").with(new LoadRecord.Load("ks.t", 0, "f", "T", "id", 1, 2, "now"));

        assertEquals(LoadRecord.empty("m"), node.readRecord("m"));
        node.writeRecord(one);
        node.writeRecord(one.with(new LoadRecord.Load("ks.u", 0, "f", "T", "id", 1, 2, "now")));

        assertEquals(root.resolve("cassandra/.ringplan/bulkload/m.json").toString(), node.recordPath("m"));
        assertEquals(2, node.readRecord("m").loads().size());
        Files.writeString(root.resolve("cassandra/.ringplan/bulkload/m.json"), "junk");
        ModuleException e = assertThrows(ModuleException.class, () -> node.readRecord("m"));
        assertTrue(e.getMessage().contains("is unreadable") && e.getMessage().contains("remove it"), e.getMessage());
    }
}
