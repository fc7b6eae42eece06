package dev.ringplan.engine.connection;

import java.util.List;

/**
 * What one command run through a {@link Connection} gave back.
 *
 * @param argv       the argument list that ran
 * @param exitStatus the exit status, or null when none arrived (killed, link lost), as sshj's
 *                   {@code Session.Command.getExitStatus()} models it
 * @param stdout     standard output, UTF-8
 * @param stderr     standard error, UTF-8
 * @param durationMs wall time in milliseconds
 */
public record ExecResult(List<String> argv, Integer exitStatus, String stdout, String stderr, long durationMs) {

    /** True when an exit status of 0 arrived. */
    public boolean ok() {
        return exitStatus != null && exitStatus == 0;
    }

    /** A one-line description of a failure: status and the last non-empty stderr (or stdout) line. */
    public String failureSummary() {
        String status = exitStatus == null ? "no exit status" : "exit status " + exitStatus;
        String tail = lastLine(stderr);
        if (tail.isEmpty()) {
            tail = lastLine(stdout);
        }
        return tail.isEmpty() ? status : status + ": " + tail;
    }

    private static String lastLine(String s) {
        if (s == null) {
            return "";
        }
        String[] lines = s.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                return lines[i].strip();
            }
        }
        return "";
    }
}
