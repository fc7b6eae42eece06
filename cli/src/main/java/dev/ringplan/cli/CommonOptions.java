package dev.ringplan.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by validate, plan, run and graph (a picocli mixin). */
public final class CommonOptions {
    /** {@code -i FILE}: the inventory. */
    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE", description = "Inventory file (Ansible YAML format). Default: inventories/sandbox.yaml")
    Path inventory = Path.of("inventories/sandbox.yaml");

    /**
     * {@code -e} extra variables, repeatable, in ansible-playbook's forms: {@code 'a=1 b=2'},
     * {@code @vars.yaml} (YAML or JSON file), {@code '{"a": 1}'} (see {@link ExtraVars}).
     */
    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
            description = "Extra variables (highest precedence), repeatable: 'a=1 b=2', @FILE (YAML/JSON), or '{\"a\": 1}'")
    List<String> extraVars = new ArrayList<>();

    /** {@code --limit PATTERN}. */
    @Option(names = "--limit", paramLabel = "PATTERN", description = "Restrict targets to hosts matching this pattern")
    String limit;

    /** {@code --tags a,b}. */
    @Option(names = {"-t", "--tags"}, split = ",", paramLabel = "TAG",
            description = "Run only tasks with these tags (and 'always'; 'never' ones only when named); a tag no task carries is an error")
    List<String> tags = new ArrayList<>();

    /** {@code --skip-tags a,b}. */
    @Option(names = "--skip-tags", split = ",", paramLabel = "TAG",
            description = "Leave out tasks with these tags ('always' ones only when 'always' is named); a tag no task carries is an error")
    List<String> skipTags = new ArrayList<>();

    /** {@code --debug}: stack traces on internal errors. */
    @Option(names = "--debug", description = "Print stack traces of internal errors")
    boolean debug;
}
