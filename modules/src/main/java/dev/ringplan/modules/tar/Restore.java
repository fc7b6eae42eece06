package dev.ringplan.modules.tar;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.connection.FileStat;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.modules.tar.RestorePlacements.Action;
import dev.ringplan.modules.tar.RestorePlacements.Placement;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Restores the files of a backup onto a node, through its {@link Connection}: carries out the
 * {@link RestorePlacements} worked out by {@link RestorePlanner#plan} ({@link #execute}), staging,
 * verifying and renaming into place.
 *
 * <p>Staging: each table directory receiving files gets {@code .ringplan-restore-<tag>/}; entries
 * are written there while the archive is read once and checked ({@link ArchiveReader}). Only when
 * every entry and the archive's own SHA-256 matched are the staged files renamed into place
 * (same directory, so same file system: each rename is atomic). On any failure before that the
 * staging directories and every directory this restore created are removed: the target is as
 * before.
 */
final class Restore {
    private static final String STAGING_PREFIX = ".ringplan-restore-";

    private Restore() {
    }

    /**
     * What an executed restore did.
     *
     * @param verified what the archive read checked
     * @param written  files written (new or replaced)
     * @param bytes    their total size, bytes
     */
    record Done(ArchiveReader.Verified verified, int written, long bytes) {
    }

    /**
     * Stages, verifies and moves into place every file {@code plan} writes. Nothing lands under
     * its final name until the whole archive has been read and checked; on a failure before
     * that, every staging directory and every directory created here is removed.
     *
     * @param conn        the node's connection
     * @param plan        from {@link RestorePlanner#plan}, with at least one write
     * @param source      reads the backup (archive or content store), checking it against the manifest
     * @param manifest    its manifest
     * @param log         progress lines
     * @throws ModuleException naming the file at fault (see {@link ArchiveReader#read}), or when
     *                         the node refuses a write; after the verification, a failing rename
     *                         says how many files were already in place
     */
    static Done execute(Connection conn, RestorePlacements plan, Source source, SnapshotManifest manifest,
                        Consumer<String> log) throws ModuleException {
        List<Placement> writes = plan.writes();
        Map<String, Placement> byPath = new HashMap<>();
        Map<String, String> staging = new LinkedHashMap<>();
        String tag = stagingTag(manifest.snapshot());
        for (Placement p : writes) {
            byPath.put(p.entry().path(), p);
            staging.putIfAbsent(p.tableDir(), p.tableDir() + "/" + STAGING_PREFIX + tag);
        }
        List<String> created = new ArrayList<>();
        ArchiveReader.Verified v;
        try {
            for (Map.Entry<String, String> s : staging.entrySet()) {
                created.addAll(missingAncestors(conn, s.getKey()));
                conn.mkdirs(s.getValue());
            }
            log.accept("staging " + writes.size() + " files in " + staging.size() + " table director"
                    + (staging.size() == 1 ? "y" : "ies") + " (" + STAGING_PREFIX + tag + ")");
            Set<String> stagedSubdirs = new LinkedHashSet<>();
            v = source.read(entry -> {
                Placement p = byPath.get(entry.path());
                if (p == null) {
                    return null;
                }
                String file = staging.get(p.tableDir()) + "/" + p.rel();
                try {
                    String parent = file.substring(0, file.lastIndexOf('/'));
                    if (!parent.equals(staging.get(p.tableDir())) && stagedSubdirs.add(parent)) {
                        conn.mkdirs(parent);
                    }
                    return conn.openWrite(file);
                } catch (ConnectionException e) {
                    throw new ModuleException("cannot stage " + entry.path() + " at " + file + " on " + conn.host()
                            + ": " + e.getMessage(), e);
                }
            });
        } catch (ModuleException | ConnectionException | RuntimeException e) {
            String cleanup = cleanup(conn, staging.values(), created);
            String msg = e.getMessage() + "; nothing was restored" + cleanup;
            throw e instanceof ModuleException ? new ModuleException(msg, e.getCause() == null ? e : e.getCause())
                    : new ModuleException("restore failed on " + conn.host() + ": " + msg, e);
        }
        log.accept("backup verified (" + v.files() + " files" + (v.archiveSha256() == null ? ""
                : ", archive SHA-256 " + v.archiveSha256()) + "); moving "
                + writes.size() + " files into place");
        int moved = 0;
        try {
            Set<String> madeParents = new LinkedHashSet<>();
            for (Placement p : writes) {
                String target = p.target();
                String parent = target.substring(0, target.lastIndexOf('/'));
                if (!parent.equals(p.tableDir()) && madeParents.add(parent)) {
                    conn.mkdirs(parent);
                }
                if (p.action() == Action.OVERWRITE) {
                    conn.delete(target);
                }
                conn.rename(staging.get(p.tableDir()) + "/" + p.rel(), target);
                moved++;
            }
        } catch (ConnectionException e) {
            String cleanup = cleanup(conn, staging.values(), List.of());
            throw new ModuleException("restore interrupted on " + conn.host() + " after " + moved + " of " + writes.size()
                    + " verified files were moved into place: " + e.getMessage() + cleanup, e);
        }
        String cleanup = cleanup(conn, staging.values(), List.of());
        if (!cleanup.isEmpty()) {
            log.accept("restored, but" + cleanup);
        }
        return new Done(v, writes.size(), RestorePlacements.bytes(writes));
    }

    /** Reads a stored backup once, handing the wanted files' content to a sink, and checks it. */
    @FunctionalInterface
    interface Source {
        /**
         * Reads and verifies the backup.
         *
         * @throws ModuleException naming the file at fault ({@link ArchiveReader#read}, {@link StoreReader#read})
         */
        ArchiveReader.Verified read(ArchiveReader.Sink sink) throws ModuleException;
    }

    /** The directories from the first missing ancestor of {@code dir} down to {@code dir}, top first. */
    private static List<String> missingAncestors(Connection conn, String dir) throws ConnectionException {
        List<String> missing = new ArrayList<>();
        String d = dir;
        while (d.lastIndexOf('/') > 0 && conn.stat(d).isEmpty()) {
            missing.add(0, d);
            d = d.substring(0, d.lastIndexOf('/'));
        }
        return missing;
    }

    /** Removes staging trees, then {@code created} dirs bottom up; returns "" or a note of what remains. */
    private static String cleanup(Connection conn, Collection<String> stagingDirs, List<String> created) {
        List<String> left = new ArrayList<>();
        for (String s : stagingDirs) {
            try {
                deleteTree(conn, s);
            } catch (ConnectionException e) {
                left.add(s);
            }
        }
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                if (conn.list(created.get(i)).isEmpty()) {
                    conn.delete(created.get(i));
                }
            } catch (ConnectionException e) {
                left.add(created.get(i));
            }
        }
        return left.isEmpty() ? "" : "; could not remove " + String.join(", ", left) + " (delete by hand)";
    }

    private static void deleteTree(Connection conn, String dir) throws ConnectionException {
        Optional<FileStat> st = conn.stat(dir);
        if (st.isEmpty()) {
            return;
        }
        if (st.get().isDirectory()) {
            for (FileStat f : conn.list(dir)) {
                deleteTree(conn, dir + "/" + f.name());
            }
        }
        conn.delete(dir);
    }

    /** {@code <snapshot>-<8 random hex>}, the snapshot reduced to [A-Za-z0-9_.-]. */
    static String stagingTag(String snapshot) {
        byte[] r = new byte[4];
        new SecureRandom().nextBytes(r);
        String s = snapshot == null ? "" : snapshot.replaceAll("[^A-Za-z0-9_.-]", "_");
        if (s.length() > 64) {
            s = s.substring(0, 64);
        }
        return (s.isEmpty() ? "" : s + "-") + HexFormat.of().formatHex(r);
    }
}
