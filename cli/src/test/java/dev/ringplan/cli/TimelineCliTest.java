package dev.ringplan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code ringplan show RUN_ID|last --timeline FILE} through the real CLI, on the journal of a real
 * run on two local hosts: the SVG has a lane per host and a bar per journal line, placed and sized
 * by the lines' {@code started_at}/{@code finished_at}, colored by status (a rescue and an ignored
 * failure included), the user's hostile message escaped and a secret still masked; the HTML page
 * embeds the same chart; a journal without node times and a file that is neither .svg nor .html
 * are exit 2.
 */
class TimelineCliTest {
    private static final String SVG = "http://www.w3.org/2000/svg";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static List<Element> bars(Document doc) {
        List<Element> out = new ArrayList<>();
        NodeList gs = doc.getElementsByTagNameNS(SVG, "g");
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            if (g.getAttribute("class").startsWith("bar ")) {
                out.add(g);
            }
        }
        return out;
    }

    private static Element rect(Element bar) {
        return (Element) bar.getElementsByTagNameNS(SVG, "rect").item(0);
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void showTimeline_realLocalRun_lanesBarsColorsEscaping_htmlToo_oldJournalRefused() throws Exception {
        Files.writeString(tmp.resolve("inv.yaml"), """
                all:
                  hosts:
                    h1: { ansible_connection: local }
                    h2: { ansible_connection: local }
                """);
        Files.writeString(tmp.resolve("plan.yaml"), """
                name: timeline
                hosts: all
                tasks:
                  - id: first
                    command: "sleep 0.4"
                  - id: second
                    needs: first
                    command: "sleep 0.8"
                  - id: note
                    needs: second
                    debug: { msg: "<script>alert('x')</script> & token {{ db_password }}" }
                  - id: tolerated
                    needs: note
                    ignore_errors: true
                    command: "false"
                  - id: guarded
                    needs: tolerated
                    block:
                      - id: breaks
                        command: "false"
                    rescue:
                      - id: repair
                        command: "sleep 0.2"
                """);
        String secret = "Timeline-Secret-91";
        Cli.Run run = Cli.runIn(tmp, "run", "plan.yaml", "-i", "inv.yaml", "-e", "db_password=" + secret);
        assertEquals(ExitCodes.TASK_FAILED, run.code(), run.all());

        Cli.Run show = Cli.runIn(tmp, "show", "last", "--timeline", "out/t.svg");
        assertEquals(ExitCodes.OK, show.code(), show.all());
        Path runDir;
        try (Stream<Path> dirs = Files.list(tmp.resolve(".ringplan/runs"))) {
            runDir = dirs.findFirst().orElseThrow();
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(runDir.resolve("journal.jsonl"))) {
            lines.add(JSON.readTree(l));
        }
        assertTrue(show.out().matches("timeline of run " + runDir.getFileName() + " \\(" + lines.size()
                + " nodes on 2 hosts, \\d+\\.\\d s\\) written to out/t\\.svg\\n"), show.all());
        String svg = Files.readString(tmp.resolve("out/t.svg"));
        assertFalse(svg.contains(secret), "masked in the journal, masked in the chart");
        assertFalse(svg.contains("<script"), svg);
        Document doc = parse(svg);

        List<String> lanes = new ArrayList<>();
        NodeList gs = doc.getElementsByTagNameNS(SVG, "g");
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            if (g.getAttribute("class").equals("lane")) {
                lanes.add(g.getAttribute("data-host"));
            }
        }
        assertEquals(List.of("h1", "h2"), lanes);
        List<Element> bars = bars(doc);
        assertEquals(lines.size(), bars.size(), "a bar per journal line");
        Map<String, JsonNode> byNode = lines.stream().collect(Collectors.toMap(l -> l.get("node").asText(), l -> l));
        Map<String, Element> barByNode = bars.stream().collect(Collectors.toMap(
                b -> b.getAttribute("data-task") + "[" + b.getAttribute("data-host") + "]", b -> b));
        assertEquals(byNode.keySet(), barByNode.keySet());
        barByNode.forEach((node, bar) -> assertEquals(byNode.get(node).get("status").asText(), bar.getAttribute("data-status"), node));

        // x follows started_at, width follows finished_at - started_at, on one scale
        List<String> byStart = byNode.keySet().stream()
                .sorted(Comparator.comparing(n -> Instant.parse(byNode.get(n).get("started_at").asText()))).toList();
        for (int i = 1; i < byStart.size(); i++) {
            double prev = Double.parseDouble(rect(barByNode.get(byStart.get(i - 1))).getAttribute("x"));
            double x = Double.parseDouble(rect(barByNode.get(byStart.get(i))).getAttribute("x"));
            assertTrue(prev <= x + 0.01, byStart.get(i - 1) + " starts before " + byStart.get(i));
        }
        double pxPerMs = px(barByNode.get("second[h1]"), "width") / ms(byNode.get("second[h1]"));
        assertTrue(ms(byNode.get("second[h1]")) >= 800, "sleep 0.8 took at least 800 ms");
        double oneMs = 1.5 * pxPerMs; // offsets are whole milliseconds since the origin
        assertEquals(ms(byNode.get("first[h2]")) * pxPerMs, px(barByNode.get("first[h2]"), "width"), oneMs);
        Instant firstStart = Instant.parse(byNode.get("first[h1]").get("started_at").asText());
        Instant secondStart = Instant.parse(byNode.get("second[h1]").get("started_at").asText());
        assertEquals(Duration.between(firstStart, secondStart).toMillis() * pxPerMs,
                px(barByNode.get("second[h1]"), "x") - px(barByNode.get("first[h1]"), "x"), oneMs);

        assertEquals("bar ignored", barByNode.get("tolerated[h1]").getAttribute("class"));
        assertEquals("bar failed", barByNode.get("breaks[h2]").getAttribute("class"));
        assertEquals("bar rescue", barByNode.get("repair[h2]").getAttribute("class"));
        assertEquals("guarded", byNode.get("repair[h2]").get("rescue_of").asText(), "the journal names the rescued block");
        String tip = ((Element) barByNode.get("note[h1]").getElementsByTagNameNS(SVG, "title").item(0)).getTextContent();
        assertTrue(tip.startsWith("note[h1]: ok, ") && tip.endsWith("<script>alert('x')</script> & token ********"), tip);
        String all = doc.getDocumentElement().getTextContent();
        assertTrue(all.contains("RUN timeline (plan.yaml)") && all.contains("run " + runDir.getFileName() + " · not in git · outcome failed"),
                all);

        Cli.Run html = Cli.runIn(tmp, "show", runDir.getFileName().toString().substring(0, 20), "--timeline", "t.html");
        assertEquals(ExitCodes.OK, html.code(), html.all());
        String page = Files.readString(tmp.resolve("t.html"));
        assertTrue(page.startsWith("<!DOCTYPE html>") && !page.contains("<script") && !page.contains("src="), page);
        Document embedded = parse(page.substring(page.indexOf("<svg"), page.lastIndexOf("</svg>") + 6));
        assertEquals(lines.size(), bars(embedded).size());

        Cli.Run png = Cli.runIn(tmp, "show", "last", "--timeline", "t.png");
        assertEquals(ExitCodes.INVALID_INPUT, png.code(), png.all());
        assertTrue(png.err().contains("--timeline t.png: the file name must end in .svg (an SVG image) or .html"), png.all());

        // a journal written before node times were recorded
        StringBuilder old = new StringBuilder();
        for (JsonNode l : lines) {
            ((ObjectNode) l).remove(List.of("started_at", "finished_at"));
            old.append(JSON.writeValueAsString(l)).append('\n');
        }
        Files.writeString(runDir.resolve("journal.jsonl"), old);
        Cli.Run refused = Cli.runIn(tmp, "show", "last", "--timeline", "old.svg");
        assertEquals(ExitCodes.INVALID_INPUT, refused.code(), refused.all());
        assertTrue(refused.err().contains("has no started_at/finished_at: the run was journaled by a Ringplan that did not"
                + " record when each node ran, so no timeline can be drawn"), refused.all());
        assertFalse(Files.exists(tmp.resolve("old.svg")));
        assertEquals(ExitCodes.OK, Cli.runIn(tmp, "show", "last").code(), "the text view still works");
    }

    private static double px(Element bar, String attr) {
        return Double.parseDouble(rect(bar).getAttribute(attr));
    }

    private static long ms(JsonNode line) {
        return Duration.between(Instant.parse(line.get("started_at").asText()), Instant.parse(line.get("finished_at").asText()))
                .toMillis();
    }
}
