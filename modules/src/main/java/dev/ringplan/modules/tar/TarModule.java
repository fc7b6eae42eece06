package dev.ringplan.modules.tar;

import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code tar}: archives a Cassandra snapshot of one node into a tar file on the controller, with
 * a JSON manifest of SHA-256 sums beside it. Only {@code action: create} exists so far; the
 * {@code action} argument leaves room for {@code extract}.
 */
public final class TarModule implements Module {
    /** Default compression (see the module doc for the measurements behind it). */
    public static final Compression DEFAULT_COMPRESSION = Compression.ZSTD;

    private static final Pattern URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

    private static final ArgSpec SPEC = ArgSpec.builder()
            .arg(ArgDef.of("action", ArgDef.Type.STR, "What to do: create (archive a snapshot). extract is planned.")
                    .withDefault("create").choices("create"))
            .arg(ArgDef.of("snapshot", ArgDef.Type.STR, "Snapshot tag to archive (as given to nodetool snapshot -t).")
                    .asRequired())
            .arg(ArgDef.of("dest", ArgDef.Type.STR, "Destination directory on the controller: file:///abs/dir or a path;"
                    + " a relative path resolves against the run's working directory. Created when missing.").asRequired())
            .arg(ArgDef.of("name", ArgDef.Type.STR, "Archive base name; default the inventory hostname."))
            .arg(ArgDef.of("compression", ArgDef.Type.STR, "none, gzip or zstd.")
                    .withDefault(DEFAULT_COMPRESSION.argName()).choices("none", "gzip", "zstd"))
            .arg(ArgDef.of("level", ArgDef.Type.INT, "Compression level (gzip 1-9, default 6; zstd 1-19, default 1)."))
            .arg(ArgDef.of("keyspaces", ArgDef.Type.LIST, "Only these keyspaces; default all keyspaces in the snapshot."))
            .arg(ArgDef.of("tokens", ArgDef.Type.LIST, "The node's tokens, recorded in the manifest; default host var tokens."))
            .build();

    private static final ModuleDoc DOC = new ModuleDoc(
            "Archive a node's snapshot into a tar file with a SHA-256 manifest.",
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
            """,
            """
            archive: absolute path of the archive on the controller
            manifest: absolute path of the manifest
            files: number of files archived
            bytes: their total size (uncompressed), bytes
            archive_bytes: size of the archive file, bytes
            sha256: SHA-256 of the archive file (lower-case hex)
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

    /** What a create call resolves to before touching anything. */
    private record Job(String tag, Path destDir, String name, Compression compression, int level, List<String> keyspaces,
                       List<String> dataDirs, Path archive, Path manifest, SnapshotScanner.Found found) {
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        Job job = resolve(ctx);
        if (job.found.files().isEmpty()) {
            return Preview.unknown("snapshot '" + job.tag + "' has no files on " + ctx.host() + " yet"
                    + " (not taken; an earlier task may take it)", List.of()).withData(Map.of(
                    "archive", job.archive.toString(), "manifest", job.manifest.toString(), "files", 0L, "bytes", 0L));
        }
        SnapshotManifest current = upToDate(job, ctx);
        if (current != null) {
            return Preview.noChange("archive " + job.archive + " is up to date (" + describe(job.found) + ")")
                    .withData(registered(job, current));
        }
        return Preview.willChange("would archive " + describe(job.found) + " of snapshot '" + job.tag + "' to "
                + job.archive, List.of("tar create " + job.archive + " <- " + job.found.files().size() + " files"))
                .withData(Map.of("archive", job.archive.toString(), "manifest", job.manifest.toString(),
                        "files", (long) job.found.files().size(), "bytes", job.found.totalBytes()));
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        Job job = resolve(ctx);
        if (job.found.files().isEmpty()) {
            throw new ModuleException("snapshot '" + job.tag + "' not found on " + ctx.host() + ": no files under "
                    + "<data_dir>/<ks>/<table>/snapshots/" + job.tag + "/ in " + String.join(", ", job.dataDirs)
                    + (job.keyspaces.isEmpty() ? "" : " for keyspaces " + String.join(", ", job.keyspaces))
                    + "; was the snapshot taken (nodetool snapshot -t " + job.tag + ")?");
        }
        SnapshotManifest current = upToDate(job, ctx);
        if (current != null) {
            return Result.ok("archive " + job.archive + " is up to date (" + describe(job.found) + ")")
                    .withData(registered(job, current));
        }
        try {
            Files.createDirectories(job.destDir);
            Files.deleteIfExists(job.manifest);
        } catch (IOException e) {
            throw new ModuleException("cannot prepare " + job.destDir + ": " + e.getMessage(), e);
        }
        long t0 = System.nanoTime();
        ctx.log("archiving " + describe(job.found) + " of snapshot '" + job.tag + "' to " + job.archive);
        ArchiveWriter.Written w = ArchiveWriter.write(connection(ctx), job.found.files(), job.archive,
                job.compression, job.level);
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
        String action = a.str("action") == null ? "create" : a.str("action");
        if (!action.equals("create")) {
            throw new ModuleException("tar: action '" + action + "' is not supported yet; only create");
        }
        String tag = a.str("snapshot");
        String tagErr = SnapshotScanner.checkTag(tag);
        if (tagErr != null) {
            throw new ModuleException("tar: " + tagErr);
        }
        String name = a.str("name") == null ? ctx.host() : a.str("name").strip();
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..") || name.indexOf('\0') >= 0) {
            throw new ModuleException("tar: name '" + name + "' must be a plain file name (no '/')");
        }
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
        Path dest = resolveDest(a.str("dest"), ctx.run() == null ? null : ctx.run().workDir());
        List<String> dataDirs = HostVars.dataDirs(ctx);
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
        Path archive = dest.resolve(name + c.suffix());
        Path manifest = dest.resolve(name + ".manifest.json");
        return new Job(tag, dest, name, c, level, keyspaces, dataDirs, archive, manifest, found);
    }

    /**
     * Resolves the {@code dest} argument: a {@code file:} URL ({@code file:///abs/dir}) or a path,
     * relative paths against {@code workDir} (the controller's working directory).
     *
     * @throws ModuleException for another URL scheme, a URL with a host part, or an invalid path
     */
    static Path resolveDest(String dest, Path workDir) throws ModuleException {
        if (dest == null || dest.isBlank()) {
            throw new ModuleException("tar: dest is empty");
        }
        String d = dest.strip();
        try {
            if (URL.matcher(d).matches()) {
                URI u = new URI(d);
                if (!"file".equalsIgnoreCase(u.getScheme())) {
                    throw new ModuleException("tar: dest '" + d + "': unsupported scheme '" + u.getScheme()
                            + "'; use file:///absolute/dir or a path");
                }
                if (u.getAuthority() != null && !u.getAuthority().isEmpty() && !u.getAuthority().equals("localhost")) {
                    throw new ModuleException("tar: dest '" + d + "': file URLs must have no host (file:///abs/dir)");
                }
                return Path.of(u.getPath()).normalize();
            }
            Path p = Path.of(d);
            if (!p.isAbsolute()) {
                p = (workDir == null ? Path.of("").toAbsolutePath() : workDir).resolve(p);
            }
            return p.toAbsolutePath().normalize();
        } catch (URISyntaxException | InvalidPathException e) {
            throw new ModuleException("tar: dest '" + d + "' is not a valid path or file URL: " + e.getMessage());
        }
    }

    /** The existing manifest when it matches the snapshot now and the archive is intact by size; else null. */
    private static SnapshotManifest upToDate(Job job, ModuleContext ctx) {
        if (!Files.isRegularFile(job.manifest) || !Files.isRegularFile(job.archive)) {
            return null;
        }
        SnapshotManifest m;
        try {
            m = SnapshotManifest.read(job.manifest);
            if (Files.size(job.archive) != m.archive().bytes()) {
                ctx.log("archive " + job.archive + " has not the size its manifest records; rewriting");
                return null;
            }
        } catch (IOException e) {
            ctx.log("ignoring unreadable manifest " + job.manifest + ": " + e.getMessage());
            return null;
        }
        if (!job.tag.equals(m.snapshot()) || !job.archive.getFileName().toString().equals(m.archive().file())) {
            return null;
        }
        List<String> have = m.files().stream().map(f -> f.path() + "\0" + f.size()).sorted().toList();
        List<String> now = job.found.files().stream().map(f -> f.entryPath() + "\0" + f.size()).sorted().toList();
        return have.equals(now) ? m : null;
    }

    private static SnapshotManifest manifest(ModuleContext ctx, Job job, ArchiveWriter.Written w) {
        List<String> tokens = ctx.args().list("tokens");
        if (tokens.isEmpty()) {
            tokens = HostVars.tokens(ctx);
        }
        List<String> schema = new ArrayList<>();
        for (SnapshotManifest.FileEntry f : w.files()) {
            if (f.path().endsWith("/schema.cql") && f.path().chars().filter(ch -> ch == '/').count() == 2) {
                schema.add(f.path());
            }
        }
        return new SnapshotManifest(SnapshotManifest.FORMAT, SnapshotManifest.FORMAT_VERSION, ctx.host(),
                HostVars.listenAddress(ctx), HostVars.cassandraVersion(ctx), job.tag,
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), job.compression.argName(), job.level,
                new SnapshotManifest.Archive(w.archive().getFileName().toString(), w.bytes(), w.sha256()),
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

    private static void writeAtomically(Path target, byte[] data) throws ModuleException {
        Path tmp = target.resolveSibling(target.getFileName() + ".partial");
        try {
            Files.write(tmp, data);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new ModuleException("cannot rename " + tmp + " atomically: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModuleException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static String describe(SnapshotScanner.Found f) {
        return f.files().size() + " files, " + f.totalBytes() + " bytes";
    }

    private static dev.ringplan.engine.connection.Connection connection(ModuleContext ctx) throws ModuleException {
        try {
            return Objects.requireNonNull(ctx.connection(), "connection");
        } catch (ConnectionException e) {
            throw new ModuleException("cannot reach " + ctx.host() + ": " + e.getMessage(), e);
        }
    }
}
