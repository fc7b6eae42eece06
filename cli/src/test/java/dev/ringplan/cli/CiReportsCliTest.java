package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * CI reports through the CLI on a local host: {@code --report-junit} writes JUnit XML that the
 * JDK's parser reads, with one test case per (task, host), failures, skips and ignored failures
 * as CI reporters expect, and no secret; {@code CI=true} refuses a plan not committed in git and
 * runs a committed one.
 */
class CiReportsCliTest {
    private static final String SECRET = "s3cr3t-Value";

    @TempDir
    Path tmp;

    private record Out(int code, String out, String err) {
        String all() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private static Out cli(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Ringplan.execute(args, new PrintWriter(o, true), new PrintWriter(e, true));
        return new Out(code, o.toString(), e.toString());
    }

    private Path plan() throws Exception {
        Files.writeString(tmp.resolve("inv.yaml"), "all:\n  hosts:\n    h1:\n      ansible_connection: local\n");
        Path p = tmp.resolve("plan.yaml");
        Files.writeString(p, """
                name: ci-report
                hosts: all
                tasks:
                  - id: already
                    command: { cmd: "touch %s", creates: "%s" }
                  - id: touch
                    command: "true"
                  - id: never
                    when: false
                    command: "true"
                  - id: tolerated
                    ignore_errors: true
                    command: "false"
                  - id: broken
                    command:
                      shell: true
                      env: { PW: "{{ db_password }}" }
                      cmd: >-
                        printf '\\033[31m<red> & %%s' "$PW"; exit 3
                  - id: after
                    needs: broken
                    command: "true"
                """.formatted(tmp.resolve("inv.yaml"), tmp.resolve("inv.yaml")));
        return p;
    }

    @Test
    void run_reportJunit_parsesWithCasesFailuresSkipsAndNoSecret() throws Exception {
        Path p = plan();
        Path xml = tmp.resolve("reports/junit.xml");
        Out r = cli("run", p.toString(), "-i", tmp.resolve("inv.yaml").toString(), "-e", "db_password=" + SECRET,
                "--report-junit", xml.toString());
        assertEquals(ExitCodes.TASK_FAILED, r.code(), r.all());
        String text = Files.readString(xml, StandardCharsets.UTF_8);
        assertFalse(text.contains(SECRET), "secret in the JUnit report:\n" + text);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("testsuites", doc.getDocumentElement().getTagName());
        assertEquals("ci-report", suite.getAttribute("name"));
        assertEquals("6", suite.getAttribute("tests"), text);
        assertEquals("1", suite.getAttribute("failures"), text);
        assertEquals("0", suite.getAttribute("errors"), text);
        assertEquals("2", suite.getAttribute("skipped"), "when false and upstream failed: " + text);
        Map<String, Element> cases = new LinkedHashMap<>();
        NodeList tcs = suite.getElementsByTagName("testcase");
        for (int i = 0; i < tcs.getLength(); i++) {
            Element tc = (Element) tcs.item(i);
            cases.put(tc.getAttribute("name"), tc);
            assertEquals("ci-report", tc.getAttribute("classname"));
            assertTrue(Double.parseDouble(tc.getAttribute("time")) >= 0, tc.getAttribute("time"));
        }
        assertEquals(java.util.List.of("already[h1]", "touch[h1]", "never[h1]", "tolerated[h1]", "broken[h1]", "after[h1]"),
                java.util.List.copyOf(cases.keySet()));
        for (String passed : new String[] {"already[h1]", "touch[h1]", "tolerated[h1]"}) {
            Element tc = cases.get(passed);
            assertEquals(0, tc.getElementsByTagName("failure").getLength() + tc.getElementsByTagName("skipped").getLength()
                    + tc.getElementsByTagName("error").getLength(), passed + ": " + text);
        }
        assertTrue(text(cases.get("already[h1]"), "system-out").startsWith("ok: skipped, since"), text);
        assertTrue(text(cases.get("touch[h1]"), "system-out").startsWith("changed: ran: true"), text);
        assertTrue(text(cases.get("tolerated[h1]"), "system-out").startsWith("failed (ignored: ignore_errors)"), text);
        Element skipped = (Element) cases.get("never[h1]").getElementsByTagName("skipped").item(0);
        assertEquals("condition false: false", skipped.getAttribute("message"));
        assertEquals(1, cases.get("after[h1]").getElementsByTagName("skipped").getLength(), text);
        Element failure = (Element) cases.get("broken[h1]").getElementsByTagName("failure").item(0);
        assertEquals("failed", failure.getAttribute("type"));
        assertTrue(failure.getAttribute("message").startsWith("command failed:"), failure.getAttribute("message"));
        assertTrue(failure.getTextContent().contains("\\u001B[31m<red> & ********"),
                "terminal escape as text, markup characters kept, secret masked: " + failure.getTextContent());
    }

    @Test
    void plan_reportJunit_checkModeProperty_unknownPasses() throws Exception {
        Path p = plan();
        Path xml = tmp.resolve("plan.xml");
        Out r = cli("plan", p.toString(), "-i", tmp.resolve("inv.yaml").toString(), "-e", "db_password=" + SECRET,
                "--report-junit", xml.toString());
        assertEquals(ExitCodes.OK, r.code(), r.all());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("0", suite.getAttribute("failures"), r.all());
        NodeList props = suite.getElementsByTagName("property");
        boolean checkMode = false;
        for (int i = 0; i < props.getLength(); i++) {
            Element e = (Element) props.item(i);
            checkMode |= e.getAttribute("name").equals("check_mode") && e.getAttribute("value").equals("true");
        }
        assertTrue(checkMode, Files.readString(xml));
        assertFalse(Files.readString(xml).contains(SECRET));
    }

    @Test
    void run_reportJunit_unreachableHost_isAnError() throws Exception {
        Files.writeString(tmp.resolve("inv.yaml"), "all:\n  hosts:\n    far:\n      ansible_host: 127.0.0.1\n"
                + "      ansible_port: 1\n      ansible_user: nobody\n");
        Files.writeString(tmp.resolve("plan.yaml"), "name: far\nhosts: all\ntasks:\n  - id: t\n    command: \"true\"\n");
        Path xml = tmp.resolve("far.xml");
        Out r = cli("run", tmp.resolve("plan.yaml").toString(), "-i", tmp.resolve("inv.yaml").toString(),
                "--known-hosts", tmp.resolve("known_hosts").toString(), "--report-junit", xml.toString());
        assertEquals(ExitCodes.UNREACHABLE, r.code(), r.all());
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertEquals("1", suite.getAttribute("errors"), Files.readString(xml));
        assertEquals("0", suite.getAttribute("failures"), Files.readString(xml));
        Element error = (Element) suite.getElementsByTagName("error").item(0);
        assertEquals("unreachable", error.getAttribute("type"));
        assertFalse(error.getAttribute("message").isEmpty(), Files.readString(xml));
    }

    @Test
    void ciTrue_uncommittedPlan_refusedExit2_committedRuns() throws Exception {
        Path p = plan();
        Files.writeString(p, "name: ci\nhosts: all\ntasks:\n  - id: t\n    command: \"true\"\n");
        Cli.Run r = Cli.runIn(tmp, Map.of("CI", "true"), "run", "plan.yaml", "-i", "inv.yaml");
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.all());
        assertTrue(r.err().contains("plan.yaml is not committed in git (CI=true implies --require-clean)"), r.all());
        assertEquals(ExitCodes.OK, Cli.runIn(tmp, "run", "plan.yaml", "-i", "inv.yaml").code(), "without CI");
        try (Git git = Git.init().setDirectory(tmp.toFile()).setInitialBranch("main").call()) {
            PersonIdent me = new PersonIdent("Test", "test@example.org");
            git.add().addFilepattern("plan.yaml").call();
            git.commit().setMessage("plan").setAuthor(me).setCommitter(me).setSign(false).call();
        }
        Cli.Run ok = Cli.runIn(tmp, Map.of("CI", "true"), "plan", "plan.yaml", "-i", "inv.yaml");
        assertEquals(ExitCodes.OK, ok.code(), ok.all());
        assertTrue(ok.out().contains(", commit "), ok.all());
    }

    private static String text(Element tc, String tag) {
        return tc.getElementsByTagName(tag).item(0).getTextContent();
    }
}
