package dev.ringplan.modules.tar;

import java.util.Collection;
import java.util.List;

/**
 * What a restore would do, as {@link RestorePlanner#plan} works it out (read-only) and
 * {@link Restore#execute} carries it out: where each file of the backup goes on the node and
 * whether it is written, replaced or already there.
 *
 * @param placements   every file of the filtered manifest that is restored, in archive order
 * @param tables       {@code <ks>.<table>} restored, in archive order
 * @param tableDirs    table directories receiving files (existing or to create)
 * @param missingDirs  table directories that do not exist yet and would be created
 * @param metadataSkipped snapshot metadata files ({@code manifest.json}, {@code schema.cql}) not restored
 */
record RestorePlacements(List<Placement> placements, List<String> tables, List<String> tableDirs,
                         List<String> missingDirs, int metadataSkipped) {
    /** Placements that write something. */
    List<Placement> writes() {
        return placements.stream().filter(p -> p.action != Action.SKIP).toList();
    }

    /** Sum of the sizes of {@code ps}, bytes. */
    static long bytes(Collection<Placement> ps) {
        return ps.stream().mapToLong(p -> p.entry.size()).sum();
    }

    /** What happens to one file. */
    enum Action {
        /** Absent on the target: written. */
        WRITE,
        /** Present with other content and {@code overwrite: true}: replaced. */
        OVERWRITE,
        /** Present with the same size and SHA-256: left alone. */
        SKIP
    }

    /**
     * Where one archived file goes.
     *
     * @param entry    the manifest entry
     * @param table    {@code <ks>.<table>}
     * @param tableDir the table directory on the node receiving it
     * @param rel      path under the table directory ({@code file} or {@code .<index>/file})
     * @param action   what happens to it
     */
    record Placement(SnapshotManifest.FileEntry entry, String table, String tableDir, String rel, Action action) {
        /** Absolute target path on the node. */
        String target() {
            return tableDir + "/" + rel;
        }
    }
}
