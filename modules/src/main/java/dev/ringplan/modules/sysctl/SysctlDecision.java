package dev.ringplan.modules.sysctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code sysctl} does for one call, worked out from what it read (pure; the module reads and
 * writes). The rules are those of Ansible's {@code ansible.posix.sysctl} {@code process()}:
 * <ol>
 * <li>the file changes when, for state present, the value it sets (its last line for the name)
 *     is missing or differs, and for state absent, when it sets one;</li>
 * <li>for state present with the file already right and {@code reload}, a running value that
 *     differs is a change (the reload fixes it);</li>
 * <li>with {@code sysctl_set} and state present, a running value that differs is set with
 *     {@code sysctl -w name=value};</li>
 * <li>any change ends with {@code sysctl -p <file>} when {@code reload} (and a file is kept).</li>
 * </ol>
 * One difference: Ansible counts an unreadable running value (a parameter this kernel does not
 * have, accepted with {@code ignoreerrors}) as a change on every run; here there is nothing to
 * compare or set, so it is none.
 *
 * @param name        the parameter
 * @param value       the normalized value (null for state absent)
 * @param present     state present
 * @param running     the running value read, or null
 * @param file        the file kept, or null ({@code persist: false})
 * @param oldText     the file's text, or null when it does not exist (or no file is kept)
 * @param newText     the file's text after the edit (null when no file is kept)
 * @param fileValue   the value the file set, or null
 * @param fileChanged the file is written
 * @param setRunning  {@code sysctl -w} runs
 * @param reload      {@code sysctl -p <file>} runs
 * @param setArgv     the {@code sysctl -w name=value} argv
 * @param reloadArgv  the {@code sysctl [-e] -p <file>} argv (null without a file)
 */
record SysctlDecision(String name, String value, boolean present, String running, String file, String oldText,
                      String newText, String fileValue, boolean fileChanged, boolean setRunning, boolean reload,
                      List<String> setArgv, List<String> reloadArgv) {

    /**
     * Decides.
     *
     * @param sysctlSet  the sysctl_set argument
     * @param reloadArg  reload, and a file is kept
     * @param ignore     ignoreerrors: {@code -e} on the reload
     * @param sysctl     the sysctl command (argv prefix)
     */
    static SysctlDecision decide(String name, String value, boolean present, String running, String file,
                                 String oldText, boolean sysctlSet, boolean reloadArg, boolean ignore,
                                 List<String> sysctl) {
        String fileValue = oldText == null ? null : SysctlFile.valueOf(oldText, name);
        String newText = file == null ? null : SysctlFile.edit(oldText == null ? "" : oldText, name, value);
        boolean fileChanged = file != null && (present ? !SysctlModule.equal(fileValue, value) : fileValue != null);
        boolean runningDiffers = present && running != null && !SysctlModule.equal(running, value);
        boolean setRunning = sysctlSet && runningDiffers;
        boolean changed = fileChanged || setRunning || (reloadArg && runningDiffers);
        List<String> setArgv = new ArrayList<>(sysctl);
        setArgv.add("-w");
        setArgv.add(name + "=" + (value == null ? "" : value));
        List<String> reloadArgv = null;
        if (file != null) {
            reloadArgv = new ArrayList<>(sysctl);
            if (ignore) {
                reloadArgv.add("-e");
            }
            reloadArgv.add("-p");
            reloadArgv.add(file);
        }
        return new SysctlDecision(name, value, present, running, file, oldText, newText, fileValue, fileChanged,
                setRunning, changed && reloadArg && file != null, List.copyOf(setArgv),
                reloadArgv == null ? null : List.copyOf(reloadArgv));
    }

    /** Whether anything changes. */
    boolean changed() {
        return fileChanged || setRunning || reload;
    }

    /** One line: what changes ("set ... " without "would"), or why nothing does. */
    String summary() {
        if (!changed()) {
            if (!present) {
                return file + " sets no " + name + " (nothing to remove)";
            }
            return name + " is already " + value + (file == null ? " (running value)"
                    : running == null ? " in " + file + " (not a parameter of this kernel; ignoreerrors)"
                    : " (running value and " + file + ")");
        }
        List<String> parts = new ArrayList<>();
        if (setRunning) {
            parts.add("running value " + running + " -> " + value);
        } else if (reload && present && running != null && !SysctlModule.equal(running, value)) {
            parts.add("running value " + running + " differs: the reload sets it");
        }
        if (fileChanged) {
            parts.add(file + ": " + (!present ? "remove the line" : fileValue == null ? "add the line"
                    : fileValue + " -> " + value));
        }
        if (reload) {
            parts.add("then sysctl -p " + file);
        }
        return (present ? "set " + name + " to " + value : "remove " + name + " from " + file) + " ("
                + String.join("; ", parts) + ")";
    }

    /** The file's diff, or null when it does not change. */
    String diff() {
        return fileChanged ? SysctlModule.diff(file, oldText == null ? "" : oldText, newText) : null;
    }

    /** The registered data; {@code acting}: the commands run (or would run). */
    Map<String, Object> data(boolean acting) {
        List<Object> cmds = new ArrayList<>();
        if (acting && setRunning) {
            cmds.add(new ArrayList<>(setArgv));
        }
        if (acting && reload) {
            cmds.add(new ArrayList<>(reloadArgv));
        }
        return SysctlModule.data("name", name, "value", value, "state", present ? "present" : "absent",
                "running_value", running, "file_value", fileValue, "sysctl_file", file,
                "file_changed", acting && fileChanged, "set_running", acting && setRunning,
                "reloaded", acting && reload, "cmds", cmds);
    }
}
