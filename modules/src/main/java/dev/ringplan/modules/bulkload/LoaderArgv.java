package dev.ringplan.modules.bulkload;

import dev.ringplan.engine.connection.ShellQuote;
import java.util.ArrayList;
import java.util.List;

/**
 * The argument list of one sstableloader run ({@code org.apache.cassandra.tools.BulkLoader}), pure.
 * Option names are those of {@code sstableloader --help} of Cassandra 5.0.7 (BulkLoader's
 * {@code LoaderOptions}): {@code -d} initial hosts (comma separated), {@code -p} native port,
 * {@code -u}/{@code -pw} credentials, {@code --throttle-mib} (MiB/s, 4.1 and later; 0 is
 * unlimited, so it is left out), {@code -cph} connections per host, {@code -f} a cassandra.yaml
 * for SSL and streaming options; the last argument is a directory whose last two path elements
 * name the keyspace and the table. {@code --no-progress} is not given: with it, 5.0.7 prints no
 * "Summary statistics" (test resources {@code bulkload/}).
 *
 * <p>sstableloader reads a password only from {@code -pw} (no file, no environment variable in
 * 5.0), so a password is in the argv of the loader process; {@link #display} shows it as
 * {@code ********}.
 *
 * @param loaderCmd          the command prefix ({@code sstableloader_cmd} or {@code loader_cmd})
 * @param targets            contact points of the target cluster, in order
 * @param port               native port of the targets, or null for the loader's default (9042)
 * @param username           target user, or null
 * @param password           target password, or null
 * @param throttleMib        MiB/s, 0 for unlimited
 * @param connectionsPerHost connections per target host, or null for the loader's default
 * @param confPath           cassandra.yaml given with {@code -f}, or null
 * @param extraArgs          further options, put before the directory, as given
 */
public record LoaderArgv(List<String> loaderCmd, List<String> targets, Integer port, String username,
                         String password, long throttleMib, Integer connectionsPerHost, String confPath,
                         List<String> extraArgs) {
    /** Shown instead of the password in {@link #display}. */
    public static final String HIDDEN = "********";

    /** Copies the lists; checks what the loader would misread. */
    public LoaderArgv {
        loaderCmd = List.copyOf(loaderCmd);
        targets = List.copyOf(targets);
        extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
        if (loaderCmd.isEmpty()) {
            throw new IllegalArgumentException("the loader command is empty");
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no target contact points");
        }
        if (throttleMib < 0) {
            throw new IllegalArgumentException("throttle_mib must be 0 (unlimited) or more, not " + throttleMib);
        }
        for (String t : targets) {
            if (t.isBlank() || t.contains(",") || t.startsWith("-") || t.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("target contact point '" + t
                        + "' must be one host name or address (no comma, blank or leading '-')");
            }
        }
    }

    /**
     * The argv loading {@code dir} (an absolute path ending in {@code <keyspace>/<table>}).
     *
     * @throws IllegalArgumentException when {@code dir} is not absolute
     */
    public List<String> argv(String dir) {
        return build(dir, password);
    }

    /** {@link #argv} with the password replaced by {@link #HIDDEN}, quoted for a POSIX shell. */
    public String display(String dir) {
        return ShellQuote.join(build(dir, password == null ? null : HIDDEN));
    }

    private List<String> build(String dir, String pw) {
        if (!dir.startsWith("/")) {
            throw new IllegalArgumentException("the directory to load must be absolute: " + dir);
        }
        List<String> a = new ArrayList<>(loaderCmd);
        a.add("-d");
        a.add(String.join(",", targets));
        if (port != null) {
            a.add("-p");
            a.add(port.toString());
        }
        if (username != null) {
            a.add("-u");
            a.add(username);
        }
        if (pw != null) {
            a.add("-pw");
            a.add(pw);
        }
        if (throttleMib > 0) {
            a.add("--throttle-mib");
            a.add(Long.toString(throttleMib));
        }
        if (connectionsPerHost != null) {
            a.add("-cph");
            a.add(connectionsPerHost.toString());
        }
        if (confPath != null) {
            a.add("-f");
            a.add(confPath);
        }
        a.addAll(extraArgs);
        a.add(dir);
        return a;
    }
}
