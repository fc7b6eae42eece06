package dev.ringplan.modules.tar;

import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.modules.CassandraHost;
import dev.ringplan.modules.backup.BackupLocation;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What a create call ({@link TarCreate}) resolves to before touching anything.
 *
 * @param tag         the snapshot tag
 * @param destDir     the backup directory ({@code dest})
 * @param name        the archive's base name
 * @param compression the archive's compression ({@link Compression#NONE} when differential)
 * @param level       its level (0 when differential)
 * @param keyspaces   the keyspace filter; empty for all
 * @param dataDirs    the host's data directories
 * @param archive     {@code <dest>/<name>.tar[.gz|.zst]}; null when differential
 * @param manifest    {@code <dest>/<name>.manifest.json}
 * @param found       the snapshot's files on the node
 * @param diff        the content store side of {@code mode: differential}; null for a full backup
 */
record CreateJob(String tag, BackupLocation destDir, String name, Compression compression, int level,
                 List<String> keyspaces, List<String> dataDirs, BackupLocation archive, BackupLocation manifest,
                 SnapshotScanner.Found found, Differential diff) {

    /**
     * The manifest of this backup: host facts ({@link CassandraHost}), {@code tokens} (argument, else
     * host var), the snapshot's {@code schema.cql} files, and what {@code w} wrote.
     *
     * @throws ModuleException when the host's variables are malformed
     */
    static SnapshotManifest newManifest(ModuleContext ctx, CreateJob job, ArchiveWriter.Written w)
            throws ModuleException {
        CassandraHost host = CassandraHost.of(ctx);
        List<String> tokens = ctx.args().list("tokens");
        if (tokens.isEmpty()) {
            tokens = host.tokens();
        }
        List<String> schema = new ArrayList<>();
        for (SnapshotManifest.FileEntry f : w.files()) {
            if (f.path().endsWith("/schema.cql") && f.path().chars().filter(ch -> ch == '/').count() == 2) {
                schema.add(f.path());
            }
        }
        return new SnapshotManifest(SnapshotManifest.FORMAT, SnapshotManifest.FORMAT_VERSION, ctx.host(),
                host.listenAddress(), host.cassandraVersion(), job.tag,
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), job.compression.argName(), job.level,
                job.archive == null ? null : new SnapshotManifest.Archive(job.archive.name(), w.bytes(), w.sha256()),
                job.dataDirs, job.keyspaces.isEmpty() ? null : job.keyspaces, tokens.isEmpty() ? null : tokens,
                schema, w.files(),
                new SnapshotManifest.Totals(w.files().size(),
                        w.files().stream().mapToLong(SnapshotManifest.FileEntry::size).sum()));
    }
}
