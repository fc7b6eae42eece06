package dev.ringplan.modules.nodetool;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cassandra's refusal to stream ranges a node already holds, as {@code nodetool rebuild} prints it
 * (4.1+, CASSANDRA-17679; recorded on 5.0.7 when rebuilding a keyspace a second time, and after a
 * bootstrap that streamed it):
 *
 * <pre>
 * nodetool: Discovered existing bootstrap data and cassandra.reset_bootstrap_progress is not
 * configured; aborting bootstrap. ... Found: [FetchReplica{local=Full(/127.0.60.2:7000,(-90...,-88...]),
 * remote=Full(/127.0.60.1:7000,(...])}, ...]. Fully available: [(973...,100...], ...]. Transiently available: []
 * </pre>
 *
 * (one line). The node records the ranges each bootstrap and rebuild streamed
 * ({@code system.available_ranges_v2}); "Fully available" lists them for the keyspace being
 * rebuilt, and {@code local=Full(/address:port,...)} names the node itself.
 *
 * @param selfAddress    the node's address as the message names it (without port), or null
 * @param fullyAvailable the fully available ranges, each as {@code start,end}
 */
public record RebuildRefusal(String selfAddress, Set<String> fullyAvailable) {
    /** The phrase that identifies the refusal. */
    static final String MARKER = "Discovered existing bootstrap data";
    /** "Fully available: [" then ranges "(s,e]" separated by ", ", then "]". */
    private static final Pattern FULLY = Pattern.compile("Fully available: \\[((?:\\([^()]*]|[\\s,])*)]");
    private static final Pattern RANGE = Pattern.compile("\\(\\s*(-?\\w+)\\s*,\\s*(-?\\w+)\\s*]");
    private static final Pattern SELF = Pattern.compile("local=(?:Full|Transient)\\(/?([^,()]+?)(?::\\d+)?,");

    /** Copies the set. */
    public RebuildRefusal {
        fullyAvailable = Set.copyOf(fullyAvailable);
    }

    /**
     * The refusal in {@code output} (stdout and stderr of the failed call), or empty when it is
     * another failure.
     */
    public static Optional<RebuildRefusal> parse(String output) {
        if (output == null || !output.contains(MARKER)) {
            return Optional.empty();
        }
        Set<String> ranges = new LinkedHashSet<>();
        Matcher f = FULLY.matcher(output);
        if (f.find()) {
            Matcher r = RANGE.matcher(f.group(1));
            while (r.find()) {
                ranges.add(r.group(1) + "," + r.group(2));
            }
        }
        Matcher s = SELF.matcher(output);
        return Optional.of(new RebuildRefusal(s.find() ? s.group(1) : null, ranges));
    }
}
