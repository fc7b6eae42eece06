package dev.ringplan.modules.tar;

import dev.ringplan.engine.module.ReturnSpec;

/**
 * The keys {@code tar} registers, per action (and mode for create): its
 * {@link TarModule#returns()}. In check mode the same keys, values known only after applying null.
 */
final class TarReturns {
    /** The declaration. */
    static final ReturnSpec SPEC = spec();

    private TarReturns() {
    }

    private static ReturnSpec spec() {
        ReturnSpec.Type str = ReturnSpec.Type.STR;
        ReturnSpec.Type num = ReturnSpec.Type.INT;
        String[] stored = {"extract", "verify"};
        return ReturnSpec.builder()
                .key(ReturnSpec.key("archive", str, "absolute path of the archive (ssh://host/path on remote storage)")
                        .only("action", "create").only("mode", "full"))
                .key(ReturnSpec.key("archive", str, "the archive").only("action", stored).when("full backups"))
                .key(ReturnSpec.key("store", str, "the content store directory").only("action", "create")
                        .only("mode", "differential"))
                .key(ReturnSpec.key("store", str, "the content store").only("action", stored).when("differential backups"))
                .key(ReturnSpec.key("store", str, "the content store directory purged").only("action", "purge"))
                .key(ReturnSpec.key("manifest", str, "absolute path of the manifest").only("action", "create", "extract",
                        "verify"))
                .key(ReturnSpec.key("mode", str, "differential").only("action", "create").only("mode", "differential"))
                .key(ReturnSpec.key("mode", str, "full or differential").only("action", "verify"))
                .key(ReturnSpec.key("files", num, "number of files archived").only("action", "create"))
                .key(ReturnSpec.key("files", num, "number of files restored (filtered; written plus already present)")
                        .only("action", "extract"))
                .key(ReturnSpec.key("files", num, "entries checked").only("action", "verify"))
                .key(ReturnSpec.key("bytes", num, "their total size (uncompressed), bytes").only("action", "create",
                        "extract", "verify"))
                .key(ReturnSpec.key("archive_bytes", num, "size of the archive file, bytes").only("action", "create")
                        .only("mode", "full"))
                .key(ReturnSpec.key("archive_bytes", num, "size of the archive file, bytes").only("action", "verify")
                        .when("full backups"))
                .key(ReturnSpec.key("sha256", str, "SHA-256 of the archive file (lower-case hex)").only("action", "create")
                        .only("mode", "full"))
                .key(ReturnSpec.key("sha256", str, "SHA-256 of the archive as computed, equal to the manifest's")
                        .only("action", "verify").when("full backups"))
                .key(ReturnSpec.key("uploaded_files", num, "files (contents) newly written to the store by this task")
                        .only("action", "create").only("mode", "differential"))
                .key(ReturnSpec.key("uploaded_bytes", num, "their total size, bytes").only("action", "create")
                        .only("mode", "differential"))
                .key(ReturnSpec.key("reused_files", num, "files whose content the store already held (all when ok)")
                        .only("action", "create").only("mode", "differential"))
                .key(ReturnSpec.key("reused_bytes", num, "their total size, bytes").only("action", "create")
                        .only("mode", "differential"))
                .key(ReturnSpec.key("read_bytes", num, "bytes read from the node (new files and files not known from"
                        + " the previous manifest)").only("action", "create").only("mode", "differential"))
                .key(ReturnSpec.key("unchanged_files", num, "files taken as they are from the previous manifest"
                        + " (path, size and mtime unchanged), not read").only("action", "create")
                        .only("mode", "differential"))
                .key(ReturnSpec.key("written", num, "files written by this task (0 when ok)").only("action", "extract"))
                .key(ReturnSpec.key("written_bytes", num, "their total size, bytes").only("action", "extract"))
                .key(ReturnSpec.key("skipped", num, "files already present with the same SHA-256")
                        .only("action", "extract"))
                .key(ReturnSpec.key("metadata_skipped", num, "snapshot manifest.json/schema.cql not written (target:"
                        + " data)").only("action", "extract"))
                .key(ReturnSpec.key("tables", ReturnSpec.Type.LIST, "restored tables, as <ks>.<table>")
                        .only("action", "extract"))
                .key(ReturnSpec.key("target_dirs", ReturnSpec.Type.LIST, "table directories on the node that hold the"
                        + " restored files").only("action", "extract"))
                .key(ReturnSpec.key("target", str, "data, or the target_dir given").only("action", "extract"))
                .key(ReturnSpec.key("snapshot", str, "the manifest's snapshot tag").only("action", "verify"))
                .key(ReturnSpec.key("host", str, "the manifest's host").only("action", "verify"))
                .key(ReturnSpec.key("verified", ReturnSpec.Type.BOOL, "true (false only in check mode when the backup"
                        + " does not exist yet)").only("action", "verify"))
                .key(ReturnSpec.key("root", str, "the backup root purged").only("action", "purge"))
                .key(ReturnSpec.key("deleted_backups", ReturnSpec.Type.LIST, "tags deleted, newest first")
                        .only("action", "purge"))
                .key(ReturnSpec.key("deleted_files", num, "manifests, archives and store files deleted")
                        .only("action", "purge"))
                .key(ReturnSpec.key("deleted_store_files", num, "of which store files").only("action", "purge"))
                .key(ReturnSpec.key("freed_bytes", num, "their total size, bytes").only("action", "purge"))
                .key(ReturnSpec.key("kept", ReturnSpec.Type.LIST, "tags kept, newest first").only("action", "purge"))
                .build();
    }
}
