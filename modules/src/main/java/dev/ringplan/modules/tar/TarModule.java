package dev.ringplan.modules.tar;

import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.ReturnSpec;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import dev.ringplan.modules.CassandraHost;
import dev.ringplan.modules.backup.BackupLocation;
import dev.ringplan.modules.backup.BackupStore;
import dev.ringplan.modules.backup.ConnectionBackupStore;
import dev.ringplan.modules.backup.ContentStore;
import dev.ringplan.modules.backup.LocalBackupStore;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code tar}: archives a Cassandra snapshot of one node into a tar file on the controller, with
 * a JSON manifest of SHA-256 sums beside it ({@code action: create}); restores such an archive
 * into the node's table directories or an explicit directory, verified and staged first
 * ({@code action: extract}, see {@link Restore}); checks a stored archive against its manifest
 * ({@code action: verify}, read-only). The module doc ({@code ringplan modules tar}) is the
 * reference for arguments and behaviour.
 */
public final class TarModule implements Module {
    /** Default compression (see the module doc for the measurements behind it). */
    public static final Compression DEFAULT_COMPRESSION = Compression.ZSTD;

    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg(ArgDef.of("action", ArgDef.Type.STR, "create (back up a snapshot), extract (restore a backup onto the"
                    + " node), verify (check a stored backup against its manifest, read-only) or purge (retention:"
                    + " delete old backups and unreferenced store files under root).")
                    .withDefault("create").choices("create", "extract", "verify", "purge"))
            .arg(ArgDef.of("mode", ArgDef.Type.STR, "create: full (a tar archive per backup) or differential (each file"
                    + " once in a content-addressed store shared by all backups under the same root).")
                    .withDefault("full").choices("full", "differential"))
            .arg(ArgDef.of("store", ArgDef.Type.STR, "create (differential), purge: the content store directory, on the"
                    + " same storage as dest/root; default <parent of dest>/store (purge: <root>/store)."))
            .arg(ArgDef.of("previous", ArgDef.Type.STR, "create (differential): manifest of an earlier differential backup"
                    + " of this node whose SHA-256 sums may be trusted for unchanged SSTable components; default the"
                    + " newest <parent of dest>/*/<name>.manifest.json."))
            .arg(ArgDef.of("root", ArgDef.Type.STR, "purge: the backup root (tags are its subdirectories holding"
                    + " *.manifest.json); file:///abs/dir, a path, or ssh://<inventory host>/abs/dir."))
            .arg(ArgDef.of("keep_last", ArgDef.Type.INT, "purge: keep the newest N backups (N >= 1)."))
            .arg(ArgDef.of("older_than_days", ArgDef.Type.INT, "purge: delete backups created more than D days ago"
                    + " (with keep_last: only those not among the newest keep_last)."))
            .arg(ArgDef.of("snapshot", ArgDef.Type.STR, "create: snapshot tag to archive (as given to nodetool snapshot -t);"
                    + " required. extract/verify: optional guard, the manifest must record this tag."))
            .arg(ArgDef.of("dest", ArgDef.Type.STR, "Backup directory: file:///abs/dir or a path on the controller"
                    + " (a relative path resolves against the run's working directory), or ssh://<inventory host>/abs/dir"
                    + " on another host of the inventory. create: required, created when missing. extract/verify:"
                    + " where <name>.manifest.json is (instead of src)."))
            .arg(ArgDef.of("name", ArgDef.Type.STR, "Archive base name; default the inventory hostname."))
            .arg(ArgDef.of("src", ArgDef.Type.STR, "extract/verify: the archive (<name>.tar[.gz|.zst]) or its"
                    + " <name>.manifest.json (the only file of a differential backup), as a path, file:///abs/path or"
                    + " ssh://<inventory host>/abs/path; the other file is found beside it."))
            .arg(ArgDef.of("compression", ArgDef.Type.STR, "create: none, gzip or zstd (extract reads the manifest's).")
                    .withDefault(DEFAULT_COMPRESSION.argName()).choices("none", "gzip", "zstd"))
            .arg(ArgDef.of("level", ArgDef.Type.INT, "create: compression level (gzip 1-9, default 6; zstd 1-19, default 1)."))
            .arg(ArgDef.of("keyspaces", ArgDef.Type.LIST, "Only these keyspaces; default all (create: of the snapshot;"
                    + " extract: of the archive; verify: the backup must hold each of them)."))
            .arg(ArgDef.of("tables", ArgDef.Type.LIST, "extract: only these tables, as <keyspace>.<table>; default all."
                    + " verify: the backup must hold each of them."))
            .arg(ArgDef.of("tokens", ArgDef.Type.LIST, "create: the node's tokens, recorded in the manifest; default host var tokens."))
            .arg(ArgDef.of("target", ArgDef.Type.STR, "extract: data (default) restores into the live table"
                    + " directories of the host's cassandra_data_dirs.").choices("data"))
            .arg(ArgDef.of("target_dir", ArgDef.Type.STR, "extract: an absolute directory on the node instead;"
                    + " files land in <target_dir>/<ks>/<table>/ (the layout sstableloader reads)."))
            .arg(ArgDef.of("create_missing", ArgDef.Type.BOOL, "extract: create <ks>/<table>-<id from archive>/ for"
                    + " tables the node has no directory for (default false: fail naming them).").withDefault(false))
            .arg(ArgDef.of("overwrite", ArgDef.Type.BOOL, "extract: replace a present file whose content differs"
                    + " (default false: fail naming it). Only with the node stopped.").withDefault(false))
            .arg(ArgDef.of("table_ids", ArgDef.Type.MAP, "extract: {<ks>.<table>: <live id>} for a table with several"
                    + " directories in one data directory (a re-created table whose old one was not auto-snapshotted)."))
            .arg(ArgDef.of("must_exist", ArgDef.Type.BOOL, "extract/verify: the backup exists before the run, so a"
                    + " missing manifest fails in check mode too (default false: check mode takes it that an earlier"
                    + " task of the plan creates it).").withDefault(false))
            .onlyFor("action", List.of("create"), "mode", "tokens", "level", "previous")
            .onlyFor("action", List.of("create", "purge"), "store")
            .onlyFor("action", List.of("create", "extract", "verify"), "snapshot", "dest", "name", "keyspaces")
            .onlyFor("action", List.of("extract", "verify"), "src", "target", "target_dir", "tables", "table_ids")
            .onlyFor("action", List.of("purge"), "root", "keep_last", "older_than_days")
            .onlyFor("mode", List.of("differential"), "store", "previous")
            // a differential store keeps files as they are on the node (compression is ignored)
            .onlyFor("mode", List.of("full"), "level")
            .requiredIf("action", "create", "dest", "snapshot")
            .requiredIfAny("action", "extract", "src", "dest")
            .requiredIfAny("action", "verify", "src", "dest")
            .requiredIf("action", "purge", "root")
            .requiredIfAny("action", "purge", "keep_last", "older_than_days")
            .mutuallyExclusive("src", "dest")
            .mutuallyExclusive("target", "target_dir")
            .build();

    private static final ModuleDoc DOC = new ModuleDoc(
            "Back up a node's snapshot (tar archive or differential content store, with a SHA-256 manifest);"
                    + " restore, verify or purge such backups.",
            """
            action: create walks every data directory of the host (host var cassandra_data_dirs,
            default /var/lib/cassandra/data) through the host's connection, listing
            <data_dir>/<ks>/<table>-<id>/snapshots/<tag>/ recursively (secondary index SSTables live in
            .<index>/ subdirectories there). Every file found is archived: SSTable components,
            manifest.json, schema.cql. Nothing is skipped silently: a symlink or special file inside a
            snapshot, or a symlinked keyspace/table directory, fails the task. Each file is streamed from
            the node (SFTP over SSH) straight into the archive on the controller, its SHA-256 computed on
            the way; nothing is copied on the node and no file is held in memory.

            Output, in dest: <name>.tar, <name>.tar.gz or <name>.tar.zst, and <name>.manifest.json.
            The archive is written as <archive>.partial, synced, then renamed atomically; the manifest is
            removed before and written (also atomically) after, so an archive without a manifest is
            incomplete.

            Archive layout: entries <ks>/<table>-<id>/<file> (index files <ks>/<table>-<id>/.<index>/<file>),
            POSIX tar (pax headers for long names and files over 8 GiB), mode 0644. When several data
            directories hold the same table directory (JBOD), their files share the table's folder in the
            archive and the manifest records each file's data_dir_index; two files with the same path in
            two data directories cannot happen for SSTables (generations differ) and fail the task.

            Manifest (JSON, snake_case keys, unknown keys to be ignored by readers):
              format: "ringplan-snapshot-archive", format_version: 1,
              host, listen_address, cassandra_version (when known), snapshot, created (ISO-8601 UTC),
              compression, compression_level,
              archive: {file, bytes, sha256},
              data_dirs: [...] (in cassandra_data_dirs order), keyspaces (the filter, when given),
              tokens (when the tokens argument or host var is set),
              schema_files: [archive paths of schema.cql],
              files: [{path, size, sha256, data_dir_index}], totals: {files, bytes}.
            Verify by hand: sha256sum <archive> against archive.sha256.

            Compression: zstd level 1 by default (modules/bench/TAR.md, 196 MB, half random, half text):
            zstd-1 195 MB/s, output 64% of input; none 331 MB/s (disk-bound, 100%); gzip-6 32 MB/s, 65%.
            zstd stores incompressible blocks (LZ4-compressed SSTables) raw, so it costs little on them and
            shrinks uncompressed tables and text components; gzip gives the same ratio six times slower.
            Use none when the destination is fast and the tables are compressed.

            Idempotent: when <name>.manifest.json exists, names this archive, lists exactly the files
            (path and size) of the snapshot now, and the archive exists with the recorded size, the task
            is ok and nothing is written. Otherwise it is changed and both files are rewritten.
            Check mode reads the node's listing and the manifest only and writes nothing.
            A tag with no files on the node fails the task (the snapshot was not taken); in check mode
            it is reported as unknown (an earlier task may take it).

            Storage. dest (and src, store, previous, root) is a directory on the controller (a path, relative to
            the run's working directory, or file:///abs/dir) or ssh://<inventory host>/abs/dir: a directory on
            another host of the inventory, reached through that host's connection (its ansible_host, user and
            keys; opened once per run and shared). Everything below works the same on both; over SSH, writes
            go through SFTP (no fsync; a replacing rename of a manifest deletes the old one first).

            mode: differential (create) keeps every snapshot file once in a content-addressed store shared by
            all backups under the same backup root, like Medusa's default mode. Layout:
              <root>/<tag>/<name>.manifest.json      one per node and backup (dest = <root>/<tag>)
              <root>/store/<sha256[0:2]>/<sha256>     file contents, stored as they are (no compression),
                                                      so sha256sum of a store file equals its name
              <root>/store/.tmp/*.partial             files being written (leftovers of a killed run may go)
            The store defaults to <parent of dest>/store (manifest store: "../store", so a root can be moved
            or copied as a whole); store: <dir> on the same storage puts it elsewhere (recorded absolute).
            Each file not known (below) is streamed once from the node into store/.tmp/, its SHA-256 computed
            on the way, then renamed to store/<sha[0:2]>/<sha>; when the store already holds that content with
            that size the temporary copy is dropped (counted as reused, not uploaded). Known files are not
            read at all: a file whose path, size and modification time equal an entry of the previous
            manifest and whose name is an SSTable component (<version>-<generation>-<format>-<Component>:
            immutable once written) takes that entry's SHA-256, when the store holds it with that size. The
            previous manifest is previous: <manifest> or else the newest <root>/*/<name>.manifest.json (by
            file time). snapshot manifest.json and schema.cql are always read (small, and they change). So a
            nightly backup reads and uploads only the SSTables written since the previous one.
            The manifest is written last (atomically): mode: differential, store, no archive, compression
            none, files with mtime_millis, stored_bytes: {uploaded_files, uploaded_bytes, reused_files,
            reused_bytes, read_bytes}. Idempotent: a manifest recording exactly the snapshot's files now
            (path, size, mtime), whose store files all exist with their sizes, gives ok and writes nothing.
            level is refused and compression ignored in this mode. A differential manifest replacing a full
            one deletes the old archive after it is written.

            action: extract restores an archive made by create onto the host, writing every file through
            the host's connection (SFTP over SSH; nothing is copied by hand). The archive is named by src
            (the archive or its manifest, path or file:///URL; the other is found beside it: <base>.tar.zst
            <-> <base>.manifest.json) or by dest + name as for create. The compression is the manifest's.
            snapshot, when given, must equal the manifest's tag.

            Target. target: data (the default) restores into the live table directories of the host's
            data directories (cassandra_data_dirs), keeping <ks>/<table>-<id>/ (and .<index>/
            subdirectories). Tables are matched by keyspace and table name, not by id: after a schema
            re-create the node's directory <table>-<new id> receives the files of <table>-<old id>. A
            directory holding a snapshots/dropped-* snapshot is a dropped table's and is never used; when
            one data directory still holds several candidates, give the live id in table_ids or the task
            fails naming them. A table with no directory on the node fails the task, naming every such
            table, unless create_missing: true, which creates <ks>/<table>-<id from archive>/ (the id then
            differs from the schema's unless the schema was restored with the same ids). JBOD: each file
            goes to the data directory that holds the live table directory; when several hold it (Cassandra usually
            creates a table's directory in every data directory), to data directory number
            data_dir_index mod <number of data dirs> when it holds one, else to the holder number
            data_dir_index mod <number of holders>; data_dir_index is the manifest's.
            The snapshot's own metadata files, <ks>/<table>-<id>/manifest.json and schema.cql, are checked
            but not written into live directories (Cassandra keeps them only in snapshots; two restores
            would collide on them); the schema files stay in the archive (manifest schema_files).
            target_dir: <absolute dir> instead writes every file, metadata included, to
            <target_dir>/<ks>/<table>/ (no id: the layout sstableloader reads, for bulkload or clone);
            target_dir must not be or lie inside a data directory. Created when missing.
            Files are created with the connection user's owner and umask (connect as the cassandra user, or
            fix ownership before starting the node). A running node sees restored SSTables only after
            nodetool import/refresh or a restart; overwrite: true replaces files Cassandra may have open:
            use it with the node stopped.

            Filters: keyspaces: [ks, ...] and tables: [ks.table, ...]; a file is restored when it passes
            both (each absent filter passes everything). A filter naming something the archive lacks fails
            the task. The whole archive is still read and verified.

            Verification before anything is in place (staging). Every table directory receiving files gets
            a staging directory <table dir>/.ringplan-restore-<snapshot>-<8 random hex>/ (created with any
            missing table or keyspace directory). The archive is read once, front to back: each entry must
            be a regular file (symlinks, hard links, devices, FIFOs and directory entries are refused) with
            a relative name without '..', '.', empty elements or backslashes, listed in the manifest, met
            once, of the recorded size and SHA-256; entries for the target are written into staging as they
            stream by. Then no manifest file may be missing and the archive file must have the recorded size
            (checked first, too) and SHA-256. Only when all of this held are the staged files renamed into
            place (each rename stays in its directory, so it is atomic; with overwrite the old file is
            deleted just before); then the staging directories are removed. Any failure before that (corrupt
            or truncated archive, wrong SHA-256, missing or extra entry, altered manifest, refused entry,
            write error) fails the task naming the file, and removes the staging directories and every
            directory the task created: the target is as it was. Only a failure during the renames (disk
            gone, a file created concurrently) can leave part of the files in place; the message says how
            many. A leftover .ringplan-restore-* (process killed) holds nothing Cassandra reads and may be
            deleted. Staged data is not fsynced (SFTP has no portable fsync).

            Idempotent: before reading the archive, each target file is looked up; a present file of the
            recorded size is hashed (streamed through the connection: costs one read of the bytes already
            present, on check and again on apply); same SHA-256 -> skipped. When every file is present and
            identical the task is ok and the archive is not read. A present file with other content fails
            the task naming it, before anything is written, unless overwrite: true.
            Check mode lists each table directory with the number and bytes of files that would be written
            and writes nothing (the archive itself is verified only by apply, or by action: verify).
            Differential backups (src: the manifest, or dest + name) are read from their store instead of an
            archive, with the same staging, filters, guards and checks: each store file restored must exist,
            have the recorded size and hash to its recorded SHA-256, else the task fails naming the store file
            and the manifest path, and nothing is restored. Only the store files being restored are read.

            action: verify checks a stored archive without restoring: every entry's size and SHA-256 and
            the archive's own size and SHA-256 against the manifest, no missing, extra, duplicate,
            non-regular or unsafe entry; with keyspaces/tables (a restore's filters), the backup must hold
            each of them (a typo fails here, before a restore stops any node). ok when all hold, else the
            task fails naming the file or what is missing. Read-only:
            it runs in check mode too. Reads the archive once; needs no connection to the host.
            For a differential backup every store file the manifest references is read and hashed; a missing,
            truncated or corrupt one fails the task naming it (store/<xx>/<sha>) and the manifest path.
            In check mode, an archive or manifest that does not exist yet (an earlier task of the run may
            create it) gives an unknown preview for extract and "not verified" (verified: false) for
            verify instead of a failure; outside check mode it fails the task. With must_exist: true
            (a backup taken before the run: restore.yaml, verify-backup.yaml) it fails in check mode
            too, so the dry run of a restore of a mistyped tag fails at verify like the run would.

            action: purge applies retention to a backup root (root: <dir>, any storage). The backups are the
            subdirectories of root (not the store, not hidden ones) holding at least one *.manifest.json; a
            backup's time is the newest created of its manifests (all nodes of a tag). keep_last: N keeps the
            N newest; older_than_days: D deletes backups created more than D days ago; with both, a backup
            is deleted only when it is older than D days and not among the N newest (keep_last is a floor).
            For each deleted backup, its manifests are deleted first, then the archives they name, then the
            directory when empty (other files are left, with a log line). Then every store file
            (store/<xx>/<sha>, store: as for create, default <root>/store) not referenced by a differential
            manifest of a kept backup is deleted; store/.tmp is left alone. A manifest that cannot be read
            fails the task before anything is deleted. Check mode lists what would be deleted and deletes
            nothing. Do not run purge while a differential create writes to the same root: a file it has
            just stored is unreferenced until its manifest is written. ok when there is nothing to delete.
            """,
            """
            - id: archive
              needs: [snapshot]
              tar:
                snapshot: "{{ tag }}"
                dest: "file:///srv/backups/{{ tag }}"
                compression: zstd
                keyspaces: [shop, users]
              register: archive

            - id: verify
              tar: { action: verify, src: "/srv/backups/{{ tag }}/{{ inventory_hostname }}.tar.zst" }

            - id: restore
              needs: [stop]
              tar:
                action: extract
                dest: "file:///srv/backups/{{ tag }}"
                name: "{{ inventory_hostname }}"
                tables: [shop.orders]
                create_missing: false
              register: restored

            - id: nightly
              tar:
                snapshot: "{{ tag }}"
                mode: differential
                dest: "ssh://backup1/srv/backups/{{ tag }}"
              register: nightly

            - id: retention
              needs: [nightly]
              hosts: backup1
              tar: { action: purge, root: "ssh://backup1/srv/backups", keep_last: 7, older_than_days: 14 }

            - id: stage_for_loader
              tar:
                action: extract
                src: "/srv/backups/{{ tag }}/n1.manifest.json"
                target_dir: /var/tmp/ringplan-load
            """);

    /** The tar module (stateless; one instance serves every task). */
    public TarModule() {
    }

    @Override
    public String name() {
        return "tar";
    }

    @Override
    public ModuleDoc doc() {
        return DOC;
    }

    @Override
    public ArgSpec argSpec() {
        return SPEC;
    }

    @Override
    public ReturnSpec returns() {
        return TarReturns.SPEC;
    }

    /** What a create call resolves to before touching anything. */
    record Job(String tag, BackupLocation destDir, String name, Compression compression, int level,
                       List<String> keyspaces, List<String> dataDirs, BackupLocation archive, BackupLocation manifest,
                       SnapshotScanner.Found found, Differential diff) {
    }

    /** True for {@code action: verify}, which only reads the archive. */
    @Override
    public boolean isReadOnly(Args args) {
        return "verify".equals(args.str("action"));
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        String action = action(ctx);
        try {
            switch (action) {
                case "purge":
                    return Purge.check(ctx);
                case "extract":
                    return checkExtract(ctx);
                case "verify":
                    Stored st = locate(ctx);
                    return Preview.noChange("would verify " + st.source() + " against " + st.manifestPath)
                            .withData(Map.of(st.archive == null ? "store" : "archive",
                                    st.archive == null ? st.store.root().toString() : st.archive.toString(),
                                    "manifest", st.manifestPath.toString()));
                default:
                    return checkCreate(ctx);
            }
        } catch (MissingBackup e) {
            if (!ctx.checkMode() || ctx.args().bool("must_exist", false)) {
                throw e;
            }
            return Preview.unknown(e.getMessage() + " yet (an earlier task may create it)", List.of())
                    .withData(unknownExtract());
        } catch (Restore.ConflictException e) {
            if (!ctx.checkMode()) {
                throw e;
            }
            String from = ctx.args().str("src") != null ? ctx.args().str("src") : String.valueOf(ctx.args().str("dest"));
            return Preview.unknown("would restore the backup " + from + "; " + e.getMessage()
                    + " (unless an earlier task clears them)", List.of()).withData(unknownExtract());
        }
    }

    /** An extract's keys when what it would restore is known after apply (check mode): every value null. */
    private static Map<String, Object> unknownExtract() {
        Map<String, Object> d = new LinkedHashMap<>();
        for (String k : List.of("manifest", "files", "bytes", "written", "written_bytes", "skipped", "metadata_skipped",
                "tables", "target_dirs", "target")) {
            d.put(k, null);
        }
        return d;
    }

    /** The archive or manifest named by an extract or verify task does not exist. */
    private static final class MissingBackup extends ModuleException {
        MissingBackup(String message) {
            super(message);
        }
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        switch (action(ctx)) {
            case "purge":
                return Purge.apply(ctx);
            case "extract":
                return applyExtract(ctx);
            case "verify":
                return applyVerify(ctx);
            default:
                return applyCreate(ctx);
        }
    }

    static String action(ModuleContext ctx) throws ModuleException {
        String action = ctx.args().str("action") == null ? "create" : ctx.args().str("action");
        if (!List.of("create", "extract", "verify", "purge").contains(action)) {
            throw new ModuleException("tar: unknown action '" + action + "'; expected create, extract, verify or purge");
        }
        return action;
    }

    private Preview checkCreate(ModuleContext ctx) throws ModuleException {
        Job job = resolve(ctx);
        if (job.found.files().isEmpty()) {
            // What the snapshot will hold is known after an earlier task takes it: the keys, values null.
            // A differential backup has no archive of its own (its files go to the content store).
            Map<String, Object> data = new LinkedHashMap<>();
            if (job.archive != null) {
                data.put("archive", job.archive.toString());
            }
            data.put("manifest", job.manifest.toString());
            if (job.diff != null) {
                data.put("store", job.diff.store.root().toString());
                data.put("mode", "differential");
            }
            List<String> unknown = job.diff != null ? List.of("files", "bytes", "uploaded_files", "uploaded_bytes",
                    "reused_files", "reused_bytes", "read_bytes", "unchanged_files")
                    : List.of("files", "bytes", "archive_bytes", "sha256");
            unknown.forEach(k -> data.put(k, null));
            return Preview.unknown("snapshot '" + job.tag + "' has no files on " + ctx.host() + " yet"
                    + " (not taken; an earlier task may take it)", List.of()).withData(data);
        }
        if (job.diff != null) {
            return Differential.check(ctx, job);
        }
        SnapshotManifest current = upToDate(job, ctx);
        if (current != null) {
            return Preview.noChange("archive " + job.archive + " is up to date (" + describe(job.found) + ")")
                    .withData(registered(job, current));
        }
        return Preview.willChange("would archive " + describe(job.found) + " of snapshot '" + job.tag + "' to "
                + job.archive, List.of("tar create " + job.archive + " <- " + job.found.files().size() + " files"))
                .withData(wouldArchive(job));
    }

    /** Check mode's data for a full archive to write: its size and SHA-256 are known after apply. */
    private static Map<String, Object> wouldArchive(Job job) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("archive", job.archive.toString());
        d.put("manifest", job.manifest.toString());
        d.put("files", (long) job.found.files().size());
        d.put("bytes", job.found.totalBytes());
        d.put("archive_bytes", null);
        d.put("sha256", null);
        return d;
    }

    private Result applyCreate(ModuleContext ctx) throws ModuleException {
        Job job = resolve(ctx);
        if (job.found.files().isEmpty()) {
            throw new ModuleException("snapshot '" + job.tag + "' not found on " + ctx.host() + ": no files under "
                    + "<data_dir>/<ks>/<table>/snapshots/" + job.tag + "/ in " + String.join(", ", job.dataDirs)
                    + (job.keyspaces.isEmpty() ? "" : " for keyspaces " + String.join(", ", job.keyspaces))
                    + "; was the snapshot taken (nodetool snapshot -t " + job.tag + ")?");
        }
        if (job.diff != null) {
            return Differential.apply(ctx, job);
        }
        SnapshotManifest current = upToDate(job, ctx);
        if (current != null) {
            return Result.ok("archive " + job.archive + " is up to date (" + describe(job.found) + ")")
                    .withData(registered(job, current));
        }
        try {
            job.destDir.store().mkdirs(job.destDir.path());
            job.manifest.store().delete(job.manifest.path());
        } catch (IOException e) {
            throw new ModuleException("cannot prepare " + job.destDir + ": " + e.getMessage(), e);
        }
        long t0 = System.nanoTime();
        ctx.log("archiving " + describe(job.found) + " of snapshot '" + job.tag + "' to " + job.archive);
        ArchiveWriter.Written w = ArchiveWriter.write(connection(ctx), job.found.files(), job.archive.store(),
                job.archive.path(), job.compression, job.level);
        double secs = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
        ctx.log(String.format(java.util.Locale.ROOT, "archived %d bytes in %.1f s (%.1f MB/s), archive %d bytes",
                job.found.totalBytes(), secs, job.found.totalBytes() / secs / 1e6, w.bytes()));
        SnapshotManifest m = manifest(ctx, job, w);
        writeAtomically(job.manifest, m.toJson());
        return Result.changed("archived " + describe(job.found) + " of snapshot '" + job.tag + "' to " + job.archive)
                .withCommands(List.of("tar create " + job.archive))
                .withData(registered(job, m));
    }

    private Job resolve(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        boolean differential = "differential".equals(a.str("mode"));
        String tag = a.str("snapshot");
        String tagErr = SnapshotScanner.checkTag(tag);
        if (tagErr != null) {
            throw new ModuleException("tar: " + tagErr);
        }
        String name = archiveName(ctx);
        Compression c;
        try {
            c = Compression.parse(a.str("compression") == null ? DEFAULT_COMPRESSION.argName() : a.str("compression"));
        } catch (IllegalArgumentException e) {
            throw new ModuleException("tar: " + e.getMessage());
        }
        int level = (int) a.integer("level", c.defaultLevel());
        String levelErr = c.checkLevel(level);
        if (levelErr != null) {
            throw new ModuleException("tar: " + levelErr);
        }
        BackupLocation dest = location("dest", a.str("dest"), ctx);
        List<String> dataDirs = CassandraHost.of(ctx).dataDirs();
        for (String d : dataDirs) {
            if (!d.startsWith("/")) {
                throw new ModuleException("tar: cassandra_data_dirs entry '" + d + "' of " + ctx.host() + " is not absolute");
            }
        }
        List<String> keyspaces = a.list("keyspaces");
        SnapshotScanner.Found found = new SnapshotScanner(connection(ctx)).scan(dataDirs, tag, keyspaces);
        if (!found.files().isEmpty()) {
            List<String> missing = keyspaces.stream().filter(k -> !found.keyspacesWithFiles().contains(k)).toList();
            if (!missing.isEmpty()) {
                throw new ModuleException("tar: snapshot '" + tag + "' on " + ctx.host() + " holds no files of keyspace(s) "
                        + String.join(", ", missing) + " (misspelt, or not part of the snapshot?)");
            }
        }
        BackupLocation archive = dest.resolve(name + c.suffix());
        BackupLocation manifest = dest.resolve(name + MANIFEST_SUFFIX);
        Job job = new Job(tag, dest, name, c, level, keyspaces, dataDirs, archive, manifest, found, null);
        if (differential) {
            job = new Job(tag, dest, name, Compression.NONE, 0, keyspaces, dataDirs, null, manifest, found,
                    Differential.resolve(ctx, dest, name));
        }
        return job;
    }

    /**
     * Resolves the {@code dest} argument: a {@code file:} URL ({@code file:///abs/dir}) or a path,
     * relative paths against {@code workDir} (the controller's working directory).
     *
     * @throws ModuleException for another URL scheme, a URL with a host part, or an invalid path
     */
    static Path resolveDest(String dest, Path workDir) throws ModuleException {
        return resolvePath("dest", dest, workDir);
    }

    /**
     * Resolves a controller path argument ({@code dest}, {@code src}) as {@link #resolveDest} does.
     *
     * @param arg the argument's name, for messages
     * @throws ModuleException for another URL scheme, a URL with a host part, or an invalid path
     */
    static Path resolvePath(String arg, String value, Path workDir) throws ModuleException {
        if (value == null || value.isBlank()) {
            throw new ModuleException("tar: " + arg + " is empty");
        }
        String d = value.strip();
        try {
            if (URL.matcher(d).matches()) {
                URI u = new URI(d);
                if (!"file".equalsIgnoreCase(u.getScheme())) {
                    throw new ModuleException("tar: " + arg + " '" + d + "': unsupported scheme '" + u.getScheme()
                            + "'; use file:///absolute/path, a path or ssh://<inventory host>/absolute/path");
                }
                if (u.getAuthority() != null && !u.getAuthority().isEmpty() && !u.getAuthority().equals("localhost")) {
                    throw new ModuleException("tar: " + arg + " '" + d + "': file URLs must have no host (file:///abs/path)");
                }
                return Path.of(u.getPath()).normalize();
            }
            Path p = Path.of(d);
            if (!p.isAbsolute()) {
                p = (workDir == null ? Path.of("").toAbsolutePath() : workDir).resolve(p);
            }
            return p.toAbsolutePath().normalize();
        } catch (URISyntaxException | InvalidPathException e) {
            throw new ModuleException("tar: " + arg + " '" + d + "' is not a valid path or file URL: " + e.getMessage());
        }
    }

    /** The controller's file system as backup storage. */
    static final BackupStore LOCAL = new LocalBackupStore();

    /**
     * Resolves a storage argument ({@code dest}, {@code src}, {@code store}, {@code previous},
     * {@code root}): {@code ssh://<inventory host>/abs/path} is a directory on that host, reached
     * through {@link ModuleContext#connectionTo}; anything else is a controller path as
     * {@link #resolvePath} reads it.
     *
     * @throws ModuleException for a malformed value or an unreachable storage host
     */
    static BackupLocation location(String arg, String value, ModuleContext ctx) throws ModuleException {
        String v = value == null ? "" : value.strip();
        if (v.regionMatches(true, 0, "ssh://", 0, 6)) {
            String rest = v.substring(6);
            int slash = rest.indexOf('/');
            String host = slash < 0 ? rest : rest.substring(0, slash);
            String path = slash < 0 ? null : BackupLocation.normalize(rest.substring(slash));
            if (host.isEmpty() || host.contains("@") || host.contains(":")) {
                throw new ModuleException("tar: " + arg + " '" + v + "': expected ssh://<inventory host>/absolute/path"
                        + " (the host's user and port come from the inventory)");
            }
            if (path == null || path.equals("/")) {
                throw new ModuleException("tar: " + arg + " '" + v + "': the path after the host must be an absolute"
                        + " directory other than /");
            }
            try {
                return new BackupLocation(new ConnectionBackupStore(ctx.connectionTo(host)), path);
            } catch (ConnectionException e) {
                throw new ModuleException("tar: " + arg + ": cannot reach storage host " + host + ": " + e.getMessage(), e);
            }
        }
        Path p = resolvePath(arg, v, ctx.run() == null ? null : ctx.run().workDir());
        return new BackupLocation(LOCAL, p.toString());
    }

    /** The {@code name} argument (default the inventory hostname), checked to be a plain file name. */
    static String archiveName(ModuleContext ctx) throws ModuleException {
        String name = ctx.args().str("name") == null ? ctx.host() : ctx.args().str("name").strip();
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..") || name.indexOf('\0') >= 0) {
            throw new ModuleException("tar: name '" + name + "' must be a plain file name (no '/')");
        }
        return name;
    }

    // ---------------------------------------------------------------- extract and verify

    static final String MANIFEST_SUFFIX = ".manifest.json";

    /**
     * A stored backup: archive (null when differential), manifest file, parsed manifest,
     * compression, content store (differential only).
     */
    private record Stored(BackupLocation archive, BackupLocation manifestPath, SnapshotManifest manifest,
                          Compression compression, ContentStore store) {
        /** How the backup is named in messages. */
        String source() {
            return archive != null ? archive.toString() : "differential backup " + manifestPath;
        }

        /** Reads the backup (every file when {@code all}), checked against the manifest. */
        Restore.Source reader(boolean all) {
            if (store != null) {
                return sink -> StoreReader.read(store, manifest, sink, all);
            }
            return sink -> ArchiveReader.read(archive.store(), archive.path(), manifest, compression, sink);
        }
    }

    /**
     * Finds the archive and manifest named by {@code src} or {@code dest} + {@code name}, and
     * checks they belong together.
     */
    private static Stored locate(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        BackupLocation manifestPath;
        BackupLocation named = null;
        if (a.has("src")) {
            BackupLocation p = location("src", a.str("src"), ctx);
            String fn = p.name();
            if (fn.endsWith(MANIFEST_SUFFIX) && fn.length() > MANIFEST_SUFFIX.length()) {
                manifestPath = p;
            } else {
                Compression c = Compression.ofFileName(fn);
                if (c == null) {
                    throw new ModuleException("tar: src '" + a.str("src") + "' must name an archive (.tar, .tar.gz,"
                            + " .tar.zst) or its .manifest.json");
                }
                named = p;
                manifestPath = p.parent().resolve(fn.substring(0, fn.length() - c.suffix().length()) + MANIFEST_SUFFIX);
            }
        } else {  // the spec's rules give src or dest
            manifestPath = location("dest", a.str("dest"), ctx).resolve(archiveName(ctx) + MANIFEST_SUFFIX);
        }
        if (!isFile(manifestPath)) {
            throw new MissingBackup("tar: manifest " + manifestPath + " not found"
                    + (named == null ? "" : " beside " + named) + "; an archive without its manifest is incomplete");
        }
        SnapshotManifest m;
        try {
            m = SnapshotManifest.parse(manifestPath.store().readAll(manifestPath.path()), manifestPath.toString());
        } catch (IOException e) {
            throw new ModuleException("tar: cannot read manifest " + manifestPath + ": " + e.getMessage(), e);
        }
        if (a.has("snapshot") && !a.str("snapshot").equals(m.snapshot())) {
            throw new ModuleException("tar: " + manifestPath + " holds snapshot '" + m.snapshot() + "', not '"
                    + a.str("snapshot") + "'");
        }
        if (m.differential()) {
            if (named != null) {
                throw new ModuleException("tar: " + manifestPath + " describes a differential backup (files in a"
                        + " content store), not archive " + named + "; give the manifest as src");
            }
            return new Stored(null, manifestPath, m, Compression.NONE, new ContentStore(storeOf(manifestPath, m)));
        }
        String file = m.archive().file();
        if (file == null || ArchiveReader.checkEntryPath(file) != null || file.contains("/")) {
            throw new ModuleException("tar: manifest " + manifestPath + " names archive '" + file
                    + "', not a plain file name");
        }
        if (named != null && !named.name().equals(file)) {
            throw new ModuleException("tar: manifest " + manifestPath + " describes archive " + file + ", not " + named);
        }
        BackupLocation archive = manifestPath.parent().resolve(file);
        Compression c;
        try {
            c = Compression.parse(String.valueOf(m.compression()));
        } catch (IllegalArgumentException e) {
            throw new ModuleException("tar: manifest " + manifestPath + ": " + e.getMessage());
        }
        if (Compression.ofFileName(file) != c) {
            throw new ModuleException("tar: manifest " + manifestPath + " records compression " + c.argName()
                    + " but archive " + file + " is not named *" + c.suffix());
        }
        if (!isFile(archive)) {
            throw new MissingBackup("tar: archive " + archive + " not found (named by " + manifestPath + ")");
        }
        return new Stored(archive, manifestPath, m, c, null);
    }

    /** True when {@code l} is a regular file. */
    static boolean isFile(BackupLocation l) throws ModuleException {
        try {
            return l.store().stat(l.path()).map(FileStat::isFile).orElse(false);
        } catch (IOException e) {
            throw new ModuleException("tar: cannot stat " + l + ": " + e.getMessage(), e);
        }
    }

    /**
     * The content store a differential manifest refers to: its {@code store}, relative to the
     * manifest's directory or absolute, on the manifest's storage.
     */
    static BackupLocation storeOf(BackupLocation manifestPath, SnapshotManifest m) throws ModuleException {
        String ref = m.store();
        String p = BackupLocation.normalize(ref.startsWith("/") ? ref : manifestPath.parent().path() + "/" + ref);
        if (p == null || p.equals("/")) {
            throw new ModuleException("tar: manifest " + manifestPath + " names store '" + ref + "', not a directory");
        }
        return new BackupLocation(manifestPath.store(), p);
    }

    /** What an extract call resolves to before touching anything. */
    private record ExtractJob(Stored stored, Restore.Options options, String target) {
    }

    private static ExtractJob resolveExtract(ModuleContext ctx) throws ModuleException {
        Stored st = locate(ctx);
        Args a = ctx.args();
        List<String> dataDirs = new ArrayList<>();
        for (String d : CassandraHost.of(ctx).dataDirs()) {
            dataDirs.add(nodePath("cassandra_data_dirs entry", d, ctx));
        }
        String targetDir = null;
        if (a.has("target_dir")) {
            targetDir = nodePath("target_dir", a.str("target_dir"), ctx);
            if (targetDir.equals("/")) {
                throw new ModuleException("tar: target_dir must not be /");
            }
            for (String dd : dataDirs) {
                if (targetDir.equals(dd) || targetDir.startsWith(dd + "/")) {
                    throw new ModuleException("tar: target_dir " + targetDir + " lies in data directory " + dd
                            + "; use target: data to restore into live tables, or a directory outside the data dirs");
                }
            }
        } else {
            dev.ringplan.engine.connection.Connection conn = connection(ctx);
            for (int i = 0; i < dataDirs.size(); i++) {
                Optional<FileStat> fs;
                try {
                    fs = conn.stat(dataDirs.get(i));
                } catch (ConnectionException e) {
                    throw new ModuleException("cannot stat " + dataDirs.get(i) + " on " + ctx.host() + ": "
                            + e.getMessage(), e);
                }
                if (fs.isEmpty() || !fs.get().isDirectory() && fs.get().type() != FileStat.Type.SYMLINK) {
                    throw new ModuleException("tar: data directory " + dataDirs.get(i) + " (cassandra_data_dirs[" + i
                            + "]) " + (fs.isEmpty() ? "does not exist" : "is not a directory") + " on " + ctx.host());
                }
            }
        }
        Map<String, String> ids = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : a.map("table_ids").entrySet()) {
            String id = e.getValue() == null ? null : Restore.normalizeId(String.valueOf(e.getValue()));
            if (!e.getKey().matches("\\w+\\.\\w+") || id == null) {
                throw new ModuleException("tar: table_ids entry " + e.getKey() + ": " + e.getValue()
                        + " must map <keyspace>.<table> to a 32-hex-digit table id");
            }
            ids.put(e.getKey(), id);
        }
        Restore.Options o = new Restore.Options(targetDir == null ? dataDirs : null, targetDir,
                new LinkedHashSet<>(a.list("keyspaces")), new LinkedHashSet<>(a.list("tables")),
                a.bool("create_missing", false), a.bool("overwrite", false), ids);
        return new ExtractJob(st, o, targetDir == null ? "data" : targetDir);
    }

    /** An absolute path on the node, trailing slashes removed, no '.' or '..' element. */
    private static String nodePath(String what, String p, ModuleContext ctx) throws ModuleException {
        String s = p.strip();
        if (!s.startsWith("/")) {
            throw new ModuleException("tar: " + what + " '" + s + "' of " + ctx.host() + " is not absolute");
        }
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.length() > 1 && ArchiveReader.checkEntryPath(s.substring(1)) != null) {
            throw new ModuleException("tar: " + what + " '" + s + "': " + ArchiveReader.checkEntryPath(s.substring(1)));
        }
        return s;
    }

    private Preview checkExtract(ModuleContext ctx) throws ModuleException {
        ExtractJob job = resolveExtract(ctx);
        Restore.Plan plan = Restore.plan(connection(ctx), job.stored.manifest, job.options);
        List<Restore.Placement> writes = plan.writes();
        Map<String, Object> data = extractData(job, plan, writes);
        if (writes.isEmpty()) {
            return Preview.noChange(inPlace(job, plan)).withData(data);
        }
        List<String> commands = new ArrayList<>();
        for (String dir : plan.tableDirs()) {
            List<Restore.Placement> here = writes.stream().filter(p -> p.tableDir().equals(dir)).toList();
            if (!here.isEmpty()) {
                commands.add("restore " + here.size() + " files (" + Restore.Plan.bytes(here) + " bytes) into " + dir
                        + (plan.missingDirs().contains(dir) ? " (directory created)" : ""));
            }
        }
        return Preview.willChange("would restore " + describe(writes) + " of " + plan.tables().size() + " table(s) from "
                + job.stored.source() + " into " + commands.size() + " table director" + (commands.size() == 1 ? "y" : "ies")
                + skippedNote(plan), commands).withData(data);
    }

    private Result applyExtract(ModuleContext ctx) throws ModuleException {
        ExtractJob job = resolveExtract(ctx);
        dev.ringplan.engine.connection.Connection conn = connection(ctx);
        Restore.Plan plan = Restore.plan(conn, job.stored.manifest, job.options);
        List<Restore.Placement> writes = plan.writes();
        if (writes.isEmpty()) {
            return Result.ok(inPlace(job, plan)).withData(extractData(job, plan, writes));
        }
        long t0 = System.nanoTime();
        ctx.log("restoring " + describe(writes) + " from " + job.stored.source() + " to " + ctx.host());
        Restore.Done done = Restore.execute(conn, plan, job.stored.reader(false), job.stored.manifest, ctx::log);
        double secs = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
        ctx.log(String.format(java.util.Locale.ROOT, "restored %d files, %d bytes in %.1f s (%.1f MB/s)",
                done.written(), done.bytes(), secs, done.bytes() / secs / 1e6));
        return Result.changed("restored " + describe(writes) + " of " + plan.tables().size() + " table(s) from "
                + job.stored.source() + skippedNote(plan))
                .withCommands(List.of("tar extract " + job.stored.source() + " -> " + job.target))
                .withData(extractData(job, plan, writes));
    }

    private static String inPlace(ExtractJob job, Restore.Plan plan) {
        return "all " + plan.placements().size() + " files (" + Restore.Plan.bytes(plan.placements()) + " bytes) of "
                + plan.tables().size() + " table(s) from " + job.stored.source() + " are already in place";
    }

    private static String skippedNote(Restore.Plan plan) {
        long skipped = plan.placements().size() - plan.writes().size();
        return skipped == 0 ? "" : " (" + skipped + " already in place)";
    }

    private static String describe(List<Restore.Placement> ps) {
        return ps.size() + " files, " + Restore.Plan.bytes(ps) + " bytes";
    }

    private static Map<String, Object> extractData(ExtractJob job, Restore.Plan plan, List<Restore.Placement> writes) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (job.stored.archive != null) {
            d.put("archive", job.stored.archive.toString());
        } else {
            d.put("store", job.stored.store.root().toString());
        }
        d.put("manifest", job.stored.manifestPath.toString());
        d.put("files", (long) plan.placements().size());
        d.put("bytes", Restore.Plan.bytes(plan.placements()));
        d.put("written", (long) writes.size());
        d.put("written_bytes", Restore.Plan.bytes(writes));
        d.put("skipped", (long) (plan.placements().size() - writes.size()));
        d.put("metadata_skipped", (long) plan.metadataSkipped());
        d.put("tables", plan.tables());
        d.put("target_dirs", plan.tableDirs());
        d.put("target", job.target);
        return d;
    }

    private Result applyVerify(ModuleContext ctx) throws ModuleException {
        Stored st;
        try {
            st = locate(ctx);
        } catch (MissingBackup e) {
            if (!ctx.checkMode() || ctx.args().bool("must_exist", false)) {
                throw e;
            }
            // The backup is known after an earlier task writes it: verify's keys, values null.
            Map<String, Object> d = new LinkedHashMap<>();
            for (String k : List.of("manifest", "mode", "files", "bytes", "snapshot", "host")) {
                d.put(k, null);
            }
            d.put("verified", false);
            return Result.ok("not verified: " + e.getMessage() + " yet (an earlier task may create it)").withData(d);
        }
        Restore.checkHolds(st.manifest, ctx.args().list("keyspaces"), ctx.args().list("tables"));
        long t0 = System.nanoTime();
        ArchiveReader.Verified v = st.reader(true).read(null);
        double secs = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
        ctx.log(String.format(java.util.Locale.ROOT, "verified %d bytes in %.1f s (%.1f MB/s)", v.archiveBytes(), secs,
                v.archiveBytes() / secs / 1e6));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(st.archive == null ? "store" : "archive",
                st.archive == null ? st.store.root().toString() : st.archive.toString());
        d.put("manifest", st.manifestPath.toString());
        d.put("mode", st.manifest.differential() ? "differential" : "full");
        d.put("files", v.files());
        d.put("bytes", v.bytes());
        if (st.archive != null) {
            d.put("archive_bytes", v.archiveBytes());
            d.put("sha256", v.archiveSha256());
        }
        d.put("snapshot", st.manifest.snapshot());
        d.put("host", st.manifest.host());
        d.put("verified", true);
        return Result.ok(st.source() + " verified: " + v.files() + " files, " + v.bytes() + " bytes"
                + (st.archive == null ? " (every store file's SHA-256 checked)" : ", SHA-256 " + v.archiveSha256()))
                .withData(d);
    }

    /** The existing manifest when it matches the snapshot now and the archive is intact by size; else null. */
    private static SnapshotManifest upToDate(Job job, ModuleContext ctx) {
        SnapshotManifest m;
        try {
            if (!isFile(job.manifest) || !isFile(job.archive)) {
                return null;
            }
            m = SnapshotManifest.parse(job.manifest.store().readAll(job.manifest.path()), job.manifest.toString());
            if (m.differential()) {
                return null;
            }
            if (job.archive.store().stat(job.archive.path()).map(FileStat::size).orElse(-1L) != m.archive().bytes()) {
                ctx.log("archive " + job.archive + " has not the size its manifest records; rewriting");
                return null;
            }
        } catch (IOException | ModuleException e) {
            ctx.log("ignoring unreadable manifest " + job.manifest + ": " + e.getMessage());
            return null;
        }
        if (!job.tag.equals(m.snapshot()) || !job.archive.name().equals(m.archive().file())) {
            return null;
        }
        List<String> have = m.files().stream().map(f -> f.path() + "\0" + f.size()).sorted().toList();
        List<String> now = job.found.files().stream().map(f -> f.entryPath() + "\0" + f.size()).sorted().toList();
        return have.equals(now) ? m : null;
    }

    static SnapshotManifest manifest(ModuleContext ctx, Job job, ArchiveWriter.Written w) throws ModuleException {
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

    private static Map<String, Object> registered(Job job, SnapshotManifest m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("archive", job.archive.toString());
        d.put("manifest", job.manifest.toString());
        d.put("files", m.totals().files());
        d.put("bytes", m.totals().bytes());
        d.put("archive_bytes", m.archive().bytes());
        d.put("sha256", m.archive().sha256());
        return d;
    }

    static void writeAtomically(BackupLocation target, byte[] data) throws ModuleException {
        try {
            target.store().writeAtomically(target.path(), data);
        } catch (IOException e) {
            throw new ModuleException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    static String describe(SnapshotScanner.Found f) {
        return f.files().size() + " files, " + f.totalBytes() + " bytes";
    }

    static dev.ringplan.engine.connection.Connection connection(ModuleContext ctx) throws ModuleException {
        try {
            return Objects.requireNonNull(ctx.connection(), "connection");
        } catch (ConnectionException e) {
            throw new ModuleException("cannot reach " + ctx.host() + ": " + e.getMessage(), e);
        }
    }
}
