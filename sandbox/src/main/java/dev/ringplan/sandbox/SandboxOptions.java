package dev.ringplan.sandbox;

import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.SourcePos;

/**
 * What {@link Sandbox#up(SandboxOptions, java.util.function.Consumer)} is asked for; null means
 * "as the existing sandbox is, else the default". They fix a sandbox's shape when it is created;
 * asking an existing sandbox for another shape is an error.
 *
 * @param nodes      node count, 1..{@value Sandbox#MAX_NODES}; default {@value Sandbox#DEFAULT_NODES}
 * @param dataDirs   data directories per node, 1..{@value Sandbox#MAX_DATA_DIRS}; default 1
 * @param datacenter the nodes' datacenter (GossipingPropertyFileSnitch); default
 *                   {@value NodeFiles#DEFAULT_DATACENTER}
 * @param rack       the nodes' rack; default {@value NodeFiles#DEFAULT_RACK}
 * @param join       the name of a sandbox of the same work directory that this one joins as a new
 *                   datacenter (its cluster name and seeds, {@code auto_bootstrap: false}); null:
 *                   a cluster of its own
 * @param numTokens  tokens per node, 1..{@value #MAX_NUM_TOKENS}; default {@value NodeFiles#DEFAULT_NUM_TOKENS}
 *                   (vnodes). 1 gives each node one token, evenly spaced over the Murmur3 range
 *                   ({@link NodeSpec#initialToken}), so replica sets are predictable
 */
public record SandboxOptions(Integer nodes, Integer dataDirs, String datacenter, String rack, String join,
                             Integer numTokens) {
    /** The largest {@code num_tokens} a sandbox node may have. */
    public static final int MAX_NUM_TOKENS = 256;

    /** Options with the default token count (vnodes). */
    public SandboxOptions(Integer nodes, Integer dataDirs, String datacenter, String rack, String join) {
        this(nodes, dataDirs, datacenter, rack, join, null);
    }

    /** Datacenter and rack names: a letter or digit, then letters, digits, {@code _ . -}; at most 48. */
    public static final String TOPOLOGY_NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,47}";

    /** Only counts given: the datacenter, rack and join of the existing sandbox, else the defaults. */
    public static SandboxOptions counts(Integer nodes, Integer dataDirs) {
        return new SandboxOptions(nodes, dataDirs, null, null, null);
    }

    /**
     * Checks every given value's range and form.
     *
     * @param sandbox the name of the sandbox these options are for (it may not join itself)
     * @throws InvalidInputException naming the offending option ({@code --nodes}, {@code --data-dirs},
     *                               {@code --num-tokens}, {@code --datacenter}, {@code --rack}, {@code --join})
     */
    public void validate(String sandbox) throws InvalidInputException {
        if (nodes != null && (nodes < 1 || nodes > Sandbox.MAX_NODES)) {
            throw new InvalidInputException(SourcePos.ofFile("--nodes"), "node count must be 1.." + Sandbox.MAX_NODES
                    + ", got " + nodes);
        }
        if (dataDirs != null && (dataDirs < 1 || dataDirs > Sandbox.MAX_DATA_DIRS)) {
            throw new InvalidInputException(SourcePos.ofFile("--data-dirs"), "data directories per node must be 1.."
                    + Sandbox.MAX_DATA_DIRS + ", got " + dataDirs);
        }
        if (numTokens != null && (numTokens < 1 || numTokens > MAX_NUM_TOKENS)) {
            throw new InvalidInputException(SourcePos.ofFile("--num-tokens"), "num_tokens must be 1.." + MAX_NUM_TOKENS
                    + ", got " + numTokens);
        }
        checkTopologyName("--datacenter", "datacenter", datacenter);
        checkTopologyName("--rack", "rack", rack);
        if (join != null) {
            Sandbox.validateName(join);
            if (join.equals(sandbox)) {
                throw new InvalidInputException(SourcePos.ofFile("--join"), "sandbox '" + sandbox
                        + "' cannot join itself; --join names another sandbox whose cluster it becomes a datacenter of");
            }
        }
    }

    private static void checkTopologyName(String option, String what, String value) throws InvalidInputException {
        if (value != null && !value.matches(TOPOLOGY_NAME_PATTERN)) {
            throw new InvalidInputException(SourcePos.ofFile(option), "invalid " + what + " name '" + value
                    + "': use 1-48 characters A-Z, a-z, 0-9, '_', '.' or '-', starting with a letter or digit");
        }
    }
}
