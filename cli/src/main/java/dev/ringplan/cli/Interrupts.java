package dev.ringplan.cli;

import dev.ringplan.engine.exec.Cancellation;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;

/**
 * SIGINT (Ctrl-C) and SIGTERM for the {@code ringplan} process: the first one during a run
 * cancels it ({@link Cancellation}): no new task starts, the commands in flight are stopped, and
 * the run ends normally within the cancellation's grace, so the RECAP is printed, the journal and
 * the JSON report are written and the process exits with {@link ExitCodes#INTERRUPTED}. A second
 * signal ends the process at once with {@link ExitCodes#INTERRUPTED}, after a SIGKILL to every
 * process it started that is still its descendant; the first one outside a run (while compiling,
 * in {@code validate}) exits with the same code the usual way (shutdown hooks run).
 *
 * <p>Why a {@link Signal} handler and not a shutdown hook: once the JVM's own SIGINT handling has
 * begun a shutdown, the run cannot end normally. Hooks run while the main thread keeps running,
 * {@code System.exit} from the main thread then blocks forever (a shutdown is in progress), and
 * further signals are ignored, so a second Ctrl-C could not end a stuck shutdown. A handler
 * replaces the JVM's default action instead: the main thread finishes the run, prints and writes
 * everything and exits with its own code, and the second signal can halt at once.
 * {@code sun.misc.Signal} is in the {@code jdk.unsupported} module, exported and supported for
 * exactly this use since Java 9. When the handler cannot be installed (the signal is ignored, as
 * for a background job of a non-interactive shell, or reserved by {@code -Xrs}), the JVM's default
 * stays.
 *
 * <p>Installed only by {@link Ringplan#main}: tests that run the CLI in-process leave their JVM's
 * signals alone.
 */
final class Interrupts {
    private static final AtomicReference<Cancellation> CURRENT = new AtomicReference<>();
    private static final AtomicInteger SIGNALS = new AtomicInteger();

    private Interrupts() {
    }

    /** Installs the handler for SIGINT and SIGTERM (best effort, see class doc). */
    static void install() {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), Interrupts::handle);
            } catch (IllegalArgumentException e) {
                // ignored by our parent or reserved by the JVM: keep the default behaviour
            }
        }
    }

    /**
     * Makes {@code c} the run a signal cancels, until the returned handle is closed.
     *
     * @return closing it forgets {@code c}
     */
    static Cancellation.Registration during(Cancellation c) {
        CURRENT.set(c);
        return () -> CURRENT.compareAndSet(c, null);
    }

    /** Runs on the JVM's signal dispatch thread; must not block for long. */
    private static void handle(Signal signal) {
        Cancellation c = CURRENT.get();
        if (SIGNALS.incrementAndGet() > 1) {
            // the second signal: now, without shutdown hooks (they may be what is stuck), and
            // without waiting for the commands' grace: SIGKILL to what this process started
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
            Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
        }
        if (c == null) {
            // outside a run: what the JVM would do, with our exit code (shutdown hooks run)
            new Thread(() -> System.exit(ExitCodes.INTERRUPTED), "ringplan-exit").start();
            return;
        }
        PrintStream err = System.err;
        err.println("\nSIG" + signal.getName() + ": interrupting the run: no new tasks; stopping the commands"
                + " in flight (up to " + c.graceText() + "), then RECAP and reports."
                + " Interrupt again to quit at once.");
        err.flush();
        c.cancel("SIG" + signal.getName());
    }
}
