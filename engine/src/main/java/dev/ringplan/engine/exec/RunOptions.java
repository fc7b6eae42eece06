package dev.ringplan.engine.exec;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * How to run a compiled plan.
 *
 * @param runId     unique id of this run (journal directory name)
 * @param started   when the run started
 * @param checkMode preview only ({@code ringplan plan}): modules' check, read-only modules' apply
 * @param diffMode  collect and show diffs
 * @param forks     most nodes running at once (default 10)
 * @param workDir   controller working directory; relative paths resolve here
 * @param planFacts {@code plan.*} variables: file, name, commit, dirty
 */
public record RunOptions(String runId, Instant started, boolean checkMode, boolean diffMode, int forks,
                         Path workDir, Map<String, Object> planFacts) {
}
