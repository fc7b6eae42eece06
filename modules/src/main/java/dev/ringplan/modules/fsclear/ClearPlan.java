package dev.ringplan.modules.fsclear;

import dev.ringplan.engine.connection.FileStat;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code fs_clear} would remove (or move aside): the removal units (whole files or whole
 * subtrees with nothing to keep inside), every entry they hold, and what was kept.
 *
 * @param targets the expanded target paths (glob matches, literal paths), in argument order
 * @param units   maximal removable subtrees, in walk order; each is deleted or renamed as a whole
 * @param kept    paths left in place inside the targets because of {@code keep}, {@code move_to}
 *                or a declared Cassandra directory nested there, in walk order
 */
record ClearPlan(List<String> targets, List<Unit> units, List<String> kept) {

    /**
     * One removal unit.
     *
     * @param path    the unit's top path
     * @param entries the unit's entries in pre-order (the unit itself first, then its content;
     *                reversed, children come before their directory: the deletion order)
     */
    record Unit(String path, List<Entry> entries) {
    }

    /**
     * One file system entry to remove.
     *
     * @param path the path on the host
     * @param type file, directory, symlink (removed as a link, never followed) or other
     * @param size bytes of a regular file, 0 otherwise
     */
    record Entry(String path, FileStat.Type type, long size) {
    }

    /** Number of entries (files, links, directories) that would go. */
    long count() {
        return count(entryLists());
    }

    /** Sum of the sizes of the regular files that would go, in bytes. */
    long bytes() {
        return bytes(entryLists());
    }

    /** The first {@code max} entry paths in pre-order (a directory before its content). */
    List<String> paths(int max) {
        return paths(entryLists(), max);
    }

    private List<List<Entry>> entryLists() {
        return units.stream().map(Unit::entries).toList();
    }

    /** Number of entries in these lists. */
    static long count(List<List<Entry>> lists) {
        long n = 0;
        for (List<Entry> l : lists) {
            n += l.size();
        }
        return n;
    }

    /** Sum of the sizes of the regular files in these lists, in bytes. */
    static long bytes(List<List<Entry>> lists) {
        long b = 0;
        for (List<Entry> l : lists) {
            for (Entry e : l) {
                b += e.type() == FileStat.Type.FILE ? e.size() : 0;
            }
        }
        return b;
    }

    /** The first {@code max} paths of these lists, in order. */
    static List<String> paths(List<List<Entry>> lists, int max) {
        List<String> out = new ArrayList<>();
        for (List<Entry> l : lists) {
            for (Entry e : l) {
                if (out.size() >= max) {
                    return out;
                }
                out.add(e.path());
            }
        }
        return out;
    }

    /** True when nothing would be removed. */
    boolean isEmpty() {
        return units.isEmpty();
    }
}
