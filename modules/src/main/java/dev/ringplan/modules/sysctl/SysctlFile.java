package dev.ringplan.modules.sysctl;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of a sysctl configuration file ({@code /etc/sysctl.conf}, {@code /etc/sysctl.d/*.conf};
 * format of procps' {@code sysctl.conf(5)}): one {@code name = value} per line, blank lines and
 * lines starting with {@code #} or {@code ;} are comments, a leading {@code -} asks
 * {@code sysctl -p} to ignore a failure to set that key, and the name may use {@code /} instead
 * of {@code .}. When a name appears several times, {@code sysctl -p} applies every line in order,
 * so the last one wins.
 *
 * <p>Edits change only the lines of the given name, unlike Ansible's {@code sysctl} module, which
 * rewrites every {@code key=value} line in its own spacing: the first line of the name gets the
 * new value (its key and spacing kept), the later ones are removed; a name not there is appended
 * as {@code name=value}. Pure functions of the text.
 */
final class SysctlFile {
    private SysctlFile() {
    }

    /** The value the file sets for {@code name} (its last line), or null when no line sets it. */
    static String valueOf(String text, String name) {
        String found = null;
        for (String line : lines(text)) {
            String key = key(line);
            if (key != null && key.equals(name)) {
                found = line.substring(line.indexOf('=') + 1).strip();
            }
        }
        return found;
    }

    /**
     * The text with {@code name} set to {@code value} (null: every line of {@code name} removed).
     * Other lines are kept byte for byte; a text that did not end with a newline gets one before
     * an appended line.
     */
    static String edit(String text, String name, String value) {
        StringBuilder out = new StringBuilder();
        boolean done = false;
        for (String line : lines(text)) {
            String key = key(line);
            if (key == null || !key.equals(name)) {
                out.append(line);
                continue;
            }
            if (value != null && !done) {
                int eq = line.indexOf('=');
                int v = eq + 1;
                while (v < line.length() && (line.charAt(v) == ' ' || line.charAt(v) == '\t')) {
                    v++;
                }
                out.append(line, 0, v).append(value).append(line.endsWith("\n") ? "\n" : "");
                done = true;
            }
        }
        if (value != null && !done) {
            if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') {
                out.append('\n');
            }
            out.append(name).append('=').append(value).append('\n');
        }
        return out.toString();
    }

    /** The key a setting line sets, dots for slashes and without a leading {@code -}; null for other lines. */
    static String key(String line) {
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#") || s.startsWith(";") || s.indexOf('=') < 0) {
            return null;
        }
        String k = s.substring(0, s.indexOf('=')).strip();
        if (k.startsWith("-")) {
            k = k.substring(1).strip();
        }
        return k.replace('/', '.');
    }

    /** The lines of {@code text}, each with its newline. */
    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }
}
