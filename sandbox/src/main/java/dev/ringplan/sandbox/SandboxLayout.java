package dev.ringplan.sandbox;

import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.RingplanException;
import dev.ringplan.engine.diag.SourcePos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The shape of one sandbox: its recorded state (created on first use from the options, checked
 * against them afterwards) and the node specs derived from it. A sandbox that joins another takes
 * the joined sandbox's cluster name and seeds from the joined sandbox's state when it is created.
 */
final class SandboxLayout {
    private final Path workDir;
    private final String name;
    private final Path stateDir;

    /** The layout of sandbox {@code name} of {@code workDir}, whose directory is {@code stateDir}. */
    SandboxLayout(Path workDir, String name, Path stateDir) {
        this.workDir = workDir;
        this.name = name;
        this.stateDir = stateDir;
    }

    /** True when the state file exists. */
    boolean exists() {
        return Files.isRegularFile(stateDir.resolve(SandboxState.FILE));
    }

    /**
     * The recorded state.
     *
     * @throws RingplanException when the sandbox does not exist or its state cannot be read
     */
    SandboxState read() throws RingplanException {
        if (!exists()) {
            throw new RingplanException("no sandbox named '" + name + "' in " + workDir + "; create it with "
                    + "'ringplan sandbox up --name " + name + "'");
        }
        return SandboxState.read(stateDir.resolve(SandboxState.FILE));
    }

    /**
     * The state of an existing sandbox, checked against {@code options}; else a new state
     * allocated and written from them (defaults for what they leave null).
     *
     * @throws InvalidInputException when an option differs from the existing sandbox's shape, or
     *                               the sandbox to join does not exist
     * @throws RingplanException     when the state cannot be read or every address range is taken
     */
    SandboxState createOrCheck(SandboxOptions options, Consumer<String> log) throws RingplanException, IOException {
        if (exists()) {
            SandboxState st = read();
            List<String> diffs = new ArrayList<>();
            String option = "--nodes";
            if (options.nodes() != null && options.nodes() != st.nodes()) {
                diffs.add(st.nodes() + " nodes (asked " + options.nodes() + ")");
            }
            if (options.dataDirs() != null && options.dataDirs() != st.dataDirs()) {
                option = diffs.isEmpty() ? "--data-dirs" : option;
                diffs.add(st.dataDirs() + " data directories per node (asked " + options.dataDirs() + ")");
            }
            if (options.datacenter() != null && !options.datacenter().equals(st.datacenter())) {
                option = diffs.isEmpty() ? "--datacenter" : option;
                diffs.add("datacenter " + st.datacenter() + " (asked " + options.datacenter() + ")");
            }
            if (options.rack() != null && !options.rack().equals(st.rack())) {
                option = diffs.isEmpty() ? "--rack" : option;
                diffs.add("rack " + st.rack() + " (asked " + options.rack() + ")");
            }
            if (options.numTokens() != null && options.numTokens() != st.numTokens()) {
                option = diffs.isEmpty() ? "--num-tokens" : option;
                diffs.add("num_tokens " + st.numTokens() + " (asked " + options.numTokens() + ")");
            }
            if (options.join() != null && !Objects.equals(options.join(), st.join())) {
                option = diffs.isEmpty() ? "--join" : option;
                diffs.add((st.join() == null ? "a cluster of its own" : "a datacenter of sandbox '" + st.join() + "'")
                        + " (asked to join '" + options.join() + "')");
            }
            if (!diffs.isEmpty()) {
                throw new InvalidInputException(SourcePos.ofFile(option), "sandbox '" + name
                        + "' already exists with " + String.join(" and ", diffs) + "; run it as it is, or "
                        + "remove it first with 'ringplan sandbox down --name " + name + " --destroy'");
            }
            return st;
        }
        SandboxState.Joined joined = null;
        if (options.join() != null) {
            SandboxLayout other = new SandboxLayout(workDir, options.join(),
                    Sandbox.sandboxesDir(workDir).resolve(options.join()));
            if (!other.exists()) {
                throw new InvalidInputException(SourcePos.ofFile("--join"), "sandbox '" + name + "' joins sandbox '"
                        + options.join() + "', which does not exist in " + workDir + "; bring it up first ("
                        + "'ringplan sandbox up --name " + options.join() + "')");
            }
            SandboxState o = other.read();
            joined = new SandboxState.Joined(o.name(), o.clusterName(), o.seeds());
        }
        return SandboxAllocator.allocate(Sandbox.sandboxesDir(workDir), name, stateDir,
                options.nodes() == null ? Sandbox.DEFAULT_NODES : options.nodes(),
                options.dataDirs() == null ? 1 : options.dataDirs(),
                options.datacenter() == null ? NodeFiles.DEFAULT_DATACENTER : options.datacenter(),
                options.rack() == null ? NodeFiles.DEFAULT_RACK : options.rack(), joined,
                options.numTokens() == null ? NodeFiles.DEFAULT_NUM_TOKENS : options.numTokens(), log);
    }

    /** The node specs of {@code st}, node 1 first. */
    List<NodeSpec> specs(SandboxState st) {
        List<NodeSpec> out = new ArrayList<>();
        for (int n = 1; n <= st.nodes(); n++) {
            out.add(new NodeSpec(name, n, Addresses.address(st.addressIndex(), n), st.jmxPorts().get(n - 1),
                    stateDir.resolve("node" + n), st.dataDirs(), st.clusterName(), st.datacenter(), st.rack(),
                    st.seeds(), st.join() == null, st.numTokens(),
                    st.numTokens() == 1 ? NodeSpec.evenToken(n, st.nodes(), st.addressIndex()) : null));
        }
        return out;
    }
}
