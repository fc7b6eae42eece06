package dev.ringplan.modules.cql;

import dev.ringplan.engine.diag.Suggest;
import dev.ringplan.engine.module.ModuleException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code check} of a {@code cql} task: a query whose answer says whether the statements are
 * needed. {@code {query: "SELECT ...", expect: {column: value, ...}, rows: N}}:
 * <ul>
 * <li>{@code query}: one {@code SELECT} statement (the check runs in check mode too, so it must
 *     only read);</li>
 * <li>{@code expect}: the values the first row must hold, by column ({@link Values#matches});
 *     the query must return at least one row;</li>
 * <li>{@code rows}: the number of rows the query must return ({@code rows: 0}: "absent").</li>
 * </ul>
 * At least one of {@code expect} and {@code rows}. The check holds when every given condition
 * does; then the task is {@code ok} and the statements do not run.
 *
 * @param query  the SELECT statement (without a final {@code ;})
 * @param expect column to expected value, or null
 * @param rows   the expected row count, or null
 */
public record CheckSpec(String query, Map<String, Object> expect, Long rows) {
    private static final Set<String> KEYS = Set.of("query", "expect", "rows");

    /**
     * Reads a {@code check} argument.
     *
     * @throws ModuleException when a key is unknown, the query is missing, not one SELECT, or
     *                         neither expect nor rows is given
     */
    public static CheckSpec parse(Map<String, Object> raw) throws ModuleException {
        for (String k : raw.keySet()) {
            if (!KEYS.contains(k)) {
                String hint = Suggest.didYouMean(k, KEYS);
                throw new ModuleException("check: unknown key '" + k + "'" + (hint != null ? "; " + hint
                        : "; expected query, expect, rows"));
            }
        }
        if (!(raw.get("query") instanceof String q) || q.isBlank()) {
            throw new ModuleException("check: 'query' must be a SELECT statement");
        }
        List<String> parts = CqlScript.split(q, false);
        if (parts.size() != 1 || !CqlScript.firstKeyword(parts.get(0)).equals("SELECT")) {
            throw new ModuleException("check: 'query' must be one SELECT statement (it runs in check mode too, so it"
                    + " may only read), got: " + CqlIdentifiers.printable(q.strip()));
        }
        Map<String, Object> expect = null;
        Object e = raw.get("expect");
        if (e instanceof Map<?, ?> m && !m.isEmpty()) {
            expect = new LinkedHashMap<>();
            for (Map.Entry<?, ?> x : m.entrySet()) {
                expect.put(String.valueOf(x.getKey()), x.getValue());
            }
        } else if (e != null) {
            throw new ModuleException("check: 'expect' must be a mapping of column to value");
        }
        Long rows = null;
        Object r = raw.get("rows");
        if (r instanceof Integer || r instanceof Long) {
            rows = ((Number) r).longValue();
        } else if (r instanceof String s && s.strip().matches("\\d{1,9}")) {
            rows = Long.parseLong(s.strip());
        } else if (r != null) {
            throw new ModuleException("check: 'rows' must be a whole number, got '" + r + "'");
        }
        if (rows != null && rows < 0) {
            throw new ModuleException("check: 'rows' must not be negative");
        }
        if (expect == null && rows == null) {
            throw new ModuleException("check: give 'expect' (the values of the first row) or 'rows' (the row count),"
                    + " or both");
        }
        return new CheckSpec(parts.get(0), expect, rows);
    }

    /**
     * Whether the rows the query returned meet the check, and why not.
     *
     * @param rows the result rows, each column name to plain value ({@link Values#plain})
     * @return null when the check holds, else a short reason, e.g.
     *         "compaction is {class=...}, expected {class=...}"
     * @throws ModuleException when {@code expect} names a column the query does not return
     */
    public String mismatch(List<Map<String, Object>> rows, List<String> columns) throws ModuleException {
        List<String> reasons = new ArrayList<>();
        if (this.rows != null && rows.size() != this.rows) {
            reasons.add("the query returned " + rows.size() + (rows.size() == 1 ? " row" : " rows") + ", expected "
                    + this.rows);
        }
        if (expect != null) {
            for (String col : expect.keySet()) {
                if (!columns.contains(col)) {
                    throw new ModuleException("check: expect names column '" + col + "', which the query does not"
                            + " return (columns: " + String.join(", ", columns) + ")");
                }
            }
            if (rows.isEmpty()) {
                reasons.add("the query returned no row");
            } else {
                Map<String, Object> first = rows.get(0);
                for (Map.Entry<String, Object> e : expect.entrySet()) {
                    Object got = first.get(e.getKey());
                    if (!Values.matches(e.getValue(), got)) {
                        reasons.add(e.getKey() + " is " + Values.show(got) + ", expected " + Values.show(e.getValue()));
                    }
                }
            }
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }
}
