package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringplan.engine.testing.EmbeddedSshServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's first command and what it must show, through the real CLI against the real sandbox
 * cluster: archives + manifests per node whose SHA-256s match the archived bytes, snapshot
 * cleared, a second run with the same tag leaves the archives alone, check mode changes nothing,
 * and the same plan over SSH (embedded Apache MINA SSHD, host key checked) gives the same files.
 */
@ExtendWith(SandboxCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TAG = "it-" + Long.toHexString(System.currentTimeMillis());
    private static final Path BACKUPS = Cli.ROOT.resolve(".ringplan/backups");
    private static final Path SANDBOX = Cli.ROOT.resolve(".ringplan/sandbox/default");

    @Test
    @Order(1)
    void readmeCommand_backsUpEveryNode(@TempDir Path tmp) throws Exception {
        Path report = tmp.resolve("report.json");
        Cli.Run r = Cli.run("run", "plans/backup.yaml", "-i", "inventories/sandbox.yaml", "-e", "tag=" + TAG,
                "--report-json", report.toString());
        assertEquals(0, r.code(), r.all());
        if (!SandboxCluster.wasRunningBefore()) {
            assertTrue(r.out().contains("sandbox 'default' is not running: bringing it up"), r.all());
        }
        for (String host : List.of("node1", "node2")) {
            Path manifest = BACKUPS.resolve(TAG).resolve(host + ".manifest.json");
            Path archive = BACKUPS.resolve(TAG).resolve(host + ".tar.zst");
            assertTrue(Files.isRegularFile(manifest) && Files.isRegularFile(archive), r.all());
            assertArchiveMatchesManifest(archive, manifest);
            JsonNode m = JSON.readTree(manifest.toFile());
            assertEquals(16, m.get("tokens").size(), "16 tokens per sandbox node in " + manifest);
            assertEquals("5.0.7", m.get("cassandra_version").asText());
            assertTrue(m.get("schema_files").size() > 0);
        }
        assertEquals(List.of(), snapshotDirs(TAG), "snapshot cleared after archiving");
        JsonNode rep = JSON.readTree(report.toFile());
        assertFalse(rep.get("check_mode").asBoolean());
        assertEquals(10, rep.get("results").size());
        for (JsonNode res : rep.get("results")) {
            assertTrue(Set.of("ok", "changed").contains(res.get("status").asText()), res.toString());
            assertTrue(res.has("duration_ms") && res.has("diff") && res.has("msg") && res.has("changed"));
        }
        assertTrue(Files.isRegularFile(Cli.ROOT.resolve(".ringplan/runs").resolve(rep.get("run_id").asText()).resolve("journal.jsonl")));
    }

    @Test
    @Order(2)
    void sameTagAgain_archiveTaskIsOk(@TempDir Path tmp) throws Exception {
        // The second run takes the snapshot again (the first cleared it); its archive is ok when
        // the SSTables did not change in between. The system keyspaces change all the time (a
        // flush writes new SSTables of them), and so would user tables a background compaction
        // rewrites: back up the user keyspaces, compacted first (one SSTable per table and data
        // directory, below any compaction threshold).
        String tag = TAG + "-again";
        String keyspaces = "keyspaces=ringplan_demo,ringplan_shop";
        for (int node = 1; node <= 2; node++) {
            SandboxNodetool.run("default", node, "compact", "ringplan_demo");
            SandboxNodetool.run("default", node, "compact", "ringplan_shop");
        }
        Cli.Run first = Cli.run("run", "plans/backup.yaml", "-e", "tag=" + tag, "-e", keyspaces);
        assertEquals(0, first.code(), first.all());
        Path report = tmp.resolve("report.json");
        long before = Files.getLastModifiedTime(BACKUPS.resolve(tag).resolve("node1.tar.zst")).toMillis();
        Cli.Run r = Cli.run("run", "plans/backup.yaml", "-e", "tag=" + tag, "-e", keyspaces,
                "--report-json", report.toString());
        assertEquals(0, r.code(), r.all());
        int archives = 0;
        for (JsonNode res : JSON.readTree(report.toFile()).get("results")) {
            if (res.get("task").asText().equals("archive")) {
                assertEquals("ok", res.get("status").asText(), res.toString());
                archives++;
            }
        }
        assertEquals(2, archives);
        assertEquals(before, Files.getLastModifiedTime(BACKUPS.resolve(tag).resolve("node1.tar.zst")).toMillis());
        assertEquals(List.of(), snapshotDirs(tag));
    }

    @Test
    @Order(3)
    void checkMode_newTag_changesNothingOnDisk_thenTheRunChangesWhatItPredicted(@TempDir Path tmp) throws Exception {
        String tag = TAG + "-check";
        Path report = tmp.resolve("report.json");
        Cli.Run r = Cli.run("plan", "plans/backup.yaml", "-e", "tag=" + tag, "--report-json", report.toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("PLAN (check mode"), r.all());
        assertTrue(r.out().contains("would snapshot all keyspaces with tag '" + tag + "'"), r.all());
        assertEquals(List.of(), snapshotDirs(tag), "check mode took no snapshot");
        assertFalse(Files.exists(BACKUPS.resolve(tag)), "check mode wrote no archive");
        JsonNode rep = JSON.readTree(report.toFile());
        assertTrue(rep.get("check_mode").asBoolean());
        long changed = 0;
        for (JsonNode res : rep.get("results")) {
            changed += res.get("changed").asBoolean() ? 1 : 0;
        }
        assertTrue(changed >= 4, "flush and snapshot on both nodes would change: " + rep);

        // The same plan, run: every predicted change happens, every change was predicted (or unknown).
        Path runReport = tmp.resolve("run.json");
        Cli.Run run = Cli.run("run", "plans/backup.yaml", "-e", "tag=" + tag, "--report-json", runReport.toString());
        assertEquals(0, run.code(), run.all());
        Map<String, String> plan = PreviewVersusRun.assertHolds("backup.yaml", report, runReport);
        for (String host : List.of("node1", "node2")) {
            // Was ok ("no snapshot"): the check ran before snapshot[host] would take it.
            assertEquals("changed", plan.get("clear[" + host + "]"), plan.toString());
            assertTrue(r.out().contains("after snapshot[" + host + "] takes it: would clear snapshot '" + tag + "'"), r.all());
            assertEquals("unknown", plan.get("archive[" + host + "]"), "no snapshot to archive yet: " + plan);
        }
        assertEquals(List.of(), snapshotDirs(tag));
    }

    @Test
    @Order(4)
    void overSsh_givesTheSameArchives(@TempDir Path tmp) throws Exception {
        String localTag = TAG + "-local";
        String sshTag = TAG + "-ssh";
        String keyspaces = "keyspaces=ringplan_demo,ringplan_shop";
        Cli.Run local = Cli.run("run", "plans/backup.yaml", "-e", "tag=" + localTag, "-e", keyspaces);
        assertEquals(0, local.code(), local.all());
        try (EmbeddedSshServer ssh = EmbeddedSshServer.start(Files.createDirectories(tmp.resolve("sshd")))) {
            Path inv = tmp.resolve("ssh-inventory.yaml");
            Files.writeString(inv, sshInventory(ssh, tmp.resolve("ssh-backups")));
            Cli.Run r = Cli.run("run", "plans/backup.yaml", "-i", inv.toString(), "-e", "tag=" + sshTag, "-e", keyspaces);
            assertEquals(0, r.code(), r.all());
            assertTrue(ssh.commands().stream().anyMatch(c -> c.contains("NodeTool") && c.contains("snapshot")),
                    "nodetool ran through the SSH server: " + ssh.commands());
            assertTrue(ssh.sessionsCreated() <= 2, "one SSH connection per host, reused: " + ssh.sessionsCreated());
            assertTrue(ssh.commands().stream().filter(c -> c.startsWith("tar -cf - ")).count() >= 2,
                    "each node's snapshot streamed through its own tar: " + ssh.commands());
            assertTrue(r.out().contains("files read through the node's tar -cf - over 1 exec channel(s)"), r.all());
            for (String host : List.of("node1", "node2")) {
                Path sshManifest = tmp.resolve("ssh-backups").resolve(sshTag).resolve(host + ".manifest.json");
                Path sshArchive = tmp.resolve("ssh-backups").resolve(sshTag).resolve(host + ".tar.zst");
                assertArchiveMatchesManifest(sshArchive, sshManifest);
                Map<String, String> viaSsh = userFiles(sshManifest);
                Map<String, String> viaLocal = userFiles(BACKUPS.resolve(localTag).resolve(host + ".manifest.json"));
                assertFalse(viaLocal.isEmpty());
                assertEquals(viaLocal, viaSsh, "same SSTables, same bytes, over SSH as locally on " + host);
            }
        }
        assertEquals(List.of(), snapshotDirs(sshTag));
    }

    @Test
    @Order(5)
    void unknownHostKey_isUnreachable_exit3(@TempDir Path tmp) throws Exception {
        try (EmbeddedSshServer ssh = EmbeddedSshServer.start(Files.createDirectories(tmp.resolve("sshd")))) {
            Files.writeString(ssh.knownHostsFile(), "");
            Path inv = tmp.resolve("inv.yaml");
            Files.writeString(inv, sshInventory(ssh, tmp.resolve("b")));
            Cli.Run r = Cli.run("run", "plans/backup.yaml", "-i", inv.toString(), "-e", "tag=never");
            assertEquals(ExitCodes.UNREACHABLE, r.code(), r.all());
            assertTrue(r.out().contains("unreachable"), r.all());
            ValidateCliTest.assertNoStackTrace(r);
        }
    }

    @Test
    @Order(6)
    void differentialToSshStorage_verifiedThenPurged(@TempDir Path tmp) throws Exception {
        String keyspaces = "keyspaces=ringplan_demo,ringplan_shop";
        String older = TAG + "-store-a";
        String newer = TAG + "-store-b";
        try (EmbeddedSshServer ssh = EmbeddedSshServer.start(Files.createDirectories(tmp.resolve("sshd")))) {
            Path root = tmp.resolve("remote-backups");
            StringBuilder sb = new StringBuilder();
            sb.append("all:\n  vars:\n    backup_root: 'ssh://storage").append(root).append("'\n");
            sb.append("  children:\n    cassandra:\n      vars:\n");
            sb.append("        ringplan_sandbox: {name: default, nodes: 2, data_dirs: 2, load: true}\n");
            sb.append("      hosts:\n        node1: {ansible_host: 127.0.0.1}\n        node2: {ansible_host: 127.0.0.2}\n");
            sb.append("    storage:\n      hosts:\n        storage:\n");
            ssh.hostVars().forEach((k, v) -> sb.append("          ").append(k).append(": '").append(v).append("'\n"));
            Path inv = tmp.resolve("storage-inventory.yaml");
            Files.writeString(inv, sb.toString());

            for (String tag : List.of(older, newer)) {
                Path planReport = tmp.resolve(tag + "-plan.json");
                Cli.Run p = Cli.run("plan", "plans/backup.yaml", "-i", inv.toString(), "-e", "tag=" + tag,
                        "-e", "mode=differential", "-e", keyspaces, "--report-json", planReport.toString());
                assertEquals(0, p.code(), p.all());
                Path runReport = tmp.resolve(tag + "-run.json");
                Cli.Run r = Cli.run("run", "plans/backup.yaml", "-i", inv.toString(), "-e", "tag=" + tag,
                        "-e", "mode=differential", "-e", keyspaces, "--report-json", runReport.toString());
                assertEquals(0, r.code(), r.all());
                PreviewVersusRun.assertHolds("backup.yaml (differential, storage over SSH)", planReport, runReport);
                Thread.sleep(1100);  // distinct creation seconds, so "newest" is well defined
            }
            assertTrue(ssh.sessionsCreated() >= 1, "the storage was reached over SSH");
            assertTrue(Files.exists(root.resolve(older).resolve("node1.manifest.json")));
            long storeFiles;
            try (var files = Files.walk(root.resolve("store"))) {
                storeFiles = files.filter(Files::isRegularFile).count();
            }
            assertTrue(storeFiles > 0, "SSTables stored once in the content store");

            Path verifyPlan = tmp.resolve("verify-plan.json");
            Cli.Run verifyPreview = Cli.run("plan", "plans/verify-backup.yaml", "-i", inv.toString(), "-e", "tag=" + older,
                    "--report-json", verifyPlan.toString());
            assertEquals(0, verifyPreview.code(), verifyPreview.all());
            Path verifyRun = tmp.resolve("verify-run.json");
            Cli.Run verify = Cli.run("run", "plans/verify-backup.yaml", "-i", inv.toString(), "-e", "tag=" + older,
                    "--report-json", verifyRun.toString());
            assertEquals(0, verify.code(), verify.all());
            PreviewVersusRun.assertHolds("verify-backup.yaml", verifyPlan, verifyRun);

            Path planReport = tmp.resolve("purge-plan.json");
            Cli.Run preview = Cli.run("plan", "plans/purge-backups.yaml", "-i", inv.toString(), "-e", "keep_last=1",
                    "--report-json", planReport.toString());
            assertEquals(0, preview.code(), preview.all());
            assertTrue(Files.exists(root.resolve(older).resolve("node1.manifest.json")), "check mode deletes nothing");

            Path runReport = tmp.resolve("purge-run.json");
            Cli.Run purge = Cli.run("run", "plans/purge-backups.yaml", "-i", inv.toString(), "-e", "keep_last=1",
                    "--report-json", runReport.toString());
            assertEquals(0, purge.code(), purge.all());
            PreviewVersusRun.assertHolds("purge-backups.yaml", planReport, runReport);
            assertTrue(purge.out().contains("changed  purge[node1]"), purge.all());
            assertFalse(Files.exists(root.resolve(older).resolve("node1.manifest.json")), "the older backup is purged");
            assertTrue(Files.exists(root.resolve(newer).resolve("node2.manifest.json")), "the newest is kept");
            Cli.Run still = Cli.run("run", "plans/verify-backup.yaml", "-i", inv.toString(), "-e", "tag=" + newer);
            assertEquals(0, still.code(), "every store file the kept backup references survived the purge: " + still.all());
            Cli.Run again = Cli.run("run", "plans/purge-backups.yaml", "-i", inv.toString(), "-e", "keep_last=1");
            assertEquals(0, again.code(), again.all());
            assertTrue(again.out().contains("ok       purge[node1]"), "nothing left to purge: " + again.all());
        }
    }

    private static String sshInventory(EmbeddedSshServer ssh, Path backupRoot) {
        StringBuilder sb = new StringBuilder();
        sb.append("all:\n  vars:\n    ringplan_sandbox: {name: default, nodes: 2, load: true}\n");
        sb.append("    backup_root: '").append(backupRoot).append("'\n");
        sb.append("  children:\n    cassandra:\n      hosts:\n");
        for (String host : List.of("node1", "node2")) {
            sb.append("        ").append(host).append(":\n");
            ssh.hostVars().forEach((k, v) -> sb.append("          ").append(k).append(": '").append(v).append("'\n"));
        }
        return sb.toString();
    }

    /** path → sha256 of the user keyspaces' files (system tables change between any two snapshots). */
    private static Map<String, String> userFiles(Path manifest) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode f : JSON.readTree(manifest.toFile()).get("files")) {
            String p = f.get("path").asText();
            if (p.startsWith("ringplan_") && !p.endsWith("manifest.json")) {
                out.put(p, f.get("sha256").asText());
            }
        }
        return out;
    }

    /** Every archive entry's bytes hash to what the manifest says; the archive's own hash too. */
    static void assertArchiveMatchesManifest(Path archive, Path manifest) throws Exception {
        JsonNode m = JSON.readTree(manifest.toFile());
        assertEquals(m.get("archive").get("sha256").asText(), sha256(Files.readAllBytes(archive)), "archive hash");
        Map<String, String> expected = new HashMap<>();
        for (JsonNode f : m.get("files")) {
            expected.put(f.get("path").asText(), f.get("sha256").asText());
        }
        Set<String> seen = new HashSet<>();
        try (InputStream in = new TarArchiveInputStream(new ZstdCompressorInputStream(Files.newInputStream(archive)))) {
            TarArchiveInputStream tar = (TarArchiveInputStream) in;
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    continue;
                }
                String want = expected.get(e.getName());
                assertTrue(want != null, "entry " + e.getName() + " is in the manifest");
                assertEquals(want, sha256(tar.readAllBytes()), e.getName());
                seen.add(e.getName());
            }
        }
        assertEquals(expected.keySet(), seen, "every manifest file is in the archive");
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** Every {@code snapshots/<tag>} directory under the sandbox's data directories. */
    static List<Path> snapshotDirs(String tag) throws IOException {
        if (!Files.isDirectory(SANDBOX)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(SANDBOX, 6)) {
            return s.filter(p -> p.getFileName().toString().equals(tag)
                    && p.getParent() != null && p.getParent().getFileName().toString().equals("snapshots")).toList();
        }
    }
}
