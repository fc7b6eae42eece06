package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The CI jobs of the README's "Running from CI" section, as a user pastes them: each YAML block
 * parses, the GitHub Actions workflow has a plan job and an apply job that needs it, the GitLab
 * CI file attaches the JUnit report, both keep the preview's and the apply's timeline
 * ({@code show last --timeline}) as artifacts, and every {@code ./ringplan} command line in them
 * is accepted by the CLI's argument parser.
 */
class ReadmeCiSnippetsTest {
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL);

    private static List<String> snippets() throws Exception {
        String readme = Files.readString(Cli.ROOT.resolve("README.md"));
        int start = readme.indexOf("\n## Running from CI\n");
        assertTrue(start >= 0, "README has a 'Running from CI' section");
        int end = readme.indexOf("\n## ", start + 5);
        Matcher m = YAML_BLOCK.matcher(readme.substring(start, end));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void runningFromCi_githubAndGitlabJobs_parseAndUseRealOptions() throws Exception {
        List<String> yaml = snippets();
        assertEquals(2, yaml.size(), "a GitHub Actions and a GitLab CI snippet");
        Map<String, Object> github = new Yaml().load(yaml.get(0));
        Map<String, Object> jobs = (Map<String, Object>) github.get("jobs");
        assertEquals(List.of("plan", "apply"), List.copyOf(jobs.keySet()));
        assertEquals("plan", ((Map<String, Object>) jobs.get("apply")).get("needs"));
        assertEquals("production", ((Map<String, Object>) jobs.get("apply")).get("environment"));
        Map<String, Object> gitlab = new Yaml().load(yaml.get(1));
        Map<String, Object> plan = (Map<String, Object>) gitlab.get("ringplan-plan");
        Map<String, Object> artifacts = (Map<String, Object>) plan.get("artifacts");
        assertEquals("plan-junit.xml", ((Map<String, Object>) artifacts.get("reports")).get("junit"));
        assertEquals(List.of("ringplan-plan"), ((Map<String, Object>) gitlab.get("ringplan-apply")).get("needs"));
        assertTrue(((List<String>) artifacts.get("paths")).contains("plan-timeline.html"), artifacts.toString());
        Map<String, Object> apply = (Map<String, Object>) gitlab.get("ringplan-apply");
        assertTrue(((List<String>) ((Map<String, Object>) apply.get("artifacts")).get("paths")).contains("apply-timeline.html"));
        assertEquals(List.of("./ringplan show last --timeline plan-timeline.html"), plan.get("after_script"),
                "written even when the preview failed");
        assertEquals(List.of("./ringplan show last --timeline apply-timeline.html"), apply.get("after_script"));
        for (String job : List.of("plan", "apply")) {
            List<Map<String, Object>> steps = (List<Map<String, Object>>) ((Map<String, Object>) jobs.get(job)).get("steps");
            Map<String, Object> timeline = steps.stream().filter(s -> String.valueOf(s.get("run")).contains("--timeline"))
                    .findFirst().orElseThrow();
            assertEquals("always()", timeline.get("if"), job);
            assertEquals("./ringplan show last --timeline " + job + "-timeline.html", timeline.get("run"));
            Map<String, Object> upload = steps.get(steps.size() - 1);
            String paths = (String) ((Map<String, Object>) upload.get("with")).get("path");
            assertTrue(paths.contains(job + "-timeline.html"), paths);
        }

        int commands = 0;
        for (String block : yaml) {
            for (String line : block.lines().toList()) {
                int at = line.indexOf("./ringplan ");
                if (at < 0) {
                    continue;
                }
                String[] args = line.substring(at + "./ringplan ".length()).strip().split(" +");
                Ringplan.commandLine(args).parseArgs(args); // throws on an unknown option
                commands++;
            }
        }
        assertEquals(8, commands, "plan and apply, each with its timeline, in each snippet");
    }
}
