package dev.ringplan.cli;

import dev.ringplan.engine.secret.Secrets;
import dev.ringplan.sandbox.SandboxCommand;
import java.io.PrintWriter;
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
        description = "Declarative, idempotent plans for Apache Cassandra operations.",
        subcommands = {ValidateCommand.class, PlanCommand.class, RunCommand.class, ApplyCommand.class, GraphCommand.class,
                ModulesCommand.class, InventoryCommand.class, DepsCommand.class, SandboxCommand.class, RunsCommand.class, ShowCommand.class,
                UnlockCommand.class,
                HelpCommand.class})
public final class Ringplan {

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
        CommandLine cl = new CommandLine(new Ringplan());
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
