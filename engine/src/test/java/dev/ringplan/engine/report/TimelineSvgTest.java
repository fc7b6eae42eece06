package dev.ringplan.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@link Timeline} from journal lines, and the SVG and HTML {@link TimelineSvg} draws, read back with the JDK's XML parser. */
class TimelineSvgTest {
    private static final String START = "2026-12-02T17:00:00Z";

    private static RunHistory.RunSummary summary(String plan) {
        return new RunHistory.RunSummary("20261202T170000Z-ab12", START, plan, "plans/p.yaml", "97878cc788da0123", true,
                false, "failed", 9000L, Path.of("."));
    }

    private static JsonNode meta(String... hosts) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        var a = m.putArray("hosts");
        for (String h : hosts) {
            a.add(h);
        }
        return m;
    }

    /** A journal line: task on host, status, from {@code fromMs} to {@code toMs} after the run's start. */
    private static ObjectNode line(String task, String host, String status, long fromMs, long toMs) {
        ObjectNode l = Json.MAPPER.createObjectNode();
        l.put("task", task);
        l.put("host", host);
        l.put("status", status);
        l.put("msg", "did " + task);
        l.put("ignored", false);
        l.put("duration_ms", toMs - fromMs);
        l.put("node", task + "[" + host + "]");
        l.put("started_at", java.time.Instant.parse(START).plusMillis(fromMs).toString());
        l.put("finished_at", java.time.Instant.parse(START).plusMillis(toMs).toString());
        return l;
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** The {@code g} elements whose class is {@code cls} or starts with {@code cls + " "}. */
    private static List<Element> groups(Document doc, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList gs = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            if (g.getAttribute("class").equals(cls) || g.getAttribute("class").startsWith(cls + " ")) {
                out.add(g);
            }
        }
        return out;
    }

    private static Element child(Element e, String name) {
        return (Element) e.getElementsByTagNameNS("http://www.w3.org/2000/svg", name).item(0);
    }

    private static double num(Element e, String attr) {
        return Double.parseDouble(e.getAttribute(attr));
    }

    @Test
    void of_journalLines_barsSinceRunStart_lanesInInventoryOrder() {
        Timeline t = Timeline.of(summary("p"), meta("h2", "h1", "h3"), List.of(
                line("b", "h1", "changed", 3000, 9000), line("a", "h1", "ok", 500, 3000), line("a", "h2", "failed", 700, 1200),
                line("x", "other", "ok", 100, 200)));
        assertEquals(List.of("h2", "h1", "other"), t.hosts(), "inventory order, journal-only hosts after, h3 had no node");
        assertEquals(List.of("x[other]", "a[h1]", "a[h2]", "b[h1]"), t.bars().stream().map(Timeline.Bar::node).toList());
        Timeline.Bar b = t.bars().get(3);
        assertEquals(3000, b.startMs());
        assertEquals(6000, b.durationMs());
        assertEquals(9000, t.spanMs());
        assertEquals(java.time.Instant.parse(START), t.origin());
        assertEquals("did b", b.msg());
    }

    @Test
    void of_lineWithoutTimes_refusedNamingTheLineAndWhy() {
        ObjectNode old = line("snap", "h1", "ok", 0, 10);
        old.remove("started_at");
        old.remove("finished_at");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Timeline.of(summary("p"), null, List.of(line("a", "h1", "ok", 0, 5), old)));
        assertEquals("run 20261202T170000Z-ab12: line 2 of its journal.jsonl (snap[h1]) has no started_at/finished_at:"
                + " the run was journaled by a Ringplan that did not record when each node ran, so no timeline can be"
                + " drawn ('ringplan show 20261202T170000Z-ab12' prints it)", e.getMessage());
    }

    @Test
    void category_rescueCleanIgnoredFailure_ownColors_elseStatus() {
        ObjectNode rescue = line("r", "h1", "changed", 0, 10);
        rescue.put("rescue_of", "blk");
        ObjectNode rescueFailed = line("r2", "h1", "failed", 0, 10);
        rescueFailed.put("rescue_of", "blk");
        ObjectNode ignored = line("i", "h1", "failed", 0, 10);
        ignored.put("ignored", true);
        Timeline t = Timeline.of(summary("p"), null, List.of(rescue, rescueFailed, ignored, line("s", "h1", "skipped", 0, 0)));
        assertEquals(List.of("ignored", "rescue", "failed", "skipped"), t.bars().stream().map(Timeline.Bar::category).toList());
    }

    @Test
    void svg_lanesAreHosts_barsAreJournalLines_inTimeOrder_widthsProportional() throws Exception {
        Timeline t = Timeline.of(summary("backup"), meta("n1", "n2"), List.of(
                line("flush", "n1", "ok", 0, 1000), line("snapshot", "n1", "changed", 1000, 4000),
                line("flush", "n2", "ok", 200, 1200), line("archive", "n2", "failed", 1200, 9000)));
        Document doc = parse(TimelineSvg.svg(t));
        assertEquals("svg", doc.getDocumentElement().getLocalName());
        List<Element> lanes = groups(doc, "lane");
        assertEquals(List.of("n1", "n2"), lanes.stream().map(l -> l.getAttribute("data-host")).toList());
        List<Element> bars = groups(doc, "bar");
        assertEquals(4, bars.size());
        for (Element lane : lanes) {
            String host = lane.getAttribute("data-host");
            List<Element> own = bars.stream().filter(b -> b.getParentNode() == lane).toList();
            assertEquals(t.bars(host).size(), own.size(), host);
            own.forEach(b -> assertEquals(host, b.getAttribute("data-host")));
        }
        Element n1flush = bars.stream().filter(b -> b.getAttribute("data-task").equals("flush")
                && b.getAttribute("data-host").equals("n1")).findFirst().orElseThrow();
        Element n1snap = bars.stream().filter(b -> b.getAttribute("data-task").equals("snapshot")).findFirst().orElseThrow();
        Element n2archive = bars.stream().filter(b -> b.getAttribute("data-task").equals("archive")).findFirst().orElseThrow();
        Element n2flush = bars.stream().filter(b -> b.getAttribute("data-task").equals("flush")
                && b.getAttribute("data-host").equals("n2")).findFirst().orElseThrow();
        double x1 = num(child(n1flush, "rect"), "x");
        double x2 = num(child(n2flush, "rect"), "x");
        double x3 = num(child(n1snap, "rect"), "x");
        double x4 = num(child(n2archive, "rect"), "x");
        assertTrue(x1 < x2 && x2 < x3 && x3 < x4, x1 + " " + x2 + " " + x3 + " " + x4);
        double perMs = num(child(n1flush, "rect"), "width") / 1000.0;
        assertEquals(3000 * perMs, num(child(n1snap, "rect"), "width"), 0.02);
        assertEquals(7800 * perMs, num(child(n2archive, "rect"), "width"), 0.02);
        assertEquals(1200 * perMs, x4 - x1, 0.02, "x is proportional to the start");
        assertEquals("changed", n1snap.getAttribute("data-status"));
        assertEquals("bar changed", n1snap.getAttribute("class"));
        assertEquals(TimelineSvg.COLORS.get("failed"), child(n2archive, "rect").getAttribute("fill"));
        assertEquals("archive[n2]: failed, 7.8 s from 1.2 s\ndid archive", child(n2archive, "title").getTextContent());
        String all = doc.getDocumentElement().getTextContent();
        assertTrue(all.contains("RUN backup (plans/p.yaml)"), all);
        assertTrue(all.contains("run 20261202T170000Z-ab12 · commit 97878cc788da+ (modified) · outcome failed"), all);
        for (String status : List.of("ok", "changed", "unknown", "skipped", "failed (ignored)", "unreachable", "interrupted",
                "rescue")) {
            assertTrue(groups(doc, "legend").stream().anyMatch(g -> g.getTextContent().strip().equals(status)), status);
        }
        assertTrue(all.contains("0 s") && all.contains("8 s") && all.contains("seconds since start"), "a time axis: " + all);
    }

    @Test
    void svg_overlappingBarsOnOneHost_stackedInRows() throws Exception {
        Timeline t = Timeline.of(summary("p"), null, List.of(line("a", "h", "ok", 0, 4000), line("b", "h", "ok", 1000, 2000),
                line("c", "h", "ok", 4500, 5000)));
        Document doc = parse(TimelineSvg.svg(t));
        List<Element> bars = groups(doc, "bar");
        double ya = num(child(bars.get(0), "rect"), "y");
        double yb = num(child(bars.get(1), "rect"), "y");
        double yc = num(child(bars.get(2), "rect"), "y");
        assertNotEquals(ya, yb, "b runs while a does: another row");
        assertEquals(ya, yc, "c starts after a ended: a's row");
    }

    @Test
    void svg_hostileNamesAndMessages_escaped_parseBackAsWritten() throws Exception {
        String task = "<script>alert('x')</script>&amp;\"]]>";
        String host = "h\"/><image href=\"http://evil/\"/>";
        ObjectNode l = line(task, host, "failed", 0, 2000);
        l.put("msg", "bad </title></svg><script>x()</script> \u001b[31mred\u0000 é ☃");
        Timeline t = Timeline.of(summary("</svg><!-- -->"), null, List.of(l));
        for (String out : List.of(TimelineSvg.svg(t), svgOf(TimelineSvg.html(t)))) {
            assertFalse(out.contains("<script"), out);
            assertFalse(out.contains("<image"), out);
            Document doc = parse(out);
            Element bar = groups(doc, "bar").get(0);
            assertEquals(task, bar.getAttribute("data-task"));
            assertEquals(host, bar.getAttribute("data-host"));
            assertEquals(task + "[" + host + "]: failed, 2.0 s from 0.0 s\nbad </title></svg><script>x()</script>"
                    + " \\u001B[31mred\\u0000 é ☃", child(bar, "title").getTextContent());
            assertEquals(host, child(groups(doc, "host").get(0), "title").getTextContent());
            assertTrue(doc.getDocumentElement().getTextContent().contains("RUN </svg><!-- --> (plans/p.yaml)"));
        }
    }

    @Test
    void html_oneStandalonePage_embedsTheSvg_noExternalResource() throws Exception {
        Timeline t = Timeline.of(summary("p<b>"), null, List.of(line("a", "h1", "ok", 0, 1000)));
        String html = TimelineSvg.html(t);
        assertTrue(html.startsWith("<!DOCTYPE html>\n<html lang=\"en\">"), html);
        assertTrue(html.contains("<title>RUN p&lt;b&gt; (plans/p.yaml) — run 20261202T170000Z-ab12</title>"), html);
        for (String external : List.of("<script", "src=", "href", "@import", "url(", "<link")) {
            assertFalse(html.contains(external), external + " in " + html);
        }
        assertEquals(1, groups(parse(svgOf(html)), "bar").size());
    }

    @Test
    void svg_noBars_saysSo() throws Exception {
        Document doc = parse(TimelineSvg.svg(Timeline.of(summary("p"), null, List.of())));
        assertTrue(doc.getDocumentElement().getTextContent().contains("no (task, host) was journaled for this run"));
        assertTrue(groups(doc, "lane").isEmpty());
    }

    @Test
    void tickStep_oneTwoFiveSteps_atMostTwelveTicks() {
        assertEquals(100, TimelineSvg.tickStep(0));
        assertEquals(100, TimelineSvg.tickStep(1200));
        assertEquals(1000, TimelineSvg.tickStep(9000));
        assertEquals(2000, TimelineSvg.tickStep(13000));
        assertEquals(50000, TimelineSvg.tickStep(400000));
    }

    @Test
    void clip_longLabels_ellipsis_tooLittleRoom_empty() {
        assertEquals("snapshot", TimelineSvg.clip("snapshot", 8.5));
        assertEquals("snap…", TimelineSvg.clip("snapshot", 5.9));
        assertEquals("", TimelineSvg.clip("snapshot", 2.5));
    }

    /** The {@code <svg>} element of an HTML page. */
    private static String svgOf(String html) {
        int from = html.indexOf("<svg");
        int to = html.lastIndexOf("</svg>");
        assertTrue(from >= 0 && to > from, html);
        return html.substring(from, to + "</svg>".length());
    }
}
