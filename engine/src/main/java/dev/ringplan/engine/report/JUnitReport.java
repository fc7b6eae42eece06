package dev.ringplan.engine.report;

import dev.ringplan.engine.exec.NodeResult;
import dev.ringplan.engine.exec.RunListener;
import dev.ringplan.engine.exec.RunReport;
import dev.ringplan.engine.exec.Status;
import dev.ringplan.engine.secret.Secrets;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes {@code --report-junit FILE} when the run ends, in the JUnit XML format CI systems render
 * (Jenkins' JUnit plugin, GitLab's {@code artifacts:reports:junit}, GitHub test-report actions): the
 * de-facto schema of Apache Ant's JUnit task ({@code junitreport}'s {@code junit-4.xsd}):
 * <pre>{@code
 * <testsuites name="ringplan" tests failures errors skipped time>
 *   <testsuite name=PLAN tests failures errors skipped time timestamp hostname>
 *     <properties><property name="run_id" value=.../> (commit, plan_file, check_mode)</properties>
 *     <testcase name="task[host]" classname=PLAN time=SECONDS>
 *       <failure message=... type="failed">output</failure>   (a failure not ignored)
 *    or <error message=... type="unreachable|interrupted">output</error>
 *    or <skipped message=.../> <system-out>output</system-out>   (when false, upstream failed)
 *    or <system-out>output</system-out>                         (passed)
 * }</pre>
 * One test case per (task, host). As Ansible's {@code junit} callback does by default, {@code ok},
 * {@code changed}, {@code unknown} (check mode) and a failure {@code ignore_errors} tolerated pass;
 * their status is the first line of {@code system-out}. Times are seconds with millisecond
 * precision; {@code timestamp} is the run's start in UTC without a zone, as the Ant schema has it;
 * {@code hostname} the controller's. The output is the status, message, diff, commands and the
 * command's stdout/stderr.
 *
 * <p>What it writes comes masked from the executor ({@code exec.RunSecrets}); secret-named keys
 * are masked once more, and characters XML 1.0 cannot hold (terminal escapes, NUL) are written as
 * {@code \}{@code uXXXX} text so the file always parses.
 */
public final class JUnitReport implements RunListener {
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private final Path file;

    /** A listener writing to {@code file} (parents created). */
    public JUnitReport(Path file) {
        this.file = file;
    }

    @Override
    public void runFinished(RunReport report) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (OutputStream out = Files.newOutputStream(file)) {
                write(report, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JUnit report " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code report} as JUnit XML (UTF-8) to {@code out}. */
    public static void write(RunReport report, OutputStream out) throws IOException {
        Document doc;
        try {
            doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no XML document builder: " + e.getMessage(), e);
        }
        String plan = text(report.planName());
        Element suites = doc.createElement("testsuites");
        suites.setAttribute("name", "ringplan");
        doc.appendChild(suites);
        Element suite = doc.createElement("testsuite");
        suites.appendChild(suite);
        suite.setAttribute("name", plan);
        Element props = doc.createElement("properties");
        suite.appendChild(props);
        property(props, "run_id", report.options().runId());
        property(props, "plan_file", report.planFile());
        property(props, "commit", report.options().planFacts().get("commit"));
        property(props, "check_mode", report.options().checkMode());
        int failures = 0;
        int errors = 0;
        int skipped = 0;
        for (NodeResult r : report.results()) {
            Element tc = doc.createElement("testcase");
            suite.appendChild(tc);
            tc.setAttribute("name", text(r.node().name()));
            tc.setAttribute("classname", plan);
            tc.setAttribute("time", seconds(r.durationMs()));
            String output = output(r);
            if (r.status() == Status.FAILED && !r.ignored()) {
                failures++;
                tc.appendChild(problem(doc, "failure", "failed", r, output));
                continue;
            }
            if (r.status() == Status.UNREACHABLE || r.status() == Status.INTERRUPTED) {
                errors++;
                tc.appendChild(problem(doc, "error", r.status().label(), r, output));
                continue;
            }
            if (r.status() == Status.SKIPPED) {
                skipped++;
                Element s = doc.createElement("skipped");
                s.setAttribute("message", text(r.msg()));
                tc.appendChild(s);
            }
            Element sysout = doc.createElement("system-out");
            sysout.setTextContent(output);
            tc.appendChild(sysout);
        }
        String tests = Integer.toString(report.results().size());
        String time = seconds(report.durationMs());
        for (Element e : new Element[] {suites, suite}) {
            e.setAttribute("tests", tests);
            e.setAttribute("failures", Integer.toString(failures));
            e.setAttribute("errors", Integer.toString(errors));
            e.setAttribute("skipped", Integer.toString(skipped));
            e.setAttribute("time", time);
        }
        suite.setAttribute("timestamp", TIMESTAMP.format(report.options().started().truncatedTo(ChronoUnit.SECONDS)));
        suite.setAttribute("hostname", controllerHost());
        try {
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            t.transform(new DOMSource(doc), new StreamResult(out));
        } catch (TransformerException e) {
            throw new IOException("cannot write XML: " + e.getMessage(), e);
        }
    }

    /** The controller's host name (the Ant schema's {@code hostname}: where the run was driven from). */
    private static String controllerHost() {
        try {
            return text(java.net.InetAddress.getLocalHost().getHostName());
        } catch (java.io.IOException | RuntimeException e) {
            return "localhost";
        }
    }

    private static Element problem(Document doc, String tag, String type, NodeResult r, String output) {
        Element f = doc.createElement(tag);
        f.setAttribute("message", text(r.msg()));
        f.setAttribute("type", type);
        f.setTextContent(output);
        return f;
    }

    private static void property(Element props, String name, Object value) {
        Element p = props.getOwnerDocument().createElement("property");
        p.setAttribute("name", name);
        p.setAttribute("value", value == null ? "" : text(String.valueOf(value)));
        props.appendChild(p);
    }

    /** What a CI page shows for a node: status, message, diff, commands, registered data. */
    static String output(NodeResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.status().label()).append(r.ignored() ? " (ignored: ignore_errors)" : "").append(": ")
                .append(r.msg() == null ? "" : r.msg()).append('\n');
        if (r.diff() != null && !r.diff().isEmpty()) {
            sb.append(r.diff());
            if (!r.diff().endsWith("\n")) {
                sb.append('\n');
            }
        }
        for (String c : r.commands()) {
            sb.append("$ ").append(c).append('\n');
        }
        for (String k : new String[] {"stdout", "stderr"}) {
            if (r.data().get(k) instanceof String s && !s.isEmpty()) {
                sb.append(k).append(":\n").append(s).append('\n');
            }
        }
        return text(sb.toString());
    }

    /** Seconds with millisecond precision, {@code 1.234}. */
    static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.3f", ms / 1000.0);
    }

    /**
     * {@code s} with secret-named values masked and every character XML 1.0 cannot carry
     * (control characters other than tab, newline and carriage return; lone surrogates; U+FFFE,
     * U+FFFF) written as {@code \}{@code uXXXX}; null is empty.
     */
    static String text(String s) {
        if (s == null) {
            return "";
        }
        String masked = Secrets.process().maskText(s);
        StringBuilder sb = new StringBuilder(masked.length());
        for (int i = 0; i < masked.length(); i++) {
            char c = masked.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < masked.length()
                    && Character.isLowSurrogate(masked.charAt(i + 1));
            if (pair) {
                sb.append(c).append(masked.charAt(++i));
            } else if (c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c < 0xD800) || (c >= 0xE000 && c <= 0xFFFD)) {
                sb.append(c);
            } else {
                sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            }
        }
        return sb.toString();
    }
}
