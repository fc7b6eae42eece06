package dev.ringplan.modules.cql;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import dev.ringplan.engine.module.ModuleContext;
import dev.ringplan.engine.module.ModuleException;
import dev.ringplan.engine.module.Preview;
import dev.ringplan.engine.module.Result;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cql} with {@code statements}: runs them in order, unless the {@code check} query
 * ({@link CheckSpec}) already finds the state they lead to. Without a check the task cannot know:
 * check mode says {@code unknown}, and a run reports {@code changed} every time.
 */
final class StatementsTask {
    private StatementsTask() {
    }

    /**
     * The statements of the argument: a string (one or more statements separated by {@code ;}) or
     * a list of such strings.
     *
     * @throws ModuleException when there is none, or a literal or comment is not closed
     */
    static List<String> statements(Object raw) throws ModuleException {
        List<String> out = new ArrayList<>();
        if (raw instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map || o instanceof List || o == null) {
                    throw new ModuleException("statements: each element must be CQL text");
                }
                out.addAll(CqlScript.split(String.valueOf(o), false));
            }
        } else if (raw instanceof Map) {
            throw new ModuleException("statements: expected CQL text or a list of it, got a mapping");
        } else if (raw != null) {
            out.addAll(CqlScript.split(String.valueOf(raw), false));
        }
        if (out.isEmpty()) {
            throw new ModuleException("statements: no CQL statement given");
        }
        return out;
    }

    static Preview check(ModuleContext ctx) throws ModuleException {
        List<String> statements = statements(ctx.args().get("statements"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("statements", statements);
        data.put("executed", null);
        String what = statements.size() == 1 ? "1 statement" : statements.size() + " statements";
        if (!ctx.args().has("check")) {
            // the statements themselves are the preview's commands; a short list goes into the line too
            String shown = statements.size() <= 3 ? ": " + String.join("; ", statements.stream()
                    .map(CqlSessions::oneLine).toList()) : "";
            return Preview.unknown("would run " + what + " (no check: not idempotent, changed every time)" + shown,
                    statements).withData(data);
        }
        CheckSpec check = CheckSpec.parse(ctx.args().map("check"));
        CqlSettings s = CqlSettings.forTask(ctx);
        Outcome o;
        try (CqlSession session = CqlSessions.open(s)) {
            o = evaluate(session, s, check);
        } catch (ModuleException e) {
            String pending = Upstream.pending(ctx);
            if (pending == null) {
                throw e;
            }
            data.put("check_matched", null);
            data.put("check_row", null);
            return Preview.unknown("check query failed (" + e.getMessage().lines().findFirst().orElse("") + "); known "
                    + pending, statements).withData(data);
        }
        data.put("check_matched", o.mismatch == null);
        data.put("check_row", o.row);
        if (o.mismatch == null) {
            data.put("executed", 0);
            return Preview.noChange("check holds: " + check.query()).withData(data);
        }
        return Preview.willChange("would run " + what + ": " + o.mismatch, statements).withData(data);
    }

    static Result apply(ModuleContext ctx) throws ModuleException {
        Map<String, Object> data = new LinkedHashMap<>(ctx.preview().data());
        @SuppressWarnings("unchecked")
        List<String> statements = (List<String>) data.get("statements");
        CqlSettings s = CqlSettings.forTask(ctx);
        try (CqlSession session = CqlSessions.open(s)) {
            for (int i = 0; i < statements.size(); i++) {
                ctx.log(CqlSessions.oneLine(statements.get(i)));
                CqlSessions.execute(session, s, statements.get(i), "statement " + (i + 1) + " of " + statements.size());
            }
            data.put("executed", statements.size());
            if (ctx.args().has("check")) {
                CheckSpec check = CheckSpec.parse(ctx.args().map("check"));
                Outcome o = evaluate(session, s, check);
                if (o.mismatch != null) {
                    return Result.failed("the statements ran, but the check still does not hold (" + o.mismatch
                            + "): the task would change every time; fix the statements or the check")
                            .withCommands(statements).withData(data);
                }
            }
        }
        String msg = "ran " + (statements.size() == 1 ? "1 statement" : statements.size() + " statements");
        return Result.changed(ctx.args().has("check") ? msg + "; the check holds now" : msg)
                .withCommands(statements).withData(data);
    }

    /** The check's verdict and the first row it read (null when none). */
    private record Outcome(String mismatch, Map<String, Object> row) {
    }

    private static Outcome evaluate(CqlSession session, CqlSettings s, CheckSpec check) throws ModuleException {
        ResultSet rs = CqlSessions.execute(session, s, check.query(), "check query");
        List<String> columns = new ArrayList<>();
        List<Map<String, Object>> rows = CqlSessions.rows(rs, columns);
        return new Outcome(check.mismatch(rows, columns), rows.isEmpty() ? null : rows.get(0));
    }
}
