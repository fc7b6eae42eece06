package dev.ringplan.modules.tar;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The manifest written beside a snapshot archive, {@code <name>.manifest.json}: what the archive
 * holds, where it came from and the SHA-256 of every file, so an extract (or an operator with
 * {@code sha256sum}) can verify it. JSON keys are snake_case; absent optional values are omitted.
 * Readers must ignore unknown keys (later format versions may add some).
 *
 * @param format           always {@value #FORMAT}
 * @param formatVersion    {@value #FORMAT_VERSION}; bumped when a key changes meaning
 * @param host             inventory hostname
 * @param listenAddress    the node's storage address ({@code listen_address})
 * @param cassandraVersion {@code cassandra_version} of the host, or null when unknown
 * @param snapshot         the snapshot tag
 * @param created          when the archive was written, ISO-8601 UTC
 * @param compression      {@code none}, {@code gzip} or {@code zstd}
 * @param compressionLevel level used (0 for none)
 * @param archive          the archive file
 * @param dataDirs         the node's data directories, in order; {@code data_dir_index} points here
 * @param keyspaces        the keyspace filter, or null when every keyspace was archived
 * @param tokens           the node's tokens when known (argument or host var {@code tokens}), else null
 * @param schemaFiles      archive paths of the {@code schema.cql} files
 * @param files            every archived file, in archive order
 * @param totals           file count and bytes (uncompressed)
 * @param mode             {@value #DIFFERENTIAL} for a differential backup (files in a content store, no
 *                         archive: {@code archive} is null); null (or {@code full}) for an archive
 * @param store            differential: the content store's root, relative to the manifest's directory
 *                         (default {@code ../store}) or absolute on the same storage; else null
 * @param storedBytes      differential: what this backup added to the store and what it reused; else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SnapshotManifest(String format, int formatVersion, String host, String listenAddress,
                               String cassandraVersion, String snapshot, String created, String compression,
                               int compressionLevel, Archive archive, List<String> dataDirs, List<String> keyspaces,
                               List<String> tokens, List<String> schemaFiles, List<FileEntry> files, Totals totals,
                               String mode, String store, StoredBytes storedBytes) {

    /** Value of {@code format}. */
    public static final String FORMAT = "ringplan-snapshot-archive";
    /** Current {@code format_version}. */
    public static final int FORMAT_VERSION = 1;
    /** Value of {@code mode} for a differential backup. */
    public static final String DIFFERENTIAL = "differential";

    /** A full-archive manifest (no mode, store or stored bytes), as format 1 always had. */
    public SnapshotManifest(String format, int formatVersion, String host, String listenAddress,
                            String cassandraVersion, String snapshot, String created, String compression,
                            int compressionLevel, Archive archive, List<String> dataDirs, List<String> keyspaces,
                            List<String> tokens, List<String> schemaFiles, List<FileEntry> files, Totals totals) {
        this(format, formatVersion, host, listenAddress, cassandraVersion, snapshot, created, compression,
                compressionLevel, archive, dataDirs, keyspaces, tokens, schemaFiles, files, totals, null, null, null);
    }

    /** True for a differential backup (files in the content store). */
    public boolean differential() {
        return DIFFERENTIAL.equals(mode);
    }

    /**
     * What a differential backup stored.
     *
     * @param uploadedFiles files newly written to the store by this backup
     * @param uploadedBytes their total size, bytes
     * @param reusedFiles   files whose content the store already held (referenced only)
     * @param reusedBytes   their total size, bytes
     * @param readBytes     bytes read from the node (new files, and files whose SHA-256 was not
     *                      known from the previous manifest)
     */
    public record StoredBytes(long uploadedFiles, long uploadedBytes, long reusedFiles, long reusedBytes,
                              long readBytes) {
    }

    /**
     * The archive file.
     *
     * @param file   file name, in the same directory as the manifest
     * @param bytes  size of the archive file in bytes
     * @param sha256 SHA-256 of the archive file, lower-case hex
     */
    public record Archive(String file, long bytes, String sha256) {
    }

    /**
     * One archived file.
     *
     * @param path         entry path in the archive, {@code <ks>/<table>-<id>/<file>}
     * @param size         bytes
     * @param sha256       SHA-256 of the content, lower-case hex
     * @param dataDirIndex index in {@code data_dirs} of the directory it came from
     * @param mtimeMillis  differential: the file's modification time on the node (ms since the epoch),
     *                     used to trust the SHA-256 of an unchanged SSTable component next time; else null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FileEntry(String path, long size, String sha256, int dataDirIndex, Long mtimeMillis) {
        /** An entry without modification time (full archives). */
        public FileEntry(String path, long size, String sha256, int dataDirIndex) {
            this(path, size, sha256, dataDirIndex, null);
        }
    }

    /**
     * Totals.
     *
     * @param files number of files
     * @param bytes sum of their sizes
     */
    public record Totals(long files, long bytes) {
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** This manifest as pretty-printed JSON, UTF-8, ending with a newline. */
    public byte[] toJson() {
        try {
            String s = MAPPER.writeValueAsString(this);
            return (s + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise manifest", e);
        }
    }

    /**
     * Reads a manifest file.
     *
     * @throws IOException when the file cannot be read or is not a manifest of this format
     */
    public static SnapshotManifest read(Path file) throws IOException {
        return parse(java.nio.file.Files.readAllBytes(file), file.toString());
    }

    /**
     * Parses manifest JSON.
     *
     * @param name how the file is named in messages
     * @throws IOException when it is not a manifest of this format (or lacks files, or an archive
     *                     when not differential)
     */
    public static SnapshotManifest parse(byte[] json, String name) throws IOException {
        SnapshotManifest m;
        try {
            m = MAPPER.readValue(json, SnapshotManifest.class);
        } catch (IOException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
        if (!FORMAT.equals(m.format())) {
            throw new IOException(name + " is not a " + FORMAT + " manifest");
        }
        if (m.mode() != null && !m.differential() && !"full".equals(m.mode())) {
            throw new IOException(name + ": unknown mode '" + m.mode() + "'");
        }
        if (m.files() == null || !m.differential() && m.archive() == null) {
            throw new IOException(name + " lacks files or archive");
        }
        if (m.differential() && (m.store() == null || m.store().isBlank())) {
            throw new IOException(name + ": differential manifest without store");
        }
        return m;
    }
}
