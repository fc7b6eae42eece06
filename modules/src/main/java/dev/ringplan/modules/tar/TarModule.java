package dev.ringplan.modules.tar;

import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.DeclaredModule;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.ReturnSpec;
import java.util.List;

/**
 * {@code tar}: archives a Cassandra snapshot of one node into a tar file on the controller, with
 * a JSON manifest of SHA-256 sums beside it ({@code action: create}); restores such an archive
 * into the node's table directories or an explicit directory, verified and staged first
 * ({@code action: extract}, see {@link Restore}); checks a stored archive against its manifest
 * ({@code action: verify}, read-only). The module doc ({@code ringplan modules tar}) is the
 * reference for arguments and behaviour.
 *
 * <p>This class declares the module (arguments, doc) and dispatches on {@code action}; each action
 * is its own class with its check and apply: {@link TarCreate} (create; {@link Differential} for
 * {@code mode: differential}), {@link TarExtract}, {@link TarVerify}, {@link TarPurge}. They share
 * {@link Locations} (storage arguments) and {@link StoredBackup} (finding a backup and its
 * manifest), and never call back into this class.
 */
public final class TarModule extends DeclaredModule {
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
                    .withDefault(Compression.DEFAULT.argName()).choices("none", "gzip", "zstd"))
            .arg(ArgDef.of("level", ArgDef.Type.INT, "create: compression level (gzip 1-9, default 6; zstd 1-19, default 1)."))
            .arg(ArgDef.of("keyspaces", ArgDef.Type.LIST, "Only these keyspaces; default all (create: of the snapshot;"
                    + " extract: of the archive; verify: the backup must hold each of them)."))
            .arg(ArgDef.of("tables", ArgDef.Type.LIST, "extract: only these tables, as <keyspace>.<table>; default all."
                    + " verify: the backup must hold each of them."))
            .arg(ArgDef.of("tokens", ArgDef.Type.LIST, "create: the node's tokens, recorded in the manifest; default host var tokens."))
            .arg(ArgDef.of("target", ArgDef.Type.STR, "extract: data (default) restores into the live table"
                    + " directories of the host's cassandra_data_dirs; import stages the SSTables for nodetool import in"
                    + " <data dir>/.ringplan-import/<import_name>/<ks>/<table>/.").choices("data", "import"))
            .arg(ArgDef.of("import_name", ArgDef.Type.STR, "extract, target: import: the staging directory's name"
                    + " (letters, digits, _ - .), e.g. the backup tag."))
            .arg(ArgDef.of("table_dirs", ArgDef.Type.STR, "extract, target: data: live (default) finds each table's"
                    + " live directory by keyspace and table name; backup puts every file in the directory the"
                    + " backup names, <ks>/<table>-<id of the backup>/ in data directory data_dir_index (a whole-node"
                    + " restore: the schema comes back with the data).").withDefault("live").choices("live", "backup"))
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
            .onlyFor("action", List.of("extract"), "import_name", "table_dirs")
            .requiredIf("target", "import", "import_name")
            .onlyFor("target", List.of("import"), "import_name")
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
            the node straight into the archive on the controller, its SHA-256 computed on the way;
            nothing is copied on the node and no file is held in memory. Over SSH (mode full) the files
            come as the output of the node's own tar -cf - PATH... (absolute paths as an argument list,
            at most 100 KB of paths per command, one exec channel each); every entry must be the next
            listed file, a regular file of the listed size ("grew"/"shrank" fails the task as below), and
            tar must exit 0 (e.g. GNU tar's "file changed as we read it" fails the task). When tar cannot
            run on the node (exit 126/127), and for a local connection, each file is read on its own
            (SFTP over SSH). The task's log line says which way was used. The node needs tar (GNU, BSD or
            busybox) in the login shell's PATH for the fast way.

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
            table_dirs: backup (target: data) instead puts every file where the backup names it:
            <data_dirs[data_dir_index]>/<ks>/<table>-<id of the backup>/, creating it when missing, without
            looking for live directories. This is the whole-node restore (plans/restore.yaml), whose schema
            comes back with system_schema: the restored schema uses the backed-up ids, and directories of
            other incarnations of a table (dropped and recreated since) are neither chosen nor written.
            target: import (with import_name: <name>) stages a backup's SSTables for nodetool import on a
            running node: each table's files go to <data_dirs[data_dir_index]>/.ringplan-import/<name>/<ks>/
            <table>/ (same file system as the table, so Cassandra's import moves them; a leading dot is never
            a keyspace), never into a table directory; metadata files and index subdirectories are left
            out. Staged, verified and idempotent as below; check mode lists per directory the SSTables.
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
        super("tar", DOC, SPEC, TarReturns.SPEC);
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
                    return TarPurge.check(ctx);
                case "extract":
                    return TarExtract.check(ctx);
                case "verify":
                    return TarVerify.check(ctx);
                default:
                    return TarCreate.check(ctx);
            }
        } catch (StoredBackup.MissingBackup e) {
            if (!ctx.checkMode() || ctx.args().bool("must_exist", false)) {
                throw e;
            }
            return Preview.unknown(e.getMessage() + " yet (an earlier task may create it)", List.of())
                    .withData(TarExtract.unknownData());
        } catch (RestorePlanner.ConflictException e) {
            if (!ctx.checkMode()) {
                throw e;
            }
            String from = ctx.args().str("src") != null ? ctx.args().str("src") : String.valueOf(ctx.args().str("dest"));
            return Preview.unknown("would restore the backup " + from + "; " + e.getMessage()
                    + " (unless an earlier task clears them)", List.of()).withData(TarExtract.unknownData());
        }
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        switch (action(ctx)) {
            case "purge":
                return TarPurge.apply(ctx);
            case "extract":
                return TarExtract.apply(ctx);
            case "verify":
                return TarVerify.apply(ctx);
            default:
                return TarCreate.apply(ctx);
        }
    }

    /** The task's {@code action} (default create), checked to be one of the four. */
    private static String action(ModuleContext ctx) throws ModuleException {
        String action = ctx.args().str("action") == null ? "create" : ctx.args().str("action");
        if (!List.of("create", "extract", "verify", "purge").contains(action)) {
            throw new ModuleException("tar: unknown action '" + action + "'; expected create, extract, verify or purge");
        }
        return action;
    }
}
