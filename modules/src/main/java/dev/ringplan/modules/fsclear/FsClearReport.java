package dev.ringplan.modules.fsclear;

import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.modules.service.NodeLiveness;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How {@code fs_clear} reports, in both modes: summary pieces, the put-back data keys, sizes. */
final class FsClearReport {
    /** How many paths the preview names. */
    static final int PREVIEW_PATHS = 20;
    /** How many paths the result registers. */
    static final int RESULT_PATHS = 100;

    private FsClearReport() {
    }

    /** {@code N entries (size): first paths … and M more}; no colon part when there are none. */
    static String listing(long count, long bytes, List<String> firstPaths) {
        StringBuilder sum = new StringBuilder().append(count).append(count == 1 ? " entry" : " entries")
                .append(" (").append(human(bytes)).append(")");
        if (count > 0) {
            sum.append(": ").append(String.join(", ", firstPaths));
            if (count > firstPaths.size()) {
                sum.append(" … and ").append(count - firstPaths.size()).append(" more");
            }
        }
        return sum.toString();
    }

    /** The summary's note on a running node ("" when it is not running). */
    static String runningNote(ModuleContext ctx, NodeLiveness.Running running) {
        if (running == null || !running.running()) {
            return "";
        }
        return ctx.args().bool("allow_running", false) ? " (node is running: " + running.evidence()
                + "; allowed by allow_running)" : " (NOTE: the node is running now: " + running.evidence()
                + "; apply refuses unless it is stopped first)";
    }

    /** The put-back data keys (zeros and null without restore_from). */
    static void putBackData(Map<String, Object> data, FsClearSetup s, long count, long bytes, List<String> paths,
                            long alreadyBack, boolean resumed) {
        data.put("restore_from", s.restoreFrom());
        data.put("put_back", count);
        data.put("put_back_bytes", bytes);
        data.put("put_back_paths", paths);
        data.put("already_back", alreadyBack);
        data.put("resumed", resumed);
    }

    /** Adds {@code p} to the registered paths while there are fewer than {@link #RESULT_PATHS}. */
    static void addPath(List<String> paths, String p) {
        if (paths.size() < RESULT_PATHS) {
            paths.add(p);
        }
    }

    /** Bytes as text with binary units, e.g. {@code 3.4 MiB}. */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
