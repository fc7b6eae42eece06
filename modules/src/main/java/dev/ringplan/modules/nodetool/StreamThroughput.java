package dev.ringplan.modules.nodetool;

import dev.ringplan.engine.connection.ExecResult;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code nodetool setstreamthroughput}, made idempotent by reading {@code getstreamthroughput}
 * first: {@code ok} when the node already streams at that cap.
 *
 * <p>Units (checked with {@code nodetool help} and runs on 5.0.7): {@code setstreamthroughput <n>}
 * takes megabits per second, {@code -m} takes MiB/s (4.1+). {@code getstreamthroughput -m} prints
 * {@code Current stream throughput: 16.0 MiB/s} (or {@code 23.84185791015625 MiB/s} for a cap set
 * in megabits); plain {@code getstreamthroughput} prints {@code Current stream throughput: 200 Mb/s}
 * (all versions) but on 5.0.7 exits 2 with {@code error: Use the -d flag to quiet this error and
 * get the exact throughput in megabits/s} when the cap is not a whole number of megabits (so it
 * cannot equal the integer asked for). 0 means no cap; both print {@code unlimited}.
 */
final class StreamThroughput {
    /** throughput_unit for MiB/s (the -m flag, 4.1+). */
    static final String MIB = "MiB/s";
    /**
     * throughput_unit for megabits per second (no flag, every version); not spelled Mb/s, which
     * "did you mean" would offer for a mistyped MB/s (megabytes, 8 times more).
     */
    static final String MEGABITS = "megabits/s";
    private static final Pattern CURRENT = Pattern.compile(
            "Current stream throughput:\\s*(?:(unlimited)|(\\d+(?:[.,]\\d+)?)\\s*(MiB/s|Mb/s|MB/s|megabits/s))");
    private static final String NOT_WHOLE = "Use the -d flag";

    private StreamThroughput() {
    }

    /**
     * The cap printed by {@code getstreamthroughput [-m]}, in the unit it was printed in; 0 for
     * {@code unlimited}.
     *
     * @throws NodetoolParseException when the line is not there
     */
    static double parse(String output) throws NodetoolParseException {
        Matcher m = CURRENT.matcher(output == null ? "" : output);
        if (!m.find()) {
            throw new NodetoolParseException("nodetool getstreamthroughput output has no 'Current stream throughput:'"
                    + " line: " + StatusParser.firstLine(output == null ? "" : output));
        }
        return m.group(1) != null ? 0 : Double.parseDouble(m.group(2).replace(',', '.'));
    }

    /** check: reads the current cap; ok when it equals throughput, else YES with the set command. */
    static Preview check(ModuleContext ctx, Invocation inv, long wanted, String unit) throws ModuleException {
        Double now = current(ctx, inv, unit);
        Map<String, Object> data = NodetoolRunner.baseData(inv.argv(), null);
        data.putAll(stateData(wanted, unit, now));
        String want = describe(wanted, unit);
        if (now != null && now == wanted) {
            return new Preview(Preview.Change.NO, "stream throughput is already " + want, null, List.of(), data);
        }
        Map<String, Object> would = NodetoolRunner.wouldRun(inv.argv());
        would.putAll(stateData(wanted, unit, now));
        return Preview.willChange("would set stream throughput to " + want + " (now "
                        + (now == null ? "not a whole number of " + unit : describe(now, unit)) + ")",
                List.of(NodetoolRunner.display(inv.argv()))).withData(would);
    }

    /** apply: sets the cap (check said it differs). */
    static Result apply(ModuleContext ctx, Invocation inv, long wanted, String unit) throws ModuleException {
        Object before = ctx.preview() == null ? null : ctx.preview().data().get("previous");
        ExecResult r = NodetoolRunner.run(ctx, inv);
        Map<String, Object> data = NodetoolRunner.baseData(inv.argv(), r);
        data.putAll(stateData(wanted, unit, before instanceof Double d ? d : null));
        return Result.changed("set stream throughput to " + describe(wanted, unit))
                .withCommands(List.of(NodetoolRunner.display(inv.argv()))).withData(data);
    }

    /**
     * The current cap in {@code unit}; null when {@code getstreamthroughput} refuses to print a
     * cap that is not a whole number of megabits (5.0).
     */
    private static Double current(ModuleContext ctx, Invocation inv, String unit) throws ModuleException {
        List<String> argv = MIB.equals(unit) ? inv.read("getstreamthroughput", "-m") : inv.read("getstreamthroughput");
        ExecResult r = NodetoolRunner.tryRun(ctx, argv, "getstreamthroughput", inv.timeout());
        if (!r.ok()) {
            if (MEGABITS.equals(unit) && NodetoolRunner.errorLine(r).contains(NOT_WHOLE)) {
                return null;
            }
            throw new ModuleException(ctx.host() + ": nodetool getstreamthroughput failed (" + NodetoolRunner.exit(r)
                    + "): " + NodetoolRunner.errorLine(r));
        }
        try {
            return parse(r.stdout());
        } catch (NodetoolParseException e) {
            throw new ModuleException(ctx.host() + ": " + e.getMessage(), e);
        }
    }

    /** throughput, throughput_unit and previous (the cap before, null when not readable). */
    private static Map<String, Object> stateData(long wanted, String unit, Double previous) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("throughput", wanted);
        m.put("throughput_unit", unit);
        m.put("previous", previous);
        return m;
    }

    private static String describe(double v, String unit) {
        if (v == 0) {
            return "unlimited (0)";
        }
        return (v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v)) + " " + unit;
    }
}
