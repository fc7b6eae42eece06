package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secret grep: a plan with known secrets goes through every output of the CLI (in-process,
 * {@link Ringplan#execute}, local connection, no sandbox) and no output holds a secret: console
 * (stdout and stderr of validate, plan, run with {@code -D}), {@code journal.jsonl},
 * {@code run.json} and {@code report.json} of each run, {@code --report-json}, diffs, a failing
 * task's error message, {@code no_log} output, and the errors of a bad {@code -e @file}, a bad
 * inline {@code -e} and a picocli argument error.
 */
class SecretsCliTest {
    /** In the plan's vars. */
    private static final String PW = "S3cr3t-Zebra-42";
    /** In a {@code -e @file}, with a quote so that commands show it shell-quoted. */
    private static final String PASSPHRASE = "it's-Zebra-Q7";
    /** Every secret above contains it; so does no other text. */
    private static final String MARK = "Zebra";
    private static final Pattern RUN_ID = Pattern.compile(" — run (\\S+),");

    private final List<Path> runDirs = new ArrayList<>();


    private Cli.Run ringplan(String... args) {
        Cli.Run o = Cli.inProcess(args);
        Matcher m = RUN_ID.matcher(o.out());
        if (m.find()) {
            runDirs.add(Path.of("").toAbsolutePath().resolve(".ringplan").resolve("runs").resolve(m.group(1)));
        }
        return o;
    }

    @AfterEach
    void removeRunDirs() throws IOException {
        for (Path d : runDirs) {
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.walk(d)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
        Path runs = Path.of("").toAbsolutePath().resolve(".ringplan").resolve("runs");
        for (Path p : List.of(runs, runs.getParent())) {
            if (Files.isDirectory(p)) {
                boolean empty;
                try (Stream<Path> s = Files.list(p)) {
                    empty = s.findAny().isEmpty();
                }
                if (empty) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void secrets_appearInNoOutput(@TempDir Path dir) throws Exception {
        Path conf = Files.writeString(dir.resolve("app.yaml"), "cluster_name: test\nauth_password: old-value\n");
        Path inv = Files.writeString(dir.resolve("inv.yaml"), """
                all:
                  hosts:
                    h1:
                      ansible_connection: local
                """);
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                name: secret-grep
                hosts: all
                vars:
                  db_password: "%s"
                tasks:
                  - id: connect
                    command: "echo mysql -p'{{ db_password }}' --ssl-passphrase={{ ssh_passphrase | quote }}"
                  - id: edit
                    yaml_edit:
                      path: "%s"
                      set: { auth_password: "{{ db_password }}" }
                  - id: hidden
                    command: "echo {{ db_password }} stays hidden"
                    no_log: true
                  - id: show
                    debug: { msg: "connecting with {{ db_password }}" }
                  - id: broken
                    needs: [connect, edit, hidden, show]
                    command: "false --password {{ db_password }}"
                """.formatted(PW, conf));
        Path vars = Files.writeString(dir.resolve("vars.yaml"), "ssh_passphrase: \"" + PASSPHRASE + "\"\n");
        Path badVars = Files.writeString(dir.resolve("bad-vars.yaml"),
                "db_password: " + PW + "\nssh_passphrase: [\"" + PASSPHRASE + "\"\n");
        Path reportJson = dir.resolve("out/report.json");

        List<Cli.Run> outs = new ArrayList<>();
        Cli.Run validate = ringplan("validate", plan.toString(), "-i", inv.toString(), "-e", "@" + vars);
        outs.add(validate);
        assertEquals(0, validate.code(), validate.all());

        Path saved = dir.resolve("out/saved-preview.json");
        Path planJunit = dir.resolve("out/plan-junit.xml");
        Path runJunit = dir.resolve("out/run-junit.xml");
        Cli.Run preview = ringplan("plan", plan.toString(), "-i", inv.toString(), "-e", "@" + vars, "-o", saved.toString(),
                "--report-junit", planJunit.toString());
        outs.add(preview);
        assertEquals(0, preview.code(), preview.all());
        assertTrue(preview.out().contains("+auth_password: ********"), "the diff is shown, masked\n" + preview.all());

        Cli.Run run = ringplan("run", plan.toString(), "-i", inv.toString(), "-e", "@" + vars, "-D", "-vv",
                "--report-json", reportJson.toString(), "--report-junit", runJunit.toString());
        outs.add(run);
        assertEquals(ExitCodes.TASK_FAILED, run.code(), run.all());
        assertTrue(run.out().contains("changed  connect[h1]") && run.out().contains("ran: echo mysql -p******** "
                + "'--ssl-passphrase=********'"), run.all());
        assertTrue(run.out().contains("failed   broken[h1]") && run.out().contains("command failed: false --password ********"),
                run.all());
        assertTrue(run.out().contains("hidden[h1] (") && run.out().contains("'no_log: true' was specified"), run.all());
        assertTrue(run.out().contains("connecting with ********") && run.out().contains("=> {"),
                "debug output and -vv result data are shown, masked\n" + run.all());
        assertTrue(run.out().contains("+auth_password: ********"), run.all());
        assertTrue(Files.readString(conf).contains("auth_password: " + PW), "the module still wrote the real value");

        Cli.Run badFile = ringplan("run", plan.toString(), "-i", inv.toString(), "-e", "@" + badVars);
        outs.add(badFile);
        assertEquals(ExitCodes.INVALID_INPUT, badFile.code(), badFile.all());
        assertTrue(badFile.err().contains(badVars + ":3:1: error: YAML syntax error"), badFile.all());

        Cli.Run badInline = ringplan("run", plan.toString(), "-i", inv.toString(),
                "-e", "{\"db_password\": \"" + PW + "\", oops", "-e", "db_password=" + PW + " Zebra-oops");
        outs.add(badInline);
        assertEquals(ExitCodes.INVALID_INPUT, badInline.code(), badInline.all());
        assertTrue(badInline.err().contains("-e #1:1:") && badInline.err().contains("-e #2:1:29: error: word 2 is not KEY=VALUE"),
                badInline.all());

        Cli.Run badArgs = ringplan("run", plan.toString(), "-i", inv.toString(), "-e", "db_password", PW);
        outs.add(badArgs);
        assertEquals(ExitCodes.INVALID_INPUT, badArgs.code(), badArgs.all());
        assertTrue(badArgs.err().contains("Unmatched argument at index 6: '********'"), badArgs.all());

        List<Path> files = new ArrayList<>(List.of(reportJson, saved, planJunit, runJunit));
        assertEquals(2, runDirs.size(), "plan and run wrote run records");
        for (Path d : runDirs) {
            for (String f : List.of("run.json", "journal.jsonl", "report.json")) {
                assertTrue(Files.exists(d.resolve(f)), d.resolve(f).toString());
                files.add(d.resolve(f));
            }
        }
        int hits = 0;
        StringBuilder where = new StringBuilder();
        for (Cli.Run o : outs) {
            if (o.all().contains(MARK)) {
                hits++;
                where.append(o.all()).append('\n');
            }
        }
        for (Path f : files) {
            String text = Files.readString(f);
            if (text.contains(MARK)) {
                hits++;
                where.append(f).append(":\n").append(text).append('\n');
            }
        }
        assertEquals(0, hits, "secrets found in:\n" + where);
        assertTrue(Files.readString(runDirs.get(1).resolve("journal.jsonl")).contains("--password ********"));
        assertTrue(Files.readString(reportJson).contains("'no_log: true' was specified"));
    }

    @Test
    void compileDiagnostics_masked(@TempDir Path dir) throws Exception {
        Path inv = Files.writeString(dir.resolve("inv.yaml"), "all:\n  hosts:\n    h1: { ansible_connection: local, ansible_password: \"Inv-Zebra-Pass\" }\n");
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                hosts: all
                vars: { db_password: "%s" }
                tasks:
                  - id: a
                    yaml_edit: { path: /tmp/x.yaml, backup: "%s", create: "Inv-Zebra-Pass", set: { a: 1 } }
                """.formatted(PW, PW));
        Cli.Run v = ringplan("validate", plan.toString(), "-i", inv.toString());
        assertEquals(ExitCodes.INVALID_INPUT, v.code(), v.all());
        assertTrue(v.err().contains("argument 'backup' must be a boolean (true/false), got '********'"), v.all());
        assertTrue(v.err().contains("argument 'create' must be a boolean (true/false), got '********'"), v.all());
        assertFalse(v.all().contains(MARK), v.all());
    }

    /** The bugs as reported: a db_password rendered into a command, and {@code -e @vars.yaml}. */
    @Test
    void dbPasswordAndVarsFile_neverPrinted(@TempDir Path dir) throws Exception {
        Path inv = Files.writeString(dir.resolve("inv.yaml"), "all:\n  hosts:\n    h1: { ansible_connection: local }\n");
        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                hosts: all
                vars: { db_password: "%s" }
                tasks:
                  - id: connect
                    command: "echo mysql -p'{{ db_password }}'"
                  - id: broken
                    needs: connect
                    command: "false {{ db_password }}"
                """.formatted(PW));
        Path vars = Files.writeString(dir.resolve("vars.yaml"), "db_password: File-Zebra-1\nother: 1\n");
        Path reportJson = dir.resolve("report.json");
        Cli.Run run = ringplan("run", plan.toString(), "-i", inv.toString(), "-D", "--report-json", reportJson.toString());
        Cli.Run withFile = ringplan("run", plan.toString(), "-i", inv.toString(), "-e", "@" + vars);
        assertEquals(ExitCodes.TASK_FAILED, run.code(), run.all());
        assertEquals(ExitCodes.TASK_FAILED, withFile.code(), "-e @vars.yaml is an extra vars file\n" + withFile.all());
        assertTrue(run.out().contains("ran: echo mysql -p********"), run.all());
        StringBuilder all = new StringBuilder(run.all()).append(withFile.all()).append(Files.readString(reportJson));
        assertEquals(2, runDirs.size());
        for (Path d : runDirs) {
            for (String f : List.of("run.json", "journal.jsonl", "report.json")) {
                all.append(Files.readString(d.resolve(f)));
            }
        }
        assertFalse(all.toString().contains(MARK), all.toString());
    }
}
