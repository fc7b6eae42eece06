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
import picocli.CommandLine;

/**
 * The CI jobs of the README's "Running from CI" section, as a user pastes them: each YAML block
 * parses, the GitHub Actions workflow has a plan job and an apply job that needs it, the GitLab
 * CI file attaches the JUnit report, and every {@code ./ringplan} command line in them is accepted
 * by the CLI's argument parser.
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

        int commands = 0;
        for (String block : yaml) {
            for (String line : block.lines().toList()) {
                int at = line.indexOf("./ringplan ");
                if (at < 0) {
                    continue;
                }
                String[] args = line.substring(at + "./ringplan ".length()).strip().split(" +");
                new CommandLine(new Ringplan()).parseArgs(args); // throws on an unknown option
                commands++;
            }
        }
        assertEquals(4, commands, "plan and apply in each snippet");
    }
}
