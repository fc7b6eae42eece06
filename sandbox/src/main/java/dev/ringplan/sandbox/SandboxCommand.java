package dev.ringplan.sandbox;

import dev.ringplan.engine.diag.InvalidInputException;
import dev.ringplan.engine.diag.RingplanException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ringplan sandbox up|down|status|load}: a local Cassandra 5.0.7 cluster of real nodes
 * (see {@link Sandbox}). Every subcommand prints progress lines to the command line's out
 * writer, errors (never stack traces) to its err writer, and returns {@link #OK}, {@link #FAILED}
 * or {@link #BAD_ARGS}. Register it as a subcommand of the main command, or run it alone with
 * {@code new CommandLine(new SandboxCommand()).execute(args)}.
 */
@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = "Run a local Cassandra " + CassandraLib.CASSANDRA_VERSION + " cluster (one JVM per node on "
                + "127.0.x.y) for trying plans; state under .ringplan/sandbox/<name>/.",
        subcommands = {SandboxCommand.Up.class, SandboxCommand.Down.class, SandboxCommand.Status.class,
                SandboxCommand.Load.class, HelpCommand.class})
public final class SandboxCommand implements Callable<Integer> {
    /** Exit code: success. */
    public static final int OK = 0;
    /** Exit code: the operation failed. */
    public static final int FAILED = 1;
    /** Exit code: bad arguments. */
    public static final int BAD_ARGS = 2;

    @Spec
    CommandSpec spec;

    /** Without a subcommand: prints the usage and returns {@link #BAD_ARGS}. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return BAD_ARGS;
    }

    /** Options shared by every subcommand: the sandbox name and the work directory. */
    public static final class Target {
        @Option(names = "--name", paramLabel = "NAME", defaultValue = Sandbox.DEFAULT_NAME,
                description = "Sandbox name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--work-dir", paramLabel = "DIR", hidden = true,
                description = "Directory holding .ringplan/ (default: the current directory).")
        Path workDir;

        Sandbox sandbox() throws InvalidInputException {
            return new Sandbox(workDir != null ? workDir : Path.of(System.getProperty("user.dir", ".")), name);
        }
    }

    /** Base of the subcommands: runs {@link #run} and maps its exceptions to exit codes. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        abstract void run(Sandbox sandbox, PrintWriter out) throws RingplanException;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                run(target.sandbox(), out);
                out.flush();
                return OK;
            } catch (InvalidInputException e) {
                out.flush();
                err.println(e.getMessage());
                err.flush();
                return BAD_ARGS;
            } catch (RingplanException e) {
                out.flush();
                err.println("error: " + e.getMessage());
                err.flush();
                return FAILED;
            } catch (RuntimeException e) {
                out.flush();
                err.println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                err.flush();
                return FAILED;
            }
        }

        static java.util.function.Consumer<String> printer(PrintWriter out) {
            return line -> {
                out.println(line);
                out.flush();
            };
        }
    }

    /** {@code sandbox up}: creates and starts the nodes, waits until all are UN. */
    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Create (if needed) and start the sandbox's nodes one after another; wait until all are UN.")
    static final class Up extends Base {
        @Option(names = "--nodes", paramLabel = "K",
                description = "Node count, 1-" + Sandbox.MAX_NODES + " (default: existing count, else "
                        + Sandbox.DEFAULT_NODES + ").")
        Integer nodes;

        @Option(names = "--data-dirs", paramLabel = "D",
                description = "Data directories per node (JBOD), 1-" + Sandbox.MAX_DATA_DIRS + " (default: existing, else 1).")
        Integer dataDirs;

        @Option(names = {"--datacenter", "--dc"}, paramLabel = "DC",
                description = "Datacenter of the nodes (GossipingPropertyFileSnitch; default: existing, else "
                        + Sandbox.DEFAULT_DATACENTER + ").")
        String datacenter;

        @Option(names = "--rack", paramLabel = "RACK",
                description = "Rack of the nodes (default: existing, else " + Sandbox.DEFAULT_RACK + ").")
        String rack;

        @Option(names = "--join", paramLabel = "SANDBOX",
                description = "Join that running sandbox's cluster as a new datacenter (its cluster name and seeds, "
                        + "auto_bootstrap: false); fixed when the sandbox is created.")
        String join;

        @Option(names = "--num-tokens", paramLabel = "T",
                description = "Tokens per node (default: existing, else 16); 1 gives each node one evenly spaced "
                        + "initial_token; fixed when the sandbox is created.")
        Integer numTokens;

        @Option(names = "--load", description = "Load the sample data afterwards.")
        boolean load;

        @Override
        void run(Sandbox sandbox, PrintWriter out) throws RingplanException {
            List<SandboxNodeProcess> st = sandbox.up(new SandboxOptions(nodes, dataDirs, datacenter, rack, join, numTokens),
                    printer(out));
            if (load) {
                sandbox.load(printer(out));
            }
            printStatus(st, out);
        }
    }

    /** {@code sandbox down}: stops every node; {@code --destroy} also removes the state. */
    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop every node of the sandbox (data kept unless --destroy).")
    static final class Down extends Base {
        @Option(names = "--destroy", description = "Also remove the sandbox's directory (data, logs, inventory).")
        boolean destroy;

        @Override
        void run(Sandbox sandbox, PrintWriter out) throws RingplanException {
            sandbox.down(destroy, printer(out));
        }
    }

    /** {@code sandbox status}: one line per node. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show the cluster, then each node: address, datacenter, rack, PID, running, CQL port open, "
                    + "JMX port, memory.")
    static final class Status extends Base {
        @Override
        void run(Sandbox sandbox, PrintWriter out) throws RingplanException {
            List<SandboxNodeProcess> st = sandbox.status();
            out.println("cluster: " + sandbox.nodes().get(0).clusterName() + sandbox.joined()
                    .map(j -> " (joined sandbox '" + j + "' as a new datacenter)").orElse(""));
            printStatus(st, out);
            out.println("inventory: " + sandbox.inventoryFile());
        }
    }

    /** {@code sandbox load}: the sample data. */
    @Command(name = "load", mixinStandardHelpOptions = true,
            description = "Create the sample keyspaces ringplan_demo and ringplan_shop with deterministic rows "
                    + "(idempotent).")
    static final class Load extends Base {
        @Override
        void run(Sandbox sandbox, PrintWriter out) throws RingplanException {
            Map<String, Integer> rows = sandbox.load(printer(out));
            out.println("tables: " + rows.keySet());
        }
    }

    /** Prints a status table, one node per line. */
    static void printStatus(List<SandboxNodeProcess> nodes, PrintWriter out) {
        int dcWidth = Math.max(10, nodes.stream().mapToInt(n -> n.datacenter().length()).max().orElse(0));
        int rackWidth = Math.max(6, nodes.stream().mapToInt(n -> n.rack().length()).max().orElse(0));
        String format = "%-7s %-12s %-" + dcWidth + "s %-" + rackWidth + "s %-8s %-8s %-6s %-6s %s";
        out.println(String.format(format, "NODE", "ADDRESS", "DATACENTER", "RACK", "PID", "RUNNING", "CQL", "JMX",
                "RSS"));
        for (SandboxNodeProcess n : nodes) {
            out.println(String.format(format, n.host(), n.address(), n.datacenter(), n.rack(),
                    n.pid().isPresent() ? Long.toString(n.pid().getAsLong()) : "-", n.running() ? "yes" : "no",
                    n.cqlOpen() ? "open" : "closed", Integer.toString(n.jmxPort()), n.rssKiB() >= 0 ? (n.rssKiB() / 1024) + " MiB" : "-"));
        }
        out.flush();
    }

    /**
     * Runs the command alone: {@code java ... dev.ringplan.sandbox.SandboxCommand up --nodes 2}.
     *
     * @param args the subcommand and its options
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SandboxCommand()).execute(args));
    }
}
