package dev.ringplan.modules.fsclear;

import dev.ringplan.engine.module.ModuleException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure string checks on host paths for {@code fs_clear} (no file system access): POSIX paths as
 * the host sees them, whatever the controller's OS.
 */
final class PathGuard {
    private PathGuard() {
    }

    /**
     * The normal form of an absolute POSIX path: single slashes, no {@code .} elements, no
     * trailing slash.
     *
     * @param what how messages name the value, e.g. "path" or "move_to"
     * @throws ModuleException when {@code raw} is null, empty or blank, relative (not starting
     *                         with {@code /}), contains a {@code ..} element (refused outright,
     *                         never resolved), contains a NUL character, or is {@code /} itself
     */
    static String normalise(String raw, String what) throws ModuleException {
        if (raw == null || raw.isBlank()) {
            throw new ModuleException(what + " is empty (a template that rendered to nothing?); refusing");
        }
        if (raw.indexOf('\0') >= 0) {
            throw new ModuleException(what + " contains a NUL character; refusing");
        }
        if (!raw.startsWith("/")) {
            throw new ModuleException(what + " '" + raw + "' is relative; give an absolute path");
        }
        List<String> parts = new ArrayList<>();
        for (String p : raw.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                throw new ModuleException(what + " '" + raw + "' contains '..'; refusing (give the path without it)");
            }
            parts.add(p);
        }
        if (parts.isEmpty()) {
            throw new ModuleException(what + " '" + raw + "' is the root directory /; refusing");
        }
        return "/" + String.join("/", parts);
    }

    /** True when a path element holds glob characters ({@code * ? [ {}). */
    static boolean hasGlob(String element) {
        for (char ch : element.toCharArray()) {
            if (ch == '*' || ch == '?' || ch == '[' || ch == '{') {
                return true;
            }
        }
        return false;
    }

    /** The parent of a normalised path ({@code /a/b} → {@code /a}; {@code /a} → {@code /}). */
    static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    /** The last element of a normalised path. */
    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** True when {@code path} equals {@code dir} or lies below it (both normalised). */
    static boolean within(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir.equals("/") ? "/" : dir + "/");
    }

    /**
     * The declared root that {@code path} lies within, the longest when several do; null when
     * none.
     */
    static String rootOf(String path, List<String> roots) {
        String best = null;
        for (String r : roots) {
            if (within(path, r) && (best == null || r.length() > best.length())) {
                best = r;
            }
        }
        return best;
    }

    /** {@code child} joined under {@code dir} ({@code /}-aware). */
    static String join(String dir, String child) {
        return dir.equals("/") ? "/" + child : dir + "/" + child;
    }
}
