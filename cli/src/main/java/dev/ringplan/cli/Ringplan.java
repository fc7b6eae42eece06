package dev.ringplan.cli;

import dev.ringplan.engine.secret.Secrets;
import dev.ringplan.sandbox.SandboxCommand;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * {@code ringplan}: the command-line entry point. One class per subcommand; invalid arguments
 * exit with {@link ExitCodes#INVALID_INPUT} and a usage message, other errors print a message
 * (a stack trace only with {@code --debug}). Both have secret values masked: those of the
 * {@code -e} arguments and every one this process has learned ({@link Secrets#process()}).
 * picocli's {@code @file} argument expansion is off: {@code -e @FILE} is Ansible's.
 */
@Command(name = "ringplan", mixinStandardHelpOptions = true, version = "ringplan 0.1.0",
        description = "Declarative, idempotent plans for Apache Cassandra operations.")
public final class Ringplan {
    /**
     * The subcommands, by name, in the order help lists them. Only the one named by the first
     * argument is built when there is one (picocli builds a command's model by reflection, and
     * building all of them cost about a third of an empty run's start-up); help, a version
     * request or an unknown first word builds them all.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        for (Class<?> c : List.of(ValidateCommand.class, PlanCommand.class, RunCommand.class, ApplyCommand.class,
                GraphCommand.class, ModulesCommand.class, InventoryCommand.class, DepsCommand.class, SandboxCommand.class,
                RunsCommand.class, ShowCommand.class, UnlockCommand.class, HelpCommand.class)) {
            m.put(c.getAnnotation(Command.class).name(), c);
        }
        return Collections.unmodifiableMap(m);
    }

    /** Runs the CLI and exits with its code; SIGINT/SIGTERM interrupt a run ({@link Interrupts}). */
    public static void main(String[] args) {
        Interrupts.install();
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the CLI in-process (tests use this) and returns the exit code.
     *
     * @param out standard output
     * @param err standard error
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine(args);
        cl.setOut(out);
        cl.setErr(err);
        inheritVersion(cl, cl.getCommandSpec().version());
        // "-e @vars.yaml" is Ansible's extra-vars file, not picocli's argument file (which would
        // splice the file's words into the command line and quote them back in errors).
        cl.setExpandAtFiles(false);
        cl.setParameterExceptionHandler((ex, a) -> {
            Secrets secrets = ExtraVars.secretsOf(a);
            err.println("error: " + Secrets.process().maskText(secrets.maskText(ex.getMessage())));
            ex.getCommandLine().usage(err);
            // plan --detailed-exitcode: 2 means "changes pending", so errors are 1 (as Terraform)
            return java.util.List.of(a).contains("--detailed-exitcode") ? ExitCodes.TASK_FAILED : ExitCodes.INVALID_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Secrets secrets = ExtraVars.secretsOf(args);
            err.println("error: " + Secrets.process().maskText(secrets.maskText(ex.getMessage())));
            if (parseResult.hasMatchedOption("--debug")) {
                java.io.StringWriter trace = new java.io.StringWriter();
                ex.printStackTrace(new PrintWriter(trace));
                err.print(Secrets.process().maskText(secrets.maskText(trace.toString())));
            }
            return ExitCodes.TASK_FAILED;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The command line for {@code args}: with only the subcommand its first argument names, or
     * with all of them ({@link #SUBCOMMANDS}) for help, a version request, no argument or an
     * unknown first word.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new Ringplan());
        Class<?> only = args.length > 0 && !"help".equals(args[0]) ? SUBCOMMANDS.get(args[0]) : null;
        if (only != null) {
            cl.addSubcommand(args[0], only);
        } else {
            SUBCOMMANDS.forEach(cl::addSubcommand);
        }
        return cl;
    }

    /** Gives every subcommand (their -V/--version, from mixinStandardHelpOptions) the main command's version. */
    private static void inheritVersion(CommandLine cl, String[] version) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().version().length == 0) {
                sub.getCommandSpec().version(version);
            }
            inheritVersion(sub, version);
        }
    }
}
