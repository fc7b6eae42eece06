package dev.ringplan.engine.testing;

import dev.ringplan.engine.connection.ConnectionException;
import dev.ringplan.engine.module.ArgDef;
import dev.ringplan.engine.module.ArgSpec;
import dev.ringplan.engine.module.Args;
import dev.ringplan.engine.module.Module;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleDoc;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import dev.ringplan.engine.module.ReturnSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A {@link Module} for engine tests, configurable per test and recording every call.
 *
 * <p>Default argument spec: {@code msg} (STR, the free-form argument, so {@code fake: a} means
 * {@code fake: {msg: a}}), {@code value} (ANY), {@code password} (STR), {@code fail} (BOOL,
 * default false), {@code change} (STR, one of yes/no/unknown, default yes). Default behaviour:
 * {@code check} opens the host's connection (as a real module reading state would; a
 * {@link ConnectionException} is wrapped in a {@link ModuleException} keeping the cause) and
 * previews {@code change}; {@code apply} sleeps {@link Builder#applySleepMillis} ms, then fails
 * when {@code fail} is true, else reports changed (or ok when {@code change: no}) with data
 * {@code {msg, value, host}}.
 *
 * <p>Every call is recorded as a {@link Call} with host, arguments, host variables, mode, start
 * and end {@link System#nanoTime()}; {@link #maxConcurrentApplies()} is the highest number of
 * {@code apply} calls seen running at once. Thread-safe.
 */
public final class FakeModule implements Module {

    /** Which module method was called. */
    public enum Phase { CHECK, APPLY }

    /**
     * One recorded call.
     *
     * @param phase      check or apply
     * @param host       inventory hostname
     * @param args       validated arguments
     * @param hostVars   the variables the engine handed over
     * @param checkMode  the mode the engine passed
     * @param startNanos {@link System#nanoTime()} at entry
     * @param endNanos   {@link System#nanoTime()} at exit
     */
    public record Call(Phase phase, String host, Map<String, Object> args, Map<String, Object> hostVars,
                       boolean checkMode, long startNanos, long endNanos) {
        /** The {@code msg} argument (tests use it to name the task). */
        public String msg() {
            return (String) args.get("msg");
        }
    }

    /** Custom {@code check} behaviour. */
    @FunctionalInterface
    public interface CheckFn {
        /** Previews; may throw like a real module. */
        Preview check(ModuleContext ctx) throws ModuleException;
    }

    /** Custom {@code apply} behaviour. */
    @FunctionalInterface
    public interface ApplyFn {
        /** Applies; may throw like a real module. */
        Result apply(ModuleContext ctx) throws ModuleException;
    }

    private final String name;
    private final ArgSpec spec;
    private final ReturnSpec returns;
    private final CheckFn checkFn;
    private final ApplyFn applyFn;
    private final Predicate<Args> readOnly;
    private final long applySleepMillis;
    private final List<Call> calls = new ArrayList<>();
    private final AtomicInteger activeApplies = new AtomicInteger();
    private final AtomicInteger maxApplies = new AtomicInteger();

    private FakeModule(Builder b) {
        this.name = b.name;
        this.spec = b.spec;
        this.returns = b.returns;
        this.checkFn = b.checkFn;
        this.applyFn = b.applyFn;
        this.readOnly = b.readOnly;
        this.applySleepMillis = b.applySleepMillis;
    }

    /** A builder for a module called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A module called {@code name} with the default spec and behaviour. */
    public static FakeModule named(String name) {
        return builder(name).build();
    }

    /** The default argument spec (see the class comment). */
    public static ArgSpec defaultSpec() {
        return ArgSpec.builder()
                .arg(ArgDef.of("msg", ArgDef.Type.STR, "a label, usually the task id"))
                .arg(ArgDef.of("value", ArgDef.Type.ANY, "any value, returned as data"))
                .arg(ArgDef.of("password", ArgDef.Type.STR, "a secret"))
                .arg(ArgDef.of("fail", ArgDef.Type.BOOL, "fail in apply").withDefault(false))
                .arg(ArgDef.of("change", ArgDef.Type.STR, "what check predicts").withDefault("yes").choices("yes", "no", "unknown"))
                .freeForm("msg")
                .build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ModuleDoc doc() {
        return new ModuleDoc("test module " + name, "records calls", "");
    }

    @Override
    public ArgSpec argSpec() {
        return spec;
    }

    @Override
    public ReturnSpec returns() {
        return returns;
    }

    @Override
    public boolean isReadOnly(Args args) {
        return readOnly.test(args);
    }

    @Override
    public Preview check(ModuleContext ctx) throws ModuleException {
        long t0 = System.nanoTime();
        try {
            return checkFn != null ? checkFn.check(ctx) : defaultCheck(ctx);
        } finally {
            record(Phase.CHECK, ctx, t0);
        }
    }

    @Override
    public Result apply(ModuleContext ctx) throws ModuleException {
        long t0 = System.nanoTime();
        int now = activeApplies.incrementAndGet();
        maxApplies.accumulateAndGet(now, Math::max);
        try {
            if (applySleepMillis > 0) {
                try {
                    Thread.sleep(applySleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return applyFn != null ? applyFn.apply(ctx) : defaultApply(ctx);
        } finally {
            activeApplies.decrementAndGet();
            record(Phase.APPLY, ctx, t0);
        }
    }

    private static Preview defaultCheck(ModuleContext ctx) throws ModuleException {
        try {
            ctx.connection();
        } catch (ConnectionException e) {
            throw new ModuleException(ctx.host() + ": cannot read state: " + e.getMessage(), e);
        }
        String change = ctx.args().str("change");
        String summary = "would do " + ctx.args().str("msg");
        Preview p = switch (change) {
            case "no" -> Preview.noChange(summary);
            case "unknown" -> Preview.unknown(summary, List.of("fake " + ctx.args().str("msg")));
            default -> Preview.willChange(summary, List.of("fake " + ctx.args().str("msg")));
        };
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("observed", ctx.host());
        return p.withData(data);
    }

    private static Result defaultApply(ModuleContext ctx) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("msg", ctx.args().str("msg"));
        data.put("value", ctx.args().get("value"));
        data.put("host", ctx.host());
        if (ctx.args().bool("fail", false)) {
            return Result.failed("told to fail").withData(data);
        }
        Result r = "no".equals(ctx.args().str("change")) ? Result.ok("nothing to do") : Result.changed("did " + ctx.args().str("msg"));
        return r.withData(data);
    }

    private void record(Phase phase, ModuleContext ctx, long t0) {
        Call c = new Call(phase, ctx.host(), ctx.args().asMap(), ctx.hostVars(), ctx.checkMode(), t0, System.nanoTime());
        synchronized (calls) {
            calls.add(c);
        }
    }

    /** Every call so far, in completion order. */
    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** The calls of one phase, in completion order. */
    public List<Call> calls(Phase phase) {
        return calls().stream().filter(c -> c.phase() == phase).toList();
    }

    /** The {@code apply} calls, in completion order. */
    public List<Call> applies() {
        return calls(Phase.APPLY);
    }

    /** The {@code apply} calls whose {@code msg} is {@code msg} (usually: one task's calls). */
    public List<Call> applies(String msg) {
        return applies().stream().filter(c -> msg.equals(c.msg())).toList();
    }

    /** The highest number of {@code apply} calls running at the same time. */
    public int maxConcurrentApplies() {
        return maxApplies.get();
    }

    /** Builds a {@link FakeModule}. */
    public static final class Builder {
        private final String name;
        private ArgSpec spec = defaultSpec();
        private ReturnSpec returns = ReturnSpec.builder()
                .otherKeys(ReturnSpec.Type.ANY, "whatever the test's check and apply return").build();
        private CheckFn checkFn;
        private ApplyFn applyFn;
        private Predicate<Args> readOnly = a -> false;
        private long applySleepMillis;

        private Builder(String name) {
            this.name = name;
        }

        /** Replaces the argument spec. */
        public Builder spec(ArgSpec s) {
            this.spec = s;
            return this;
        }

        /** Replaces the declared return values (default: any key, any type). */
        public Builder returns(ReturnSpec r) {
            this.returns = r;
            return this;
        }

        /** Replaces the default check. */
        public Builder check(CheckFn fn) {
            this.checkFn = fn;
            return this;
        }

        /** Replaces the default apply (still counted and recorded). */
        public Builder apply(ApplyFn fn) {
            this.applyFn = fn;
            return this;
        }

        /** Whether calls are read-only (always, or never). */
        public Builder readOnly(boolean ro) {
            this.readOnly = a -> ro;
            return this;
        }

        /** Milliseconds each apply sleeps before working (for overlap and concurrency tests). */
        public Builder applySleepMillis(long ms) {
            this.applySleepMillis = ms;
            return this;
        }

        /** The module. */
        public FakeModule build() {
            return new FakeModule(this);
        }
    }
}
