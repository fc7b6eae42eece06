package dev.ringplan.engine.module;

import dev.ringplan.engine.connection.Connection;
import dev.ringplan.engine.connection.ConnectionException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Everything a module call gets from the engine: its validated arguments, the host's rendered
 * variables, the host's (lazily opened, shared) connection, the mode, and where the controller
 * keeps run files. The mode travels here explicitly; there is no global dry-run flag.
 */
public final class ModuleContext {
    private final String host;
    private final Args args;
    private final Map<String, Object> hostVars;
    private final ConnectionSupplier connection;
    private final boolean checkMode;
    private final boolean diffMode;
    private final RunInfo run;
    private final Preview preview;
    private final Consumer<String> log;
    private OtherHosts otherHosts = h -> {
        throw new ConnectionException("no connection to other hosts in this context (asked for " + h + ")");
    };
    private Supplier<List<UpstreamChange>> upstream = List::of;

    /** Opens (or reuses) the connection of another inventory host, e.g. a backup storage host. */
    @FunctionalInterface
    public interface OtherHosts {
        /**
         * The connection of inventory host {@code host}.
         *
         * @throws ConnectionException when the host is unknown or unreachable
         */
        Connection connectionTo(String host) throws ConnectionException;
    }

    /** Supplies the host's connection, opening it on first use. */
    @FunctionalInterface
    public interface ConnectionSupplier {
        /** The connection; throws when the host is unreachable. */
        Connection get() throws ConnectionException;
    }

    /**
     * Facts of the run a module may need.
     *
     * @param runId      the run's id
     * @param workDir    the controller's working directory (relative paths in arguments resolve here)
     * @param stateDir   {@code .ringplan/} under the working directory
     */
    public record RunInfo(String runId, Path workDir, Path stateDir) {
    }

    /**
     * @param host       inventory hostname
     * @param args       validated arguments
     * @param hostVars   the host's variables, rendered (inventory, plan, task vars, extra vars, registered)
     * @param connection the host's connection supplier
     * @param checkMode  true under {@code ringplan plan}: only reads allowed (except read-only modules)
     * @param diffMode   true when diffs are wanted
     * @param run        run facts
     * @param preview    what check found (null while check runs)
     * @param log        receives progress lines for the user (never secrets)
     */
    public ModuleContext(String host, Args args, Map<String, Object> hostVars, ConnectionSupplier connection,
                         boolean checkMode, boolean diffMode, RunInfo run, Preview preview, Consumer<String> log) {
        this.host = host;
        this.args = args;
        this.hostVars = hostVars;
        this.connection = connection;
        this.checkMode = checkMode;
        this.diffMode = diffMode;
        this.run = run;
        this.preview = preview;
        this.log = log;
    }

    /** A copy carrying the preview that check returned, for apply. */
    public ModuleContext withPreview(Preview p) {
        ModuleContext c = new ModuleContext(host, args, hostVars, connection, checkMode, diffMode, run, p, log)
                .withOtherHosts(otherHosts);
        c.upstream = upstream;
        return c;
    }

    /** A copy that can reach other inventory hosts through {@code others}. */
    public ModuleContext withOtherHosts(OtherHosts others) {
        ModuleContext c = new ModuleContext(host, args, hostVars, connection, checkMode, diffMode, run, preview, log);
        c.otherHosts = others;
        c.upstream = upstream;
        return c;
    }

    /**
     * A copy whose {@link #upstreamChanges()} come from {@code changes} (asked at most once, on
     * first use).
     */
    public ModuleContext withUpstreamChanges(Supplier<List<UpstreamChange>> changes) {
        ModuleContext c = new ModuleContext(host, args, hostVars, connection, checkMode, diffMode, run, preview, log);
        c.otherHosts = otherHosts;
        AtomicReference<List<UpstreamChange>> memo = new AtomicReference<>();
        c.upstream = () -> {
            if (memo.get() == null) {
                memo.compareAndSet(null, List.copyOf(changes.get()));
            }
            return memo.get();
        };
        return c;
    }

    /**
     * In check mode: the nodes upstream of this one (its transitive {@code needs}, on this host
     * and, through barriers, on others) whose previews said they would change or could not tell,
     * nearest first. This check sees the host as it is before any of them applied; the run will
     * see it after. Empty outside check mode and when nothing upstream would change.
     */
    public List<UpstreamChange> upstreamChanges() {
        return upstream.get();
    }

    /**
     * The connection of another inventory host (opened once per run and shared, like this
     * host's), e.g. where backups are stored ({@code ssh://storage1/srv/backups}).
     *
     * @throws ConnectionException when the host is not in the inventory or cannot be reached
     */
    public Connection connectionTo(String inventoryHost) throws ConnectionException {
        return otherHosts.connectionTo(inventoryHost);
    }

    /** The inventory hostname. */
    public String host() {
        return host;
    }

    /** Validated arguments. */
    public Args args() {
        return args;
    }

    /** The host's variables (read-only). */
    public Map<String, Object> hostVars() {
        return hostVars;
    }

    /** A host variable, or null. */
    public Object hostVar(String name) {
        return hostVars.get(name);
    }

    /** The host's connection, opened on first use and shared by all tasks of the host. */
    public Connection connection() throws ConnectionException {
        return connection.get();
    }

    /** True in check mode. */
    public boolean checkMode() {
        return checkMode;
    }

    /** True when diffs are wanted. */
    public boolean diffMode() {
        return diffMode;
    }

    /** Run facts. */
    public RunInfo run() {
        return run;
    }

    /** What check observed; null during check itself. */
    public Preview preview() {
        return preview;
    }

    /** Sends a progress line to the user. */
    public void log(String line) {
        if (log != null) {
            log.accept(line);
        }
    }
}
