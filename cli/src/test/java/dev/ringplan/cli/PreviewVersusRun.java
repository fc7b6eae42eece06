package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The preview's promise, checked on two {@code --report-json} files of the same plan with the
 * same {@code -e}: first {@code ringplan plan}, then {@code ringplan run}. Per (task, host):
 * what the plan says is {@code changed} is {@code changed} in the run, and what the run changed
 * the plan said was {@code changed} or {@code unknown}
 * (plan.changed ⊆ run.changed ⊆ plan.changed ∪ plan.unknown). Both runs must have the same nodes.
 */
final class PreviewVersusRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PreviewVersusRun() {
    }

    /** (task[host]) → status of a report, in report order. */
    static Map<String, String> statuses(Path report) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode r : JSON.readTree(report.toFile()).get("results")) {
            out.put(r.get("task").asText() + "[" + r.get("host").asText() + "]", r.get("status").asText());
        }
        return out;
    }

    /**
     * Asserts the promise for {@code what} (e.g. "backup"); prints the per-status counts of both
     * and returns the plan's statuses.
     */
    static Map<String, String> assertHolds(String what, Path planReport, Path runReport) throws IOException {
        assertTrue(JSON.readTree(planReport.toFile()).get("check_mode").asBoolean(), planReport + " is a plan's report");
        assertTrue(!JSON.readTree(runReport.toFile()).get("check_mode").asBoolean(), runReport + " is a run's report");
        Map<String, String> plan = statuses(planReport);
        Map<String, String> run = statuses(runReport);
        assertEquals(plan.keySet(), run.keySet(), what + ": the plan and the run have the same (task, host) nodes");
        List<String> broken = new ArrayList<>();
        for (var e : plan.entrySet()) {
            String p = e.getValue();
            String r = run.get(e.getKey());
            if (p.equals("changed") && !r.equals("changed")) {
                broken.add(e.getKey() + ": plan changed, run " + r);
            }
            if (r.equals("changed") && !p.equals("changed") && !p.equals("unknown")) {
                broken.add(e.getKey() + ": run changed, plan " + p);
            }
        }
        System.out.printf("preview vs run of %s: plan %s; run %s%n", what, count(plan), count(run));
        assertEquals(List.of(), broken, what + ": plan.changed ⊆ run.changed ⊆ plan.changed ∪ plan.unknown;"
                + "\nplan " + plan + "\nrun  " + run);
        return plan;
    }

    private static Map<String, Integer> count(Map<String, String> statuses) {
        Map<String, Integer> m = new TreeMap<>();
        statuses.values().forEach(s -> m.merge(s, 1, Integer::sum));
        return m;
    }
}
