package dev.ringplan.modules.nodetool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code nodetool info} (Cassandra's {@code tools/nodetool/Info.java}: lines formatted
 * {@code %-23s: %s}):
 *
 * <pre>
 * ID                     : 19427ed3-3637-46aa-a05c-e54f36bcdfdb
 * Gossip active          : true
 * Native Transport active: true
 * Load                   : 2.22 TB
 * Data Center            : datacenter1
 * Rack                   : rack1
 * Token                  : (invoke with -T/--tokens to see all 16 tokens)
 * </pre>
 *
 * <p>Seen: 3.x with one token per node ({@code Token : 1374...}, fixture) and the 5.0.7 format
 * strings (checked in the jar: {@code (invoke with -T/--tokens to see all %d tokens)},
 * {@code (node is not joined to the cluster)}, the new {@code Uncompressed load} line).
 * Lines without {@code " : "}-style separators are ignored.
 */
public final class InfoParser {
    private static final Pattern LINE = Pattern.compile("([A-Za-z][A-Za-z ()/-]*?)\\s*:\\s(.*)");
    private static final Pattern ALL_TOKENS = Pattern.compile("see all (\\d+) tokens");

    private InfoParser() {
    }

    /**
     * Parses the whole standard output of {@code nodetool info}.
     *
     * @throws NodetoolParseException when there is no {@code ID} line or a known field's value
     *                                is not understood
     */
    public static NodeInfo parse(String output) throws NodetoolParseException {
        Map<String, String> fields = new LinkedHashMap<>();
        Integer tokens = null;
        int tokenLines = 0;
        for (String line : output.split("\\R")) {
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            String key = m.group(1).strip();
            String value = m.group(2).strip();
            fields.put(key, value);
            if (key.equals("Token")) {
                Matcher t = ALL_TOKENS.matcher(value);
                if (t.find()) {
                    tokens = Integer.valueOf(t.group(1));
                } else if (!value.startsWith("(")) {
                    tokenLines++;
                }
            }
        }
        if (tokens == null && tokenLines > 0) {
            tokens = tokenLines;
        }
        String id = fields.get("ID");
        if (id == null) {
            throw new NodetoolParseException("nodetool info output has no 'ID' line: " + StatusParser.firstLine(output));
        }
        try {
            String load = fields.get("Load");
            String uptime = fields.get("Uptime (seconds)");
            return new NodeInfo(id, bool(fields.get("Gossip active")), bool(fields.get("Native Transport active")),
                    load == null ? null : NodetoolValues.parseSize(load), fields.get("Data Center"), fields.get("Rack"),
                    tokens, uptime == null ? null : Long.valueOf(uptime), fields);
        } catch (NumberFormatException e) {
            throw new NodetoolParseException("nodetool info output: value not understood: " + e.getMessage());
        }
    }

    private static Boolean bool(String v) {
        return v == null ? null : Boolean.valueOf(v.equalsIgnoreCase("true"));
    }
}
