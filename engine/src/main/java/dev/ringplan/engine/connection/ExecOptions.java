package dev.ringplan.engine.connection;

import java.time.Duration;
import java.util.Map;

/**
 * Options of one {@link Connection#exec} call.
 *
 * @param stdin   bytes fed to the command's standard input, or null for none
 * @param timeout how long to wait before the command is killed and the call fails
 * @param env     extra environment variables (over SSH: sent with {@code env VAR=value} prefix)
 * @param cwd     working directory, or null for the default (home over SSH, the controller's cwd locally)
 */
public record ExecOptions(byte[] stdin, Duration timeout, Map<String, String> env, String cwd) {

    /** No stdin, one hour timeout, no extra environment, default directory. */
    public static ExecOptions defaults() {
        return new ExecOptions(null, Duration.ofHours(1), Map.of(), null);
    }

    /** A copy with another timeout. */
    public ExecOptions withTimeout(Duration t) {
        return new ExecOptions(stdin, t, env, cwd);
    }

    /** A copy with stdin. */
    public ExecOptions withStdin(byte[] in) {
        return new ExecOptions(in, timeout, env, cwd);
    }

    /** A copy with extra environment variables. */
    public ExecOptions withEnv(Map<String, String> e) {
        return new ExecOptions(stdin, timeout, Map.copyOf(e), cwd);
    }

    /** A copy with a working directory. */
    public ExecOptions withCwd(String dir) {
        return new ExecOptions(stdin, timeout, env, dir);
    }
}
