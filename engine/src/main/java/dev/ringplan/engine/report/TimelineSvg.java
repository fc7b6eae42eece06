package dev.ringplan.engine.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Draws a {@link Timeline} as a Gantt chart in SVG 1.1: a header (mode, plan, plan file, run id,
 * commit, outcome, wall time, start), a legend of the bar colors, a time axis in seconds since the
 * run's start, and one lane per host holding a bar per (task, host), colored by
 * {@link Timeline.Bar#category()}, labelled with the task id when it fits, its {@code <title>}
 * (the tooltip browsers show) giving node, status, start, duration and message. Bars that overlap
 * in time on one host (independent tasks run in parallel) are stacked in rows of the lane.
 *
 * <p>Self-contained: no script, font, stylesheet or image is referenced; colors are attributes
 * (so a renderer without CSS draws them). The document is built with the JDK's DOM and written by
 * its serializer, which escapes markup in every text; characters XML 1.0 cannot carry become
 * {@code \}{@code uXXXX} text ({@link JUnitReport#text}). Each bar carries {@code data-task},
 * {@code data-host} and {@code data-status} attributes for tools that read the file.
 */
public final class TimelineSvg {
    private static final String SVG_NS = "http://www.w3.org/2000/svg";
    /** Colors by category, in legend order (Ansible's console: green ok, yellow changed, red failed). */
    static final Map<String, String> COLORS = colors();
    private static final int WIDTH = 1200;
    private static final int LABELS = 190;
    private static final int PLOT = WIDTH - LABELS - 30;
    private static final int ROW = 22;
    private static final int BAR = 16;
    private static final double MIN_BAR = 2.0;
    private static final double CHAR = 6.4; // average advance of an 11 px sans-serif glyph
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private TimelineSvg() {
    }

    private static Map<String, String> colors() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("ok", "#2e9e44");
        c.put("changed", "#e6a700");
        c.put("unknown", "#8fb3d9");
        c.put("skipped", "#b8c2cc");
        c.put("failed", "#d62728");
        c.put("ignored", "#f4a3a3");
        c.put("unreachable", "#7b1f1f");
        c.put("interrupted", "#5b5b8f");
        c.put("rescue", "#9b59b6");
        return c;
    }

    /** The chart as a standalone SVG document (UTF-8, with its XML declaration). */
    public static String svg(Timeline t) {
        return serialize(draw(t), false);
    }

    /**
     * The chart as one standalone HTML5 page embedding the SVG inline: no script, no external
     * resource.
     */
    public static String html(Timeline t) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
                + htmlText(title(t) + " — run " + t.runId()) + "</title>\n"
                + "<style>body{margin:16px;background:#fff;font-family:sans-serif}</style>\n</head>\n<body>\n"
                + serialize(draw(t), true) + "\n</body>\n</html>\n";
    }

    private static Document draw(Timeline t) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            doc = f.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no XML document builder: " + e.getMessage(), e);
        }
        Element svg = doc.createElementNS(SVG_NS, "svg");
        doc.appendChild(svg);
        svg.setAttribute("version", "1.1");
        svg.setAttribute("font-family", "sans-serif");
        svg.setAttribute("font-size", "11");
        Element title = el(svg, "title");
        title.setTextContent(JUnitReport.text(title(t) + " — run " + t.runId()));

        text(svg, 10, 22, title(t), "15", "bold");
        text(svg, 10, 42, header(t), "12", null);
        int y = legend(svg, 62);

        double scale = t.spanMs() == 0 ? 0 : PLOT / (double) t.spanMs();
        List<Lane> lanes = new ArrayList<>();
        int top = y + 34;
        int laneY = top;
        for (String host : t.hosts()) {
            Lane lane = pack(host, t.bars(host), scale, laneY);
            lanes.add(lane);
            laneY += lane.height();
        }
        int bottom = laneY;
        axis(svg, t.spanMs(), scale, top, bottom);
        for (int i = 0; i < lanes.size(); i++) {
            lane(svg, lanes.get(i), i);
        }
        if (t.bars().isEmpty()) {
            text(svg, LABELS, top + 16, "no (task, host) was journaled for this run", "12", null);
            bottom = top + 24;
        }
        int height = bottom + 24;
        svg.setAttribute("width", Integer.toString(WIDTH));
        svg.setAttribute("height", Integer.toString(height));
        svg.setAttribute("viewBox", "0 0 " + WIDTH + " " + height);
        return doc;
    }

    private static String title(Timeline t) {
        return (t.checkMode() ? "PLAN " : "RUN ") + (t.plan() == null ? "?" : t.plan())
                + (t.planFile() == null ? "" : " (" + t.planFile() + ")");
    }

    private static String header(Timeline t) {
        String commit = t.commit() == null ? "not in git"
                : "commit " + t.commit().substring(0, Math.min(12, t.commit().length())) + (t.dirty() ? "+ (modified)" : "");
        return "run " + t.runId() + " · " + commit + " · outcome " + t.outcome() + " · "
                + seconds(t.spanMs()) + " · started " + STARTED.format(t.origin());
    }

    private static int legend(Element svg, int y) {
        double x = 10;
        for (Map.Entry<String, String> c : COLORS.entrySet()) {
            Element g = el(svg, "g");
            g.setAttribute("class", "legend");
            Element r = el(g, "rect");
            attrs(r, x, y - 10, 12, 12);
            r.setAttribute("fill", c.getValue());
            String label = c.getKey().equals("ignored") ? "failed (ignored)" : c.getKey();
            text(g, x + 16, y, label, null, null);
            x += 30 + label.length() * CHAR;
        }
        return y;
    }

    /** One drawn bar: where it sits (row within its lane) and its pixel extent. */
    private record Placed(Timeline.Bar bar, int row, double x, double w) {
    }

    /** A host's lane: its bars placed in rows, no two overlapping in one row. */
    private record Lane(String host, List<Placed> bars, int rows, int y) {
        int height() {
            return rows * ROW + 8;
        }
    }

    /** Greedy interval packing in pixel space: a bar goes into the first row whose last bar ends before it. */
    private static Lane pack(String host, List<Timeline.Bar> bars, double scale, int y) {
        List<Double> rowEnds = new ArrayList<>();
        List<Placed> placed = new ArrayList<>();
        for (Timeline.Bar b : bars) {
            double x = LABELS + b.startMs() * scale;
            double w = Math.max(b.durationMs() * scale, MIN_BAR);
            int row = 0;
            while (row < rowEnds.size() && rowEnds.get(row) > x) {
                row++;
            }
            if (row == rowEnds.size()) {
                rowEnds.add(0.0);
            }
            rowEnds.set(row, x + w + 1);
            placed.add(new Placed(b, row, x, w));
        }
        return new Lane(host, placed, Math.max(1, rowEnds.size()), y);
    }

    private static void axis(Element svg, long spanMs, double scale, int top, int bottom) {
        Element g = el(svg, "g");
        g.setAttribute("class", "axis");
        long step = tickStep(spanMs);
        for (long ms = 0; ms <= spanMs; ms += step) {
            double x = LABELS + ms * scale;
            Element line = el(g, "line");
            line.setAttribute("x1", fmt(x));
            line.setAttribute("x2", fmt(x));
            line.setAttribute("y1", Integer.toString(top - 6));
            line.setAttribute("y2", Integer.toString(bottom));
            line.setAttribute("stroke", "#dde1e6");
            Element label = text(g, x, top - 10, seconds(ms).replace(".0 s", " s"), "10", null);
            label.setAttribute("text-anchor", "middle");
            if (spanMs == 0) {
                break;
            }
        }
        Element unit = text(g, LABELS - 18, top - 10, "seconds since start", "10", null);
        unit.setAttribute("text-anchor", "end");
    }

    /** A tick every 1, 2 or 5 × 10^k milliseconds, at most about 12 ticks, never under 100 ms. */
    static long tickStep(long spanMs) {
        long step = 100;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (spanMs / (step * m) <= 12) {
                    return step * m;
                }
            }
            step *= 10;
        }
    }

    private static void lane(Element svg, Lane lane, int index) {
        Element g = el(svg, "g");
        g.setAttribute("class", "lane");
        g.setAttribute("data-host", JUnitReport.text(lane.host()));
        Element bg = el(g, "rect");
        attrs(bg, 0, lane.y(), WIDTH, lane.height());
        bg.setAttribute("fill", index % 2 == 0 ? "#f6f8fa" : "#ffffff");
        bg.setAttribute("fill-opacity", "0.6");
        Element label = el(g, "g");
        label.setAttribute("class", "host");
        el(label, "title").setTextContent(JUnitReport.text(lane.host()));
        Element name = text(label, LABELS - 8, lane.y() + 4 + ROW / 2.0 + 4, clip(lane.host(), (LABELS - 16) / CHAR), "12", null);
        name.setAttribute("text-anchor", "end");
        for (Placed p : lane.bars()) {
            bar(g, p, lane.y() + 4 + p.row() * ROW);
        }
    }

    private static void bar(Element lane, Placed p, int y) {
        Timeline.Bar b = p.bar();
        Element g = el(lane, "g");
        g.setAttribute("class", "bar " + b.category());
        g.setAttribute("data-task", JUnitReport.text(b.task()));
        g.setAttribute("data-host", JUnitReport.text(b.host()));
        g.setAttribute("data-status", JUnitReport.text(b.status()));
        Element tip = el(g, "title");
        String msg = b.msg().length() > 400 ? b.msg().substring(0, 400) + "…" : b.msg();
        tip.setTextContent(JUnitReport.text(b.node() + ": " + b.status() + (b.ignored() ? " (ignored)" : "")
                + (b.rescue() ? " (rescue)" : "") + ", " + seconds(b.durationMs()) + " from "
                + seconds(b.startMs()) + (msg.isEmpty() ? "" : "\n" + msg)));
        Element r = el(g, "rect");
        attrs(r, p.x(), y + (ROW - BAR) / 2.0, p.w(), BAR);
        r.setAttribute("rx", "2");
        r.setAttribute("fill", COLORS.getOrDefault(b.category(), "#999999"));
        r.setAttribute("stroke", "#333333");
        r.setAttribute("stroke-width", "0.5");
        String label = clip(b.task(), (p.w() - 6) / CHAR);
        if (!label.isEmpty()) {
            Element tx = text(g, p.x() + 3, y + ROW / 2.0 + 4, label, null, null);
            tx.setAttribute("fill", dark(b.category()) ? "#ffffff" : "#111111");
        }
    }

    private static boolean dark(String category) {
        return List.of("failed", "unreachable", "interrupted", "rescue", "ok").contains(category);
    }

    /** {@code s} cut to {@code room} characters with an ellipsis; empty when fewer than 3 fit. */
    static String clip(String s, double room) {
        int fit = (int) Math.floor(room);
        if (s.length() <= fit) {
            return s;
        }
        return fit < 3 ? "" : s.substring(0, fit - 1) + "…";
    }

    private static Element text(Element parent, double x, double y, String s, String size, String weight) {
        Element t = el(parent, "text");
        t.setAttribute("x", fmt(x));
        t.setAttribute("y", fmt(y));
        if (size != null) {
            t.setAttribute("font-size", size);
        }
        if (weight != null) {
            t.setAttribute("font-weight", weight);
        }
        t.setTextContent(JUnitReport.text(s));
        return t;
    }

    private static Element el(Element parent, String name) {
        Element e = parent.getOwnerDocument().createElementNS(SVG_NS, name);
        parent.appendChild(e);
        return e;
    }

    private static void attrs(Element r, double x, double y, double w, double h) {
        r.setAttribute("x", fmt(x));
        r.setAttribute("y", fmt(y));
        r.setAttribute("width", fmt(w));
        r.setAttribute("height", fmt(h));
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String serialize(Document doc, boolean fragment) {
        try {
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, fragment ? "yes" : "no");
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "1");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString(StandardCharsets.UTF_8);
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot write the SVG: " + e.getMessage(), e);
        }
    }

    /** {@code s} as HTML text: markup characters escaped, what XML 1.0 cannot carry as text. */
    private static String htmlText(String s) {
        return JUnitReport.text(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Seconds as the chart writes them, {@code 1.2 s}. */
    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** Writes {@code s} to {@code file} in UTF-8 (parents created). */
    public static void write(java.nio.file.Path file, String s) throws IOException {
        java.nio.file.Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
        java.nio.file.Files.writeString(file, s, StandardCharsets.UTF_8);
    }
}
