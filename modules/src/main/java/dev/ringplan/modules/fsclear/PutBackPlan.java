package dev.ringplan.modules.fsclear;

import java.util.List;

/**
 * What {@code fs_clear} with {@code restore_from} would put back: the rename units (whole set-aside
 * files or subtrees whose live counterpart does not exist, after the clear) and the set-aside
 * entries found to be back already (an interrupted put-back).
 *
 * @param restoreFrom the normalised restore_from directory
 * @param sources     the set-aside tops found for the paths (restore_from + path, or its glob
 *                    matches), in argument order; the tidy-up after the put-back starts there
 * @param globDirs    restore_from + the directory of each glob path (listed for matches): the
 *                    tidy-up removes them too when they are left empty
 * @param units       the renames back, in walk order
 * @param alreadyBack set-aside entries (paths under restore_from) whose live path already holds
 *                    the same entry (same type and size): only their set-aside copy is removed.
 *                    Only filled when resuming an interrupted put-back
 */
record PutBackPlan(String restoreFrom, List<String> sources, List<String> globDirs, List<Unit> units,
                   List<ClearPlan.Entry> alreadyBack) {

    /**
     * One rename back.
     *
     * @param from    the set-aside path (under restore_from)
     * @param to      the live path it is renamed to
     * @param entries every entry it holds in pre-order, named by their live paths (the unit first)
     */
    record Unit(String from, String to, List<ClearPlan.Entry> entries) {
    }

    /** Number of entries (files, links, directories) that would be put back. */
    long count() {
        return ClearPlan.count(entryLists());
    }

    /** Sum of the sizes of the regular files that would be put back, in bytes. */
    long bytes() {
        return ClearPlan.bytes(entryLists());
    }

    /** The first {@code max} live paths that would be put back, in pre-order. */
    List<String> paths(int max) {
        return ClearPlan.paths(entryLists(), max);
    }

    private List<List<ClearPlan.Entry>> entryLists() {
        return units.stream().map(Unit::entries).toList();
    }

    /** True when nothing is set aside for the paths (nothing to rename, nothing already back). */
    boolean isEmpty() {
        return units.isEmpty() && alreadyBack.isEmpty();
    }
}
